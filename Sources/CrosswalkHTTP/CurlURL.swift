import CCurl
import CrosswalkCore

/// A URL as libcurl parses it (its URL API, `curl_url`), so a check on the URL sees exactly the
/// scheme, host and port libcurl will connect to: host percent-decoding, numeric IPv4 forms
/// (`127.1`, `2130706433`, `0x7f.0.0.1` → `127.0.0.1`), IPv6 compression, default ports, dot
/// segments removed from the path, user info split off.
///
/// ```swift
/// let url = try CurlURL("https://example.com@evil.example/")
/// url.host      // "evil.example"
/// url.user      // "example.com"
/// ```
public struct CurlURL: Sendable, Hashable {
    /// Lower-case scheme (`https`).
    public var scheme: String
    /// The host as libcurl connects to it, IPv6 in brackets (`[::1]`); ASCII letters lower-cased.
    public var host: String
    /// The port, the scheme's default when the URL gives none.
    public var port: Int
    /// User name of the URL's user info, when it has one.
    public var user: String?
    /// Password of the URL's user info, when it has one.
    public var password: String?
    /// The path with dot segments removed (`/a/../b` → `/b`).
    public var path: String
    /// The whole URL as libcurl would send it.
    public var normalized: String

    /// Parses `text` with libcurl.
    /// - Throws: `.invalidArgument` naming libcurl's reason when libcurl would refuse the URL.
    public init(_ text: String) throws {
        _ = curlGlobalInitForURLs
        guard let handle = curl_url() else { throw CrosswalkError(.internalError, "libcurl could not make a URL handle") }
        defer { curl_url_cleanup(handle) }
        let rc = curl_url_set(handle, CURLUPART_URL, text, UInt32(CURLU_NON_SUPPORT_SCHEME))
        guard rc == CURLUE_OK else {
            throw CrosswalkError(.invalidArgument, "not a URL libcurl accepts (\(String(cString: curl_url_strerror(rc))))",
                                 context: ["url": Redaction.url(text)])
        }
        func part(_ which: CURLUPart, _ flags: Int32 = 0) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, which, &value, UInt32(flags)) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        scheme = (part(CURLUPART_SCHEME) ?? "").lowercased()
        host = Self.lowercasedASCII(part(CURLUPART_HOST) ?? "")
        port = part(CURLUPART_PORT, CURLU_DEFAULT_PORT).flatMap { Int($0) } ?? 0
        user = part(CURLUPART_USER)
        password = part(CURLUPART_PASSWORD)
        path = part(CURLUPART_PATH) ?? "/"
        normalized = part(CURLUPART_URL) ?? text
    }

    /// `scheme://host:port`, default port included.
    public var origin: String { "\(scheme)://\(host):\(port)" }

    /// Whether libcurl would connect to this machine's loopback: `localhost` (libcurl resolves it
    /// to loopback without DNS), 127.0.0.0/8, or `::1`.
    public var isLoopback: Bool {
        if host == "localhost" { return true }
        if host.hasPrefix("[") && host.hasSuffix("]") { return host == "[::1]" }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ $0.allSatisfy(\.isNumber) && UInt8($0) != nil }) else { return false }
        return parts[0] == "127"
    }

    /// ASCII letters lower-cased; other bytes (an internationalised name) kept as they are, so two
    /// spellings compare equal only when libcurl would send the same bytes.
    static func lowercasedASCII(_ text: String) -> String {
        String(decoding: text.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }
}

/// `curl_global_init` before the URL API is used (it also runs the IDN setup).
private let curlGlobalInitForURLs: Void = { _ = ccurl_global_init() }()
