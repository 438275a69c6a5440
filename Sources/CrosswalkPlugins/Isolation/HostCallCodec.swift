import CrosswalkConnectors
import CrosswalkCore
import Foundation

/// Host-service calls a worker forwards to the host, and their answers, as frames.
///
/// Request meta: `{"service":"http"|"state.get"|"state.put"|"state.remove"|"idmap"|"facts",
/// "call":<the plugin call's id>, …}` with the service's bytes (HTTP body, state value, ID-map
/// request) as the body. Answer meta: `{"ok":true,…}` with the result bytes, or
/// `{"ok":false,"code":…,"message":…,"retry_after_ms":…}`.
enum HostCallCodec {
    // MARK: worker side

    static func httpRequest(_ r: HTTPRequest, call: UInt64) -> (JSONValue, Data) {
        var meta: [String: JSONValue] = ["service": "http", "call": .number(JSONNumber(call)), "method": .string(r.method), "url": .string(r.url),
                                         "headers": .array(r.headers.map { .array([.string($0.name), .string($0.value)]) })]
        if let t = r.timeoutMilliseconds { meta["timeout_ms"] = .number(JSONNumber(t)) }
        return (.object(meta), r.body)
    }

    static func httpResponse(_ frame: WorkerFrame) -> Result<HTTPResponse, CrosswalkError> {
        failure(frame).map { .failure($0) } ?? .success(HTTPResponse(status: frame.meta["status"]?.intValue ?? 0,
                                                                    headers: fields(frame.meta["headers"]), body: frame.body))
    }

    /// The error an answer carries, if it is one.
    static func failure(_ frame: WorkerFrame) -> CrosswalkError? {
        guard frame.meta["ok"]?.boolValue != true else { return nil }
        return CrosswalkError(CrosswalkError.Code(frame.meta["code"]?.stringValue ?? "internal"), frame.meta["message"]?.stringValue ?? "the host call failed",
                              retryAfterMilliseconds: frame.meta["retry_after_ms"]?.intValue)
    }

    private static func fields(_ value: JSONValue?) -> HTTPFields {
        HTTPFields((value?.arrayValue ?? []).compactMap { pair in
            guard let n = pair[0]?.stringValue, let v = pair[1]?.stringValue else { return nil }
            return (name: n, value: v)
        })
    }

    // MARK: host side

    /// The answer frame for `id`.
    static func reply(to id: UInt64, _ result: Result<(JSONValue, Data), CrosswalkError>) -> WorkerFrame {
        switch result {
        case .success(let (meta, body)):
            var m = meta.objectValue ?? [:]
            m["ok"] = true
            return WorkerFrame(kind: .hostReply, id: id, meta: .object(m), body: body)
        case .failure(let e):
            var m: [String: JSONValue] = ["ok": false, "code": .string(e.code.rawValue), "message": .string(e.message)]
            if let ms = e.retryAfterMilliseconds { m["retry_after_ms"] = .number(JSONNumber(ms)) }
            return WorkerFrame(kind: .hostReply, id: id, meta: .object(m))
        }
    }

    /// Runs one forwarded host call with the instance's services and answers it.
    static func serve(_ frame: WorkerFrame, services: HostServices, connection: String) async -> WorkerFrame {
        func unsupported(_ what: String) -> CrosswalkError { CrosswalkError(.unsupported, "no \(what) for connection \(connection)") }
        let meta = frame.meta
        let result: Result<(JSONValue, Data), CrosswalkError>
        do {
            switch meta["service"]?.stringValue {
            case "http":
                guard let send = services.http else { throw CrosswalkError(.unsupported, "no connection: HTTP is not available here") }
                let request = HTTPRequest(method: meta["method"]?.stringValue ?? "GET", url: meta["url"]?.stringValue ?? "",
                                          headers: fields(meta["headers"]), body: frame.body, timeoutMilliseconds: meta["timeout_ms"]?.intValue)
                let r = try await send(request)
                result = .success((["status": .number(JSONNumber(r.status)),
                                    "headers": .array(r.headers.map { .array([.string($0.name), .string($0.value)]) })], r.body))
            case "state.get":
                guard let state = services.state else { throw unsupported("state") }
                if let value = try await state.get(meta["key"]?.stringValue ?? "") {
                    result = .success(([:], value))
                } else {
                    result = .success((["absent": true], Data()))
                }
            case "state.put":
                guard let state = services.state else { throw unsupported("state") }
                try await state.put(meta["key"]?.stringValue ?? "", frame.body)
                result = .success(([:], Data()))
            case "state.remove":
                guard let state = services.state else { throw unsupported("state") }
                try await state.remove(meta["key"]?.stringValue ?? "")
                result = .success(([:], Data()))
            case "idmap":
                guard let lookup = services.idmap else { throw unsupported("ID map") }
                result = .success(([:], try await lookup(frame.body)))
            case "facts":
                guard let facts = services.facts else { throw unsupported("connection facts") }
                result = .success(([:], try JSONValueEncoder().encode(try await facts())))
            default:
                throw CrosswalkError(.invalidArgument, "unknown host service \(meta["service"]?.stringValue ?? "(none)")")
            }
        } catch let e as CrosswalkError {
            result = .failure(e)
        } catch is CancellationError {
            result = .failure(CrosswalkError(.cancelled, "the call was cancelled"))
        } catch {
            result = .failure(CrosswalkError(.internalError, "\(error)"))
        }
        return reply(to: frame.id, result)
    }
}
