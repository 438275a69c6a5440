import CrosswalkCore
import Crypto
import Foundation

/// Who made an API call: the private app or an OAuth installation.
enum HubSpotIdentity: Sendable, Equatable {
    case privateApp
    case oauth
}

extension HubSpotState {
    /// Checks `Authorization: Bearer …` and answers HubSpot's 401 bodies for missing, unknown and expired tokens.
    func authenticate(_ request: SandboxRequest, now: Date) throws(HubSpotError) -> HubSpotIdentity {
        let header = request.headers["Authorization"] ?? ""
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw Self.credentialsNotFound }
        let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
        if token == HubSpotDemoCredentials.privateAppToken {
            guard !portal.privateAppRevoked else { throw Self.credentialsNotFound }
            return .privateApp
        }
        guard let issued = tokens.access[token] else { throw Self.credentialsNotFound }
        guard issued.expiresAt > now else {
            let ago = max(0, Int(now.timeIntervalSince(issued.expiresAt)))
            var error = HubSpotError(httpStatus: 401, category: "EXPIRED_AUTHENTICATION",
                                     message: "The OAuth token used to make this call expired \(ago) second(s) ago.")
            error.context = ["expire time": [HubSpotAuth.javaDate(issued.expiresAt)]]
            throw error
        }
        return .oauth
    }

    static let credentialsNotFound = HubSpotError(
        httpStatus: 401, category: "INVALID_AUTHENTICATION",
        message: "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview")
}

/// The OAuth endpoints: authorize (consent skipped), token, token info.
enum HubSpotAuth {
    /// `GET /oauth/authorize` redirects straight back with a code, as if the user had consented.
    static func authorize(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let request = call.request
        guard request.queryValue("client_id") == HubSpotDemoCredentials.clientId else {
            throw HubSpotError(httpStatus: 400, category: "VALIDATION_ERROR", message: "Unknown client_id: the app is not registered in this portal.")
        }
        guard let redirect = request.queryValue("redirect_uri"), let url = URLComponents(string: redirect), url.scheme != nil,
              call.configuration.accepts(redirectURI: redirect)
        else { throw .validation("redirect_uri is missing or does not match the app's redirect URLs.") }
        let code = "na1-" + HubSpotTokenStore.randomToken(bytes: 24)
        let challenge = request.queryValue("code_challenge")
        if challenge != nil, (request.queryValue("code_challenge_method") ?? "S256") != "S256" {
            throw .validation("code_challenge_method must be S256.")
        }
        state.tokens.codes[code] = HubSpotAuthorizationCode(code: code, redirectURI: redirect, expiresAt: call.now.addingTimeInterval(600),
                                                            codeChallenge: challenge)
        var target = url
        var items = target.queryItems ?? []
        items.append(URLQueryItem(name: "code", value: code))
        if let s = request.queryValue("state") { items.append(URLQueryItem(name: "state", value: s)) }
        target.queryItems = items
        return .empty(302, headers: ["Location": target.string ?? redirect])
    }

    /// `POST /oauth/v1/token` for `authorization_code` and `refresh_token`.
    static func token(_ state: inout HubSpotState, _ call: inout HubSpotCall) -> SandboxResponse {
        let form = Dictionary(call.request.formBody().map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let grant = form["grant_type"] ?? ""
        guard grant == "authorization_code" || grant == "refresh_token" else {
            return oauthError("BAD_GRANT_TYPE", "missing or unknown grant type", "unsupported_grant_type")
        }
        guard form["client_id"] == HubSpotDemoCredentials.clientId else {
            return oauthError("BAD_CLIENT_ID", "missing or unknown client id", "invalid_client")
        }
        guard form["client_secret"] == HubSpotDemoCredentials.clientSecret else {
            return oauthError("BAD_CLIENT_SECRET", "missing or invalid client secret", "invalid_client")
        }
        let issued: HubSpotAccessToken
        if grant == "authorization_code" {
            let code = form["code"] ?? ""
            if code == HubSpotDemoCredentials.authorizationCode {
                guard let redirect = form["redirect_uri"], call.configuration.accepts(redirectURI: redirect) else {
                    return oauthError("BAD_REDIRECT_URI", "redirect_uri does not match the app's redirect URLs", "invalid_grant")
                }
            } else {
                guard let pending = state.tokens.codes[code], pending.expiresAt > call.now else {
                    return oauthError("BAD_AUTH_CODE", "missing or unknown auth code", "invalid_grant")
                }
                guard form["redirect_uri"] == pending.redirectURI else {
                    return oauthError("BAD_REDIRECT_URI", "redirect_uri does not match the one used to authorize", "invalid_grant")
                }
                if let challenge = pending.codeChallenge {
                    guard let verifier = form["code_verifier"], pkceChallenge(verifier) == challenge else {
                        return oauthError("BAD_AUTH_CODE", "code_verifier does not match the code_challenge", "invalid_grant")
                    }
                }
                state.tokens.codes[code] = nil
            }
            issued = state.tokens.issue(refreshToken: nil, lifetime: call.configuration.accessTokenLifetime, now: call.now)
        } else {
            guard let refresh = form["refresh_token"], state.tokens.refresh[refresh] != nil else {
                return oauthError("BAD_REFRESH_TOKEN", "missing or unknown refresh token", "invalid_grant")
            }
            issued = state.tokens.issue(refreshToken: refresh, lifetime: call.configuration.accessTokenLifetime, now: call.now)
        }
        return HubSpotJSONWriter.response(200, [
            "token_type": "bearer", "access_token": issued.token, "refresh_token": issued.refreshToken,
            "expires_in": Int(call.configuration.accessTokenLifetime), "hub_id": HubSpotDemoCredentials.portalId,
            "user_id": HubSpotDemoCredentials.userId, "scopes": HubSpotDemoCredentials.scopes, "token_use": "access_token",
        ])
    }

    /// `GET /oauth/v1/access-tokens/{token}`.
    static func accessTokenInfo(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let token = call.parameters["token"] ?? ""
        let expiresAt: Date
        if token == HubSpotDemoCredentials.privateAppToken {
            expiresAt = call.now.addingTimeInterval(365 * 86_400)
        } else {
            guard let issued = state.tokens.access[token], issued.expiresAt > call.now else {
                throw HubSpotError(httpStatus: 404, category: "OBJECT_NOT_FOUND", message: "Token not found or expired.")
            }
            expiresAt = issued.expiresAt
        }
        return HubSpotJSONWriter.response(200, [
            "token": token, "user": "demo.user@example.com", "hub_domain": "crosswalk-demo.example.com",
            "scopes": HubSpotDemoCredentials.scopes, "hub_id": HubSpotDemoCredentials.portalId, "app_id": HubSpotDemoCredentials.appId,
            "expires_in": max(0, Int(expiresAt.timeIntervalSince(call.now))), "user_id": HubSpotDemoCredentials.userId, "token_type": "access",
        ])
    }

    /// `GET` and `DELETE /oauth/v1/refresh-tokens/{token}`.
    static func refreshTokenInfo(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let token = call.parameters["token"] ?? ""
        guard let refresh = state.tokens.refresh[token] else {
            throw HubSpotError(httpStatus: 404, category: "OBJECT_NOT_FOUND", message: "Refresh token not found.")
        }
        if call.request.method == "DELETE" {
            state.tokens.refresh[token] = nil
            state.tokens.access = state.tokens.access.filter { $0.value.refreshToken != token }
            return .empty(204)
        }
        return HubSpotJSONWriter.response(200, [
            "token": refresh.token, "user": "demo.user@example.com", "hub_domain": "crosswalk-demo.example.com",
            "scopes": HubSpotDemoCredentials.scopes, "hub_id": HubSpotDemoCredentials.portalId, "client_id": refresh.clientId,
            "user_id": HubSpotDemoCredentials.userId, "token_type": "refresh",
        ])
    }

    /// HubSpot's OAuth error body: `{"status":"BAD_…","message":…,"correlationId":…,"error":…,"error_description":…}`.
    static func oauthError(_ status: String, _ message: String, _ error: String) -> SandboxResponse {
        HubSpotJSONWriter.response(400, ["status": status, "message": message, "correlationId": UUID().uuidString.lowercased(),
                    "error": error, "error_description": message])
    }

    /// PKCE S256: base64url(SHA-256(verifier)) without padding.
    static func pkceChallenge(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A date as Java's `Date.toString()` prints it (`Mon Jul 17 21:54:27 UTC 2023`), as HubSpot's expiry context shows.
    static func javaDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let clock = String(format: "%02d %02d:%02d:%02d", Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return "\(days[Int(parts.tm_wday)]) \(months[Int(parts.tm_mon)]) \(clock) UTC \(Int(parts.tm_year) + 1900)"
    }
}
