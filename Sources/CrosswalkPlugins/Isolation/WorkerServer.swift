@preconcurrency import CrosswalkABI
import CrosswalkCore
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The worker's side (`crosswalk plugin-worker --serve PATH`): opens one plugin, runs its
/// instances (each on its own thread: calls into one instance are never concurrent) and its
/// mapping functions (on a thread of their own), and forwards every host service to the host.
final class WorkerServer: @unchecked Sendable {
    private let writer: FrameWriter
    private let library: OpenedLibrary
    private let maxResultBytes: Int
    private let lock = NSLock()
    private var instances: [UInt32: WorkerInstance] = [:]
    /// Calls queued or running, by request id (for `cancel`).
    private var calls: [UInt64: Call] = [:]

    /// A call's cancellation, and whether it started (a call cancelled while still queued is
    /// answered at once and skipped: only a call stuck inside the plugin may cost the worker).
    private final class Call {
        let cancellation: CallCancellation
        var started = false
        var skipped = false
        init(_ cancellation: CallCancellation) { self.cancellation = cancellation }
    }
    private var hostCalls: [UInt64: @Sendable (WorkerFrame) -> Void] = [:]
    private var nextHostCall: UInt64 = 0
    private let functionThread = DedicatedThread(name: "plugin functions", stackSize: 4 << 20)

    /// One instance in the worker; `handle` is only touched on `thread`.
    final class WorkerInstance: @unchecked Sendable {
        let thread: DedicatedThread
        let services: ForwardedHostServices
        let table: HostTable
        var handle: OpaquePointer?
        init(thread: DedicatedThread, services: ForwardedHostServices) {
            self.thread = thread
            self.services = services
            table = HostTable(backend: services)
        }
    }

    init(writer: FrameWriter, library: OpenedLibrary, maxResultBytes: Int) {
        self.writer = writer
        self.library = library
        self.maxResultBytes = maxResultBytes
    }

    @discardableResult
    func send(_ frame: WorkerFrame) -> Bool { writer.send(frame) }

    func registerHostCall(_ deliver: @escaping @Sendable (WorkerFrame) -> Void) -> UInt64 {
        lock.withLock {
            nextHostCall += 1
            hostCalls[nextHostCall] = deliver
            return nextHostCall
        }
    }

    func unregisterHostCall(_ id: UInt64) { _ = lock.withLock { hostCalls.removeValue(forKey: id) } }

    /// Serves frames until the host closes the socket (or dies).
    func run(reader: FrameReader) {
        while true {
            let frame: WorkerFrame
            do {
                guard let next = try reader.next() else { return }
                frame = next
            } catch {
                FileHandle.standardError.write(Data("plugin worker \(library.info.id): \(error)\n".utf8))
                return
            }
            switch frame.kind {
            case .create: create(frame)
            case .call: call(frame)
            case .cancel: cancel(frame.id)
            case .destroy: destroy(frame)
            case .hostReply: lock.withLock { hostCalls[frame.id] }?(frame)
            case .functions: functions(frame)
            default: return
            }
        }
    }

    private func cancel(_ id: UInt64) {
        let (call, skip) = lock.withLock { () -> (Call?, Bool) in
            guard let call = calls[id] else { return (nil, false) }
            if !call.started {
                call.skipped = true
                calls[id] = nil
                return (call, true)
            }
            return (call, false)
        }
        call?.cancellation.cancel()
        if skip { answer(id, status: CROSSWALK_E_CANCELLED, .success(Data())) }
    }

    /// Marks a queued call as started; `false` when it was cancelled (and answered) meanwhile.
    private func begin(_ id: UInt64) -> Bool {
        lock.withLock {
            guard let call = calls[id], !call.skipped else { return false }
            call.started = true
            return true
        }
    }

    private func answer(_ id: UInt64, status: crosswalk_status, _ taken: Result<Data, BufferProblem>) {
        switch taken {
        case .success(let data): send(WorkerFrame(kind: .result, id: id, meta: ["status": .number(JSONNumber(Int(status)))], body: data))
        case .failure(let problem):
            if status == CROSSWALK_OK {
                send(WorkerFrame(kind: .result, id: id, meta: ["problem": .string(problem.message)]))
            } else {
                // The error document is unusable; the status still says what happened.
                send(WorkerFrame(kind: .result, id: id, meta: ["status": .number(JSONNumber(Int(status)))]))
            }
        }
    }

    private func create(_ frame: WorkerFrame) {
        let offered = HostServiceSet(rawValue: UInt8(clamping: frame.meta["services"]?.intValue ?? 0))
        let level = Logger.Level(rawValue: frame.meta["log_level"]?.stringValue ?? "info") ?? .info
        let connection = frame.meta["connection"]?.stringValue ?? "?"
        let services = ForwardedHostServices(server: self, instance: frame.instance, offered: offered, minimumLevel: level)
        let instance = WorkerInstance(thread: DedicatedThread(name: "plugin \(library.info.id) \(connection)", stackSize: 4 << 20), services: services)
        lock.withLock { instances[frame.instance] = instance }
        let cancellation = CallCancellation(deadline: .milliseconds(frame.meta["deadline_ms"]?.intValue ?? 0))
        lock.withLock { calls[frame.id] = Call(cancellation) }
        let table = library.table, max = maxResultBytes
        instance.thread.enqueue { [self] in
            guard begin(frame.id) else {
                lock.withLock { _ = instances.removeValue(forKey: frame.instance) }
                instance.table.unregister()
                return instance.thread.stop()
            }
            defer { _ = lock.withLock { calls.removeValue(forKey: frame.id) } }
            services.setCurrent((frame.id, cancellation))
            var handle: OpaquePointer?
            var out = ABIBuffers.empty()
            let status = frame.body.withUnsafeBytes { raw in
                table.create(UnsafePointer(instance.table.pointer), raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count, &handle, &out)
            }
            services.setCurrent(nil)
            let taken = ABIBuffers.take(&out, max: max)
            if status == CROSSWALK_OK, let handle {
                instance.handle = handle
                // What `create` wrote on success is released and ignored (ABI 1.1).
                answer(frame.id, status: CROSSWALK_OK, .success(Data()))
            } else {
                lock.withLock { _ = instances.removeValue(forKey: frame.instance) }
                instance.table.unregister()
                instance.thread.stop()
                answer(frame.id, status: status == CROSSWALK_OK ? CROSSWALK_E_INTERNAL : status, taken)
            }
        }
    }

    private func call(_ frame: WorkerFrame) {
        guard let instance = lock.withLock({ instances[frame.instance] }), let call = PluginCall(rawValue: frame.meta["op"]?.stringValue ?? "") else {
            return answer(frame.id, status: CROSSWALK_E_INVALID_ARGUMENT, .success(ABIBuffers.errorJSON(CrosswalkError(.invalidArgument, "no such instance or operation"))))
        }
        let cancellation = CallCancellation(deadline: .milliseconds(frame.meta["deadline_ms"]?.intValue ?? 0))
        lock.withLock { calls[frame.id] = Call(cancellation) }
        let table = library.table, discoverV2 = library.discoverV2, max = maxResultBytes
        instance.thread.enqueue { [self] in
            guard begin(frame.id) else { return }
            defer { _ = lock.withLock { calls.removeValue(forKey: frame.id) } }
            guard let handle = instance.handle else {
                return answer(frame.id, status: CROSSWALK_E_INVALID_ARGUMENT, .success(ABIBuffers.errorJSON(CrosswalkError(.invalidArgument, "the instance was destroyed"))))
            }
            instance.services.setCurrent((frame.id, cancellation))
            var out = ABIBuffers.empty()
            let status: crosswalk_status = frame.body.withUnsafeBytes { raw in
                let p = raw.baseAddress?.assumingMemoryBound(to: CChar.self), n = raw.count
                switch call {
                case .check: return table.check(handle, &out)
                case .discover: return table.discover(handle, &out)
                case .discover2: return discoverV2?.discover(handle, p, n, &out) ?? CROSSWALK_E_UNSUPPORTED
                case .read: return table.read(handle, p, n, &out)
                case .write: return table.write(handle, p, n, &out)
                case .parseWebhook: return table.parse_webhook?(handle, p, n, &out) ?? CROSSWALK_E_UNSUPPORTED
                }
            }
            instance.services.setCurrent(nil)
            answer(frame.id, status: status, ABIBuffers.take(&out, max: max))
        }
    }

    private func destroy(_ frame: WorkerFrame) {
        guard let instance = lock.withLock({ instances.removeValue(forKey: frame.instance) }) else {
            return answer(frame.id, status: CROSSWALK_OK, .success(Data()))
        }
        let destroy = library.table.destroy
        instance.thread.enqueue { [self] in
            if let handle = instance.handle { destroy?(handle) }
            instance.handle = nil
            instance.table.unregister()
            answer(frame.id, status: CROSSWALK_OK, .success(Data()))
        }
        instance.thread.stop()
    }

    private func functions(_ frame: WorkerFrame) {
        let calls = frame.meta["calls"]?.arrayValue ?? []
        let functions = library.functions
        functionThread.enqueue { [self] in
            let results: [JSONValue] = calls.map { call in
                let name = call["name"]?.stringValue ?? ""
                guard let f = functions[name] else {
                    return ["ok": false, "code": "not_found", "message": .string("\(library.info.id) has no function \(name)"), "function": .string(name)]
                }
                do { return ["ok": true, "value": try f.call(call["args"]?.arrayValue ?? [])] } catch let e as CrosswalkError {
                    return ["ok": false, "code": .string(e.code.rawValue), "message": .string(e.message), "function": .string(name)]
                } catch {
                    return ["ok": false, "code": "internal", "message": .string("\(error)"), "function": .string(name)]
                }
            }
            send(WorkerFrame(kind: .result, id: frame.id, meta: ["status": 0], body: JSONValue.object(["results": .array(results)]).data()))
        }
    }
}
