import CrosswalkCore
import Foundation

/// Basic auth, OAuth 2 bearer tokens (header or `?access_token=`), and FOSOAuthServer's `/oauth/v2/token` and
/// `/oauth/v2/authorize`. Failures carry the messages FOSOAuthServer produces, rewritten by Mautic's API
/// subscriber into `{"errors":[{message, code, type}]}`.
extension AriticStore {
    struct Denied: Error {
        var response: SandboxResponse
    }

    private func denied(_ code: Int, _ message: String, _ type: String) -> Denied {
        Denied(response: AriticWire.authError(code, message, type: type))
    }

    /// The API user behind the request.
    func authenticate(_ request: SandboxRequest, now: Date) -> Result<Int, Denied> {
        let header = request.headers["Authorization"] ?? ""
        if header.lowercased().hasPrefix("basic ") {
            let encoded = header.dropFirst("basic ".count).trimmingCharacters(in: .whitespaces)
            let decoded = Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } ?? ""
            guard decoded == "\(credentials.username):\(credentials.password)" else {
                return .failure(denied(401, "API authorization denied.", "access_denied"))
            }
            return .success(1)
        }
        var token: String?
        if header.lowercased().hasPrefix("bearer ") {
            token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        } else if let query = request.queryValue("access_token") {
            token = query
        }
        guard let token, !token.isEmpty else {
            return .failure(denied(401, "API authorization denied.", "access_denied"))
        }
        guard let grant = state.accessTokens[token] else {
            return .failure(denied(401, "The access token provided is invalid.", "invalid_grant"))
        }
        guard grant.expiresAt > now else {
            return .failure(denied(401, "The access token provided has expired.", "invalid_grant"))
        }
        return .success(grant.userId)
    }

    /// `POST|GET /oauth/v2/token` with `grant_type` = `client_credentials` | `authorization_code` | `refresh_token`.
    func token(_ call: AriticCall) -> SandboxResponse {
        var params = call.query
        if call.request.method == "POST", let body = AriticWire.parameters(call.request) as? [String: Any] {
            params.merge(body) { _, posted in posted }
        }
        let value = { (name: String) in AriticWire.text(params[name]) ?? "" }
        var clientId = value("client_id"), clientSecret = value("client_secret")
        if clientId.isEmpty, let basic = call.request.headers["Authorization"], basic.lowercased().hasPrefix("basic "),
           let data = Data(base64Encoded: basic.dropFirst(6).trimmingCharacters(in: .whitespaces)) {
            let pair = String(decoding: data, as: UTF8.self).split(separator: ":", maxSplits: 1).map(String.init)
            clientId = pair.first?.removingPercentEncoding ?? ""
            clientSecret = pair.count > 1 ? pair[1].removingPercentEncoding ?? "" : ""
        }
        let grantType = value("grant_type")
        guard ["client_credentials", "authorization_code", "refresh_token"].contains(grantType) else {
            if grantType.isEmpty { return denied(400, "Invalid grant_type parameter or parameter missing", "invalid_request").response }
            return denied(400, "Invalid grant_type parameter or parameter missing", "unsupported_grant_type").response
        }
        guard clientId == credentials.clientId, clientSecret == credentials.clientSecret else {
            return denied(400, "The client credentials are invalid", "invalid_client").response
        }
        var userId = 1
        var issueRefresh = true
        switch grantType {
        case "client_credentials":
            issueRefresh = false
        case "authorization_code":
            guard let code = state.authCodes.removeValue(forKey: value("code")) else {
                return denied(400, "Code doesn't exist or is invalid for the client", "invalid_grant").response
            }
            guard code.expiresAt > call.now else { return denied(400, "The authorization code has expired", "invalid_grant").response }
            guard value("redirect_uri").isEmpty || value("redirect_uri") == code.redirectURI else {
                return denied(400, "The redirect URI is missing or do not match", "redirect_uri_mismatch").response
            }
            userId = code.userId
        default:
            guard let grant = state.refreshTokens.removeValue(forKey: value("refresh_token")) else {
                return denied(400, "Invalid refresh token", "invalid_grant").response
            }
            guard grant.expiresAt > call.now else { return denied(400, "Refresh token has expired", "invalid_grant").response }
            userId = grant.userId
        }
        let access = AriticTokens.random()
        state.accessTokens[access] = AriticGrant(userId: userId, expiresAt: call.now.addingTimeInterval(credentials.accessTokenLifetime))
        var body = AriticObject([("access_token", access), ("expires_in", Int(credentials.accessTokenLifetime)),
                                 ("token_type", "bearer"), ("scope", NSNull())])
        if issueRefresh {
            let refresh = AriticTokens.random()
            state.refreshTokens[refresh] = AriticGrant(userId: userId, expiresAt: call.now.addingTimeInterval(credentials.refreshTokenLifetime))
            body["refresh_token"] = refresh
        }
        var response = AriticJSON.response(200, body)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        return response
    }

    /// `GET /oauth/v2/authorize?client_id&redirect_uri&response_type=code&state`: the emulator approves at once
    /// (as if the admin had logged in and pressed Accept) and redirects with `code` and `state`.
    func authorize(_ call: AriticCall) -> SandboxResponse {
        let value = { (name: String) in AriticWire.text(call.query[name]) ?? "" }
        guard value("client_id") == credentials.clientId else {
            return denied(400, "Unknown client", "invalid_client").response
        }
        let redirect = value("redirect_uri")
        guard !redirect.isEmpty, credentials.redirectURIs.contains(where: { redirect.hasPrefix($0) }) else {
            return denied(400, "The redirect URI is missing or do not match", "redirect_uri_mismatch").response
        }
        guard value("response_type") == "code" else {
            return denied(400, "Invalid response type.", "unsupported_response_type").response
        }
        let code = AriticTokens.random()
        state.authCodes[code] = AriticAuthCode(redirectURI: redirect, userId: 1, expiresAt: call.now.addingTimeInterval(30))
        var components = URLComponents(string: redirect)
        var items = components?.queryItems ?? []
        items.append(URLQueryItem(name: "code", value: code))
        if !value("state").isEmpty { items.append(URLQueryItem(name: "state", value: value("state"))) }
        components?.queryItems = items
        return .empty(302, headers: ["Location": components?.string ?? redirect])
    }
}

enum AriticTokens {
    /// A random token in FOSOAuthServer's style (base64url, 86 characters).
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<64).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
