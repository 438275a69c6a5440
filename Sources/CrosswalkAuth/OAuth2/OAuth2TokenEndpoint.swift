import CrosswalkCore
import Foundation

/// One OAuth 2.0 token endpoint and the client that talks to it: posts a grant, returns the token,
/// and turns refusals into `CrosswalkError`s that never repeat a secret.
public struct OAuth2TokenEndpoint: Sendable {
    public var url: String
    /// `nil` when the grant identifies the client itself (JWT bearer assertion).
    public var clientID: String?
    public var clientSecret: String?
    public var clientAuthentication: OAuth2Credentials.ClientAuthentication
    public var http: any HTTPClient
    public var now: @Sendable () -> Date

    public init(
        url: String, clientID: String?, clientSecret: String?,
        clientAuthentication: OAuth2Credentials.ClientAuthentication = .requestBody,
        http: any HTTPClient, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.url = url
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.clientAuthentication = clientAuthentication
        self.http = http
        self.now = now
    }

    /// Exchanges an authorization code (RFC 6749 §4.1.3, RFC 7636 §4.5).
    public func exchange(code: String, redirectURI: String?, codeVerifier: String?) async throws -> OAuth2Token {
        var form = [(name: "grant_type", value: "authorization_code"), (name: "code", value: code)]
        if let redirectURI { form.append((name: "redirect_uri", value: redirectURI)) }
        if let codeVerifier { form.append((name: "code_verifier", value: codeVerifier)) }
        return try await requestToken(form, secrets: [code] + [codeVerifier].compactMap { $0 })
    }

    /// Uses a refresh token (RFC 6749 §6).
    public func refresh(refreshToken: String) async throws -> OAuth2Token {
        try await requestToken([(name: "grant_type", value: "refresh_token"), (name: "refresh_token", value: refreshToken)],
                               secrets: [refreshToken])
    }

    /// Client credentials grant (RFC 6749 §4.4).
    public func clientCredentials(scopes: [String]) async throws -> OAuth2Token {
        var form = [(name: "grant_type", value: "client_credentials")]
        if !scopes.isEmpty { form.append((name: "scope", value: scopes.joined(separator: " "))) }
        return try await requestToken(form, secrets: [])
    }

    /// JWT bearer grant (RFC 7523 §2.1), as Salesforce's JWT flow uses it.
    public func jwtBearer(assertion: String) async throws -> OAuth2Token {
        try await requestToken([(name: "grant_type", value: "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                                (name: "assertion", value: assertion)], secrets: [assertion])
    }

    /// Client credentials with a JWT client assertion (RFC 7523 §2.2), as NetSuite's M2M flow uses it.
    public func clientAssertion(_ assertion: String) async throws -> OAuth2Token {
        try await requestToken([(name: "grant_type", value: "client_credentials"),
                                (name: "client_assertion_type", value: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                                (name: "client_assertion", value: assertion)], secrets: [assertion])
    }

    /// Posts `form` (plus client authentication) and parses the answer.
    /// - Parameter secrets: values in `form` that must not appear in an error message.
    func requestToken(_ form: [(name: String, value: String)], secrets: [String]) async throws -> OAuth2Token {
        var form = form
        var headers: HTTPFields = ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"]
        if let clientID {
            switch clientAuthentication {
            case .requestBody:
                form.append((name: "client_id", value: clientID))
                if let clientSecret { form.append((name: "client_secret", value: clientSecret)) }
            case .basic:
                // RFC 6749 §2.3.1: both parts form-encoded before Base64.
                let pair = NetSuiteTBASigner.percentEncode(clientID) + ":" + NetSuiteTBASigner.percentEncode(clientSecret ?? "")
                headers["Authorization"] = "Basic " + Data(pair.utf8).base64EncodedString()
            }
        }
        let request = HTTPRequest(method: "POST", url: url, headers: headers, body: Data(FormEncoding.encode(form).utf8))
        let sentAt = now()
        let response = try await http.send(request)
        guard (200..<300).contains(response.status) else {
            let hidden = secrets + [clientSecret, headers["Authorization"]].compactMap { $0 }
            throw TokenEndpointRefusal(response: response, url: url).error(hiding: hidden)
        }
        return try OAuth2Token.parse(json: response.body, receivedAt: sentAt)
    }
}

/// A token endpoint's non-2xx answer, read as RFC 6749 §5.2 `{error, error_description}` or
/// HubSpot's `{status, message}`.
struct TokenEndpointRefusal {
    var response: HTTPResponse
    var url: String

    func error(hiding secrets: [String]) -> CrosswalkError {
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        let code = object["error"] as? String ?? object["status"] as? String
        let detail = object["error_description"] as? String ?? object["message"] as? String
        var reason = [code, detail.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        if reason.isEmpty { reason = "HTTP \(response.status)" }
        // Secrets shorter than 4 characters cannot be told apart from ordinary words; none are that short in practice.
        for secret in secrets where secret.count >= 4 {
            reason = reason.replacingOccurrences(of: secret, with: "<redacted>")
        }
        let errorCode: CrosswalkError.Code = switch response.status {
        case 429: .rateLimited
        case 500...: .unavailable
        default: .auth
        }
        let advice = errorCode == .auth ? "; check the client credentials, or connect again if the grant was revoked" : ""
        let host = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        return CrosswalkError(errorCode, "the token endpoint refused the request: \(reason)\(advice)",
                              context: ["token_url": host, "status": String(response.status)])
    }
}
