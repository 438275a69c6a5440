import Foundation

/// A serial executor that runs every job on one thread it owns, so an actor using it may make
/// blocking calls (SQLite) without ever tying up the cooperative pool.
///
/// The thread ends once the executor is released (when its actor is) and the queue is empty.
final class DedicatedThreadExecutor: SerialExecutor, @unchecked Sendable {
    private let queue = JobQueue()

    /// - Parameter name: the thread's name, as seen by debuggers and `top -H`.
    init(name: String) {
        let queue = self.queue
        let executor = UnownedSerialExecutor(ordinary: self)
        let thread = Thread {
            queue.attachCurrentThread()
            // For `top -H` and debuggers. Best effort: on Linux, Foundation ignores a name set
            // before `start()` and, rarely, one set this early too.
            Thread.current.name = name
            while let job = queue.next() {
                job.runSynchronously(on: executor)
            }
        }
        thread.start()
    }

    deinit { queue.stop() }

    func enqueue(_ job: consuming ExecutorJob) {
        queue.push(UnownedJob(job))
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Whether the caller runs on this executor's thread.
    var isCurrentThread: Bool { queue.isCurrentThread }
}

/// A FIFO of jobs that a thread waits on.
private final class JobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopped = false
    private var thread: pthread_t?

    /// Records the calling thread as the one that runs the jobs.
    func attachCurrentThread() {
        condition.lock()
        thread = pthread_self()
        condition.unlock()
    }

    var isCurrentThread: Bool {
        condition.lock()
        defer { condition.unlock() }
        return thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
    }

    func push(_ job: UnownedJob) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Waits for the next job; `nil` once stopped and drained.
    func next() -> UnownedJob? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count {
            if stopped { return nil }
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

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }
}
