import CrosswalkCore
import Crypto
import Foundation

/// A PKCE code verifier and its S256 challenge (RFC 7636).
public struct PKCE: Sendable, Hashable, SecretRedacting {
    /// 43–128 characters from `A-Z a-z 0-9 - . _ ~`; sent only with the code exchange.
    public let verifier: String

    /// Uses a given verifier.
    /// - Throws: `CrosswalkError` `.invalidArgument` when the verifier breaks RFC 7636 §4.1.
    public init(verifier: String) throws {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        guard (43...128).contains(verifier.count), verifier.allSatisfy(allowed.contains) else {
            throw CrosswalkError(.invalidArgument, "a PKCE code verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~")
        }
        self.verifier = verifier
    }

    /// A fresh verifier from 32 random bytes (43 characters).
    public static func generate() -> PKCE {
        try! PKCE(verifier: Base64URL.encode(randomBytes(32)))
    }

    /// `BASE64URL(SHA256(ASCII(verifier)))`.
    public var challenge: String { Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8)))) }

    /// Always `S256`.
    public var challengeMethod: String { "S256" }

    public var redactedFields: [RedactedField] {
        [.secret("verifier", isSet: true), .visible("challenge", challenge)]
    }
}

/// Base64url without padding (RFC 4648 §5), as JWTs and PKCE use it.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// `count` bytes from the system's secure random source.
func randomBytes(_ count: Int) -> Data {
    var generator = SystemRandomNumberGenerator()
    return Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
}
