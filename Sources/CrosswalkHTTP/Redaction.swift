import CrosswalkCore
import Foundation

/// Hides secrets in header lists and URLs before they reach a log, an error or a metric.
///
/// A name is secret when it is one of the well-known credential headers (`Authorization`,
/// `Proxy-Authorization`, `Cookie`, `Set-Cookie`, `X-Api-Key`) or when it contains `token`,
/// `secret`, `password`, `key` or `signature` in any case (`hapikey`, `access_token`,
/// `X-Signature`…). Its value becomes ``placeholder``.
public enum Redaction {
    /// What a secret value is replaced with.
    public static let placeholder = "[redacted]"

    private static let secretHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]
    private static let secretFragments = ["token", "secret", "password", "key", "signature"]

    /// Whether a header or query parameter called `name` carries a secret.
    public static func isSecret(name: String) -> Bool {
        let lower = name.lowercased()
        return secretHeaders.contains(lower) || secretFragments.contains { lower.contains($0) }
    }

    /// The headers with every secret value replaced.
    public static func headers(_ fields: HTTPFields) -> HTTPFields {
        HTTPFields(fields.pairs.map { (name: $0.name, value: isSecret(name: $0.name) ? placeholder : $0.value) })
    }

    /// The URL with user information and secret query values replaced; the rest is kept as written.
    ///
    /// `https://u:p@host/a?api_key=1&page=2` → `https://[redacted]@host/a?api_key=[redacted]&page=2`.
    public static func url(_ url: String) -> String {
        let (beforeFragment, fragment) = cut(Substring(url), at: "#")
        let (head, query) = cut(beforeFragment, at: "?")
        var result = String(redactUserInfo(head))
        if let query {
            result += "?" + query.split(separator: "&", omittingEmptySubsequences: false).map(redactParameter).joined(separator: "&")
        }
        if let fragment { result += "#" + fragment }
        return result
    }

    private static func redactParameter(_ pair: Substring) -> String {
        guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
        let name = pair[..<eq]
        let decoded = name.removingPercentEncoding ?? String(name)
        return isSecret(name: decoded) ? "\(name)=\(placeholder)" : String(pair)
    }

    private static func redactUserInfo(_ head: Substring) -> Substring {
        guard let scheme = head.range(of: "://") else { return head }
        let authorityStart = scheme.upperBound
        let authorityEnd = head[authorityStart...].firstIndex(of: "/") ?? head.endIndex
        guard let at = head[authorityStart..<authorityEnd].lastIndex(of: "@") else { return head }
        return head[..<authorityStart] + Substring(placeholder) + head[at...]
    }

    private static func cut(_ s: Substring, at separator: Character) -> (Substring, Substring?) {
        guard let i = s.firstIndex(of: separator) else { return (s, nil) }
        return (s[..<i], s[s.index(after: i)...])
    }
}
