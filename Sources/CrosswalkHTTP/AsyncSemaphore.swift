import Synchronization

/// A counting semaphore for tasks: caps how many run a section at once, waiting without blocking a thread.
///
/// Waiters are served first come, first served. A cancelled waiter leaves the queue and throws
/// `CancellationError`.
public final class AsyncSemaphore: Sendable {
    private struct State {
        var permits: Int
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        /// Waiters between taking an id and queueing; `true` once cancelled in that gap.
        var notYetQueued: [UInt64: Bool] = [:]
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    /// - Parameter permits: how many holders at once (at least 1).
    public init(permits: Int) { state = Mutex(State(permits: max(1, permits))) }

    /// Runs `body` holding a permit, waiting for one first.
    public func withPermit<T>(_ body: () async throws -> T) async throws -> T {
        try await wait()
        defer { signal() }
        return try await body()
    }

    /// Takes a permit, waiting until one is free.
    public func wait() async throws {
        let id = state.withLock { state -> UInt64? in
            if state.permits > 0 { state.permits -= 1; return nil }
            state.nextID += 1
            state.notYetQueued[state.nextID] = false
            return state.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state -> Bool in
                    if state.notYetQueued.removeValue(forKey: id) == true { return true }
                    state.waiters.append((id, continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) { return state.waiters.remove(at: index).continuation }
                if state.notYetQueued[id] != nil { state.notYetQueued[id] = true }
                return nil
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// How many tasks are waiting for a permit now.
    public var waiting: Int { state.withLock { $0.waiters.count } }

    /// Returns a permit, handing it to the longest waiter if there is one.
    public func signal() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if state.waiters.isEmpty { state.permits += 1; return nil }
            return state.waiters.removeFirst().continuation
        }
        next?.resume()
    }
}
