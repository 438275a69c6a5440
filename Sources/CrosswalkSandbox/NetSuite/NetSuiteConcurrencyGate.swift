import CrosswalkCore
import Foundation
import Synchronization

/// NetSuite's per-account concurrency governance: at most `limit` requests in flight; the next one is refused
/// at once (NetSuite does not queue). The limit follows the account's service tier and SuiteCloud Plus licences
/// and can be changed while requests run (a lower limit refuses new requests until enough have finished).
final class NetSuiteConcurrencyGate: Sendable {
    private struct Slots { var inFlight = 0, limit: Int }
    private let slots: Mutex<Slots>

    init(limit: Int) { slots = Mutex(Slots(limit: max(1, limit))) }

    /// Takes a slot; false when all `limit` slots are busy.
    func enter() -> Bool {
        slots.withLock { s in
            guard s.inFlight < s.limit else { return false }
            s.inFlight += 1
            return true
        }
    }

    func leave() { slots.withLock { $0.inFlight = max(0, $0.inFlight - 1) } }

    var current: Int { slots.withLock { $0.inFlight } }

    var limit: Int {
        get { slots.withLock { $0.limit } }
        set { slots.withLock { $0.limit = max(1, newValue) } }
    }
}

/// NetSuite service tiers and their account concurrency limits (Concurrency Governance: shared 5, tier 1 15,
/// tier 2 25, tier 3 35, tier 4 45, tier 5 55; each SuiteCloud Plus licence adds 10).
enum NetSuiteServiceTier {
    static let limits: [String: Int] = ["shared": 5, "tier1": 15, "tier2": 25, "tier3": 35, "tier4": 45, "tier5": 55]

    /// The limit for `tier` (`shared`, `tier1`…; `tier 1` and `tier_1` too) plus `suiteCloudPlus` licences.
    static func limit(tier: String, suiteCloudPlus: Int) -> Int? {
        let key = tier.lowercased().replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "_", with: "")
        guard let base = limits[key], suiteCloudPlus >= 0 else { return nil }
        return base + 10 * suiteCloudPlus
    }
}
