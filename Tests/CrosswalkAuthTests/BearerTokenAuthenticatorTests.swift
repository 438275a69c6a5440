import CrosswalkAuth
import CrosswalkCore
import Foundation
import Testing

@Suite("Bearer tokens: refresh before expiry, once per 401, shared by concurrent callers, persisted")
struct BearerTokenAuthenticatorTests {
    static let api = "https://api.example.test/crm/v3/objects/contacts"

    static func oauth2(token: OAuth2Token?, flow: OAuth2Credentials.Flow = .authorizationCode) -> OAuth2Credentials {
        OAuth2Credentials(flow: flow, clientID: "client", clientSecret: "client-secret", tokenURL: "https://auth.example.test/oauth/v1/token",
                          scopes: ["crm.objects.contacts.read"], token: token)
    }

    @Test("concurrent requests rejected with the same stale token share ONE refresh, then all succeed")
    func concurrentRefreshOnce() async throws {
        let callers = 8
        let server = FakeOAuthServer(acceptedToken: "revoked-on-server")
        await server.holdTokenEndpoint(untilRefusals: callers)
        let stale = OAuth2Token(accessToken: "stale", refreshToken: "rt-1", expiresAt: Date().addingTimeInterval(3600))
        let broker = try BearerTokenAuthenticator(credentials: .oauth2(Self.oauth2(token: stale)), http: server.client, logger: testLogger)
        let client = AuthenticatingClient(wrapping: server.client, authenticator: broker)

        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<callers { group.addTask { try await client.send(HTTPRequest(url: Self.api)).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: callers))
        #expect(await server.grants == 1)
        #expect(await server.refusals == callers)
        #expect(await server.tokenForms.first?["refresh_token"] == "rt-1")
    }

    @Test("a late 401 for a token that was already replaced retries without another refresh")
    func lateUnauthorized() async throws {
        let server = FakeOAuthServer()
        let stale = OAuth2Token(accessToken: "stale", refreshToken: "rt-1")
        let broker = try BearerTokenAuthenticator(credentials: .oauth2(Self.oauth2(token: stale)), http: server.client, logger: testLogger)
        let rejected = try await broker.authorize(HTTPRequest(url: Self.api))
        #expect(try await broker.handleUnauthorized(rejected))
        #expect(try await broker.handleUnauthorized(rejected))
        #expect(await server.grants == 1)
        #expect(try await broker.authorize(HTTPRequest(url: Self.api)).headers["Authorization"] == "Bearer at-1")
    }

    @Test("a token about to expire (within the skew) is renewed before use; a fresh one is not")
    func refreshBeforeExpiry() async throws {
        let server = FakeOAuthServer()
        let clock = TestClock()
        let token = OAuth2Token(accessToken: "at-0", refreshToken: "rt-0", expiresAt: clock.now.addingTimeInterval(3600))
        let broker = try BearerTokenAuthenticator(credentials: .oauth2(Self.oauth2(token: token)), http: server.client, logger: testLogger,
                                                  refreshSkew: 60, now: clock.function)
        #expect(try await broker.authorize(HTTPRequest(url: Self.api)).headers["Authorization"] == "Bearer at-0")
        clock.advance(by: 3539)
        #expect(try await broker.authorize(HTTPRequest(url: Self.api)).headers["Authorization"] == "Bearer at-0")
        #expect(await server.grants == 0)
        clock.advance(by: 2)
        #expect(try await broker.authorize(HTTPRequest(url: Self.api)).headers["Authorization"] == "Bearer at-1")
        #expect(await server.grants == 1)
        #expect(await broker.token?.expiresAt == clock.now.addingTimeInterval(3600))
    }

    @Test("each new token is persisted; a refresh answer without refresh_token keeps the old one (Salesforce)")
    func persistence() async throws {
        let server = FakeOAuthServer(tokenAnswer: { #"{"access_token":"at-\#($0)","instance_url":"https://acme.my.salesforce.com"}"# })
        let saved = LockedValue<[Credentials]>([])
        let token = OAuth2Token(accessToken: "old", refreshToken: "rt-keep", instanceURL: "https://acme.my.salesforce.com")
        let broker = try BearerTokenAuthenticator(credentials: .oauth2(Self.oauth2(token: token)), http: server.client, logger: testLogger,
                                                  persist: { credentials in saved.withLock { $0.append(credentials) } })
        let response = try await AuthenticatingClient(wrapping: server.client, authenticator: broker).send(HTTPRequest(url: Self.api))
        #expect(response.status == 200)
        let stored = try #require(saved.withLock { $0 }.last)
        guard case .oauth2(let credentials) = stored else { Issue.record("wrong scheme \(stored.scheme)"); return }
        #expect(credentials.token?.accessToken == "at-1")
        #expect(credentials.token?.refreshToken == "rt-keep")
        #expect(credentials.clientSecret == "client-secret")
    }

    @Test("a failing persist callback does not fail the request")
    func persistFailure() async throws {
        let server = FakeOAuthServer()
        let broker = try BearerTokenAuthenticator(credentials: .oauth2(Self.oauth2(token: nil, flow: .clientCredentials)),
                                                  http: server.client, logger: testLogger,
                                                  persist: { _ in throw CrosswalkError(.store, "disk full") })
        #expect(try await broker.authorize(HTTPRequest(url: Self.api)).headers["Authorization"] == "Bearer at-1")
    }

    @Test("client credentials: no token yet means one grant, with the configured scopes")
    func clientCredentials() async throws {
        let server = FakeOAuthServer()
        let broker = try BearerTokenAuthenticator(credentials: .oauth2(Self.oauth2(token: nil, flow: .clientCredentials)),
                                                  http: server.client, logger: testLogger)
        _ = try await broker.authorize(HTTPRequest(url: Self.api))
        _ = try await broker.authorize(HTTPRequest(url: Self.api))
        #expect(await server.grants == 1)
        #expect(await server.tokenForms.first?["grant_type"] == "client_credentials")
        #expect(await server.tokenForms.first?["scope"] == "crm.objects.contacts.read")
    }

    @Test("without a refresh token the broker says to connect again")
    func noRefreshToken() async throws {
        let server = FakeOAuthServer()
        let broker = try BearerTokenAuthenticator(credentials: .oauth2(Self.oauth2(token: nil)), http: server.client, logger: testLogger)
        let error = try await #require(throws: CrosswalkError.self) { try await broker.authorize(HTTPRequest(url: Self.api)) }
        #expect(error.code == .auth && error.message.contains("connect it again"))
        #expect(await server.grants == 0)
    }

    @Test("a server that rejects every token gets one refresh and one retry, then the 401 is returned")
    func retryOnlyOnce() async throws {
        let grants = LockedValue(0)
        let http = FakeHTTPClient { request in
            if request.url.hasSuffix("/token") {
                grants.withLock { $0 += 1 }
                return HTTPResponse(status: 200, body: Data(#"{"access_token":"new","refresh_token":"rt"}"#.utf8))
            }
            return HTTPResponse(status: 401)
        }
        let broker = try BearerTokenAuthenticator(credentials: .oauth2(Self.oauth2(token: OAuth2Token(accessToken: "a", refreshToken: "rt"))),
                                                  http: http, logger: testLogger)
        let sends = LockedValue(0)
        let counting = FakeHTTPClient { sends.withLock { $0 += 1 }; return try await http.send($0) }
        let response = try await AuthenticatingClient(wrapping: counting, authenticator: broker).send(HTTPRequest(url: Self.api))
        #expect(response.status == 401)
        #expect(sends.withLock { $0 } == 2)
        #expect(grants.withLock { $0 } == 1)
    }

    @Test("a refused refresh surfaces as an auth error from send")
    func refusedRefresh() async throws {
        let http = FakeHTTPClient { request in
            request.url.hasSuffix("/token")
                ? HTTPResponse(status: 400, body: Data(#"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#.utf8))
                : HTTPResponse(status: 401)
        }
        let broker = try BearerTokenAuthenticator(credentials: .oauth2(Self.oauth2(token: OAuth2Token(accessToken: "a", refreshToken: "rt-xyz1"))),
                                                  http: http, logger: testLogger)
        let error = try await #require(throws: CrosswalkError.self) {
            try await AuthenticatingClient(wrapping: http, authenticator: broker).send(HTTPRequest(url: Self.api))
        }
        #expect(error.code == .auth && error.message.contains("invalid_grant"))
    }

    @Test("static credentials never retry a 401")
    func staticNoRetry() async throws {
        let seen = LockedValue<[HTTPRequest]>([])
        let recording = FakeHTTPClient { request in seen.withLock { $0.append(request) }; return HTTPResponse(status: 401) }
        let client = AuthenticatingClient(wrapping: recording, authenticator: StaticCredentialAuthenticator(apiKey: .bearer("pat-na1-abc")))
        #expect(try await client.send(HTTPRequest(url: Self.api)).status == 401)
        #expect(seen.withLock { $0.map { $0.headers["Authorization"] } } == ["Bearer pat-na1-abc"])
    }

    @Test("basic and API-key headers")
    func staticHeaders() async throws {
        let basic = try await StaticCredentialAuthenticator(basic: BasicCredentials(username: "ada", password: "pa:ss"))
            .authorize(HTTPRequest(url: Self.api))
        #expect(basic.headers["Authorization"] == "Basic " + Data("ada:pa:ss".utf8).base64EncodedString())
        let key = try await StaticCredentialAuthenticator(apiKey: APIKeyCredentials(headerName: "X-Api-Key", key: "k-123"))
            .authorize(HTTPRequest(url: Self.api))
        #expect(key.headers["X-Api-Key"] == "k-123" && key.headers["Authorization"] == nil)
    }

    @Test("token exchange (SPOTIO): posts the filled JSON template, reads accessToken, renews on 401")
    func tokenExchange() async throws {
        let bodies = LockedValue<[String]>([])
        let issued = LockedValue(0)
        let http = FakeHTTPClient { request in
            if request.url.hasSuffix("/api/users/apitoken") {
                bodies.withLock { $0.append(String(decoding: request.body, as: UTF8.self)) }
                let n = issued.withLock { $0 += 1; return $0 }
                return HTTPResponse(status: 200, body: Data(#"{"accessToken":"spotio-\#(n)"}"#.utf8))
            }
            return HTTPResponse(status: request.headers["Authorization"] == "Bearer spotio-2" ? 200 : 401)
        }
        let credentials = TokenExchangeCredentials(url: "https://api.spotio2.com/api/users/apitoken",
                                                   bodyTemplate: #"{"clientId":"{{clientId}}","secret":"{{secret}}"}"#,
                                                   values: ["clientId": "cid", "secret": "se\"cret"])
        let broker = try BearerTokenAuthenticator(credentials: .tokenExchange(credentials), http: http, logger: testLogger)
        let response = try await AuthenticatingClient(wrapping: http, authenticator: broker).send(HTTPRequest(url: "https://api.spotio2.com/api/DataObject"))
        #expect(response.status == 200)
        #expect(bodies.withLock { $0 } == Array(repeating: #"{"clientId":"cid","secret":"se\"cret"}"#, count: 2))
    }

    @Test("a template placeholder without a value is a config error")
    func missingPlaceholder() throws {
        let credentials = TokenExchangeCredentials(url: "https://x.test/t", bodyTemplate: #"{"a":"{{missing}}"}"#, values: [:])
        let error = try #require(throws: CrosswalkError.self) { try credentials.body() }
        #expect(error.code == .config && error.message.contains("{{missing}}"))
    }
}
