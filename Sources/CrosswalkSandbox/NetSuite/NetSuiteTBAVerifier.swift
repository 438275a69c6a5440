import CrosswalkCore
import Crypto
import Foundation

/// Why a token-based login was refused (the answer is always the same 401; this is the audit trail's reason).
enum NetSuiteLoginFailure: String, Sendable, Equatable {
    case malformedHeader, realmMismatch, unsupportedSignatureMethod, unsupportedVersion, unknownConsumer, unknownToken
    case staleTimestamp, shortNonce, reusedNonce, bodyHashMismatch, badSignature
    /// The Token-Based Authentication (or OAuth 2.0) feature is off: the Login Audit Trail says "FeatureDisabled".
    case featureDisabled
}

/// Verifies NetSuite token-based authentication (OAuth 1.0a, HMAC-SHA256) per RFC 5849: the signature base string is
/// rebuilt from whatever `oauth_*` parameters arrived (so `oauth_body_hash` is covered), `realm` excluded, plus the
/// query parameters (and form fields for form-encoded bodies). Timestamps must be within `window` of now and a nonce
/// may be used once per token.
struct NetSuiteTBAVerifier: Sendable {
    var realm: String
    var consumers: [String: String]
    /// token id → (secret, consumer key it was issued to).
    var tokens: [String: (secret: String, consumer: String)]
    var window: TimeInterval = 300
    private var seenNonces: [String: Date] = [:]
    /// When the nonces older than twice the window were last dropped (at most once per window, not per request).
    private var prunedAt = Date.distantPast

    init(realm: String, consumers: [String: String], tokens: [String: (secret: String, consumer: String)]) {
        self.realm = realm
        self.consumers = consumers
        self.tokens = tokens
    }

    /// Checks the `Authorization: OAuth …` header of `request`.
    mutating func verify(_ request: SandboxRequest, now: Date) -> NetSuiteLoginFailure? {
        guard let header = request.headers["Authorization"], let params = Self.headerParameters(header) else { return .malformedHeader }
        let value = Dictionary(params, uniquingKeysWith: { first, _ in first })
        guard value["realm"] == realm else { return .realmMismatch }
        guard value["oauth_signature_method"] == "HMAC-SHA256" else { return .unsupportedSignatureMethod }
        if let version = value["oauth_version"], version != "1.0" { return .unsupportedVersion }
        guard let consumerKey = value["oauth_consumer_key"], let consumerSecret = consumers[consumerKey] else { return .unknownConsumer }
        guard let tokenId = value["oauth_token"], let token = tokens[tokenId], token.consumer == consumerKey else { return .unknownToken }
        guard let timestamp = value["oauth_timestamp"].flatMap(Double.init), abs(now.timeIntervalSince1970 - timestamp) <= window else {
            return .staleTimestamp
        }
        guard let nonce = value["oauth_nonce"], nonce.count >= 6 else { return .shortNonce }
        if let bodyHash = value["oauth_body_hash"], bodyHash != Data(Insecure.SHA1.hash(data: request.body)).base64EncodedString() {
            return .bodyHashMismatch
        }
        let base = Self.baseString(request, oauthParameters: params.filter { $0.0 != "realm" && $0.0 != "oauth_signature" })
        let key = Self.percentEncode(consumerSecret) + "&" + Self.percentEncode(token.secret)
        let expected = Data(HMAC<SHA256>.authenticationCode(for: Data(base.utf8), using: SymmetricKey(data: Data(key.utf8)))).base64EncodedString()
        guard let signature = value["oauth_signature"], Self.constantTimeEqual(signature, expected) else { return .badSignature }
        if now.timeIntervalSince(prunedAt) > window {
            seenNonces = seenNonces.filter { now.timeIntervalSince($0.value) <= 2 * window }
            prunedAt = now
        }
        let nonceKey = "\(tokenId)|\(nonce)"
        guard seenNonces[nonceKey] == nil else { return .reusedNonce }
        seenNonces[nonceKey] = now
        return nil
    }

    /// `METHOD&pct(base URI)&pct(sorted, encoded parameters)`.
    static func baseString(_ request: SandboxRequest, oauthParameters: [(String, String)]) -> String {
        var params = oauthParameters + request.query.map { ($0.name, $0.value) }
        if (request.headers["Content-Type"] ?? "").lowercased().hasPrefix("application/x-www-form-urlencoded") {
            params += request.formBody().map { ($0.name, $0.value) }
        }
        let encoded: [(name: String, value: String)] = params.map { (name: percentEncode($0.0), value: percentEncode($0.1)) }
        let sorted = encoded.sorted { a, b in a.name == b.name ? a.value < b.value : a.name < b.name }
        let normalized = sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        return request.method.uppercased() + "&" + percentEncode(baseURI(request)) + "&" + percentEncode(normalized)
    }

    /// Scheme and host in lower case, the port only when not the scheme's default, the path as sent, no query.
    static func baseURI(_ request: SandboxRequest) -> String {
        let components = URLComponents(string: request.baseURL)
        let scheme = (components?.scheme ?? "https").lowercased()
        var authority = (components?.host ?? "").lowercased()
        if let port = components?.port, !(scheme == "http" && port == 80) && !(scheme == "https" && port == 443) {
            authority += ":\(port)"
        }
        let pathAllowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/")
        let path = request.path.addingPercentEncoding(withAllowedCharacters: pathAllowed) ?? request.path
        return "\(scheme)://\(authority)\(path.isEmpty ? "/" : path)"
    }

    /// RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - . _ ~`, upper-case hex, UTF-8.
    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: out.append(Character(UnicodeScalar(byte)))
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// The parameters of an `OAuth k="v", …` header, names and values percent-decoded.
    static func headerParameters(_ header: String) -> [(String, String)]? {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("oauth ") else { return nil }
        var params: [(String, String)] = []
        for part in trimmed.dropFirst(6).split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { return nil }
            var raw = pair[1]
            if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") { raw = String(raw.dropFirst().dropLast()) }
            guard let name = pair[0].removingPercentEncoding, let value = raw.removingPercentEncoding else { return nil }
            params.append((name, value))
        }
        return params
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
