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
        let thread = Thread { [unowned self] in self.loop() }
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

    /// Runs `body` on the thread and returns its result.
    ///
    /// `body` and its result may hold C pointers, which Swift cannot prove `Sendable`: they are
    /// handed to this one thread and back, never shared, which is what makes this sound.
    func run<T>(_ body: @escaping () -> T) async -> T {
        let job = Unchecked(body)
        let result: Unchecked<T> = await withCheckedContinuation { continuation in
            enqueue { continuation.resume(returning: Unchecked(job.value())) }
        }
        return result.value
    }

    /// Queues `body`; the thread runs queued jobs in order.
    func enqueue(_ body: @escaping () -> Void) {
        condition.lock()
        jobs.append(body)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread finish queued jobs, then exit.
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
