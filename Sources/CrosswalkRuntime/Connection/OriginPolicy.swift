import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkHTTP
import CrosswalkPlugins

/// Where a connection's plugin may send requests, and so where the connection's credentials go.
///
/// Every URL is checked as libcurl parses it (``CurlURL``), and the URL libcurl re-serialises is
/// the one sent, so the check and the wire cannot disagree:
/// - a path (`/services/data/…`) is appended to the token's instance URL when the connection's
///   token carries one (Salesforce `instance_url`), else to the `base_url` setting;
/// - an absolute URL must have the origin (scheme, host as libcurl connects to it, port with
///   defaults made explicit) of `base_url`, of the token's instance URL, or of one entry of the
///   `allowed_origins` setting. Host spellings that libcurl reads as the same host (`EXAMPLE.com`,
///   `ex%61mple.com`, `127.1`) are the same; a different spelling of an internationalised name,
///   or a trailing dot, is a different host (refused: never the other way round);
/// - user info in a URL (`https://base@evil.example/`) is refused: it is either a trick to move the
///   host or credentials the plugin must not hold;
/// - a credentialed request over plain `http` is refused unless the host is loopback
///   (`localhost`, 127.0.0.0/8, `::1`): credentials never cross a network in clear.
public struct OriginPolicy: Sendable {
    public let connection: String
    /// `base_url` without a trailing slash.
    public let base: String?
    /// Origins of `base_url` and `allowed_origins`.
    public let origins: Set<String>

    public init(connection: ConnectionConfig) {
        self.connection = connection.name
        base = connection.settings["base_url"]?.stringValue.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        var origins = Set<String>()
        if let base, let origin = Self.origin(base) { origins.insert(origin) }
        if case .array(let extra)? = connection.settings["allowed_origins"] {
            origins.formUnion(extra.compactMap { $0.stringValue.flatMap(Self.origin) })
        }
        self.origins = origins
    }

    /// `scheme://host:port` of an http(s) URL as libcurl reads it, or `nil`.
    public static func origin(_ url: String) -> String? {
        guard let parsed = try? CurlURL(url), ["http", "https"].contains(parsed.scheme), !parsed.host.isEmpty else { return nil }
        return parsed.origin
    }

    /// The URL to send for a plugin's `url`.
    /// - Parameters:
    ///   - instanceURL: the instance URL the connection's token carries, if any.
    ///   - credentialed: whether the host will add credentials to the request.
    /// - Returns: the URL as libcurl will send it.
    /// - Throws: `.invalidArgument` saying which rule refused it.
    public func resolve(_ url: String, instanceURL: String? = nil, credentialed: Bool) throws -> String {
        let context = ["connection": connection]
        let root = (instanceURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }) ?? base
        let absolute = Self.hasScheme(url)
        let candidate: String
        if absolute {
            candidate = url
        } else {
            guard let root, !root.isEmpty else {
                throw CrosswalkError(.invalidArgument, "the plugin asked for a path, but connection \(connection) has no base_url setting", context: context)
            }
            candidate = root + (url.hasPrefix("/") ? url : "/" + url)
        }
        let parsed: CurlURL
        do { parsed = try CurlURL(candidate) } catch var e as CrosswalkError {
            e.context.merge(context) { a, _ in a }
            throw e
        }
        guard ["http", "https"].contains(parsed.scheme) else {
            throw CrosswalkError(.invalidArgument, "the plugin asked for a \(parsed.scheme): URL; only http and https are sent", context: context)
        }
        guard parsed.user == nil, parsed.password == nil else {
            throw CrosswalkError(.invalidArgument, "the plugin asked for a URL with user info (\(parsed.host) with a name before '@'); it is never sent", context: context)
        }
        var allowed = origins
        if let instanceURL, let origin = Self.origin(instanceURL) { allowed.insert(origin) }
        guard allowed.contains(parsed.origin) else {
            throw CrosswalkError(.invalidArgument, "the plugin asked for \(parsed.origin), which is neither this connection's base_url, its instance URL nor in its allowed_origins; credentials are sent only there",
                                 context: context)
        }
        if credentialed, parsed.scheme == "http", !parsed.isLoopback {
            throw CrosswalkError(.invalidArgument, "plain http to \(parsed.host) is refused for a credentialed request (credentials would cross the network in clear); use https — http is allowed only on loopback (localhost, 127.0.0.0/8, ::1)",
                                 context: context)
        }
        return parsed.normalized
    }

    /// Whether `url` starts with an RFC 3986 scheme (`https:`, `HTTP:`, `ftp:`), so it is not a path.
    static func hasScheme(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":"), let first = url.first, first.isASCII, first.isLetter else { return false }
        return url[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
    }
}
