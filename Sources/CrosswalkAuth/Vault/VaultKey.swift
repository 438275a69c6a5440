import CrosswalkCore
import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The 256-bit key that seals every secret in the vault. Kept outside the database: in an
/// environment variable or a file only its owner can read. Its description never shows the key.
public struct VaultKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The environment variable Crosswalk reads the key from by default.
    public static let environmentVariable = "CROSSWALK_VAULT_KEY"

    private let bytes: Data

    /// The key for Crypto (`SymmetricKey` is not `Sendable`, so the bytes are kept instead).
    var key: SymmetricKey { SymmetricKey(data: bytes) }

    /// Uses 32 raw bytes.
    /// - Throws: `CrosswalkError` `.vault` when `bytes` is not 32 bytes long.
    public init(bytes: Data) throws {
        guard bytes.count == 32 else {
            throw CrosswalkError(.vault, "a vault key must be 32 bytes (44 characters of base64); this one has \(bytes.count) bytes")
        }
        self.bytes = bytes
    }

    /// Decodes the base64 text form (surrounding whitespace ignored).
    /// - Throws: `CrosswalkError` `.vault` for text that is not base64 of 32 bytes.
    public init(base64: String) throws {
        guard let bytes = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CrosswalkError(.vault, "the vault key is not valid base64; generate one with: head -c 32 /dev/urandom | base64")
        }
        try self.init(bytes: bytes)
    }

    /// A new random key.
    public static func generate() -> VaultKey {
        try! VaultKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// The key in base64, for writing to a key file or an environment variable. Handle with care.
    public var base64: String { bytes.base64EncodedString() }

    /// A short public fingerprint that tells keys apart without revealing them (stored beside
    /// each sealed secret, so a wrong key is reported as such).
    public var fingerprint: Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data("crosswalk vault key fingerprint v1".utf8), using: key).prefix(8))
    }

    public var description: String { "VaultKey(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [(label: "key", value: "<redacted>" as Any)]) }

    /// Reads the key from an environment variable.
    /// - Returns: `nil` when the variable is unset or empty.
    /// - Throws: `CrosswalkError` `.vault` when it is set but not base64 of 32 bytes.
    public static func fromEnvironment(
        _ name: String = environmentVariable, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> VaultKey? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        do {
            return try VaultKey(base64: text)
        } catch let error as CrosswalkError {
            throw CrosswalkError(.vault, error.message, context: ["env": name])
        }
    }

    /// Reads the key from a file holding its base64 form. The file must belong to the user running
    /// Crosswalk and be readable by nobody else (mode 0600 or stricter).
    /// - Throws: `CrosswalkError` `.vault` when the file is missing, unreadable, too open, owned by
    ///   someone else, or does not hold a 32-byte key; the message says how to fix it.
    public static func fromFile(_ path: String) throws -> VaultKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT {
                throw CrosswalkError(.vault, "there is no vault key file at \(path); create one with: (umask 077; head -c 32 /dev/urandom | base64 > \(path))",
                                     context: ["file": path])
            }
            throw CrosswalkError(.vault, "cannot read the vault key file \(path): \(String(cString: strerror(errno)))", context: ["file": path])
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw CrosswalkError(.vault, "the vault key path \(path) is not a regular file", context: ["file": path])
        }
        guard info.st_uid == geteuid() else {
            throw CrosswalkError(.vault, "the vault key file \(path) belongs to uid \(info.st_uid), not to the user running Crosswalk (uid \(geteuid())); run: chown \(geteuid()) \(path)",
                                 context: ["file": path])
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw CrosswalkError(.vault, "the vault key file \(path) can be read by other users (mode \(String(mode, radix: 8))); run: chmod 600 \(path)",
                                 context: ["file": path])
        }
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw CrosswalkError(.vault, "cannot read the vault key file \(path)", context: ["file": path])
        }
        do {
            return try VaultKey(base64: String(decoding: contents, as: UTF8.self))
        } catch let error as CrosswalkError {
            throw CrosswalkError(.vault, "the vault key file \(path) does not hold a key: \(error.message)", context: ["file": path])
        }
    }

    /// Writes the key's base64 form to a new file with mode 0600.
    /// - Throws: `CrosswalkError` `.vault` when the file exists or cannot be created.
    public func write(toFile path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw CrosswalkError(.vault, "cannot create the vault key file \(path): \(String(cString: strerror(errno)))", context: ["file": path])
        }
        defer { close(fd) }
        do {
            try FileHandle(fileDescriptor: fd, closeOnDealloc: false).write(contentsOf: Data((base64 + "\n").utf8))
        } catch {
            throw CrosswalkError(.vault, "cannot write the vault key file \(path): \(error.localizedDescription)", context: ["file": path])
        }
    }
}
