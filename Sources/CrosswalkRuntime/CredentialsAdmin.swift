import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import Foundation

/// One connection's row in `connections list`: never a secret.
public struct CredentialStatus: Sendable {
    public var connection: String
    public var connector: String
    /// `oauth2`, `basic`…, or `nil` when nothing is stored.
    public var scheme: String?
    /// "valid until …", "expired (refreshed on next use)", "none yet", "no expiry", or "-".
    public var token: String
    /// The webhook signing secret: "stored", "missing" (the connector verifies signatures and none is
    /// stored), or "-" (no signed webhooks).
    public var webhookSecret: String = "-"
}

extension HostRuntime {
    /// Decodes credentials JSON (`{"scheme":…,"parameters":{…}}`) and seals it in the vault entry
    /// of connection `name`.
    /// - Returns: the scheme and the vault entry written.
    /// - Throws: `.invalidArgument` saying what is wrong with the JSON, never repeating it (it holds secrets).
    public func storeCredentials(json: Data, for name: String) async throws -> (scheme: String, entry: String) {
        let connection = try connection(name)
        let credentials: Credentials
        do { credentials = try JSONDecoder().decode(Credentials.self, from: json) } catch {
            throw CrosswalkError(.invalidArgument, "the credentials JSON is not valid: \((error as? DecodingError)?.crosswalkDescription ?? "not JSON"); see `crosswalk connections add --help`")
        }
        try await vault.store(credentials, name: connection.credentials)
        return (credentials.scheme, connection.credentials)
    }

    /// Every connection of the config with what its vault entry holds.
    public func credentialStatuses() async throws -> [CredentialStatus] {
        var rows: [CredentialStatus] = []
        let names = Set(try await vault.names())
        for (name, c) in deployment.config.connections.sorted(by: { $0.key < $1.key }) {
            let stored = try await vault.credentials(name: c.credentials)
            var row = CredentialStatus(connection: name, connector: c.connector, scheme: stored?.scheme, token: Self.tokenState(stored))
            let signed = (try? plugin(for: c).manifest).map { $0.has("crosswalk.webhooks/1") && WebhookSignatureVerifier(signature: $0.webhooks?.signature).needsSecret } ?? false
            row.webhookSecret = names.contains(Self.webhookSecretEntry(for: name)) ? "stored" : (signed ? "missing" : "-")
            rows.append(row)
        }
        return rows
    }

    /// Deletes the vault entry of connection `name`.
    /// - Throws: `.notFound` when nothing is stored (checked by name: an entry sealed with a lost key must still be removable).
    public func removeCredentials(for name: String) async throws {
        let connection = try connection(name)
        guard try await vault.names().contains(connection.credentials) else {
            throw CrosswalkError(.notFound, "\(name) has no stored credentials", context: ["connection": name])
        }
        try await vault.delete(name: connection.credentials)
    }

    static func tokenState(_ credentials: Credentials?) -> String {
        let token: OAuth2Token?
        switch credentials {
        case .oauth2(let c)?: token = c.token
        case .tokenExchange(let c)?: token = c.token
        default: return "-"
        }
        guard let token else { return "none yet" }
        guard let expiry = token.expiresAt else { return "no expiry" }
        return expiry > Date() ? "valid until \(ISO8601DateFormatter().string(from: expiry))" : "expired (refreshed on next use)"
    }
}
