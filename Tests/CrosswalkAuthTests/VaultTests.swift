import CrosswalkAuth
import CrosswalkCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Vault: AES-GCM sealing bound to the secret's name, and the vault key")
struct VaultTests {
    static let secret = Data("p@ssw0rd-TOP-SECRET".utf8)

    @Test("seal then open gives the plaintext back; the sealed bytes do not contain it; nonces differ")
    func roundTrip() throws {
        let box = SecretBox(key: VaultKey.generate())
        let sealed = try box.seal(Self.secret, name: "hubspot")
        #expect(try box.open(sealed, name: "hubspot") == Self.secret)
        #expect(sealed.range(of: Self.secret) == nil)
        #expect(try box.seal(Self.secret, name: "hubspot") != sealed)
    }

    @Test("a different key is reported as the wrong vault key")
    func wrongKey() throws {
        let sealed = try SecretBox(key: VaultKey.generate()).seal(Self.secret, name: "hubspot")
        let error = try #require(throws: CrosswalkError.self) { try SecretBox(key: VaultKey.generate()).open(sealed, name: "hubspot") }
        #expect(error.code == .vault)
        #expect(error.message.contains("the vault key does not match the one these secrets were sealed with"))
    }

    @Test("a value copied under another name does not open")
    func movedCiphertext() throws {
        let box = SecretBox(key: VaultKey.generate())
        let sealed = try box.seal(Self.secret, name: "salesforce")
        let error = try #require(throws: CrosswalkError.self) { try box.open(sealed, name: "netsuite") }
        #expect(error.code == .vault && error.message.contains("sealed under another name"))
    }

    @Test("a flipped bit anywhere after the header is caught")
    func tampering() throws {
        let box = SecretBox(key: VaultKey.generate())
        let sealed = try box.seal(Self.secret, name: "n")
        for index in stride(from: 9, to: sealed.count, by: 7) {
            var altered = sealed
            altered[altered.startIndex + index] ^= 0x01
            #expect(throws: CrosswalkError.self) { try box.open(altered, name: "n") }
        }
        #expect(throws: CrosswalkError.self) { try box.open(Data([1, 2, 3]), name: "n") }
    }

    @Test("the vault stores, lists, reopens and deletes credentials; storage sees only ciphertext")
    func vault() async throws {
        let storage = InMemorySealedStorage()
        let key = VaultKey.generate()
        let vault = Vault(key: key, storage: storage)
        let credentials = Credentials.oauth2(OAuth2Credentials(
            flow: .authorizationCode, clientID: "cid", clientSecret: "client-SECRET-1", tokenURL: "https://t.test/token",
            token: OAuth2Token(accessToken: "access-SECRET-2", refreshToken: "refresh-SECRET-3",
                               expiresAt: Date(timeIntervalSince1970: 1_700_000_123.5))))
        try await vault.store(credentials, name: "salesforce")
        try await vault.store(.basic(BasicCredentials(username: "u", password: "basic-SECRET-4")), name: "aritic")
        #expect(try await vault.names() == ["aritic", "salesforce"])
        #expect(try await Vault(key: key, storage: storage).credentials(name: "salesforce") == credentials)
        for sealed in await storage.items.values {
            for secret in ["client-SECRET-1", "access-SECRET-2", "refresh-SECRET-3", "basic-SECRET-4"] {
                #expect(sealed.range(of: Data(secret.utf8)) == nil)
            }
        }
        #expect(try await vault.credentials(name: "missing") == nil)
        try await vault.delete(name: "aritic")
        #expect(try await vault.names() == ["salesforce"])

        let wrong = try await #require(throws: CrosswalkError.self) {
            try await Vault(key: VaultKey.generate(), storage: storage).credentials(name: "salesforce")
        }
        #expect(wrong.message.contains("the vault key does not match"))
    }

    @Test("every credentials scheme survives sealing", arguments: SampleCredentials.all)
    func everySchemeRoundTrips(credentials: Credentials) async throws {
        let vault = Vault(key: VaultKey.generate(), storage: InMemorySealedStorage())
        try await vault.store(credentials, name: credentials.scheme)
        #expect(try await vault.credentials(name: credentials.scheme) == credentials)
    }
}

@Suite("Vault key: environment variable and key file")
struct VaultKeyTests {
    static func keyFile(mode: mode_t, contents: String? = nil) throws -> String {
        let path = try makeTemporaryDirectory().appendingPathComponent("vault.key").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data((contents ?? VaultKey.generate().base64).utf8)))
        #expect(chmod(path, mode) == 0)
        return path
    }

    @Test("a 0600 key file owned by the user loads")
    func goodFile() throws {
        let key = VaultKey.generate()
        let path = try Self.keyFile(mode: 0o600, contents: key.base64 + "\n")
        #expect(try VaultKey.fromFile(path).base64 == key.base64)
    }

    @Test("a key file others can read is refused with the chmod to run", arguments: [mode_t(0o644), 0o640, 0o604, 0o660])
    func openPermissions(mode: mode_t) throws {
        let path = try Self.keyFile(mode: mode)
        let error = try #require(throws: CrosswalkError.self) { try VaultKey.fromFile(path) }
        #expect(error.code == .vault)
        #expect(error.message.contains("chmod 600 \(path)"))
    }

    @Test("a key file owned by someone else is refused", .enabled(if: geteuid() == 0, "needs root to give the file away"))
    func otherOwner() throws {
        let path = try Self.keyFile(mode: 0o600)
        #expect(chown(path, 65534, 65534) == 0)
        let error = try #require(throws: CrosswalkError.self) { try VaultKey.fromFile(path) }
        #expect(error.message.contains("belongs to uid 65534"))
    }

    @Test("a missing key file says how to create one")
    func missingFile() throws {
        let path = try makeTemporaryDirectory().appendingPathComponent("absent.key").path
        let error = try #require(throws: CrosswalkError.self) { try VaultKey.fromFile(path) }
        #expect(error.message.contains("there is no vault key file at \(path)"))
    }

    @Test("a key of the wrong length or not base64 is refused",
          arguments: [Data(repeating: 7, count: 16).base64EncodedString(), Data(repeating: 7, count: 33).base64EncodedString(), "not base64!"])
    func badContents(contents: String) throws {
        let path = try Self.keyFile(mode: 0o600, contents: contents)
        let error = try #require(throws: CrosswalkError.self) { try VaultKey.fromFile(path) }
        #expect(error.code == .vault && error.message.contains("does not hold a key"))
    }

    @Test("write(toFile:) creates a 0600 file that loads back, and never overwrites")
    func writeFile() throws {
        let key = VaultKey.generate()
        let path = try makeTemporaryDirectory().appendingPathComponent("new.key").path
        try key.write(toFile: path)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(try VaultKey.fromFile(path).base64 == key.base64)
        #expect(throws: CrosswalkError.self) { try VaultKey.generate().write(toFile: path) }
    }

    @Test("the environment variable is read when set, ignored when empty, refused when malformed")
    func environment() throws {
        let key = VaultKey.generate()
        #expect(try VaultKey.fromEnvironment(environment: ["CROSSWALK_VAULT_KEY": key.base64])?.base64 == key.base64)
        #expect(try VaultKey.fromEnvironment(environment: ["CROSSWALK_VAULT_KEY": ""]) == nil)
        #expect(try VaultKey.fromEnvironment(environment: [:]) == nil)
        let error = try #require(throws: CrosswalkError.self) { try VaultKey.fromEnvironment(environment: ["CROSSWALK_VAULT_KEY": "c2hvcnQ="]) }
        #expect(error.message.contains("32 bytes") && error.context["env"] == "CROSSWALK_VAULT_KEY")
    }

    @Test("a key never prints itself")
    func keyDescription() {
        let key = VaultKey.generate()
        #expect(!everyPrintedForm(of: key).contains(key.base64))
    }
}
