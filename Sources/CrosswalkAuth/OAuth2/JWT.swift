import CrosswalkCore
import Crypto
import Foundation
import _CryptoExtras

/// JWS algorithms a `JWTSigner` can sign with.
public enum JWTAlgorithm: String, Sendable, Hashable, Codable {
    /// RSASSA-PKCS1-v1_5 with SHA-256: Salesforce's JWT bearer flow.
    case rs256 = "RS256"
    /// RSASSA-PSS with SHA-256: NetSuite's M2M flow.
    case ps256 = "PS256"
    /// ECDSA P-256 with SHA-256: NetSuite's M2M flow.
    case es256 = "ES256"
}

/// The claims of an OAuth assertion (RFC 7523 §3).
public struct JWTClaims: Sendable, Hashable, Codable {
    public var iss: String
    public var sub: String?
    public var aud: String
    public var iat: Int
    public var exp: Int
    public var scope: String?

    public init(iss: String, sub: String?, aud: String, iat: Int, exp: Int, scope: String? = nil) {
        self.iss = iss
        self.sub = sub
        self.aud = aud
        self.iat = iat
        self.exp = exp
        self.scope = scope
    }
}

/// Signs compact JWTs with a private key read from PEM.
public struct JWTSigner {
    private enum Key {
        case rsa(_RSA.Signing.PrivateKey)
        case p256(P256.Signing.PrivateKey)
    }

    public let algorithm: JWTAlgorithm
    public let keyID: String?
    private let key: Key

    /// - Parameters:
    ///   - privateKeyPEM: RSA (PKCS#1 or PKCS#8, at least 2048 bits) for RS256/PS256, P-256 for ES256.
    ///   - keyID: the `kid` header, when the server needs it (NetSuite's certificate id).
    /// - Throws: `CrosswalkError` `.auth` when the PEM is not a usable key of that kind (the key is not repeated).
    public init(privateKeyPEM: String, algorithm: JWTAlgorithm, keyID: String? = nil) throws {
        self.algorithm = algorithm
        self.keyID = keyID
        do {
            switch algorithm {
            case .rs256, .ps256: key = .rsa(try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM))
            case .es256: key = .p256(try P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM))
            }
        } catch {
            let kind = algorithm == .es256 ? "a P-256 EC private key" : "an RSA private key of at least 2048 bits"
            throw CrosswalkError(.auth, "the JWT signing key is not \(kind) in PEM form (needed for \(algorithm.rawValue))")
        }
    }

    /// `base64url(header).base64url(claims).base64url(signature)`.
    public func sign(_ claims: JWTClaims) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var header = ["alg": algorithm.rawValue, "typ": "JWT"]
        if let keyID { header["kid"] = keyID }
        let signingInput = Base64URL.encode(try encoder.encode(header)) + "." + Base64URL.encode(try encoder.encode(claims))
        let message = Data(signingInput.utf8)
        let signature: Data = switch key {
        case .rsa(let rsa):
            try rsa.signature(for: SHA256.hash(data: message),
                              padding: algorithm == .ps256 ? .PSS : .insecurePKCS1v1_5).rawRepresentation
        case .p256(let ec):
            try ec.signature(for: SHA256.hash(data: message)).rawRepresentation
        }
        return signingInput + "." + Base64URL.encode(signature)
    }
}
