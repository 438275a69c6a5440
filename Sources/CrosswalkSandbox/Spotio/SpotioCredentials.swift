import CrosswalkCore
import Foundation

/// The fixed credentials of the emulated SPOTIO tenant.
///
/// `clientId`/`secret` mint a bearer token with `POST /api/users/apitoken`; `email`/`password`
/// log in with `POST /api/auth/token` (which also returns a refresh token); `webhookSecret`
/// signs webhook deliveries (`X-Signature`, hex HMAC-SHA256 of the body).
public struct SpotioCredentials: Sendable, Equatable {
    public var clientId: String
    public var secret: String
    public var email: String
    public var password: String
    public var webhookSecret: String
    /// Access-token lifetime (SPOTIO API tokens reportedly live 30 days).
    public var tokenLifetime: TimeInterval
    /// Refresh-token lifetime of the interactive login.
    public var refreshLifetime: TimeInterval

    public init(clientId: String, secret: String, email: String, password: String, webhookSecret: String,
                tokenLifetime: TimeInterval = 30 * 86_400, refreshLifetime: TimeInterval = 90 * 86_400) {
        self.clientId = clientId
        self.secret = secret
        self.email = email
        self.password = password
        self.webhookSecret = webhookSecret
        self.tokenLifetime = tokenLifetime
        self.refreshLifetime = refreshLifetime
    }

    /// The credentials as the readiness line and banner print them.
    public var dictionary: [String: String] {
        ["client_id": clientId, "secret": secret, "email": email, "password": password, "webhook_secret": webhookSecret,
         "token_path": "/api/users/apitoken"]
    }

    /// The documented demo credentials printed by the sandbox banner and used by tests and the demo.
    public static let demo = SpotioCredentials(
        clientId: "spotio-demo-client",
        secret: "spotio-demo-secret",
        email: "admin@spotio-demo.example.com",
        password: "spotio-demo-password",
        webhookSecret: "spotio-demo-webhook-secret")
}
