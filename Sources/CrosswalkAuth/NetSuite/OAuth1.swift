// OAuth 1.0a signing maths (RFC 5849) as NetSuite Token-Based Authentication verifies it.
// This file depends only on Foundation and Crypto so the sandbox can compile the same maths
// into its verifier: keep it that way.
import Crypto
import Foundation

/// Pure functions for OAuth 1.0a request signatures (RFC 5849), shared by the client-side
/// `NetSuiteTBAAuthenticator` and any server that verifies the same signatures.
///
/// ```swift
/// let base = NetSuiteTBASigner.signatureBaseString(method: "GET", url: url, oauthParameters: params)!
/// let sig = NetSuiteTBASigner.signature(baseString: base, consumerSecret: cs, tokenSecret: ts)
/// ```
public enum NetSuiteTBASigner {
    /// The `oauth_signature_method` values this signer computes. NetSuite accepts only HMAC-SHA256;
    /// HMAC-SHA1 is here for Mautic 2.x-era servers and the RFC's own examples.
    public enum SignatureMethod: String, Sendable, Codable, CaseIterable {
        case hmacSHA256 = "HMAC-SHA256"
        case hmacSHA1 = "HMAC-SHA1"
    }

    /// Percent-encodes per RFC 5849 §3.6: every byte of the UTF-8 form except `A-Z a-z 0-9 - . _ ~`
    /// becomes `%XX` with upper-case hex digits.
    public static func percentEncode(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// Decodes `application/x-www-form-urlencoded` text (a query string or a form body) into
    /// name/value pairs: `+` is a space, `%XX` is a byte, a name without `=` has an empty value.
    public static func formDecode(_ text: Substring) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = pieces.count > 1 ? pieces[1] : ""
            return (name: decodeComponent(pieces[0]), value: decodeComponent(value))
        }
    }

    /// The base string URI (RFC 5849 §3.4.1.2): lower-case scheme and host, the port only when it is
    /// not the scheme's default, the path as sent, no query and no fragment. `nil` when `url` is not
    /// an absolute `http` or `https` URL.
    public static func baseStringURI(_ url: String) -> String? {
        guard let parts = URLParts(url) else { return nil }
        var uri = parts.scheme + "://" + parts.host
        if let port = parts.port, port != (parts.scheme == "https" ? 443 : 80) { uri += ":\(port)" }
        return uri + (parts.path.isEmpty ? "/" : parts.path)
    }

    /// The query parameters of `url`, decoded, in order.
    public static func queryParameters(_ url: String) -> [(name: String, value: String)] {
        URLParts(url).map { formDecode($0.query) } ?? []
    }

    /// Normalised parameters (RFC 5849 §3.4.1.3.2): encode each name and value, sort by encoded name
    /// then encoded value, join `name=value` with `&`.
    public static func normalizedParameters(_ parameters: [(name: String, value: String)]) -> String {
        let encoded: [(name: String, value: String)] = parameters.map { (percentEncode($0.name), percentEncode($0.value)) }
        let sorted = encoded.sorted { (a, b) -> Bool in a.name == b.name ? a.value < b.value : a.name < b.name }
        return sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    /// The signature base string (RFC 5849 §3.4.1): `METHOD&pct(base URI)&pct(normalised params)`.
    ///
    /// - Parameters:
    ///   - method: the HTTP method; upper-cased here.
    ///   - url: the absolute request URL; its query parameters are included.
    ///   - oauthParameters: the protocol parameters as sent (any `oauth_*`, e.g. `oauth_body_hash`);
    ///     `realm` and `oauth_signature` are left out as the RFC requires.
    ///   - formParameters: the decoded body parameters, only for `application/x-www-form-urlencoded` bodies.
    /// - Returns: the base string, or `nil` when `url` is not an absolute http(s) URL.
    public static func signatureBaseString(
        method: String,
        url: String,
        oauthParameters: [String: String],
        formParameters: [(name: String, value: String)] = []
    ) -> String? {
        guard let uri = baseStringURI(url) else { return nil }
        let protocolParameters = oauthParameters
            .filter { $0.key != "realm" && $0.key != "oauth_signature" }
            .map { (name: $0.key, value: $0.value) }
        let all = queryParameters(url) + formParameters + protocolParameters
        return [method.uppercased(), percentEncode(uri), percentEncode(normalizedParameters(all))].joined(separator: "&")
    }

    /// The signature (RFC 5849 §3.4.2): Base64 of the HMAC of `baseString` keyed with
    /// `pct(consumerSecret)&pct(tokenSecret)`. Not yet percent-encoded for the header.
    public static func signature(
        baseString: String,
        consumerSecret: String,
        tokenSecret: String,
        method: SignatureMethod = .hmacSHA256
    ) -> String {
        let key = SymmetricKey(data: Data((percentEncode(consumerSecret) + "&" + percentEncode(tokenSecret)).utf8))
        let message = Data(baseString.utf8)
        switch method {
        case .hmacSHA256:
            return Data(HMAC<SHA256>.authenticationCode(for: message, using: key)).base64EncodedString()
        case .hmacSHA1:
            return Data(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key)).base64EncodedString()
        }
    }

    /// The `Authorization` header value: `OAuth realm="…", oauth_consumer_key="…", …`, with `realm`
    /// first (unencoded, as NetSuite sends it), then the usual order of the standard parameters,
    /// then any other parameter by name. Values are percent-encoded.
    public static func authorizationHeader(realm: String?, parameters: [String: String]) -> String {
        let order = ["oauth_consumer_key", "oauth_token", "oauth_signature_method", "oauth_timestamp",
                     "oauth_nonce", "oauth_version", "oauth_body_hash", "oauth_signature"]
        let known = order.compactMap { name in parameters[name].map { (name, $0) } }
        let others = parameters.filter { !order.contains($0.key) && $0.key != "realm" }.sorted { $0.key < $1.key }
        var fields = realm.map { ["realm=\"\($0)\""] } ?? []
        fields += (known + others.map { ($0.key, $0.value) }).map { "\($0.0)=\"\(percentEncode($0.1))\"" }
        return "OAuth " + fields.joined(separator: ", ")
    }

    /// Parses an `Authorization: OAuth …` header value into decoded parameters (including `realm`).
    /// `nil` when the value is not an OAuth header or a field is malformed.
    public static func parseAuthorizationHeader(_ value: String) -> [String: String]? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count > 6, trimmed.prefix(6).lowercased() == "oauth " else { return nil }
        var result: [String: String] = [:]
        for field in trimmed.dropFirst(6).split(separator: ",") {
            let pair = field.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            let name = pair[0].trimmingCharacters(in: .whitespacesAndNewlines)
            var raw = pair[1].trimmingCharacters(in: .whitespacesAndNewlines)
            guard raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") else { return nil }
            raw = String(raw.dropFirst().dropLast())
            result[name] = raw.removingPercentEncoding ?? raw
        }
        return result
    }

    /// A fresh nonce: 24 random alphanumeric characters (NetSuite wants at least 6, unique per timestamp).
    public static func makeNonce() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// `oauth_timestamp` for `date`: whole seconds since 1970 as decimal digits.
    public static func timestamp(_ date: Date) -> String {
        String(Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    private static func decodeComponent(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

/// The pieces of an absolute http(s) URL that signing needs, split by hand so the result does not
/// depend on how a platform's URL parser treats unusual characters.
private struct URLParts {
    var scheme: String
    var host: String
    var port: Int?
    var path: Substring
    var query: Substring

    init?(_ url: String) {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var rest = url[schemeEnd.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let afterAuthority = rest[authorityEnd...]
        let queryStart = afterAuthority.firstIndex(of: "?")
        path = afterAuthority[..<(queryStart ?? afterAuthority.endIndex)]
        query = queryStart.map { afterAuthority[afterAuthority.index(after: $0)...] } ?? ""
        // A port follows the last ':' unless that colon sits inside an IPv6 literal.
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = number
            authority = authority[..<colon]
        }
        guard !authority.isEmpty else { return nil }
        host = authority.lowercased()
    }
}
