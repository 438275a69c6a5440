import CrosswalkCore
import Crypto
import Foundation
import Synchronization

/// The login host: `/services/oauth2/token|authorize|revoke|userinfo` and the identity URL `/id/{org}/{user}`.
extension SalesforceApp {
    static func oauthError(_ error: String, _ description: String, status: Int = 400) -> SandboxResponse {
        .json(status, ["error": error, "error_description": description])
    }

    /// The bearer token of a request (`Authorization: Bearer …`, or the older `OAuth …`).
    static func bearerToken(_ request: SandboxRequest) -> String? {
        guard let header = request.headers["Authorization"] else { return nil }
        for scheme in ["Bearer ", "OAuth "] where header.count > scheme.count && header.prefix(scheme.count).lowercased() == scheme.lowercased() {
            return String(header.dropFirst(scheme.count)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// `POST /services/oauth2/token` for every grant the org supports.
    func token(_ request: SandboxRequest) -> SandboxResponse {
        guard request.method == "POST" else { return Self.oauthError("invalid_request", "must use HTTP POST") }
        var form: [String: String] = [:]
        for pair in request.formBody() where form[pair.name] == nil { form[pair.name] = pair.value }
        let basic = Self.basicCredentials(request)
        let clientID = form["client_id"] ?? basic?.id
        let clientSecret = form["client_secret"] ?? basic?.secret
        let now = environment.now()

        switch form["grant_type"] {
        case "password":
            guard clientID == credentials.clientID else { return Self.oauthError("invalid_client_id", "client identifier invalid") }
            guard clientSecret == credentials.clientSecret else { return Self.oauthError("invalid_client", "invalid client credentials") }
            let password = form["password"] ?? ""
            guard form["username"]?.lowercased() == credentials.username.lowercased(),
                  password == credentials.password || password == credentials.password + credentials.securityToken else {
                return Self.oauthError("invalid_grant", "authentication failure")
            }
            return issue(request, grant: .init(userID: Self.apiUserID, clientID: credentials.clientID, scope: "api"), now: now, withRefresh: false)

        case "client_credentials":
            guard clientID == credentials.clientID, clientSecret == credentials.clientSecret else {
                return Self.oauthError("invalid_client", "invalid client credentials")
            }
            return issue(request, grant: .init(userID: Self.apiUserID, clientID: credentials.clientID, scope: "api"), now: now, withRefresh: false)

        case "authorization_code":
            return exchangeCode(request, form: form, clientID: clientID, clientSecret: clientSecret, now: now)

        case "refresh_token":
            guard let token = form["refresh_token"],
                  let grant = state.withLock({ $0.sessions.refresh[SalesforceSessions.digest(token)] }) else {
                return Self.oauthError("invalid_grant", "expired access/refresh token")
            }
            guard clientID == grant.clientID else { return Self.oauthError("invalid_client_id", "client identifier invalid") }
            if let clientSecret, clientSecret != credentials.clientSecret { return Self.oauthError("invalid_client", "invalid client credentials") }
            if rotatesRefreshTokens {
                // The used refresh token is spent, atomically: of two clients racing with it, one gets invalid_grant.
                guard state.withLock({ $0.sessions.refresh.removeValue(forKey: SalesforceSessions.digest(token)) }) != nil else {
                    return Self.oauthError("invalid_grant", "expired access/refresh token")
                }
                return issue(request, grant: grant, now: now, withRefresh: true)
            }
            return issue(request, grant: grant, now: now, withRefresh: false, refreshDigest: SalesforceSessions.digest(token))

        case "urn:ietf:params:oauth:grant-type:jwt-bearer":
            switch SalesforceJWT.verify(form["assertion"] ?? "", key: jwtKey, credentials: credentials, audiences: audiences(request), now: now) {
            case .failure(let failure):
                return Self.oauthError(failure.error, failure.description)
            case .success:
                return issue(request, grant: .init(userID: Self.apiUserID, clientID: credentials.clientID, scope: "api"), now: now, withRefresh: false)
            }

        case nil:
            return Self.oauthError("unsupported_grant_type", "grant type not supported")
        default:
            return Self.oauthError("unsupported_grant_type", "grant type not supported")
        }
    }

    /// JWT audiences accepted: the production and sandbox login hosts, and this sandbox's own URL.
    private func audiences(_ request: SandboxRequest) -> [String] {
        ["https://login.salesforce.com", "https://test.salesforce.com", request.baseURL]
    }

    private func exchangeCode(_ request: SandboxRequest, form: [String: String], clientID: String?, clientSecret: String?, now: Date) -> SandboxResponse {
        guard let code = form["code"] else { return Self.oauthError("invalid_grant", "invalid authorization code") }
        let pending = state.withLock { $0.sessions.codes.removeValue(forKey: code) }
        guard let pending, pending.expiresAt > now else { return Self.oauthError("invalid_grant", "expired authorization code") }
        guard clientID == pending.clientID else { return Self.oauthError("invalid_client_id", "client identifier invalid") }
        guard form["redirect_uri"] == pending.redirectURI else { return Self.oauthError("redirect_uri_mismatch", "redirect_uri must match configuration") }
        if let challenge = pending.challenge {
            guard let verifier = form["code_verifier"], Self.pkce(verifier, method: pending.challengeMethod) == challenge else {
                return Self.oauthError("invalid_grant", "invalid code verifier")
            }
            if let clientSecret, clientSecret != credentials.clientSecret { return Self.oauthError("invalid_client", "invalid client credentials") }
        } else if clientSecret != credentials.clientSecret {
            return Self.oauthError("invalid_client", "invalid client credentials")
        }
        return issue(request, grant: .init(userID: Self.apiUserID, clientID: pending.clientID, scope: pending.scope), now: now, withRefresh: true)
    }

    /// The PKCE challenge for `verifier` (`S256` or `plain`).
    static func pkce(_ verifier: String, method: String) -> String {
        guard method == "S256" else { return verifier }
        return Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func basicCredentials(_ request: SandboxRequest) -> (id: String, secret: String)? {
        guard let header = request.headers["Authorization"], header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]).removingPercentEncoding ?? "", String(text[text.index(after: colon)...]).removingPercentEncoding ?? "")
    }

    private func issue(_ request: SandboxRequest, grant: SalesforceSessions.Grant, now: Date, withRefresh: Bool,
                       refreshDigest: String? = nil) -> SandboxResponse {
        let tokens = state.withLock {
            $0.sessions.issue(grant, now: now, orgID: Self.organizationID, withRefresh: withRefresh, refreshDigest: refreshDigest)
        }
        let issuedAt = String(Int64(now.timeIntervalSince1970 * 1000))
        let identity = "\(request.baseURL)/id/\(Self.organizationID)/\(grant.userID)"
        let mac = HMAC<SHA256>.authenticationCode(for: Data((identity + issuedAt).utf8), using: SymmetricKey(data: Data(credentials.clientSecret.utf8)))
        var body: [String: Any] = [
            "access_token": tokens.access, "instance_url": request.baseURL, "id": identity, "token_type": "Bearer",
            "issued_at": issuedAt, "signature": Data(mac).base64EncodedString(), "scope": grant.scope,
        ]
        if let refresh = tokens.refresh { body["refresh_token"] = refresh }
        return .json(200, body, headers: ["Cache-Control": "no-cache,must-revalidate,max-age=0,no-store,private"])
    }

    /// `GET /services/oauth2/authorize`: approves at once as the API user and redirects back with a code.
    func authorize(_ request: SandboxRequest) -> SandboxResponse {
        let page = { (text: String) in SandboxResponse.text(400, "<html><body><p>\(text)</p></body></html>", contentType: "text/html;charset=UTF-8") }
        guard request.queryValue("client_id") == credentials.clientID else {
            return page("error=invalid_client_id&amp;error_description=client%20identifier%20invalid")
        }
        guard let redirect = request.queryValue("redirect_uri"), let redirectURL = URL(string: redirect), redirectURL.scheme != nil else {
            return page("error=redirect_uri_mismatch&amp;error_description=redirect_uri%20must%20match%20configuration")
        }
        var parameters: [(String, String)] = []
        if request.queryValue("response_type") == "code" {
            let code = "aPrx" + SalesforceSessions.random(60)
            let challenge = request.queryValue("code_challenge")
            let pending = SalesforceSessions.Code(
                clientID: credentials.clientID, redirectURI: redirect, challenge: challenge,
                challengeMethod: request.queryValue("code_challenge_method") ?? (challenge == nil ? "" : "plain"),
                scope: request.queryValue("scope").map { $0.split(separator: " ").joined(separator: " ") } ?? "api refresh_token",
                expiresAt: environment.now().addingTimeInterval(SalesforceSessions.codeLifetime))
            state.withLock { $0.sessions.codes[code] = pending }
            parameters.append(("code", code))
        } else {
            parameters += [("error", "unsupported_response_type"), ("error_description", "response type not supported")]
        }
        if let value = request.queryValue("state") { parameters.append(("state", value)) }
        let query = parameters.map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
        return .empty(302, headers: ["Location": redirect + (redirect.contains("?") ? "&" : "?") + query])
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// `POST /services/oauth2/revoke`: ends an access token, or a refresh token and its access tokens.
    func revoke(_ request: SandboxRequest) -> SandboxResponse {
        let token = request.formBody().first { $0.name == "token" }?.value ?? request.queryValue("token")
        guard let token else { return Self.oauthError("unsupported_token_type", "missing token") }
        let revoked = state.withLock { $0.sessions.revoke(token) }
        return revoked ? .empty(200) : Self.oauthError("invalid_token", "invalid token")
    }

    /// The API user as the identity URL and OpenID userinfo describe it.
    private func currentUser(_ request: SandboxRequest) -> (session: SalesforceSessions.Session, user: SalesforceRecord)? {
        guard let token = Self.bearerToken(request) else { return nil }
        let now = environment.now()
        return state.withLock { state in
            guard let session = state.sessions.session(token, now: now), let user = state.store.record(session.userID) else { return nil }
            return (session, user)
        }
    }

    /// `GET /id/{orgId}/{userId}`
    func identity(_ request: SandboxRequest) -> SandboxResponse {
        guard let (_, user) = currentUser(request) else { return .text(403, "Bad_OAuth_Token") }
        let parts = request.path.split(separator: "/")
        guard parts.count == 3, SalesforceID.normalize(String(parts[1])) == Self.organizationID,
              SalesforceID.normalize(String(parts[2])) == user.id else { return .text(403, "Bad_id") }
        let base = request.baseURL
        let version = Self.versions.last!
        return .json(200, [
            "id": "\(base)/id/\(Self.organizationID)/\(user.id)", "asserted_user": true, "user_id": user.id,
            "organization_id": Self.organizationID, "username": user["Username"].text ?? "", "nick_name": user["Alias"].text ?? "",
            "display_name": user["Name"].text ?? "", "email": user["Email"].text ?? "", "email_verified": true,
            "first_name": user["FirstName"].text ?? "", "last_name": user["LastName"].text ?? "", "timezone": "GMT",
            "active": true, "user_type": "STANDARD", "language": "en_US", "locale": "en_US", "utcOffset": 0,
            "last_modified_date": user["LastModifiedDate"].text ?? "", "is_app_installed": true,
            "urls": [
                "rest": "\(base)/services/data/v{version}/", "sobjects": "\(base)/services/data/v{version}/sobjects/",
                "query": "\(base)/services/data/v{version}/query/", "limits": "\(base)/services/data/v{version}/limits/",
                "profile": "\(base)/\(user.id)",
            ].mapValues { $0.replacingOccurrences(of: "{version}", with: version) },
        ])
    }

    /// `GET /services/oauth2/userinfo` (OpenID Connect).
    func userInfo(_ request: SandboxRequest) -> SandboxResponse {
        guard let (_, user) = currentUser(request) else { return .text(403, "Bad_OAuth_Token") }
        return .json(200, [
            "sub": "\(request.baseURL)/id/\(Self.organizationID)/\(user.id)", "user_id": user.id,
            "organization_id": Self.organizationID, "preferred_username": user["Username"].text ?? "",
            "nickname": user["Alias"].text ?? "", "name": user["Name"].text ?? "", "email": user["Email"].text ?? "",
            "email_verified": true, "given_name": user["FirstName"].text ?? "", "family_name": user["LastName"].text ?? "",
            "zoneinfo": "GMT", "active": true, "user_type": "STANDARD", "language": "en_US", "locale": "en_US",
            "utcOffset": 0, "updated_at": user["LastModifiedDate"].text ?? "",
        ])
    }
}
