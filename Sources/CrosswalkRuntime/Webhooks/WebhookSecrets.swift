import CrosswalkAuth
import CrosswalkCore
import Foundation

extension HostRuntime {
    /// The vault entry holding connection `name`'s webhook secret.
    public static func webhookSecretEntry(for name: String) -> String { "webhook:\(name)" }

    /// Seals the secret the app signs its webhook deliveries with (SPOTIO's account secret, an
    /// Aritic hook's secret, a HubSpot app's client secret…) in the vault, for connection `name`.
    /// - Returns: the vault entry written.
    /// - Throws: `.invalidArgument` for an empty secret (never repeating it), `.config` for an unknown connection.
    @discardableResult
    public func storeWebhookSecret(_ secret: Data, for name: String) async throws -> String {
        _ = try connection(name)
        guard !secret.isEmpty else { throw CrosswalkError(.invalidArgument, "the webhook secret is empty", context: ["connection": name]) }
        let entry = Self.webhookSecretEntry(for: name)
        try await vault.storeSecret(secret, name: entry)
        return entry
    }

    /// Connection `name`'s webhook secret, or `nil` when none is stored.
    public func webhookSecret(for name: String) async throws -> Data? {
        try await vault.secret(name: Self.webhookSecretEntry(for: name))
    }

    /// Deletes connection `name`'s webhook secret; returns whether one was stored.
    @discardableResult
    public func removeWebhookSecret(for name: String) async throws -> Bool {
        _ = try connection(name)
        let entry = Self.webhookSecretEntry(for: name)
        guard try await vault.names().contains(entry) else { return false }
        try await vault.delete(name: entry)
        return true
    }
}
