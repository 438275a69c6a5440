import CrosswalkStore
import CrosswalkCore
import Foundation

/// A serial executor that runs every job on one thread it owns, so an actor using it may make
/// blocking calls (SQLite) without ever tying up the cooperative pool.
///
/// The thread ends once the executor is released (when its actor is) and the queue is empty.
final class DedicatedThreadExecutor: SerialExecutor, @unchecked Sendable {
    private let thread: DedicatedThread

    /// - Parameter name: the thread's name, as seen by debuggers and `top -H`.
    init(name: String) {
        thread = DedicatedThread(name: name)
    }

    deinit { thread.stop() }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        thread.enqueue { job.runSynchronously(on: executor) }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Whether the caller runs on this executor's thread.
    var isCurrentThread: Bool { thread.isCurrentThread }
}
