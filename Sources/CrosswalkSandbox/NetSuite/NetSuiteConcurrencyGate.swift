import CrosswalkCore
import Synchronization

/// NetSuite's per-account concurrency governance: at most `limit` requests in flight; the next one is refused.
final class NetSuiteConcurrencyGate: Sendable {
    let limit: Int
    private let inFlight = Mutex(0)

    init(limit: Int) { self.limit = max(1, limit) }

    /// Takes a slot; false when all `limit` slots are busy.
    func enter() -> Bool {
        inFlight.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func leave() { inFlight.withLock { $0 = max(0, $0 - 1) } }

    var current: Int { inFlight.withLock { $0 } }
}
