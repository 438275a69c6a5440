import Foundation

/// A thread the host owns, running closures one at a time in the order they were queued.
///
/// For work that blocks (a plugin call waiting inside `http`, SQLite), which must never run on
/// Swift's cooperative pool. `stop()` lets the queued work finish, then the thread ends; work
/// queued after `stop()` is refused.
public final class DedicatedThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var head = 0
    private var stopping = false
    private var thread: pthread_t?

    /// Starts the thread.
    /// - Parameters:
    ///   - name: for debuggers and `top -H` (best effort on Linux).
    ///   - stackSize: bytes; 0 keeps the default.
    public init(name: String, stackSize: Int = 0) {
        let thread = Thread { [self] in
            condition.lock()
            self.thread = pthread_self()
            condition.unlock()
            Thread.current.name = name
            while let job = next() { job() }
        }
        if stackSize > 0 { thread.stackSize = stackSize }
        thread.start()
    }

    /// Queues `job`; returns `false`, and drops it, once the thread is stopping.
    @discardableResult
    public func enqueue(_ job: @escaping () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Lets the queued jobs run, then ends the thread.
    public func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    /// Whether the caller runs on this thread.
    public var isCurrentThread: Bool {
        condition.lock()
        defer { condition.unlock() }
        return thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
    }

    /// The next job; `nil` once stopping and drained.
    private func next() -> (() -> Void)? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count {
            if stopping { return nil }
            condition.wait()
        }
        let job = jobs[head]
        head += 1
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        }
        return job
    }
}
