import CrosswalkCore
import Foundation

/// The thread one plugin instance's calls run on.
///
/// Plugin calls block (a plugin waits inside `http`), so they never run on Swift's cooperative
/// pool. One thread per instance also gives the ABI's rule for free: calls into one instance are
/// never concurrent.
final class PluginThread: Sendable {
    private let thread: DedicatedThread

    init(name: String) { thread = DedicatedThread(name: name, stackSize: 4 << 20) }

    /// Runs `body` on the thread and returns its result, or `nil` when the thread was stopped
    /// before the job could be queued.
    ///
    /// `body` and its result may hold C pointers, which Swift cannot prove `Sendable`: they are
    /// handed to this one thread and back, never shared, which is what makes this sound.
    func run<T>(_ body: @escaping () -> T) async -> T? {
        let job = Unchecked(body)
        let result: Unchecked<T?> = await withCheckedContinuation { continuation in
            let queued = thread.enqueue { continuation.resume(returning: Unchecked(job.value())) }
            if !queued { continuation.resume(returning: Unchecked(nil)) }
        }
        return result.value
    }

    /// Queues `body`; returns `false` (and drops it) once the thread is stopping.
    @discardableResult
    func enqueue(_ body: @escaping () -> Void) -> Bool { thread.enqueue(body) }

    /// Lets the thread finish the jobs already queued, then exit; later jobs are refused.
    func stop() { thread.stop() }
}

/// Moves a value the compiler cannot prove `Sendable` between the caller and a plugin thread.
struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
