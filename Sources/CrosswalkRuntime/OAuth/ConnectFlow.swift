import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import Foundation

/// `crosswalk connect`: the authorization-code round trip of one OAuth 2.0 connection, from the
/// client registration in the vault to the tokens stored back there.
public struct ConnectFlow: Sendable {
    public let connection: String
    let entry: String
    let session: OAuth2AuthorizationSession
    let runtime: HostRuntime

    /// Starts the round trip for connection `name`.
    /// - Throws: `.config` when the vault holds no authorization-code registration for it.
    public init(runtime: HostRuntime, connection name: String) async throws {
        let connection = try runtime.connection(name)
        guard case .oauth2(let credentials)? = try await runtime.vault.credentials(name: connection.credentials) else {
            throw CrosswalkError(.config, "\(name) has no oauth2 credentials in the vault; store the client registration with `crosswalk connections add \(name)` first")
        }
        guard credentials.flow == .authorizationCode, credentials.authorizationURL != nil, credentials.redirectURI != nil else {
            throw CrosswalkError(.config, "\(name): connect needs flow authorizationCode with authorizationURL and redirectURI")
        }
        self.connection = name
        entry = connection.credentials
        session = try OAuth2AuthorizationSession(credentials: credentials, usePKCE: true)
        self.runtime = runtime
    }

    /// The address a person opens to approve access.
    public var authorizationURL: String { session.authorizationURL }

    /// The registration's redirect URI.
    public var redirectURI: String { session.credentials.redirectURI ?? "" }

    /// A listener for the redirect when the redirect URI is on this machine.
    public var listener: LoopbackRedirect? { LoopbackRedirect(redirectURI) }

    /// Exchanges the code of the address the browser was redirected to and stores the tokens.
    /// - Returns: the instance URL the token carries, if any.
    /// - Throws: `.auth` when the exchange fails.
    public func complete(redirected: String) async throws -> String? {
        let updated: OAuth2Credentials
        do { updated = try await session.complete(redirectURL: redirected, http: runtime.transport) } catch var e as CrosswalkError {
            e.message = "\(connection): authorisation failed — \(e.message)"
            throw e
        }
        try await runtime.vault.store(.oauth2(updated), name: entry)
        return updated.token?.instanceURL
    }
}
