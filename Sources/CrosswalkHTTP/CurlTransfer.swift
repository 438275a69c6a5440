import CCurl
import CrosswalkCore
import Foundation
import Synchronization

/// One request in flight: its easy-handle options, the callbacks' buffers and the continuation.
///
/// Threading: `continuation` is set before the transfer is handed to the loop (the inbox lock
/// orders the two); everything else but `cancelled` is touched only by the loop thread.
final class CurlTransfer: @unchecked Sendable {
    let request: HTTPRequest
    let maxResponseBytes: Int
    var continuation: CheckedContinuation<HTTPResponse, any Error>?
    /// Set from any thread when the awaiting task is cancelled.
    let cancelled = Atomic<Bool>(false)

    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    private var headers = HTTPFields()
    private var body = Data()
    fileprivate var exceededLimit = false

    init(request: HTTPRequest, maxResponseBytes: Int) {
        self.request = request
        self.maxResponseBytes = maxResponseBytes
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Sets every option of `handle` for this request. Returns a libcurl error for an option libcurl refused.
    func configure(_ handle: UnsafeMutableRawPointer, _ config: CurlTransportConfiguration) -> CURLcode {
        let user = Unmanaged.passUnretained(self).toOpaque()
        let timeout = request.timeoutMilliseconds ?? config.requestTimeout.roundedUpMilliseconds
        var results: [CURLcode] = [
            ccurl_easy_setopt_string(handle, CURLOPT_URL, request.url),
            ccurl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"),
            ccurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            ccurl_easy_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody),
            ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, user),
            ccurl_easy_setopt_callback(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader),
            ccurl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, user),
            ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
            ccurl_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""),
            ccurl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS)),
            ccurl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, config.connectTimeout.roundedUpMilliseconds),
            ccurl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, timeout)),
            ccurl_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1),
            ccurl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1),
            ccurl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2),
        ]
        if let ca = config.caBundlePath { results.append(ccurl_easy_setopt_string(handle, CURLOPT_CAINFO, ca)) }
        results += configureMethodAndBody(handle)
        headerList = makeHeaderList(userAgent: config.userAgent)
        results.append(ccurl_easy_setopt_pointer(handle, CURLOPT_HTTPHEADER, headerList))
        return results.first { $0 != CURLE_OK } ?? CURLE_OK
    }

    private func configureMethodAndBody(_ handle: UnsafeMutableRawPointer) -> [CURLcode] {
        let method = request.method.uppercased()
        if method == "GET" && request.body.isEmpty { return [ccurl_easy_setopt_long(handle, CURLOPT_HTTPGET, 1)] }
        if method == "HEAD" { return [ccurl_easy_setopt_long(handle, CURLOPT_NOBODY, 1)] }
        var results = [ccurl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))]
        // COPYPOSTFIELDS copies the bytes, so the Data need not outlive this call.
        results.append(request.body.isEmpty
            ? ccurl_easy_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
            : request.body.withUnsafeBytes { ccurl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) })
        if method != "POST" { results.append(ccurl_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)) }
        return results
    }

    private func makeHeaderList(userAgent: String) -> UnsafeMutablePointer<curl_slist>? {
        var lines = request.headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        if request.headers["User-Agent"] == nil { lines.append("User-Agent: \(userAgent)") }
        // libcurl would otherwise add a form Content-Type to bodies and wait for 100-continue on large ones.
        if request.headers["Content-Type"] == nil { lines.append("Content-Type:") }
        lines.append("Expect:")
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines { list = curl_slist_append(list, line) }
        return list
    }

    /// The response of a transfer libcurl finished with `code`, or the error it maps to.
    func result(of handle: UnsafeMutableRawPointer, code: CURLcode) -> Result<HTTPResponse, any Error> {
        if exceededLimit { return .failure(CrosswalkError.responseTooLarge(limit: maxResponseBytes, url: request.url)) }
        guard code == CURLE_OK else {
            return .failure(CrosswalkError.curl(code, detail: String(cString: errorBuffer), url: request.url))
        }
        var status = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        if headers["Content-Encoding"] != nil {
            // libcurl already decoded the body; the encoding headers no longer describe it.
            headers["Content-Encoding"] = nil
            headers["Content-Length"] = nil
        }
        return .success(HTTPResponse(status: status, headers: headers, body: body))
    }

    fileprivate func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= maxResponseBytes else { exceededLimit = true; return false }
        body.append(contentsOf: bytes)
        return true
    }

    fileprivate func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            headers = HTTPFields()  // a new response block (after 100-continue or a redirect)
        } else if let colon = line.firstIndex(of: ":") {
            headers.append(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }
}

private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    guard let data, let user else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
    let length = size * count
    return transfer.appendBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    guard let data, let user else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
    let length = size * count
    transfer.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    return length
}
