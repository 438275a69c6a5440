import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Logging
import Testing

/// One credential broker per connection: a Salesforce refresh token that works once (Refresh
/// Token Rotation) survives every instance and flow of the connection refreshing at the same
/// moment, and another process sharing the vault.
@Suite struct CredentialBrokerTests {
    let sf = SalesforceApp.demoCredentials

    /// A Salesforce emulator whose connected app rotates refresh tokens.
    static func rotating(_ webhooks: SandboxWebhookDispatcher) -> [any SandboxApp] {
        [SalesforceApp(environment: webhooks.environment(for: "salesforce"), rotatesRefreshTokens: true)]
    }

    /// Authorises through the sandbox's authorization-code flow; the credentials hold a refresh token.
    func authorised(_ sandbox: RunningSandbox, transport: any HTTPClient) async throws -> OAuth2Credentials {
        let base = sandbox.urls["salesforce"]!.absoluteString
        let registration = OAuth2Credentials(flow: .authorizationCode, clientID: sf.clientID, clientSecret: sf.clientSecret,
                                             tokenURL: base + "/services/oauth2/token", authorizationURL: base + "/services/oauth2/authorize",
                                             redirectURI: "http://127.0.0.1:9/callback", scopes: ["api", "refresh_token"])
        let session = try OAuth2AuthorizationSession(credentials: registration)
        let approval = try await TestHTTP.send("GET", URL(string: session.authorizationURL)!, followRedirects: false)
        return try await session.complete(redirectURL: try #require(approval.headers["location"]), http: transport)
    }

    func connection(_ sandbox: RunningSandbox, baseURL: String? = nil) -> ConnectionConfig {
        ConnectionConfig(name: "sf", connector: "dev.crosswalk.httpprobe", settings: [
            "base_url": .string(baseURL ?? sandbox.urls["salesforce"]!.absoluteString), "check_path": "/services/data/v60.0/limits",
            "objects": ["Account": "/services/data/v60.0/query?q=SELECT+Id,Name+FROM+Account+LIMIT+3"],
        ])
    }

    func tokenCalls(_ sandbox: RunningSandbox) async throws -> Int {
        let counters = try await TestHTTP.send("GET", sandbox.url("salesforce", "/__sandbox/counters")).object
        return (counters["by_route"] as? [String: Int])?["POST /services/oauth2/token"] ?? 0
    }

    func refreshWorks(_ sandbox: RunningSandbox, _ token: String) async throws -> Bool {
        let form = "grant_type=refresh_token&client_id=\(sf.clientID)&client_secret=\(sf.clientSecret)&refresh_token=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        return try await TestHTTP.send("POST", sandbox.url("salesforce", "/services/oauth2/token"), form: form).status == 200
    }

    @Test func twoInstancesRefreshingAtOnceSpendTheRotatingRefreshTokenOnce() async throws {
        try await RunningSandbox.with(Self.rotating, configure: { $0.seedCount = 3 }) { sandbox in
            let dir = try TestFiles.temporaryFolder("broker")
            let (logger, logs) = LogRecorder.logger()
            let runtime = try await HostUnderTest.openRuntime(in: dir, logger: logger)
            let probe = try PluginLoader(logger: logger).load(path: TestFiles.builtPlugin("CrosswalkHTTPProbe"))
            let original = try await authorised(sandbox, transport: runtime.transport)
            try await runtime.vault.store(.oauth2(original), name: "sf")

            // Two instances of one connection (two flows), four calls each, all with an expired token.
            let a = try await runtime.client(for: connection(sandbox), plugin: probe)
            let b = try await runtime.client(for: connection(sandbox), plugin: probe)
            #expect(try await runtime.context(for: connection(sandbox), plugin: probe) === runtime.context(for: connection(sandbox), plugin: probe))
            _ = try await TestHTTP.send("POST", sandbox.url("salesforce", "/__sandbox/faults"), json: ["expire_tokens": true])
            let before = try await tokenCalls(sandbox)
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for client in [a, b, a, b, a, b, a, b] { group.addTask { try await client.check().ok } }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results == Array(repeating: true, count: 8))
            #expect(try await tokenCalls(sandbox) - before == 1, "one refresh for the whole connection")

            // The rotated refresh token was stored before use; the spent one no longer works.
            guard case .oauth2(let stored)? = try await runtime.vault.credentials(name: "sf") else {
                Issue.record("the credentials vanished from the vault")
                return
            }
            let rotated = try #require(stored.token?.refreshToken)
            #expect(rotated != original.token?.refreshToken)
            #expect(try await refreshWorks(sandbox, try #require(original.token?.refreshToken)) == false)
            #expect(!logs.text.contains(rotated))
            await a.close()
            await b.close()
            await runtime.close()
        }
    }

    @Test func anotherProcessThatRefreshedFirstIsFollowedNotRaced() async throws {
        try await RunningSandbox.with(Self.rotating, configure: { $0.seedCount = 3 }) { sandbox in
            let dir = try TestFiles.temporaryFolder("broker-2")
            let (logger, _) = LogRecorder.logger()
            // Two hosts on one database and vault key: `crosswalk serve` and a `crosswalk read` beside it.
            let first = try await HostUnderTest.openRuntime(in: dir, logger: logger)
            let second = try await HostUnderTest.openRuntime(in: dir, logger: logger)
            let probe = try PluginLoader(logger: logger).load(path: TestFiles.builtPlugin("CrosswalkHTTPProbe"))
            try await first.vault.store(.oauth2(try await authorised(sandbox, transport: first.transport)), name: "sf")
            let a = try await first.client(for: connection(sandbox), plugin: probe)
            let b = try await second.client(for: connection(sandbox), plugin: probe)
            #expect(try await a.check().ok)
            #expect(try await b.check().ok)

            _ = try await TestHTTP.send("POST", sandbox.url("salesforce", "/__sandbox/faults"), json: ["expire_tokens": true])
            let before = try await tokenCalls(sandbox)
            #expect(try await a.check().ok) // refreshes, spends the refresh token both hosts loaded
            #expect(try await b.check().ok) // finds the new token in the vault instead of spending the old one
            #expect(try await tokenCalls(sandbox) - before == 1)
            for client in [a, b] { await client.close() }
            await first.close()
            await second.close()
        }
    }

    @Test func factsComeFromTheTokenAndPathsGoToItsInstanceURL() async throws {
        try await RunningSandbox.with(Self.rotating, configure: { $0.seedCount = 3 }) { sandbox in
            let dir = try TestFiles.temporaryFolder("broker-facts")
            let (logger, _) = LogRecorder.logger()
            let runtime = try await HostUnderTest.openRuntime(in: dir, logger: logger)
            let probe = try PluginLoader(logger: logger).load(path: TestFiles.builtPlugin("CrosswalkHTTPProbe"))
            try await runtime.vault.store(.oauth2(try await authorised(sandbox, transport: runtime.transport)), name: "sf")
            // base_url names a login host where nothing listens: paths must go to the token's instance URL.
            let config = connection(sandbox, baseURL: "http://127.0.0.1:9")
            let client = try await runtime.client(for: config, plugin: probe)
            let check = try await client.check()
            #expect(check.ok, "\(check.message)")
            let facts = try await runtime.context(for: config, plugin: probe).facts()
            #expect(facts.connection == "sf")
            #expect(facts.baseURL == "http://127.0.0.1:9")
            #expect(facts.instanceURL == sandbox.urls["salesforce"]!.absoluteString)
            #expect(facts.accountID == SalesforceApp.organizationID)
            #expect(facts.userID == SalesforceApp.apiUserID)
            #expect(facts.settings?["check_path"]?.stringValue == "/services/data/v60.0/limits")
            // Facts are non-secret: no token in them.
            #expect(!JSONValue.object(["f": try JSONValueEncoder().encodeValue(facts)]).text.contains("!AQ"))
            await client.close()
            await runtime.close()
        }
    }
}
