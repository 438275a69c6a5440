import CrosswalkCore
import Foundation

/// The fixed credentials of the emulated Aritic PinPoint (Mautic 2.x lineage) instance.
///
/// Basic auth uses `username`/`password`; OAuth 2 uses the API credential `clientId`/`clientSecret`
/// at `/oauth/v2/token` (client_credentials, authorization_code via `/oauth/v2/authorize`, refresh_token).
public struct AriticCredentials: Sendable, Equatable {
    public var username: String
    public var password: String
    public var clientId: String
    public var clientSecret: String
    /// Redirect URIs the OAuth client may use (a redirect must start with one of them).
    public var redirectURIs: [String]
    /// Access-token lifetime (Mautic's default: 60 minutes).
    public var accessTokenLifetime: TimeInterval
    /// Refresh-token lifetime (Mautic's default: 14 days).
    public var refreshTokenLifetime: TimeInterval
    /// The `Mautic-Version` header every API response carries.
    public var mauticVersion: String

    public init(username: String, password: String, clientId: String, clientSecret: String,
                redirectURIs: [String] = ["http://127.0.0.1", "http://localhost"],
                accessTokenLifetime: TimeInterval = 3_600, refreshTokenLifetime: TimeInterval = 14 * 86_400,
                mauticVersion: String = "2.16.3") {
        self.username = username
        self.password = password
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.redirectURIs = redirectURIs
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
        self.mauticVersion = mauticVersion
    }

    /// The credentials as the readiness line and banner print them (`path_prefix`: Aritic's `/ma`, also served).
    public var dictionary: [String: String] {
        ["username": username, "password": password, "client_id": clientId, "client_secret": clientSecret,
         "token_path": "/oauth/v2/token", "path_prefix": "/ma"]
    }

    /// The documented demo credentials printed by the sandbox banner and used by tests and the demo.
    public static let demo = AriticCredentials(
        username: "admin",
        password: "aritic-demo-password",
        clientId: "1_aritic-demo-client",
        clientSecret: "aritic-demo-secret")
}
