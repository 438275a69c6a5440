import CrosswalkCore
import Foundation

/// The cancellation state of one plugin call, shared by the caller (who cancels it at its
/// deadline or when its task is cancelled) and the plugin's thread (which asks, sleeps, and waits
/// inside host services). What `crosswalk.cancel/1` answers.
final class CallCancellation: @unchecked Sendable {
    private let condition = NSCondition()
    private var cancelled = false
    /// Uptime in nanoseconds after which the call counts as cancelled; `nil`: no deadline.
    private let deadline: UInt64?
    private var handlers: [Int: @Sendable () -> Void] = [:]
    private var nextHandler = 0

    /// - Parameter deadline: how long the call may run; `nil` or zero for no deadline.
    init(deadline: Duration?) {
        if let deadline, deadline > .zero {
            self.deadline = DispatchTime.now().uptimeNanoseconds &+ UInt64(max(0, deadline.milliseconds)) * 1_000_000
        } else {
            self.deadline = nil
        }
    }

    /// Whether the call was cancelled or its deadline passed.
    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelledLocked
    }

    /// Whether the deadline has passed (whether or not the call was also cancelled).
    var deadlinePassed: Bool { deadline.map { DispatchTime.now().uptimeNanoseconds >= $0 } == true }

    private var cancelledLocked: Bool {
        cancelled || deadline.map { DispatchTime.now().uptimeNanoseconds >= $0 } == true
    }

    /// Cancels the call: wakes `sleep`, runs the registered handlers once.
    func cancel() {
        condition.lock()
        guard !cancelled else { return condition.unlock() }
        cancelled = true
        let run = handlers.values
        handlers = [:]
        condition.broadcast()
        condition.unlock()
        run.forEach { $0() }
    }

    /// Waits `milliseconds`, or less when the call is cancelled (or its deadline passes) meanwhile.
    /// - Returns: `true` after the full wait, `false` when cancelled.
    func sleep(milliseconds: UInt32) -> Bool {
        let end = Date(timeIntervalSinceNow: Double(milliseconds) / 1000)
        condition.lock()
        defer { condition.unlock() }
        while !cancelledLocked {
            var until = end
            if let deadline {
                let now = DispatchTime.now().uptimeNanoseconds
                let left = deadline > now ? Double(deadline - now) / 1e9 : 0
                until = min(until, Date(timeIntervalSinceNow: left))
            }
            if !condition.wait(until: until) && Date() >= end { return !cancelledLocked }
        }
        return false
    }

    /// Runs `handler` when the call is cancelled (at once if it already is).
    /// - Returns: a token for ``remove(_:)``.
    @discardableResult
    func onCancel(_ handler: @escaping @Sendable () -> Void) -> Int {
        condition.lock()
        if cancelled {
            condition.unlock()
            handler()
            return -1
        }
        nextHandler += 1
        let token = nextHandler
        handlers[token] = handler
        condition.unlock()
        return token
    }

    func remove(_ token: Int) {
        condition.lock()
        handlers[token] = nil
        condition.unlock()
    }

    /// Runs async host work from a plugin thread, which we own and may block, and gives up as
    /// soon as the call is cancelled (the work's task is cancelled too; its late result is
    /// dropped).
    /// - Returns: the work's result, or `nil` when the call was cancelled first.
    func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) -> Result<T, any Error>? {
        if isCancelled { return nil }
        let box = LockedValue<Result<T, any Error>??>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = Task {
            let result: Result<T, any Error>
            do { result = .success(try await work()) } catch { result = .failure(error) }
            box.withLock { if $0 == nil { $0 = .some(result) } }
            done.signal()
        }
        let token = onCancel {
            task.cancel()
            box.withLock { if $0 == nil { $0 = .some(nil) } }
            done.signal()
        }
        done.wait()
        remove(token)
        return box.withLock { $0 } ?? nil
    }
}

/// One result delivered to one waiting caller: the first of the call's result, its timeout and
/// its cancellation wins, the others are dropped. The continuation may be attached after a
/// result arrived. Once delivered the result is not kept: the call's deadline timer holds this
/// object until it fires, and a result kept that long (a page of records) would add up.
final class CallCompletion<T: Sendable>: @unchecked Sendable {
    private enum State {
        case pending(((Result<T, any Error>) -> Void)?)
        /// Completed before anyone attached.
        case held(Result<T, any Error>)
        case delivered
    }

    private let lock = NSLock()
    private var state = State.pending(nil)

    /// Delivers the result to `receiver` (at once if it is already there). Attach once.
    func attach(_ receiver: @escaping (Result<T, any Error>) -> Void) {
        lock.lock()
        switch state {
        case .held(let result):
            state = .delivered
            lock.unlock()
            receiver(result)
        case .pending:
            state = .pending(receiver)
            lock.unlock()
        case .delivered:
            lock.unlock()
        }
    }

    func attach(_ continuation: CheckedContinuation<T, any Error>) {
        attach { continuation.resume(with: $0) }
    }

    /// Waits for the result on this thread (a thread the host owns, never the cooperative pool).
    func wait() -> Result<T, any Error> {
        let done = DispatchSemaphore(value: 0)
        let box = LockedValue<Result<T, any Error>?>(nil)
        attach { r in
            box.withLock { $0 = r }
            done.signal()
        }
        done.wait()
        return box.withLock { $0 }!
    }

    /// Delivers `result` unless another one was delivered first.
    /// - Returns: whether this result was the one delivered.
    @discardableResult
    func complete(_ result: Result<T, any Error>) -> Bool {
        lock.lock()
        guard case .pending(let receiver) = state else {
            lock.unlock()
            return false
        }
        if let receiver {
            state = .delivered
            lock.unlock()
            receiver(result)
        } else {
            state = .held(result)
            lock.unlock()
        }
        return true
    }

    var isComplete: Bool {
        lock.lock()
        defer { lock.unlock() }
        if case .pending = state { return false }
        return true
    }

    /// The result, when it was completed with no receiver attached (and is kept for a reader).
    func peek() -> Result<T, any Error>? {
        lock.lock()
        defer { lock.unlock() }
        if case .held(let result) = state { return result }
        return nil
    }
}

extension Duration {
    var dispatchInterval: DispatchTimeInterval { .milliseconds(Int(clamping: max(0, milliseconds))) }
}
