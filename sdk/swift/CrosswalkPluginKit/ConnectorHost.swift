import CrosswalkABI
import Foundation

/// The host's services as a connector sees them: logging, HTTP through the host, private state.
///
/// Valid until the instance is destroyed; use it only from inside the connector's methods.
public struct ConnectorHost: @unchecked Sendable {
    let table: UnsafePointer<crosswalk_host_v1>

    init(_ table: UnsafePointer<crosswalk_host_v1>) { self.table = table }

    /// Log levels.
    public enum Level: Int32, Sendable {
        case trace = 0, debug, info, warn, error
    }

    /// Writes a log line; the host adds plugin, connection, flow and run metadata.
    public func log(_ level: Level, _ message: String) {
        guard let log = table.pointee.log else { return }
        var text = message
        text.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { log(table, level.rawValue, $0.baseAddress, $0.count) }
        }
    }

    /// An HTTP response received through the host.
    public struct Response: Sendable {
        public var status: Int
        /// Header names are lower-case.
        public var headers: [String: String]
        public var body: Data
        /// The body decoded as JSON.
        public func json<T: Decodable>(_ type: T.Type) throws -> T {
            do { return try JSONValueDecoder().decode(T.self, from: body) } catch {
                throw ConnectorError(.internalError, "unexpected response body (HTTP \(status)): \(error)")
            }
        }
        /// The body as a JSON value.
        public var jsonValue: JSONValue? { try? JSONParser.parse(body) }
    }

    /// Sends a request through the host, which authenticates, retries and rate-limits it.
    ///
    /// - Parameters:
    ///   - method: `GET`, `POST`…
    ///   - url: an absolute URL or a path resolved against the connection's `base_url`.
    ///   - headers: extra headers (never `Authorization`: the host sets it).
    ///   - body: the request body.
    ///   - idempotent: the request may be repeated safely even though the method is not idempotent.
    /// - Returns: the response, whatever its status.
    /// - Throws: `ConnectorError` when no response arrived (timeout, refused, no credentials).
    public func http(_ method: String, _ url: String, headers: [String: String] = [:], body: Data = Data(),
                     idempotent: Bool = false, timeoutMilliseconds: UInt32 = 0) throws -> Response {
        guard let http = table.pointee.http else { throw ConnectorError(.unsupported, "host offers no HTTP service") }
        // Keep every C string alive for the duration of the call.
        let names: [String] = headers.keys.sorted()
        var texts: [String] = [method, url]
        for name in names { texts += [name, headers[name] ?? ""] }
        let cStrings: [UnsafeMutablePointer<CChar>?] = texts.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var cHeaders: [crosswalk_header_v1] = []
        for i in 0..<names.count {
            cHeaders.append(crosswalk_header_v1(name: cStrings[2 + 2 * i], value: cStrings[3 + 2 * i]))
        }
        var response = crosswalk_http_response_v1()
        response.struct_size = UInt32(MemoryLayout<crosswalk_http_response_v1>.size)
        var error = crosswalk_buffer_v1()
        error.struct_size = UInt32(MemoryLayout<crosswalk_buffer_v1>.size)
        let status: crosswalk_status = cHeaders.withUnsafeMutableBufferPointer { hp in
            body.withUnsafeBytes { bp in
                var request = crosswalk_http_request_v1(
                    struct_size: UInt32(MemoryLayout<crosswalk_http_request_v1>.size),
                    method: cStrings[0], url: cStrings[1],
                    headers: hp.baseAddress, header_count: hp.count,
                    body: bp.baseAddress?.assumingMemoryBound(to: UInt8.self), body_len: bp.count,
                    timeout_ms: timeoutMilliseconds, flags: idempotent ? UInt32(CROSSWALK_HTTP_IDEMPOTENT) : 0)
                return http(table, &request, &response, &error)
            }
        }
        guard status == CROSSWALK_OK else {
            let detail = Buffers.take(&error)
            let message = (try? JSONParser.parse(detail))?["message"]?.stringValue
            throw ConnectorError(ConnectorError.Code.from(status), message ?? "HTTP request failed (status \(status))")
        }
        defer { response.release?(&response) }
        var headerMap: [String: String] = [:]
        for i in 0..<response.header_count {
            let h = response.headers[i]
            if let n = h.name, let v = h.value { headerMap[String(cString: n).lowercased()] = String(cString: v) }
        }
        let bytes = response.body.map { Data(bytes: $0, count: response.body_len) } ?? Data()
        return Response(status: Int(response.status), headers: headerMap, body: bytes)
    }

    /// Whether the host cancelled the current call (`crosswalk.cancel/1`); `false` with a 1.0 host.
    /// A connector that sees `true` throws `ConnectorError(.cancelled, …)`.
    public var isCancelled: Bool {
        guard let ext = cancelExtension, let f = ext.pointee.is_cancelled else { return false }
        return f(table) != 0
    }

    /// Waits `milliseconds` (the app's own backoff); throws `.cancelled` at once if the host cancels
    /// the call meanwhile. With a 1.0 host it sleeps the thread.
    public func sleep(milliseconds: UInt32) throws {
        guard let ext = cancelExtension, let f = ext.pointee.sleep else {
            usleep(milliseconds * 1000)
            return
        }
        let status = f(table, milliseconds)
        guard status == CROSSWALK_OK else { throw ConnectorError(.from(status), "cancelled while waiting") }
    }

    private var cancelExtension: UnsafePointer<crosswalk_host_cancel_v1>? {
        guard let get = table.pointee.get_extension, let raw = get(table, CROSSWALK_EXT_CANCEL_V1) else { return nil }
        return raw.assumingMemoryBound(to: crosswalk_host_cancel_v1.self)
    }

    /// Non-secret facts about the connection (`crosswalk.connection/1`): base URL, the instance URL a
    /// token carries, account and user ids. `nil` with a 1.0 host. Read them when needed: they can
    /// change after a token refresh.
    public func connectionFacts() throws -> ConnectionFacts? {
        guard let get = table.pointee.get_extension, let raw = get(table, CROSSWALK_EXT_CONNECTION_V1) else { return nil }
        let ext = raw.assumingMemoryBound(to: crosswalk_host_connection_v1.self)
        var out = crosswalk_buffer_v1()
        out.struct_size = UInt32(MemoryLayout<crosswalk_buffer_v1>.size)
        let status = ext.pointee.facts?(table, &out) ?? CROSSWALK_E_UNSUPPORTED
        let data = Buffers.take(&out)
        guard status == CROSSWALK_OK else { throw ConnectorError(.from(status), "connection facts are not available") }
        return try JSONValueDecoder().decode(ConnectionFacts.self, from: data)
    }

    /// The instance's private key-value state (`crosswalk.state/1`), or `nil` if the host has none.
    public var state: State? {
        guard let get = table.pointee.get_extension,
              let raw = get(table, CROSSWALK_EXT_STATE_V1) else { return nil }
        return State(host: table, ext: raw.assumingMemoryBound(to: crosswalk_host_state_v1.self))
    }

    /// Durable key-value state kept by the host for this connection.
    public struct State: @unchecked Sendable {
        let host: UnsafePointer<crosswalk_host_v1>
        let ext: UnsafePointer<crosswalk_host_state_v1>

        /// The bytes stored under `key`, or `nil`.
        public func get(_ key: String) throws -> Data? {
            var out = crosswalk_buffer_v1()
            out.struct_size = UInt32(MemoryLayout<crosswalk_buffer_v1>.size)
            let status = ext.pointee.get?(host, key, &out) ?? CROSSWALK_E_UNSUPPORTED
            if status == CROSSWALK_E_NOT_FOUND { return nil }
            let data = Buffers.take(&out)
            guard status == CROSSWALK_OK else { throw ConnectorError(.from(status), "state get failed") }
            return data
        }

        /// Stores `value` under `key`.
        public func put(_ key: String, _ value: Data) throws {
            let status = value.withUnsafeBytes { bp in
                ext.pointee.put?(host, key, bp.baseAddress?.assumingMemoryBound(to: CChar.self), bp.count)
            } ?? CROSSWALK_E_UNSUPPORTED
            guard status == CROSSWALK_OK else { throw ConnectorError(.from(status), "state put failed") }
        }
    }
}

extension ConnectorError.Code {
    /// The code for an ABI status; unknown statuses are internal errors.
    static func from(_ status: crosswalk_status) -> ConnectorError.Code {
        if let known = [ConnectorError.Code.invalidArgument, .notFound, .auth, .unsupported, .conflict, .internalError, .cancelled,
                        .rateLimited, .timeout, .unavailable].first(where: { $0.status == status }) { return known }
        // Unknown statuses in 100..199 are retryable (1.1).
        return (100..<200).contains(status) ? .unavailable : .internalError
    }
}
