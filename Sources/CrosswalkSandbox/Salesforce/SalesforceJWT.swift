import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import X509

/// The JWT bearer grant: an RS256 assertion signed with the connected app's certificate key.
enum SalesforceJWT {
    /// Why an assertion was refused, as the OAuth error pair Salesforce sends.
    struct Failure: Error {
        var error: String
        var description: String
        static let invalid = Failure(error: "invalid_grant", description: "invalid assertion")
    }

    /// The RSA key in a PEM certificate or public key.
    static func publicKey(pem: String) -> _RSA.Signing.PublicKey? {
        if pem.contains("CERTIFICATE"), let certificate = try? Certificate(pemEncoded: pem) {
            return _RSA.Signing.PublicKey(certificate.publicKey)
        }
        return try? _RSA.Signing.PublicKey(pemRepresentation: pem)
    }

    /// Checks signature, `iss` (consumer key), `sub` (username), `aud` and `exp`.
    static func verify(_ assertion: String, key: _RSA.Signing.PublicKey?, credentials: SalesforceCredentials,
                       audiences: [String], now: Date) -> Result<Void, Failure> {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let headerData = base64URL(parts[0]), let payloadData = base64URL(parts[1]),
              let signature = base64URL(parts[2]),
              let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any],
              let claims = try? JSONSerialization.jsonObject(with: payloadData) as? [String: Any],
              header["alg"] as? String == "RS256", let key else {
            return .failure(.invalid)
        }
        let signed = Data("\(parts[0]).\(parts[1])".utf8)
        guard key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: signed, padding: .insecurePKCS1v1_5) else {
            return .failure(.invalid)
        }
        guard claims["iss"] as? String == credentials.clientID else {
            return .failure(Failure(error: "invalid_client_id", description: "client identifier invalid"))
        }
        guard (claims["sub"] as? String)?.lowercased() == credentials.username.lowercased() else {
            return .failure(Failure(error: "invalid_grant", description: "user hasn't approved this consumer"))
        }
        let audience = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String]) ?? []
        guard audience.contains(where: { aud in audiences.contains { $0.lowercased() == aud.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "/")) } }) else {
            return .failure(Failure(error: "invalid_grant", description: "Audience validation failed"))
        }
        let expiry = (claims["exp"] as? NSNumber)?.doubleValue ?? (claims["exp"] as? String).flatMap(Double.init)
        guard let expiry, expiry > now.timeIntervalSince1970 else { return .failure(.invalid) }
        return .success(())
    }

    static func base64URL(_ text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}
