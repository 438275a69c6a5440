import CrosswalkAuth
import CrosswalkCore
import Foundation
import Testing

@Suite("OAuth 2.0 authorization code with PKCE")
struct OAuth2AuthorizationTests {
    static let registration = OAuth2Credentials(
        flow: .authorizationCode, clientID: "3MVG9-client", clientSecret: "client-secret-xyz",
        tokenURL: "https://login.example.test/services/oauth2/token",
        authorizationURL: "https://login.example.test/services/oauth2/authorize",
        redirectURI: "http://127.0.0.1:8765/callback", scopes: ["api", "refresh_token"])

    @Test("S256 challenge of the RFC 7636 Appendix B verifier")
    func rfc7636Vector() throws {
        let pkce = try PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(pkce.challengeMethod == "S256")
    }

    @Test("generated verifiers are 43 unreserved characters and differ")
    func generatedVerifiers() throws {
        let a = PKCE.generate(), b = PKCE.generate()
        #expect(a.verifier.count == 43 && a.verifier != b.verifier)
        #expect(try PKCE(verifier: a.verifier).challenge == a.challenge)
    }

    @Test("verifiers that break RFC 7636 §4.1 are refused", arguments: ["short", String(repeating: "a", count: 129), String(repeating: "a", count: 42) + "+"])
    func badVerifier(verifier: String) {
        #expect(throws: CrosswalkError.self) { try PKCE(verifier: verifier) }
    }

    @Test("the authorization URL carries client, redirect, scopes, state and the S256 challenge")
    func authorizationURL() throws {
        let pkce = try PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        let session = try OAuth2AuthorizationSession(credentials: Self.registration, extraParameters: [("prompt", "login consent")],
                                                     state: "st-123", pkce: pkce)
        #expect(session.authorizationURL == "https://login.example.test/services/oauth2/authorize?response_type=code&client_id=3MVG9-client&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback&scope=api%20refresh_token&state=st-123&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&prompt=login%20consent")
        #expect(!session.authorizationURL.contains("client-secret-xyz"))
    }

    @Test("each session gets its own random state")
    func randomState() throws {
        let a = try OAuth2AuthorizationSession(credentials: Self.registration)
        let b = try OAuth2AuthorizationSession(credentials: Self.registration)
        #expect(a.state != b.state && a.state.count >= 32)
    }

    @Test("the redirect's code is returned only when the state matches")
    func stateValidation() throws {
        let session = try OAuth2AuthorizationSession(credentials: Self.registration, state: "good-state")
        #expect(try session.authorizationCode(fromRedirect: "http://127.0.0.1:8765/callback?code=aPrx%2Fcode&state=good-state") == "aPrx/code")
        #expect(throws: CrosswalkError.self) { try session.authorizationCode(fromRedirect: "http://127.0.0.1:8765/callback?code=c&state=forged") }
        #expect(throws: CrosswalkError.self) { try session.authorizationCode(fromRedirect: "http://127.0.0.1:8765/callback?code=c") }
        #expect(throws: CrosswalkError.self) { try session.authorizationCode(fromRedirect: "http://127.0.0.1:8765/callback?state=good-state") }
    }

    @Test("a refusal on the redirect surfaces the server's error as an auth error")
    func redirectError() throws {
        let session = try OAuth2AuthorizationSession(credentials: Self.registration, state: "s")
        let error = try #require(throws: CrosswalkError.self) {
            try session.authorizationCode(fromRedirect: "http://127.0.0.1:8765/callback?error=access_denied&error_description=end-user+denied+authorization&state=s")
        }
        #expect(error.code == .auth)
        #expect(error.message.contains("access_denied (end-user denied authorization)"))
    }

    @Test("the code exchange posts code, redirect URI, verifier and client credentials, and keeps the tokens")
    func exchange() async throws {
        let server = FakeOAuthServer(tokenAnswer: { _ in
            #"{"access_token":"00Dxx!AQ","refresh_token":"5Aep-refresh","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00D/005","token_type":"Bearer","issued_at":"1700000000123","signature":"sig"}"#
        })
        let session = try OAuth2AuthorizationSession(credentials: Self.registration, state: "s")
        let connected = try await session.complete(redirectURL: "http://127.0.0.1:8765/callback?code=the-code&state=s", http: server.client)
        let form = try #require(await server.tokenForms.first)
        #expect(form == ["grant_type": "authorization_code", "code": "the-code", "redirect_uri": "http://127.0.0.1:8765/callback",
                         "code_verifier": session.pkce!.verifier, "client_id": "3MVG9-client", "client_secret": "client-secret-xyz"])
        let token = try #require(connected.token)
        #expect(token.accessToken == "00Dxx!AQ" && token.refreshToken == "5Aep-refresh")
        #expect(token.instanceURL == "https://acme.my.salesforce.com")
        #expect(token.issuedAt == Date(timeIntervalSince1970: 1_700_000_000.123))
        #expect(token.expiresAt == nil)
    }

    @Test("a session needs an authorization URL and a redirect URI")
    func incompleteRegistration() {
        var registration = Self.registration
        registration.redirectURI = nil
        #expect(throws: CrosswalkError.self) { try OAuth2AuthorizationSession(credentials: registration) }
    }
}
