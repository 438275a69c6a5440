import CrosswalkCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One running worker process and the host's end of its socket: the host's requests waiting for
/// their answers, and a reader thread that delivers answers, host-service calls and log lines.
///
/// When the worker dies (a signal, an exit, a broken socket) every request in flight fails with
/// an error naming the plugin, the operation and the signal, and the supervisor is told.
final class WorkerConnection: @unchecked Sendable {
    let child: ChildProcess
    private let writer: FrameWriter
    private let socket: Int32
    private let pluginID: String
    private let lock = NSLock()
    private var pending: [UInt64: Pending] = [:]
    private var nextID: UInt64 = 0
    private var dead = false
    private var killReason: String?
    private let readiness = CallCompletion<JSONValue>()

    /// A request waiting for its answer.
    private struct Pending {
        var operation: String
        var connection: String?
        var deliver: @Sendable (Result<WorkerFrame, CrosswalkError>) -> Void
    }

    /// Worker → host frames other than answers (host-service calls, log lines), on the reader thread.
    private let onFrame: @Sendable (WorkerConnection, WorkerFrame) -> Void
    /// Called once when the worker is gone, before the requests in flight are failed.
    private let onDeath: @Sendable (WorkerConnection, ChildExit) -> Void

    /// Starts `crosswalk plugin-worker --serve <path>` and its reader thread.
    init(info: PluginInfo, configuration: PluginHostConfiguration,
         onFrame: @escaping @Sendable (WorkerConnection, WorkerFrame) -> Void,
         onDeath: @escaping @Sendable (WorkerConnection, ChildExit) -> Void) throws {
        let (host, worker) = try makeSocketPair()
        defer { close(worker) }
        do {
            child = try ChildProcess(configuration.worker, arguments: [
                "--serve", info.path, "--max-result-bytes", String(configuration.maxResultBytes), "--parent", String(getpid()),
            ], stdin: worker)
        } catch {
            close(host)
            throw error
        }
        socket = host
        writer = FrameWriter(fd: host)
        pluginID = info.id
        self.onFrame = onFrame
        self.onDeath = onDeath
        let reader = FrameReader(fd: host, maxFrame: configuration.maxResultBytes + (1 << 20))
        let thread = Thread { [self] in readLoop(reader) }
        thread.name = "worker \(info.id)"
        thread.start()
    }

    var processID: Int32 { child.pid }

    var isDead: Bool { lock.withLock { dead } }

    /// Waits on this thread for the worker's `ready` frame (its plugin loaded), at most `timeout`.
    /// - Throws: the worker's reason when it could not load the plugin, or when it died.
    func waitReady(timeout: Duration) throws {
        let readiness = readiness
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout.dispatchInterval) { [weak self] in
            if readiness.complete(.failure(CrosswalkError(.pluginCrashed, "\(self?.pluginID ?? "plugin"): the worker did not start within \(timeout.spoken)"))) {
                self?.kill(reason: "it did not start in time")
            }
        }
        _ = try readiness.wait().get()
    }

    /// Sends a request; `deliver` gets its answer, or the error of the worker's death.
    /// - Returns: the request's id, or `nil` when the worker is already dead (`deliver` was called).
    @discardableResult
    func request(_ kind: WorkerFrame.Kind, instance: UInt32, meta: JSONValue, body: Data = Data(), operation: String, connection: String?,
                 deliver: @escaping @Sendable (Result<WorkerFrame, CrosswalkError>) -> Void) -> UInt64? {
        lock.lock()
        if dead {
            let reason = killReason
            lock.unlock()
            deliver(.failure(deathError(operation: operation, connection: connection, exit: child.poll(), reason: reason)))
            return nil
        }
        nextID += 1
        let id = nextID
        pending[id] = Pending(operation: operation, connection: connection, deliver: deliver)
        lock.unlock()
        if !writer.send(WorkerFrame(kind: kind, id: id, instance: instance, meta: meta, body: body)) {
            // The reader thread sees the broken socket and fails the request with the worker's exit.
            kill(reason: nil)
        }
        return id
    }

    /// Tells the worker to cancel request `id` (the plugin sees `is_cancelled`).
    func cancel(_ id: UInt64, instance: UInt32) {
        writer.send(WorkerFrame(kind: .cancel, id: id, instance: instance))
    }

    /// Whether request `id` is still waiting for its answer.
    func isPending(_ id: UInt64) -> Bool { lock.withLock { pending[id] != nil } }

    /// Sends a frame that needs no answer (a host-service reply).
    func send(_ frame: WorkerFrame) { writer.send(frame) }

    /// Kills the worker (SIGKILL); requests in flight fail with `reason` (or the signal).
    func kill(reason: String?) {
        lock.withLock { if killReason == nil { killReason = reason } }
        child.kill()
    }

    /// Closes the socket: the worker exits when it sees the end of the stream.
    func shutdown() {
        lock.withLock { if killReason == nil { killReason = "the worker was stopped" } }
        Glibc.shutdown(socket, Int32(SHUT_RDWR))
    }

    private func deathError(operation: String, connection: String?, exit: ChildExit?, reason: String?) -> CrosswalkError {
        let what = reason.map { "was interrupted: \($0)" } ?? "crashed (\(exit.map(\.description) ?? "the worker ended"))"
        return PluginErrors.host(.pluginCrashed, plugin: pluginID, connection: connection, operation: operation, "\(what); restarting the worker")
    }

    private func readLoop(_ reader: FrameReader) {
        var protocolError: String?
        loop: while true {
            let frame: WorkerFrame
            do {
                guard let next = try reader.next() else { break }
                frame = next
            } catch {
                protocolError = "\(error)"
                break
            }
            switch frame.kind {
            case .ready:
                readiness.complete(.success(frame.meta))
            case .loadFailed:
                let reason = frame.meta["reason"]?.stringValue ?? "the worker could not load the plugin"
                readiness.complete(.failure(CrosswalkError(.pluginRefused, reason, context: ["plugin": pluginID])))
                break loop
            case .result:
                let waiting = lock.withLock { pending.removeValue(forKey: frame.id) }
                waiting?.deliver(.success(frame))
            case .hostCall, .log:
                onFrame(self, frame)
            default:
                protocolError = "unexpected frame \(frame.kind) from the worker"
                break loop
            }
        }
        if let protocolError { kill(reason: "the worker broke the protocol (\(protocolError))") }
        close(socket)
        let exit = child.wait(timeout: .seconds(2))
        lock.lock()
        dead = true
        let reason = killReason
        let failed = pending
        pending = [:]
        lock.unlock()
        // The supervisor learns first, so that a caller retrying after its error finds the restart under way.
        onDeath(self, exit)
        readiness.complete(.failure(deathError(operation: "start", connection: nil, exit: exit, reason: reason)))
        for (_, p) in failed.sorted(by: { $0.key < $1.key }) {
            p.deliver(.failure(deathError(operation: p.operation, connection: p.connection, exit: exit, reason: reason)))
        }
    }
}
