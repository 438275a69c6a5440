import CrosswalkCore
import Foundation
import Logging

/// An instance's host services inside a worker: each call is sent to the host as a `hostCall`
/// frame and the plugin's thread waits for the answer, or for the call to be cancelled.
/// Cancellation and sleeping are answered here, from the call's deadline and the host's `cancel`.
final class ForwardedHostServices: HostServiceBackend, @unchecked Sendable {
    let offered: HostServiceSet
    private let instance: UInt32
    private let minimumLevel: Logger.Level
    private unowned let server: WorkerServer
    /// The request id and cancellation of the call running on the instance's thread.
    private let current = LockedValue<(id: UInt64, cancellation: CallCancellation)?>(nil)

    init(server: WorkerServer, instance: UInt32, offered: HostServiceSet, minimumLevel: Logger.Level) {
        self.server = server
        self.instance = instance
        self.offered = offered
        self.minimumLevel = minimumLevel
    }

    func setCurrent(_ call: (id: UInt64, cancellation: CallCancellation)?) { current.withLock { $0 = call } }

    func log(_ level: Logger.Level, _ text: String) {
        guard level >= minimumLevel else { return }
        server.send(WorkerFrame(kind: .log, instance: instance, meta: ["level": .string(level.rawValue)], body: Data(text.utf8)))
    }

    private static let cancelled = CrosswalkError(.cancelled, "the call was cancelled")

    /// Sends one host call and waits for its answer.
    private func forward(_ meta: JSONValue, body: Data = Data()) -> Result<WorkerFrame, CrosswalkError> {
        let call = current.withLock { $0 }
        let cancellation = call?.cancellation ?? CallCancellation(deadline: nil)
        if cancellation.isCancelled { return .failure(Self.cancelled) }
        var m = meta.objectValue ?? [:]
        m["call"] = .number(JSONNumber(call?.id ?? 0))
        let waiter = CallCompletion<WorkerFrame>()
        let done = DispatchSemaphore(value: 0)
        let id = server.registerHostCall { frame in
            if waiter.complete(.success(frame)) { done.signal() }
        }
        let token = cancellation.onCancel {
            if waiter.complete(.failure(Self.cancelled)) { done.signal() }
        }
        if !server.send(WorkerFrame(kind: .hostCall, id: id, instance: instance, meta: .object(m), body: body)) {
            if waiter.complete(.failure(CrosswalkError(.unavailable, "the host is gone"))) { done.signal() }
        }
        done.wait()
        cancellation.remove(token)
        server.unregisterHostCall(id)
        return waiter.outcome!
    }

    func http(_ request: HTTPRequest) -> Result<HTTPResponse, CrosswalkError> {
        let (meta, body) = HostCallCodec.httpRequest(request, call: 0)
        return forward(meta, body: body).flatMap(HostCallCodec.httpResponse)
    }

    func stateGet(_ key: String) -> Result<Data?, CrosswalkError> {
        forward(["service": "state.get", "key": .string(key)]).flatMap { frame in
            if let e = HostCallCodec.failure(frame) { return .failure(Self.storeError(e)) }
            return .success(frame.meta["absent"]?.boolValue == true ? nil : frame.body)
        }
    }

    func statePut(_ key: String, _ value: Data) -> Result<Void, CrosswalkError> {
        forward(["service": "state.put", "key": .string(key)], body: value).flatMap { frame in
            HostCallCodec.failure(frame).map { .failure(Self.storeError($0)) } ?? .success(())
        }
    }

    func stateRemove(_ key: String) -> Result<Void, CrosswalkError> {
        forward(["service": "state.remove", "key": .string(key)]).flatMap { frame in
            HostCallCodec.failure(frame).map { .failure(Self.storeError($0)) } ?? .success(())
        }
    }

    private static func storeError(_ e: CrosswalkError) -> CrosswalkError {
        e.code == .cancelled ? e : CrosswalkError(.store, e.message)
    }

    func idmapLookup(_ request: Data) -> Result<Data, CrosswalkError> {
        forward(["service": "idmap"], body: request).flatMap { frame in
            HostCallCodec.failure(frame).map { .failure($0) } ?? .success(frame.body)
        }
    }

    func facts() -> Result<Data, CrosswalkError> {
        forward(["service": "facts"]).flatMap { frame in
            HostCallCodec.failure(frame).map { .failure($0) } ?? .success(frame.body)
        }
    }

    func isCancelled() -> Bool { current.withLock { $0 }?.cancellation.isCancelled ?? false }

    func sleep(milliseconds: UInt32) -> Bool {
        (current.withLock { $0 }?.cancellation ?? CallCancellation(deadline: nil)).sleep(milliseconds: milliseconds)
    }
}

extension CallCompletion {
    /// The result delivered, if any.
    var outcome: Result<T, CrosswalkError>? {
        switch peek() {
        case .success(let v)?: return .success(v)
        case .failure(let e as CrosswalkError)?: return .failure(e)
        case .failure(let e)?: return .failure(CrosswalkError(.internalError, "\(e)"))
        case nil: return nil
        }
    }
}
