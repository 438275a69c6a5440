import CrosswalkCore
import Crypto
import Foundation

/// OAuth 2.0 tokens and pending authorization codes.
struct NetSuiteOAuth2Store: Codable, Sendable {
    struct Code: Codable, Sendable {
        var redirectURI: String
        var codeChallenge: String?
        var expiresAt: Date
    }

    var accessTokens: [String: Date] = [:]
    var refreshTokens: Set<String> = []
    var codes: [String: Code] = [:]

    /// A JWT-shaped access token valid for an hour.
    mutating func issueAccessToken(now: Date, baseURL: String) -> String {
        let header = NetSuiteOAuth2.base64URL(Data(#"{"alg":"PS256","kid":"sandbox","typ":"JWT"}"#.utf8))
        let claims: [String: Any] = ["sub": "3;-5", "aud": ["\(NetSuiteDemoCredentials.clientId);\(NetSuiteDemoCredentials.accountId)"],
                                     "scope": ["rest_webservices"], "iss": "https://system.netsuite.com", "oit": Int(now.timeIntervalSince1970),
                                     "exp": Int(now.timeIntervalSince1970) + 3600, "iat": Int(now.timeIntervalSince1970),
                                     "jti": UUID().uuidString.lowercased()]
        let payload = NetSuiteOAuth2.base64URL((try? JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])) ?? Data())
        let token = "\(header).\(payload).\(NetSuiteOAuth2.base64URL(NetSuiteOAuth2.randomBytes(64)))"
        accessTokens[token] = now.addingTimeInterval(3600)
        return token
    }

    mutating func expireAll(now: Date) {
        for (token, expiry) in accessTokens where expiry > now { accessTokens[token] = now }
    }
}

/// The OAuth 2.0 endpoints: authorize (consent skipped), token (authorization_code, refresh_token,
/// client_credentials with an ES256 JWT assertion), and bearer checks.
enum NetSuiteOAuth2 {
    static let tokenPath = "/services/rest/auth/oauth2/v1/token"
    static let authorizePath = "/app/login/oauth2/authorize.nl"

    /// `GET /app/login/oauth2/authorize.nl` → 302 to `redirect_uri` with `code`, `state`, `role`, `entity`, `company`.
    static func authorize(_ state: inout NetSuiteState, _ request: SandboxRequest, now: Date) -> SandboxResponse {
        guard request.queryValue("client_id") == NetSuiteDemoCredentials.clientId, request.queryValue("response_type") == "code",
              let redirect = request.queryValue("redirect_uri"), var target = URLComponents(string: redirect), target.scheme != nil
        else { return oauthError("invalid_request", status: 400) }
        let scopes = Set((request.queryValue("scope") ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init))
        guard !scopes.isEmpty, scopes.isSubset(of: ["rest_webservices", "restlets", "suite_analytics"]) else {
            return oauthError("invalid_scope", status: 400)
        }
        let code = base64URL(randomBytes(32))
        state.oauth2.codes[code] = .init(redirectURI: redirect, codeChallenge: request.queryValue("code_challenge"), expiresAt: now.addingTimeInterval(600))
        var items = target.queryItems ?? []
        if let s = request.queryValue("state") { items.append(URLQueryItem(name: "state", value: s)) }
        items += [URLQueryItem(name: "role", value: "3"), URLQueryItem(name: "entity", value: "-5"),
                  URLQueryItem(name: "company", value: NetSuiteDemoCredentials.accountId), URLQueryItem(name: "code", value: code)]
        target.queryItems = items
        return .empty(302, headers: ["Location": target.string ?? redirect])
    }

    /// `POST /services/rest/auth/oauth2/v1/token` (form-encoded).
    static func token(_ state: inout NetSuiteState, _ request: SandboxRequest, now: Date) -> SandboxResponse {
        let form = Dictionary(request.formBody().map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        switch form["grant_type"] {
        case "client_credentials":
            guard form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                  let assertion = form["client_assertion"] else { return oauthError("invalid_request", status: 400) }
            if let failure = verifyAssertion(assertion, request: request, now: now) { return oauthError(failure, status: 400) }
            return tokenResponse(access: state.oauth2.issueAccessToken(now: now, baseURL: request.baseURL), refresh: nil)
        case "authorization_code":
            guard clientAuthenticated(request) else { return oauthError("invalid_client", status: 401) }
            guard let code = form["code"] else { return oauthError("invalid_request", status: 400) }
            if code != NetSuiteDemoCredentials.authorizationCode {
                guard let pending = state.oauth2.codes[code], pending.expiresAt > now, pending.redirectURI == form["redirect_uri"] else {
                    return oauthError("invalid_grant", status: 400)
                }
                if let challenge = pending.codeChallenge {
                    let verifier = form["code_verifier"] ?? ""
                    guard base64URL(Data(SHA256.hash(data: Data(verifier.utf8)))) == challenge else { return oauthError("invalid_grant", status: 400) }
                }
                state.oauth2.codes[code] = nil
            }
            let refresh = base64URL(randomBytes(48))
            state.oauth2.refreshTokens.insert(refresh)
            return tokenResponse(access: state.oauth2.issueAccessToken(now: now, baseURL: request.baseURL), refresh: refresh)
        case "refresh_token":
            guard clientAuthenticated(request) else { return oauthError("invalid_client", status: 401) }
            guard let refresh = form["refresh_token"], state.oauth2.refreshTokens.contains(refresh) else { return oauthError("invalid_grant", status: 400) }
            return tokenResponse(access: state.oauth2.issueAccessToken(now: now, baseURL: request.baseURL), refresh: nil)
        default:
            return oauthError("unsupported_grant_type", status: 400)
        }
    }

    /// Whether `Authorization: Bearer` carries a live access token.
    static func bearerValid(_ request: SandboxRequest, state: NetSuiteState, now: Date) -> Bool {
        guard let header = request.headers["Authorization"], header.lowercased().hasPrefix("bearer ") else { return false }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        return state.oauth2.accessTokens[token].map { $0 > now } ?? false
    }

    /// Checks a client assertion: ES256 over `header.payload` with the registered key, `kid` = certificate id,
    /// `iss` = client id, `aud` = the token endpoint, unexpired, lifetime ≤ 1 h, scope including `rest_webservices`.
    static func verifyAssertion(_ jwt: String, request: SandboxRequest, now: Date) -> String? {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let headerData = fromBase64URL(parts[0]), let payloadData = fromBase64URL(parts[1]),
              let signature = fromBase64URL(parts[2]),
              let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any],
              let claims = (try? JSONSerialization.jsonObject(with: payloadData)) as? [String: Any]
        else { return "invalid_request" }
        guard header["alg"] as? String == "ES256", header["kid"] as? String == NetSuiteDemoCredentials.certificateId,
              let key = try? P256.Signing.PrivateKey(pemRepresentation: NetSuiteDemoCredentials.clientAssertionPrivateKeyPEM).publicKey,
              let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature),
              key.isValidSignature(ecdsa, for: Data("\(parts[0]).\(parts[1])".utf8))
        else { return "invalid_client" }
        let audiences = (claims["aud"] as? [String]) ?? [(claims["aud"] as? String) ?? ""]
        let accepted = [request.baseURL + tokenPath,
                        "https://\(NetSuiteDemoCredentials.accountId.lowercased().replacingOccurrences(of: "_", with: "-")).suitetalk.api.netsuite.com\(tokenPath)"]
        guard claims["iss"] as? String == NetSuiteDemoCredentials.clientId, audiences.contains(where: accepted.contains) else { return "invalid_client" }
        guard let exp = (claims["exp"] as? NSNumber)?.doubleValue, let iat = (claims["iat"] as? NSNumber)?.doubleValue,
              exp > now.timeIntervalSince1970, exp - iat <= 3600, iat <= now.timeIntervalSince1970 + 300 else { return "invalid_grant" }
        let scopes: [String] = (claims["scope"] as? [String])
            ?? ((claims["scope"] as? String) ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        guard scopes.contains("rest_webservices") else { return "invalid_scope" }
        return nil
    }

    private static func clientAuthenticated(_ request: SandboxRequest) -> Bool {
        guard let header = request.headers["Authorization"], header.lowercased().hasPrefix("basic "),
              let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)) else { return false }
        return String(decoding: decoded, as: UTF8.self) == "\(NetSuiteDemoCredentials.clientId):\(NetSuiteDemoCredentials.clientSecret)"
    }

    private static func tokenResponse(access: String, refresh: String?) -> SandboxResponse {
        var body: [String: Any] = ["access_token": access, "expires_in": "3600", "token_type": "bearer"]
        if let refresh { body["refresh_token"] = refresh }
        return .json(200, body)
    }

    static func oauthError(_ error: String, status: Int) -> SandboxResponse { .json(status, ["error": error]) }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func fromBase64URL(_ text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }

    static func randomBytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
