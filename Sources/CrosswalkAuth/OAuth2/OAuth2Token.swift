import CrosswalkCore
import Foundation

/// A token endpoint's answer (RFC 6749 §5.1, with Salesforce's `instance_url`, `issued_at`, `id`).
public struct OAuth2Token: Sendable, Hashable, Codable, SecretRedacting {
    public var accessToken: String
    /// As the server spelled it (`Bearer`, `bearer`); requests always send `Bearer` (RFC 6750).
    public var tokenType: String
    /// `nil` when the server did not send one; a refresh that returns none keeps the old one.
    public var refreshToken: String?
    /// When the access token stops working; `nil` when the server did not say (Salesforce).
    public var expiresAt: Date?
    public var scope: String?
    /// Salesforce: the org's data host, e.g. `https://acme.my.salesforce.com`.
    public var instanceURL: String?
    /// Salesforce: when the token was issued (`issued_at`, epoch milliseconds on the wire).
    public var issuedAt: Date?
    /// Salesforce: the identity URL (`id`).
    public var identityURL: String?

    public init(
        accessToken: String, tokenType: String = "Bearer", refreshToken: String? = nil, expiresAt: Date? = nil,
        scope: String? = nil, instanceURL: String? = nil, issuedAt: Date? = nil, identityURL: String? = nil
    ) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.scope = scope
        self.instanceURL = instanceURL
        self.issuedAt = issuedAt
        self.identityURL = identityURL
    }

    /// Whether the token expires within `skew` of `now` (never, when the expiry is unknown).
    public func expires(within skew: TimeInterval, of now: Date) -> Bool {
        expiresAt.map { $0.timeIntervalSince(now) <= skew } ?? false
    }

    /// This token updated by a refresh answer: fields the answer omits (a refresh token that was
    /// not rotated, Salesforce's instance URL) are kept.
    public func updated(by newer: OAuth2Token) -> OAuth2Token {
        var merged = newer
        merged.refreshToken = newer.refreshToken ?? refreshToken
        merged.instanceURL = newer.instanceURL ?? instanceURL
        merged.identityURL = newer.identityURL ?? identityURL
        return merged
    }

    public var redactedFields: [RedactedField] {
        [.secret("accessToken", isSet: true), .visible("tokenType", tokenType),
         .secret("refreshToken", isSet: refreshToken != nil),
         .visible("expiresAt", expiresAt.map { ISO8601DateFormatter().string(from: $0) }),
         .visible("scope", scope), .visible("instanceURL", instanceURL)]
    }
}

extension OAuth2Token {
    /// Parses a token endpoint's JSON success body. Numbers may arrive as JSON numbers or strings.
    /// - Throws: `CrosswalkError` `.auth` when the body is not JSON or carries no `access_token`.
    public static func parse(json body: Data, receivedAt now: Date) throws -> OAuth2Token {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw CrosswalkError(.auth, "the token endpoint answered with something that is not a JSON object")
        }
        guard let access = object["access_token"] as? String, !access.isEmpty else {
            throw CrosswalkError(.auth, "the token endpoint's answer has no access_token")
        }
        let expiresIn = number(object["expires_in"])
        let issuedAtMilliseconds = number(object["issued_at"])
        return OAuth2Token(
            accessToken: access,
            tokenType: object["token_type"] as? String ?? "Bearer",
            refreshToken: (object["refresh_token"] as? String).flatMap { $0.isEmpty ? nil : $0 },
            expiresAt: expiresIn.map { now.addingTimeInterval($0) },
            scope: object["scope"] as? String,
            instanceURL: object["instance_url"] as? String,
            issuedAt: issuedAtMilliseconds.map { Date(timeIntervalSince1970: $0 / 1000) },
            identityURL: object["id"] as? String
        )
    }

    /// A JSON number, or a string holding one.
    static func number(_ value: Any?) -> Double? {
        if let text = value as? String { return Double(text.trimmingCharacters(in: .whitespaces)) }
        return (value as? NSNumber)?.doubleValue
    }
}
