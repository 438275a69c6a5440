import CrosswalkCore
import Foundation

/// Where sealed secrets live (the SQLite store conforms). It sees only ciphertext.
public protocol SealedSecretStorage: Sendable {
    /// Stores (or replaces) the sealed bytes under `name`.
    func putSealed(name: String, data: Data) async throws
    /// The sealed bytes under `name`, or `nil`.
    func sealed(name: String) async throws -> Data?
    /// Removes `name`; no error when absent.
    func deleteSealed(name: String) async throws
    /// Every stored name.
    func sealedNames() async throws -> [String]
}

/// Named `Credentials`, sealed with a `SecretBox` before they reach storage.
///
/// ```swift
/// let vault = Vault(key: try VaultKey.fromFile(path), storage: store)
/// try await vault.store(.apiKey(.bearer(token)), name: "hubspot")
/// let credentials = try await vault.credentials(name: "hubspot")
/// ```
public struct Vault: Sendable {
    /// Version of the JSON document inside each sealed value.
    static let formatVersion = 1

    public let storage: any SealedSecretStorage
    private let box: SecretBox

    public init(key: VaultKey, storage: any SealedSecretStorage) {
        self.storage = storage
        self.box = SecretBox(key: key)
    }

    /// Seals and stores `credentials` under `name`, replacing what was there.
    public func store(_ credentials: Credentials, name: String) async throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        let plaintext = try encoder.encode(Document(version: Self.formatVersion, credentials: credentials))
        try await storage.putSealed(name: name, data: try box.seal(plaintext, name: name))
    }

    /// Opens the credentials stored under `name`.
    /// - Returns: `nil` when nothing is stored under `name`.
    /// - Throws: `CrosswalkError` `.vault` for a wrong key, a tampered or moved value, or a format
    ///   from a newer Crosswalk.
    public func credentials(name: String) async throws -> Credentials? {
        guard let sealed = try await storage.sealed(name: name) else { return nil }
        let plaintext = try box.open(sealed, name: name)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        guard let header = try? decoder.decode(Header.self, from: plaintext) else {
            throw CrosswalkError(.vault, "the secret \(name) opened but holds no readable credentials", context: ["secret": name])
        }
        guard header.version <= Self.formatVersion else {
            throw CrosswalkError(.vault, "the secret \(name) was written by a newer Crosswalk (format \(header.version)); upgrade to read it",
                                 context: ["secret": name])
        }
        do {
            return try decoder.decode(Document.self, from: plaintext).credentials
        } catch {
            throw CrosswalkError(.vault, "the secret \(name) opened but holds no readable credentials", context: ["secret": name])
        }
    }

    /// Seals and stores a plain secret that is not a connection's credentials (a webhook signing
    /// secret) under `name`, replacing what was there.
    public func storeSecret(_ secret: Data, name: String) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let plaintext = try encoder.encode(SecretDocument(version: Self.formatVersion, secret: secret.base64EncodedString()))
        try await storage.putSealed(name: name, data: try box.seal(plaintext, name: name))
    }

    /// Opens a secret stored by ``storeSecret(_:name:)``.
    /// - Returns: `nil` when nothing is stored under `name`.
    /// - Throws: `CrosswalkError` `.vault` for a wrong key, a tampered or moved value, or a value that
    ///   is not a plain secret.
    public func secret(name: String) async throws -> Data? {
        guard let sealed = try await storage.sealed(name: name) else { return nil }
        let plaintext = try box.open(sealed, name: name)
        guard let document = try? JSONDecoder().decode(SecretDocument.self, from: plaintext), let secret = Data(base64Encoded: document.secret) else {
            throw CrosswalkError(.vault, "the secret \(name) opened but holds no plain secret", context: ["secret": name])
        }
        guard document.version <= Self.formatVersion else {
            throw CrosswalkError(.vault, "the secret \(name) was written by a newer Crosswalk (format \(document.version)); upgrade to read it",
                                 context: ["secret": name])
        }
        return secret
    }

    /// Removes `name`.
    public func delete(name: String) async throws {
        try await storage.deleteSealed(name: name)
    }

    /// The names of every stored secret, sorted.
    public func names() async throws -> [String] {
        try await storage.sealedNames().sorted()
    }

    private struct Header: Decodable { var version: Int }

    private struct SecretDocument: Codable {
        var version: Int
        var secret: String
    }

    private struct Document: Codable {
        var version: Int
        var credentials: Credentials
    }
}
