import CrosswalkAuth
import CrosswalkCore
import Crypto
import Foundation
import Testing
import _CryptoExtras

@Suite("JWT assertions (RS256, PS256, ES256) and the JWT bearer grant")
struct JWTTests {
    /// One RSA key for the whole suite (generation is the slow part).
    static let rsaKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    static func decodeBase64URL(_ text: Substring) throws -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return try #require(Data(base64Encoded: base64))
    }

    static func parts(_ jwt: String) throws -> (header: [String: Any], claims: [String: Any], input: Data, signature: Data) {
        let pieces = jwt.split(separator: ".", omittingEmptySubsequences: false)
        try #require(pieces.count == 3)
        #expect(!jwt.contains("=") && !jwt.contains("+") && !jwt.contains("/"))
        let header = try #require(try JSONSerialization.jsonObject(with: decodeBase64URL(pieces[0])) as? [String: Any])
        let claims = try #require(try JSONSerialization.jsonObject(with: decodeBase64URL(pieces[1])) as? [String: Any])
        return (header, claims, Data("\(pieces[0]).\(pieces[1])".utf8), try decodeBase64URL(pieces[2]))
    }

    static let claims = JWTClaims(iss: "3MVG9-consumer-key", sub: "integration@acme.example", aud: "https://login.salesforce.com",
                                  iat: 1_700_000_000, exp: 1_700_000_180)

    @Test("RS256: header and claims as Salesforce expects, and the signature verifies with the public key")
    func rs256() throws {
        let jwt = try JWTSigner(privateKeyPEM: Self.rsaKey.pemRepresentation, algorithm: .rs256).sign(Self.claims)
        let (header, claims, input, signature) = try Self.parts(jwt)
        #expect(header as? [String: String] == ["alg": "RS256", "typ": "JWT"])
        #expect(claims["iss"] as? String == "3MVG9-consumer-key")
        #expect(claims["sub"] as? String == "integration@acme.example")
        #expect(claims["aud"] as? String == "https://login.salesforce.com")
        #expect(claims["exp"] as? Int == 1_700_000_180)
        let publicKey = Self.rsaKey.publicKey
        let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
        #expect(publicKey.isValidSignature(rsaSignature, for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5))
        #expect(!publicKey.isValidSignature(rsaSignature, for: SHA256.hash(data: input + Data("x".utf8)), padding: .insecurePKCS1v1_5))
    }

    @Test("PS256 with a kid header verifies with PSS padding (NetSuite M2M)")
    func ps256() throws {
        let jwt = try JWTSigner(privateKeyPEM: Self.rsaKey.pkcs8PEMRepresentation, algorithm: .ps256, keyID: "cert-id-1").sign(Self.claims)
        let (header, _, input, signature) = try Self.parts(jwt)
        #expect(header as? [String: String] == ["alg": "PS256", "typ": "JWT", "kid": "cert-id-1"])
        let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
        #expect(Self.rsaKey.publicKey.isValidSignature(rsaSignature, for: SHA256.hash(data: input), padding: .PSS))
        #expect(!Self.rsaKey.publicKey.isValidSignature(rsaSignature, for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5))
    }

    @Test("ES256 signs with a P-256 key in JWS (r||s) form")
    func es256() throws {
        let key = P256.Signing.PrivateKey()
        let jwt = try JWTSigner(privateKeyPEM: key.pemRepresentation, algorithm: .es256).sign(Self.claims)
        let (header, _, input, signature) = try Self.parts(jwt)
        #expect(header["alg"] as? String == "ES256")
        #expect(signature.count == 64)
        #expect(key.publicKey.isValidSignature(try P256.Signing.ECDSASignature(rawRepresentation: signature), for: input))
    }

    @Test("a bad key is refused without repeating the PEM")
    func badKey() throws {
        let pem = "-----BEGIN PRIVATE KEY-----\nTOP-SECRET-KEY-MATERIAL\n-----END PRIVATE KEY-----"
        let error = try #require(throws: CrosswalkError.self) { try JWTSigner(privateKeyPEM: pem, algorithm: .rs256) }
        #expect(error.code == .auth)
        #expect(!error.description.contains("TOP-SECRET-KEY-MATERIAL"))
    }

    @Test("Salesforce JWT bearer flow: posts the grant with a fresh assertion and uses the token")
    func bearerGrant() async throws {
        let server = FakeOAuthServer(tokenAnswer: { #"{"access_token":"at-\#($0)","instance_url":"https://acme.my.salesforce.com","token_type":"Bearer"}"# })
        let credentials = JWTCredentials(privateKeyPEM: Self.rsaKey.pemRepresentation, issuer: "3MVG9-consumer-key",
                                         subject: "integration@acme.example", audience: "https://login.salesforce.com",
                                         tokenURL: "https://login.salesforce.com/services/oauth2/token")
        let clock = TestClock()
        let broker = try BearerTokenAuthenticator(credentials: .jwt(credentials), http: server.client, logger: testLogger, now: clock.function)
        let signed = try await broker.authorize(HTTPRequest(url: "https://acme.my.salesforce.com/services/data/v60.0/sobjects"))
        #expect(signed.headers["Authorization"] == "Bearer at-1")
        #expect(await broker.token?.instanceURL == "https://acme.my.salesforce.com")
        let form = try #require(await server.tokenForms.first)
        #expect(form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer")
        #expect(form["client_id"] == nil && form["client_secret"] == nil)
        let (_, claims, _, _) = try Self.parts(try #require(form["assertion"]))
        #expect(claims["iat"] as? Int == 1_700_000_000 && claims["exp"] as? Int == 1_700_000_180)
    }

    @Test("NetSuite M2M: client_credentials with a client assertion carrying scope and aud = token URL")
    func clientAssertion() async throws {
        let server = FakeOAuthServer()
        let tokenURL = "https://1234567.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token"
        let credentials = JWTCredentials(privateKeyPEM: Self.rsaKey.pemRepresentation, algorithm: .ps256, keyID: "cert-1",
                                         issuer: "client-id", subject: nil, audience: tokenURL, tokenURL: tokenURL,
                                         scope: "rest_webservices", lifetimeSeconds: 3600, use: .clientAssertion)
        _ = try await credentials.fetchToken(http: server.client)
        let form = try #require(await server.tokenForms.first)
        #expect(form["grant_type"] == "client_credentials")
        #expect(form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        let (header, claims, _, _) = try Self.parts(try #require(form["client_assertion"]))
        #expect(header["kid"] as? String == "cert-1")
        #expect(claims["scope"] as? String == "rest_webservices" && claims["aud"] as? String == tokenURL && claims["sub"] == nil)
    }
}
