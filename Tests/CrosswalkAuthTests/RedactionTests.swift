import CrosswalkAuth
import CrosswalkCore
import Foundation
import Testing

@Suite("Secrets never show in descriptions, dumps or error messages")
struct RedactionTests {
    static func leaked(in text: String) -> [String] {
        SampleCredentials.secrets.filter { text.contains($0) }
    }

    @Test("description, debugDescription, interpolation and dump of every scheme hide every secret", arguments: SampleCredentials.all)
    func credentialsDescriptions(credentials: Credentials) {
        let printed = everyPrintedForm(of: credentials)
        #expect(Self.leaked(in: printed) == [])
        #expect(printed.contains("<redacted>"))
        #expect(printed.contains(credentials.scheme))
    }

    @Test("the payload types and tokens are redacted on their own too")
    func payloadDescriptions() throws {
        for credentials in SampleCredentials.all {
            guard let payload = Mirror(reflecting: credentials).children.first?.value else { Issue.record("no payload"); continue }
            #expect(Self.leaked(in: everyPrintedForm(of: payload)) == [])
        }
        let token = OAuth2Token(accessToken: "oauth-access-SECRET", refreshToken: "oauth-refresh-SECRET")
        #expect(Self.leaked(in: everyPrintedForm(of: token)) == [])
        let session = try OAuth2AuthorizationSession(credentials: OAuth2Credentials(
            flow: .authorizationCode, clientID: "c", clientSecret: "oauth-client-SECRET", tokenURL: "https://t.test/token",
            authorizationURL: "https://t.test/authorize", redirectURI: "http://127.0.0.1/cb"), state: "state-SECRET")
        let printed = everyPrintedForm(of: session)
        #expect(!printed.contains("state-SECRET") && !printed.contains(session.pkce!.verifier) && Self.leaked(in: printed) == [])
    }

    @Test("useful non-secret fields still show")
    func visibleFields() {
        let printed = SampleCredentials.all.map { String(describing: $0) }.joined(separator: "\n")
        for visible in ["client-id", "https://login.example.test/token", "1234567_SB1", "ada", "https://acme.my.salesforce.com", "clientId,secret"] {
            #expect(printed.contains(visible), "expected \(visible) in descriptions")
        }
    }

    @Test("errors from every refusing component carry no secret")
    func errorMessages() async throws {
        var errors: [any Error] = []
        let echo = FakeHTTPClient { request in
            // A hostile or careless server that echoes the whole request back in its refusal.
            let echoed = String(decoding: request.body, as: UTF8.self) + " " + (request.headers["Authorization"] ?? "")
            let body = try JSONSerialization.data(withJSONObject: ["error": "invalid_grant", "error_description": echoed, "message": echoed])
            return HTTPResponse(status: 400, body: body)
        }
        for credentials in SampleCredentials.all {
            do {
                let broker = try credentials.makeAuthenticator(http: echo, logger: testLogger)
                let request = try await broker.authorize(HTTPRequest(method: "POST", url: "https://api.example.test/x"))
                _ = try await broker.handleUnauthorized(request)
            } catch { errors.append(error) }
        }
        let sealed = try SecretBox(key: VaultKey.generate()).seal(Data("basic-password-SECRET".utf8), name: "n")
        do { _ = try SecretBox(key: VaultKey.generate()).open(sealed, name: "n") } catch { errors.append(error) }
        do { _ = try JWTSigner(privateKeyPEM: "jwt-key-SECRET", algorithm: .rs256) } catch { errors.append(error) }
        do { _ = try VaultKey(base64: "apikey-SECRET") } catch { errors.append(error) }

        #expect(errors.count >= 6)
        for error in errors {
            let text = String(describing: error) + String(reflecting: error)
            #expect(Self.leaked(in: text) == [], "leak in \(text)")
        }
    }
}
