import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import Foundation
import Logging

/// The one holder of a connection's credentials in a host process: every plugin instance and
/// every flow of the connection signs through it, so a token is refreshed once however many of
/// them need it at the same moment, and a rotated refresh token is written to the vault before
/// the new access token is used (and re-read from the vault before the next refresh, in case
/// another process sharing the vault refreshed meanwhile).
public struct CredentialBroker: Sendable {
    /// Signs requests; `nil` when the plugin's scheme needs no credentials (or takes any and
    /// none are stored).
    public let authenticator: (any Authenticator)?
    /// The stored credentials as they were when the broker was made (for non-secret facts).
    let stored: Credentials?

    /// Which stored credential schemes satisfy a manifest's auth scheme.
    static let acceptedSchemes: [String: Set<String>] = [
        "oauth2": ["oauth2", "jwt", "token_exchange"],
        "netsuite_tba": ["netsuite_tba", "oauth2", "jwt"],
        "api_key": ["api_key", "token_exchange"],
        "basic": ["basic"],
    ]

    /// The broker for `connection`, whose plugin declares `auth`.
    /// - Throws: `.auth` when credentials are missing or of a scheme the plugin cannot use.
    public static func make(connection: ConnectionConfig, plugin: String, auth: ConnectorManifest.Auth, vault: Vault,
                            http: any HTTPClient, logger: Logger) async throws -> CredentialBroker {
        let context = ["connection": connection.name, "plugin": plugin]
        if auth.scheme == "none" { return CredentialBroker(authenticator: nil, stored: nil) }
        guard let credentials = try await vault.credentials(name: connection.credentials) else {
            if auth.scheme == "any" { return CredentialBroker(authenticator: nil, stored: nil) }
            throw CrosswalkError(.auth, "connection \(connection.name) has no credentials in the vault (entry \"\(connection.credentials)\"); add them with `crosswalk connections add \(connection.name)`", context: context)
        }
        let accepted = auth.allSchemes.reduce(into: Set<String>()) { $0.formUnion(acceptedSchemes[$1] ?? []) }
        if auth.scheme != "any", !accepted.contains(credentials.scheme) {
            throw CrosswalkError(.auth, "\(plugin) needs \(auth.allSchemes.joined(separator: " or ")) credentials, but the vault entry \"\(connection.credentials)\" holds \(credentials.scheme)", context: context)
        }
        let name = connection.credentials
        let authenticator = try credentials.makeAuthenticator(
            http: http, logger: logger,
            persist: { try await vault.store($0, name: name) },
            reload: { try await vault.credentials(name: name) })
        return CredentialBroker(authenticator: authenticator, stored: credentials)
    }

    /// Whether requests leave signed.
    public var isCredentialed: Bool { authenticator != nil }

    /// The current token (fetched when there is none yet), for bearer schemes; `nil` otherwise.
    public func token() async throws -> OAuth2Token? {
        guard let bearer = authenticator as? BearerTokenAuthenticator else { return nil }
        return try await bearer.validToken()
    }

    /// The instance URL the current token carries (Salesforce `instance_url`).
    public func instanceURL() async throws -> String? { try await token()?.instanceURL }

    /// Non-secret facts the credentials carry: the instance URL, org or account id, user id.
    func facts(connection: ConnectionConfig) async -> ConnectionFacts {
        var facts = ConnectionFacts(connection: connection.name, baseURL: connection.settings["base_url"]?.stringValue,
                                    settings: try? JSONValue(parsing: connection.settings.jsonString))
        switch stored {
        case .netsuiteTBA(let c)?: facts.accountID = c.accountID
        default: break
        }
        if let token = try? await token() {
            facts.instanceURL = token.instanceURL
            // Salesforce's identity URL is …/id/<org id>/<user id>.
            if let identity = token.identityURL.flatMap(URL.init(string:)), identity.pathComponents.count >= 4,
               identity.pathComponents[identity.pathComponents.count - 3] == "id" {
                facts.accountID = identity.pathComponents[identity.pathComponents.count - 2]
                facts.userID = identity.pathComponents[identity.pathComponents.count - 1]
            }
        }
        return facts
    }
}
