@preconcurrency import CrosswalkABI
import CrosswalkCore
import Foundation

/// Status codes of the ABI and the error codes of the rest of the host, both ways.
enum ABIStatus {
    static let table: [(crosswalk_status, CrosswalkError.Code)] = [
        (CROSSWALK_E_INVALID_ARGUMENT, .invalidArgument), (CROSSWALK_E_NOT_FOUND, .notFound), (CROSSWALK_E_AUTH, .auth),
        (CROSSWALK_E_UNSUPPORTED, .unsupported), (CROSSWALK_E_CONFLICT, .conflict), (CROSSWALK_E_INTERNAL, .internalError),
        (CROSSWALK_E_CANCELLED, .cancelled),
        (CROSSWALK_E_RATE_LIMITED, .rateLimited), (CROSSWALK_E_TIMEOUT, .timeout), (CROSSWALK_E_UNAVAILABLE, .unavailable),
    ]

    /// Whether the ABI names `status` (OK included).
    static func isKnown(_ status: crosswalk_status) -> Bool { status == CROSSWALK_OK || table.contains { $0.0 == status } }

    /// The error code for a status. Unknown statuses are internal errors, except that unknown
    /// statuses in 100..199 are retryable (ABI 1.1): they become `.unavailable`.
    static func code(for status: crosswalk_status) -> CrosswalkError.Code {
        if let known = table.first(where: { $0.0 == status })?.1 { return known }
        return (100..<200).contains(status) ? .unavailable : .internalError
    }

    /// The status for an error code; codes the ABI does not name map to their nearest kind.
    static func status(for code: CrosswalkError.Code) -> crosswalk_status {
        if let s = table.first(where: { $0.1 == code })?.0 { return s }
        switch code {
        case .config: return CROSSWALK_E_INVALID_ARGUMENT
        case .vault: return CROSSWALK_E_AUTH
        // The transport uses `.transport` for what retrying cannot fix (TLS, oversized answers).
        case .transport: return CROSSWALK_E_INTERNAL
        default: return CROSSWALK_E_INTERNAL
        }
    }
}

/// Buffers the host hands to plugins: malloc'd copies with a release that frees them.
enum ABIBuffers {
    /// Whether `out` is a buffer the host may fill (the caller set a large enough `struct_size`).
    static func fits(_ out: UnsafeMutablePointer<crosswalk_buffer_v1>?) -> Bool {
        guard let out else { return false }
        return Int(out.pointee.struct_size) >= MemoryLayout<crosswalk_buffer_v1>.size
    }

    static func give(_ data: Data, to out: UnsafeMutablePointer<crosswalk_buffer_v1>?) {
        guard let out, fits(out) else { return }
        let memory = malloc(max(data.count, 1))!
        data.withUnsafeBytes { if let b = $0.baseAddress { memcpy(memory, b, data.count) } }
        out.pointee.data = UnsafePointer(memory.assumingMemoryBound(to: CChar.self))
        out.pointee.len = data.count
        out.pointee.release = { b in
            guard let b else { return }
            free(UnsafeMutableRawPointer(mutating: b.pointee.data))
            b.pointee.data = nil
            b.pointee.len = 0
        }
    }

    static func giveError(_ error: CrosswalkError, to out: UnsafeMutablePointer<crosswalk_buffer_v1>?) {
        give(errorJSON(error), to: out)
    }

    /// The ABI's error document for `error`.
    static func errorJSON(_ error: CrosswalkError) -> Data {
        var o: [String: JSONValue] = ["version": 1, "code": .string(error.code.rawValue), "message": .string(error.message)]
        if let ms = error.retryAfterMilliseconds { o["retry_after_ms"] = .number(JSONNumber(ms)) }
        return JSONValue.object(o).data(sortedKeys: true)
    }

    /// Copies what a plugin put in `buffer`, then calls the plugin's release. No checks: for
    /// buffers the host trusts the size of (its own, or after ``take(_:max:)``'s checks).
    static func take(_ buffer: inout crosswalk_buffer_v1) -> Data {
        defer { if buffer.release != nil { buffer.release?(&buffer) } }
        guard let p = buffer.data, buffer.len > 0 else { return Data() }
        return Data(bytes: p, count: buffer.len)
    }

    /// Copies what a plugin put in `buffer` when it is well-formed and at most `max` bytes, and
    /// always calls the plugin's release.
    /// - Returns: the bytes, or what is wrong with the buffer (completing "<plugin>: <op> …").
    static func take(_ buffer: inout crosswalk_buffer_v1, max: Int) -> Result<Data, BufferProblem> {
        defer { if buffer.release != nil { buffer.release?(&buffer) } }
        if buffer.data == nil && buffer.len > 0 { return .failure(.nullData(length: buffer.len)) }
        if buffer.len > max { return .failure(.tooLarge(length: buffer.len, max: max)) }
        guard let p = buffer.data, buffer.len > 0 else { return .success(Data()) }
        return .success(Data(bytes: p, count: buffer.len))
    }

    static func empty() -> crosswalk_buffer_v1 {
        var b = crosswalk_buffer_v1()
        b.struct_size = UInt32(MemoryLayout<crosswalk_buffer_v1>.size)
        return b
    }
}

/// What can be wrong with a buffer a plugin hands back.
enum BufferProblem: Error, Sendable, Hashable {
    case nullData(length: Int)
    case tooLarge(length: Int, max: Int)

    /// Completes "<plugin>: <operation> …".
    var message: String {
        switch self {
        case .nullData(let length):
            return "answered a buffer with no data but a length of \(length) bytes (data == NULL, len > 0)"
        case .tooLarge(let length, let max):
            return "answered \(length) bytes, more than the \(max) bytes this host accepts (plugins.max_result_bytes)"
        }
    }
}

/// HTTP requests and responses across the boundary.
public enum ABIHTTP {
    /// Reads a plugin's request, never past its `struct_size`.
    static func request(from p: UnsafePointer<crosswalk_http_request_v1>) throws -> HTTPRequest {
        let size = Int(UnsafeRawPointer(p).load(as: UInt32.self))
        func covers(_ field: PartialKeyPath<crosswalk_http_request_v1>, _ width: Int) -> Bool {
            size >= MemoryLayout<crosswalk_http_request_v1>.offset(of: field)! + width
        }
        guard covers(\crosswalk_http_request_v1.body_len, MemoryLayout<Int>.size) else {
            throw CrosswalkError(.invalidArgument, "http request struct too small (\(size) bytes; set struct_size)")
        }
        var r = crosswalk_http_request_v1()
        withUnsafeMutableBytes(of: &r) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(start: p, count: min(size, MemoryLayout<crosswalk_http_request_v1>.size)))
        }
        guard let m = r.method, let u = r.url else { throw CrosswalkError(.invalidArgument, "http request needs a method and a url") }
        guard r.header_count == 0 || r.headers != nil else { throw CrosswalkError(.invalidArgument, "http request has header_count \(r.header_count) but no headers") }
        guard r.body_len == 0 || r.body != nil else { throw CrosswalkError(.invalidArgument, "http request has body_len \(r.body_len) but no body") }
        var headers = HTTPFields()
        for i in 0..<r.header_count {
            if let n = r.headers[i].name, let v = r.headers[i].value { headers.append(String(cString: n), String(cString: v)) }
        }
        // Credentials are the host's business: a plugin cannot choose them.
        headers["Authorization"] = nil
        let body = r.body.map { Data(bytes: $0, count: r.body_len) } ?? Data()
        let timeout = covers(\crosswalk_http_request_v1.timeout_ms, 4) ? r.timeout_ms : 0
        let flags = covers(\crosswalk_http_request_v1.flags, 4) ? r.flags : 0
        if flags & UInt32(CROSSWALK_HTTP_IDEMPOTENT) != 0 { headers[idempotentMarker] = "1" }
        return HTTPRequest(method: String(cString: m).uppercased(), url: String(cString: u), headers: headers, body: body,
                           timeoutMilliseconds: timeout == 0 ? nil : Int(timeout))
    }

    /// The header by which a plugin's `CROSSWALK_HTTP_IDEMPOTENT` flag reaches the host's HTTP
    /// service; the service removes it before sending.
    public static let idempotentMarker = "X-Crosswalk-Idempotent"

    /// Storage for one response handed to a plugin: freed by the response's `release`.
    final class ResponseStorage {
        var strings: [UnsafeMutablePointer<CChar>] = []
        var headers: UnsafeMutablePointer<crosswalk_header_v1>?
        var body: UnsafeMutableRawPointer?
        deinit {
            strings.forEach { free($0) }
            headers?.deallocate()
            free(body)
        }
    }

    /// Whether the plugin's response struct is large enough for the host to fill.
    static func fits(_ out: UnsafeMutablePointer<crosswalk_http_response_v1>) -> Bool {
        Int(out.pointee.struct_size) >= MemoryLayout<crosswalk_http_response_v1>.size
    }

    static func fill(_ out: UnsafeMutablePointer<crosswalk_http_response_v1>, from r: HTTPResponse) {
        let storage = ResponseStorage()
        let pairs = Array(r.headers)
        let headers = UnsafeMutablePointer<crosswalk_header_v1>.allocate(capacity: max(pairs.count, 1))
        for (i, h) in pairs.enumerated() {
            let n = strdup(h.name.lowercased())!, v = strdup(h.value)!
            storage.strings += [n, v]
            headers[i] = crosswalk_header_v1(name: n, value: v)
        }
        storage.headers = headers
        let body = malloc(max(r.body.count, 1))!
        r.body.withUnsafeBytes { if let b = $0.baseAddress { memcpy(body, b, r.body.count) } }
        storage.body = body
        out.pointee.status = Int32(r.status)
        out.pointee.headers = UnsafePointer(headers)
        out.pointee.header_count = pairs.count
        out.pointee.body = UnsafePointer(body.assumingMemoryBound(to: UInt8.self))
        out.pointee.body_len = r.body.count
        out.pointee.release_ctx = Unmanaged.passRetained(storage).toOpaque()
        out.pointee.release = { resp in
            guard let resp, let ctx = resp.pointee.release_ctx else { return }
            Unmanaged<ResponseStorage>.fromOpaque(ctx).release()
            resp.pointee.release_ctx = nil
            resp.pointee.release = nil
        }
    }
}
