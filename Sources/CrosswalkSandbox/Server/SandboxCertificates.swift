import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A throw-away certificate authority and a server certificate for `127.0.0.1` / `localhost`,
/// made at every start so the sandbox can serve HTTPS without shipping keys.
///
/// Clients trust the CA through its PEM file (`REQUESTS_CA_BUNDLE`, curl's `--cacert`, a CA file setting).
/// The server certificate is a proper leaf (not a self-signed CA) so strict verifiers accept it too.
struct SandboxCertificates: Sendable {
    /// PEM file of the CA certificate that clients should trust.
    let caFile: URL
    /// TLS settings for a server presenting the leaf certificate.
    let tlsConfiguration: TLSConfiguration

    /// Makes the CA and leaf and writes `ca.pem` (only the public certificate) into `directory`.
    static func generate(in directory: URL, host: String) throws -> SandboxCertificates {
        let now = Date()
        let validity = (notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(365 * 86_400))
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("Crosswalk")
            CommonName("Crosswalk Sandbox CA")
        }
        let caPublicKey = Certificate.PublicKey(caKey.publicKey)
        let caKeyID = SubjectKeyIdentifier(hash: caPublicKey)
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: caPublicKey,
            notValidBefore: validity.notBefore, notValidAfter: validity.notAfter,
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                caKeyID
            },
            issuerPrivateKey: .init(caKey))

        let leafKey = P256.Signing.PrivateKey()
        let leafPublicKey = Certificate.PublicKey(leafKey.publicKey)
        var names: [GeneralName] = [.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))]
        if let bytes = ipv4Bytes(host), bytes != [127, 0, 0, 1] {
            names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
        } else if ipv4Bytes(host) == nil, host != "localhost" {
            names.append(.dnsName(host))
        }
        let leaf = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: leafPublicKey,
            notValidBefore: validity.notBefore, notValidAfter: validity.notAfter,
            issuer: caName, subject: try DistinguishedName { CommonName("localhost") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
                AuthorityKeyIdentifier(keyIdentifier: caKeyID.keyIdentifier)
                SubjectKeyIdentifier(hash: leafPublicKey)
            },
            issuerPrivateKey: .init(caKey))

        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let caFile = directory.appendingPathComponent("ca.pem")
        try Data(try ca.serializeAsPEM().pemString.utf8).write(to: caFile, options: .atomic)

        var leafDER = DER.Serializer()
        try leafDER.serialize(leaf)
        let chain = [
            try NIOSSLCertificate(bytes: leafDER.serializedBytes, format: .der),
            try NIOSSLCertificate(bytes: Array(try ca.serializeAsPEM().pemString.utf8), format: .pem),
        ]
        let key = try NIOSSLPrivateKey(bytes: Array(leafKey.pemRepresentation.utf8), format: .pem)
        let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        return SandboxCertificates(caFile: caFile, tlsConfiguration: tls)
    }

    private static func ipv4Bytes(_ host: String) -> [UInt8]? {
        let parts = host.split(separator: ".").compactMap { UInt8($0) }
        return parts.count == 4 && host.split(separator: ".").count == 4 ? parts : nil
    }
}
