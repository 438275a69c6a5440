import Foundation

/// A thread the host owns, running jobs one at a time in order.
///
/// Plugin calls block (a plugin waits inside `http`), so they never run on Swift's cooperative
/// pool. One thread per instance also gives the ABI's rule for free: calls into one instance are
/// never concurrent.
final class PluginThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var stopping = false

    init(name: String) {
        let thread = Thread { [self] in self.loop() }
        thread.name = name
        thread.stackSize = 4 << 20
        thread.start()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }

    /// Runs `body` on the thread and returns its result, or `nil` when the thread was stopped
    /// before the job could be queued.
    ///
    /// `body` and its result may hold C pointers, which Swift cannot prove `Sendable`: they are
    /// handed to this one thread and back, never shared, which is what makes this sound.
    func run<T>(_ body: @escaping () -> T) async -> T? {
        let job = Unchecked(body)
        let result: Unchecked<T?> = await withCheckedContinuation { continuation in
            let queued = enqueue { continuation.resume(returning: Unchecked(job.value())) }
            if !queued { continuation.resume(returning: Unchecked(nil)) }
        }
        return result.value
    }

    /// Queues `body`; returns `false` (and drops it) once the thread is stopping.
    @discardableResult
    func enqueue(_ body: @escaping () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        jobs.append(body)
        condition.signal()
        return true
    }

    /// Lets the thread finish the jobs already queued, then exit; later jobs are refused.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }
}

/// Moves a value the compiler cannot prove `Sendable` between the caller and a plugin thread.
struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
