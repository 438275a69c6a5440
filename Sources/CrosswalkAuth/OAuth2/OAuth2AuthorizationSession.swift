import CrosswalkCore
import Foundation

/// One authorization-code round trip (RFC 6749 §4.1 with PKCE): the URL to send a person to, the
/// check of the `state` that comes back on the redirect, and the code exchange.
///
/// ```swift
/// let session = try OAuth2AuthorizationSession(credentials: registration)
/// openBrowser(session.authorizationURL)
/// let connected = try await session.complete(redirectURL: callbackURL, http: client)
/// try await vault.store(.oauth2(connected), name: "salesforce")
/// ```
public struct OAuth2AuthorizationSession: Sendable, SecretRedacting {
    public let credentials: OAuth2Credentials
    /// The anti-forgery value sent out and expected back.
    public let state: String
    /// `nil` when the server does not take PKCE.
    public let pkce: PKCE?
    /// Extra query parameters for the authorization URL (e.g. HubSpot's `optional_scope`, Salesforce's `prompt`).
    public let extraParameters: [(name: String, value: String)]

    /// - Parameters:
    ///   - state: a fixed state (tests); by default 24 random bytes.
    ///   - pkce: a fixed verifier (tests); by default a fresh one.
    /// - Throws: `CrosswalkError` `.config` when the credentials lack an authorization URL or redirect URI.
    public init(credentials: OAuth2Credentials, usePKCE: Bool = true,
                extraParameters: [(name: String, value: String)] = [],
                state: String? = nil, pkce: PKCE = .generate()) throws {
        guard credentials.authorizationURL != nil, credentials.redirectURI != nil else {
            throw CrosswalkError(.config, "an authorization-code connection needs both an authorization URL and a redirect URI",
                                 context: ["client_id": credentials.clientID])
        }
        self.credentials = credentials
        self.state = state ?? Base64URL.encode(randomBytes(24))
        self.pkce = usePKCE ? pkce : nil
        self.extraParameters = extraParameters
    }

    /// Where to send the person: `authorizationURL?response_type=code&client_id=…&redirect_uri=…&scope=…&state=…&code_challenge=…&code_challenge_method=S256`.
    public var authorizationURL: String {
        var query: [(name: String, value: String)] = [
            ("response_type", "code"), ("client_id", credentials.clientID), ("redirect_uri", credentials.redirectURI ?? ""),
        ]
        if !credentials.scopes.isEmpty { query.append(("scope", credentials.scopes.joined(separator: " "))) }
        query.append(("state", state))
        if let pkce { query += [("code_challenge", pkce.challenge), ("code_challenge_method", pkce.challengeMethod)] }
        let base = credentials.authorizationURL ?? ""
        return base + (base.contains("?") ? "&" : "?") + FormEncoding.encode(query + extraParameters)
    }

    /// Reads the code from the URL the browser was redirected to (any URL or just its query).
    /// - Throws: `CrosswalkError` `.auth` when the server sent an `error`, the `state` is missing or
    ///   different (a forged or stale redirect), or there is no code.
    public func authorizationCode(fromRedirect redirectURL: String) throws -> String {
        let query = redirectURL.firstIndex(of: "?").map { redirectURL[redirectURL.index(after: $0)...] } ?? Substring(redirectURL)
        let fields = Dictionary(FormEncoding.decode(query.split(separator: "#").first ?? ""), uniquingKeysWith: { first, _ in first })
        if let error = fields["error"] {
            let detail = fields["error_description"].map { " (\($0))" } ?? ""
            throw CrosswalkError(.auth, "authorization was refused: \(error)\(detail)", context: ["client_id": credentials.clientID])
        }
        guard let returned = fields["state"], Self.constantTimeEqual(returned, state) else {
            throw CrosswalkError(.auth, "the redirect's state does not match this authorization attempt; start the connection again",
                                 context: ["client_id": credentials.clientID])
        }
        guard let code = fields["code"], !code.isEmpty else {
            throw CrosswalkError(.auth, "the redirect carries no authorization code", context: ["client_id": credentials.clientID])
        }
        return code
    }

    /// Exchanges `code` and returns the credentials holding the new tokens.
    public func exchange(code: String, http: any HTTPClient, now: @escaping @Sendable () -> Date = Date.init) async throws -> OAuth2Credentials {
        var connected = credentials
        connected.token = try await credentials.tokenEndpoint(http: http, now: now)
            .exchange(code: code, redirectURI: credentials.redirectURI, codeVerifier: pkce?.verifier)
        return connected
    }

    /// `authorizationCode(fromRedirect:)` then `exchange(code:http:)`.
    public func complete(redirectURL: String, http: any HTTPClient) async throws -> OAuth2Credentials {
        try await exchange(code: try authorizationCode(fromRedirect: redirectURL), http: http)
    }

    public var redactedFields: [RedactedField] {
        [.visible("clientID", credentials.clientID), .secret("state", isSet: true), .secret("pkce", isSet: pkce != nil)]
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
