import CrosswalkCore
import Crypto
import Foundation

/// Seals and opens one secret with AES-256-GCM under a `VaultKey`, binding it to its name.
///
/// Sealed layout (version 1): `0x01 | key fingerprint (8 bytes) | nonce (12) | ciphertext | tag (16)`.
/// The secret's name is the associated data, so a sealed value copied under another name does not open.
public struct SecretBox: Sendable {
    static let version: UInt8 = 1
    static let headerSize = 1 + 8

    public let key: VaultKey

    public init(key: VaultKey) { self.key = key }

    /// Encrypts `plaintext` for `name` with a fresh random nonce.
    public func seal(_ plaintext: Data, name: String) throws -> Data {
        do {
            let box = try AES.GCM.seal(plaintext, using: key.key, authenticating: Data(name.utf8))
            guard let combined = box.combined else {
                throw CrosswalkError(.internalError, "AES-GCM produced no combined form")
            }
            return Data([Self.version]) + key.fingerprint + combined
        } catch let error as CrosswalkError {
            throw error
        } catch {
            throw CrosswalkError(.vault, "could not seal the secret \(name): \(error)", context: ["secret": name])
        }
    }

    /// Decrypts what `seal` produced for the same `name`.
    /// - Throws: `CrosswalkError` `.vault` when the key is not the one it was sealed with, or when the
    ///   value was altered or sealed under another name.
    public func open(_ sealed: Data, name: String) throws -> Data {
        let sealed = Data(sealed)
        guard sealed.count > Self.headerSize + 12 + 16, sealed.first == Self.version else {
            throw CrosswalkError(.vault, "the sealed secret \(name) is not in a format this Crosswalk understands", context: ["secret": name])
        }
        guard sealed.dropFirst().prefix(8) == key.fingerprint else {
            throw CrosswalkError(.vault, "the vault key does not match the one these secrets were sealed with; use the original key (CROSSWALK_VAULT_KEY or the key file)",
                                 context: ["secret": name])
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst(Self.headerSize))
            return try AES.GCM.open(box, using: key.key, authenticating: Data(name.utf8))
        } catch {
            throw CrosswalkError(.vault, "the sealed secret \(name) failed its integrity check: it was altered, or sealed under another name",
                                 context: ["secret": name])
        }
    }
}
