import CrosswalkCore
import Crypto
import Foundation

/// Bearer tokens: `POST /api/users/apitoken` (API key), `POST /api/auth/token` (login / refresh) and the check
/// every other route makes. Tokens are HS256 JWTs, but validity is decided by the issued-token registry, so
/// `expireAccessTokens()` can expire them all at once.
extension SpotioStore {
    /// The user id behind the request's bearer token, or the 401 ASP.NET's JWT handler would send.
    func authenticate(_ request: SandboxRequest, now: Date) -> Result<String, SpotioRejection> {
        guard let header = request.headers["Authorization"], header.lowercased().hasPrefix("bearer ") else {
            return .failure(SpotioRejection(response: SpotioWire.unauthorized(nil)))
        }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard let grant = state.accessTokens[token] else {
            return .failure(SpotioRejection(response: SpotioWire.unauthorized("The signature is invalid")))
        }
        guard grant.expiresAt > now else {
            return .failure(SpotioRejection(response: SpotioWire.unauthorized("The token expired at '\(SpotioWire.date(grant.expiresAt))'")))
        }
        guard state.users[grant.userId] != nil else {
            return .failure(SpotioRejection(response: SpotioWire.unauthorized("The token's user no longer exists")))
        }
        return .success(grant.userId)
    }

    /// `POST /api/users/apitoken {clientId, secret, impersonatedUserId?}` → `{accessToken}`.
    func mintApiToken(_ call: SpotioCall) -> SandboxResponse {
        let body: [String: Any]
        switch SpotioWire.jsonObject(call.request) {
        case let .success(object): body = object
        case let .failure(error): return error.response
        }
        guard let clientId = body.spotioString("clientId"), !clientId.isEmpty,
              let secret = body.spotioString("secret"), !secret.isEmpty else {
            return SpotioWire.error(400, field: "clientId", "clientId and secret are required.")
        }
        guard clientId == credentials.clientId, secret == credentials.secret else {
            return .empty(401)
        }
        var userId = adminUserId
        if let impersonated = body.spotioString("impersonatedUserId") {
            guard state.users[impersonated] != nil else {
                return SpotioWire.error(404, field: "impersonatedUserId", "User '\(impersonated)' was not found.")
            }
            userId = impersonated
        }
        let token = issueAccessToken(userId: userId, now: call.now)
        return .json(200, ["accessToken": token])
    }

    /// `POST /api/auth/token`: `{email, password}` logs in, `{refreshToken}` refreshes (the refresh token rotates).
    func login(_ call: SpotioCall) -> SandboxResponse {
        let body: [String: Any]
        switch SpotioWire.jsonObject(call.request) {
        case let .success(object): body = object
        case let .failure(error): return error.response
        }
        let userId: String
        if let refresh = body.spotioString("refreshToken"), !refresh.isEmpty {
            guard let grant = state.refreshTokens.removeValue(forKey: refresh), grant.expiresAt > call.now,
                  state.users[grant.userId] != nil else { return .empty(401) }
            userId = grant.userId
        } else if let email = body.spotioString("email"), let password = body.spotioString("password") {
            guard email.caseInsensitiveCompare(credentials.email) == .orderedSame, password == credentials.password else {
                return .empty(401)
            }
            userId = adminUserId
        } else {
            return SpotioWire.error(400, field: "email", "Either email and password or refreshToken is required.")
        }
        let access = issueAccessToken(userId: userId, now: call.now)
        let refresh = SpotioTokens.random(bytes: 32)
        state.refreshTokens[refresh] = SpotioAccessGrant(userId: userId, issuedAt: call.now,
                                                         expiresAt: call.now.addingTimeInterval(credentials.refreshLifetime))
        return .json(200, ["accessToken": access, "refreshToken": refresh,
                           "tokenExpiresIn": Int(credentials.tokenLifetime), "refreshExpiresIn": Int(credentials.refreshLifetime),
                           "createdAt": Int(call.now.timeIntervalSince1970)])
    }

    /// Registers and returns a new access token for `userId`.
    func issueAccessToken(userId: String, now: Date) -> String {
        let expires = now.addingTimeInterval(credentials.tokenLifetime)
        let token = SpotioTokens.jwt(claims: ["sub": userId, "companyId": "1", "iat": Int(now.timeIntervalSince1970),
                                              "exp": Int(expires.timeIntervalSince1970), "jti": SpotioTokens.random(bytes: 12)])
        state.accessTokens[token] = SpotioAccessGrant(userId: userId, issuedAt: now, expiresAt: expires)
        return token
    }
}

/// Token strings.
enum SpotioTokens {
    /// The emulator's JWT signing key. Not a secret: tokens are checked against the registry, not by signature.
    private static var signingKey: SymmetricKey { SymmetricKey(data: Data("crosswalk-sandbox-spotio-jwt".utf8)) }

    static func jwt(claims: [String: Any]) -> String {
        let header = base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let payload = base64URL((try? JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])) ?? Data())
        let signingInput = "\(header).\(payload)"
        let signature = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: signingKey)
        return "\(signingInput).\(base64URL(Data(signature)))"
    }

    static func random(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL(Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
