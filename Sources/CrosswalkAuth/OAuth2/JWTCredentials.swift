import CrosswalkCore
import Foundation

/// A private key that mints signed assertions traded for access tokens (RFC 7523).
public struct JWTCredentials: Sendable, Hashable, Codable, SecretRedacting {
    /// How the assertion is presented at the token endpoint.
    public enum Use: String, Sendable, Codable {
        /// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=…` (Salesforce).
        case bearerGrant
        /// `grant_type=client_credentials&client_assertion_type=…&client_assertion=…` (NetSuite M2M).
        case clientAssertion
    }

    public var privateKeyPEM: String
    public var algorithm: JWTAlgorithm
    /// The `kid` header (NetSuite: the certificate id of the M2M mapping).
    public var keyID: String?
    /// `iss`: the consumer key / client id.
    public var issuer: String
    /// `sub`: the user name (Salesforce); `nil` for NetSuite.
    public var subject: String?
    /// `aud`: `https://login.salesforce.com`, or NetSuite's token URL.
    public var audience: String
    public var tokenURL: String
    /// The `scope` claim, verbatim (NetSuite: `rest_webservices`).
    public var scope: String?
    /// Seconds from `iat` to `exp`.
    public var lifetimeSeconds: Int
    public var use: Use
    /// The last access token minted; `nil` before the first.
    public var token: OAuth2Token?

    public init(
        privateKeyPEM: String, algorithm: JWTAlgorithm = .rs256, keyID: String? = nil, issuer: String, subject: String?,
        audience: String, tokenURL: String, scope: String? = nil, lifetimeSeconds: Int = 180,
        use: Use = .bearerGrant, token: OAuth2Token? = nil
    ) {
        self.privateKeyPEM = privateKeyPEM
        self.algorithm = algorithm
        self.keyID = keyID
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.tokenURL = tokenURL
        self.scope = scope
        self.lifetimeSeconds = lifetimeSeconds
        self.use = use
        self.token = token
    }

    /// A signed assertion valid from `now` for `lifetimeSeconds`.
    public func assertion(at now: Date) throws -> String {
        let iat = Int(now.timeIntervalSince1970)
        return try JWTSigner(privateKeyPEM: privateKeyPEM, algorithm: algorithm, keyID: keyID)
            .sign(JWTClaims(iss: issuer, sub: subject, aud: audience, iat: iat, exp: iat + lifetimeSeconds, scope: scope))
    }

    /// Mints an assertion and trades it for a token.
    public func fetchToken(http: any HTTPClient, now: @escaping @Sendable () -> Date = Date.init) async throws -> OAuth2Token {
        let endpoint = OAuth2TokenEndpoint(url: tokenURL, clientID: nil, clientSecret: nil, http: http, now: now)
        let signed = try assertion(at: now())
        return switch use {
        case .bearerGrant: try await endpoint.jwtBearer(assertion: signed)
        case .clientAssertion: try await endpoint.clientAssertion(signed)
        }
    }

    public var redactedFields: [RedactedField] {
        [.secret("privateKeyPEM", isSet: true), .visible("algorithm", algorithm.rawValue), .visible("keyID", keyID),
         .visible("issuer", issuer), .visible("subject", subject), .visible("audience", audience),
         .visible("tokenURL", tokenURL), .visible("token", token.map { String(describing: $0) })]
    }
}
