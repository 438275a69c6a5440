import CrosswalkCore
import Foundation

/// An OAuth access token the emulator issued.
struct HubSpotAccessToken: Codable, Sendable {
    var token: String
    var refreshToken: String
    var expiresAt: Date
}

/// A refresh token; it stays valid until deleted (`DELETE /oauth/v1/refresh-tokens/{token}`).
struct HubSpotRefreshToken: Codable, Sendable {
    var token: String
    var clientId: String
}

/// A pending authorization code from `/oauth/authorize`.
struct HubSpotAuthorizationCode: Codable, Sendable {
    var code: String
    var redirectURI: String
    var expiresAt: Date
    var codeChallenge: String?
}

/// Issued tokens and codes.
struct HubSpotTokenStore: Codable, Sendable {
    var access: [String: HubSpotAccessToken] = [:]
    var refresh: [String: HubSpotRefreshToken] = [:]
    var codes: [String: HubSpotAuthorizationCode] = [:]

    /// Issues an access token (and, when `refreshToken` is nil, a new refresh token).
    mutating func issue(refreshToken: String?, lifetime: TimeInterval, now: Date) -> HubSpotAccessToken {
        let refreshValue = refreshToken ?? "na1-\(UUID().uuidString.lowercased())"
        if refresh[refreshValue] == nil { refresh[refreshValue] = HubSpotRefreshToken(token: refreshValue, clientId: HubSpotDemoCredentials.clientId) }
        let token = HubSpotAccessToken(token: "C" + Self.randomToken(bytes: 48), refreshToken: refreshValue, expiresAt: now.addingTimeInterval(lifetime))
        access[token.token] = token
        return token
    }

    /// Marks every access token expired at `now`.
    mutating func expireAll(now: Date) {
        for (key, token) in access where token.expiresAt > now { access[key]?.expiresAt = now }
    }

    /// A random base64url string of `bytes` random bytes.
    static func randomToken(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
