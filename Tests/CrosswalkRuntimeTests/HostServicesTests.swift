import CrosswalkAuth
import CrosswalkConfig
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// Issue 4 end to end: a real plugin `.so` makes requests through the host, which authenticates
/// them with each scheme against the sandbox — the plugin never holds a secret.
@Suite struct HostServicesTests {
    let sf = SalesforceApp.demoCredentials
    let aritic = AriticApp.demoCredentials
    let spotio = SpotioApp.demoCredentials

    func salesforceClientCredentials(_ h: HostUnderTest) -> Credentials {
        .oauth2(OAuth2Credentials(flow: .clientCredentials, clientID: sf.dictionary["client_id"]!, clientSecret: sf.dictionary["client_secret"]!,
                                  clientAuthentication: .basic, tokenURL: h.sandbox.url("salesforce", "/services/oauth2/token").absoluteString))
    }

    @Test func oauthClientCredentialsAuthenticatesAndRefreshesOnceWhenTheTokenExpires() async throws {
        try await HostUnderTest.with { h in
            let instance = try await h.probe("salesforce", credentials: salesforceClientCredentials(h), checkPath: "/services/data/v60.0/limits",
                                             objects: ["Account": "/services/data/v60.0/query?q=SELECT+Id,Name+FROM+Account+LIMIT+5"])
            #expect(try await check(instance)["message"] as? String == "GET /services/data/v60.0/limits answered HTTP 200")
            #expect(try await h.count("salesforce", "POST /services/oauth2/token") == 1)

            // The token expires mid-run: the next request gets 401, the host refreshes once and carries on.
            _ = try await h.control("salesforce", "POST", "faults", ["expire_tokens": true])
            let page = try JSONSerialization.jsonObject(with: try await instance.read(Data(#"{"version":1,"object":"Account"}"#.utf8))) as? [String: Any]
            #expect((page?["records"] as? [Any])?.count == 5)
            #expect(try await check(instance)["ok"] as? Bool == true)
            #expect(try await h.count("salesforce", "POST /services/oauth2/token") == 2)
            let statuses = try await h.requests("salesforce").filter { ($0["path"] as? String)?.hasPrefix("/services/data") == true }.map { $0["status"] as? Int }
            #expect(statuses == [200, 401, 200, 200])

            // The renewed token was written back to the vault.
            guard case .oauth2(let stored)? = try await h.vault.credentials(name: "salesforce-conn") else {
                Issue.record("credentials vanished from the vault")
                return
            }
            #expect(stored.token?.accessToken.isEmpty == false)
            // No secret in the host's logs.
            #expect(!h.logs.text.contains(sf.dictionary["client_secret"]!))
            #expect(!h.logs.text.contains(stored.token!.accessToken))
        }
    }

    @Test func basicAuthAndWrongPassword() async throws {
        try await HostUnderTest.with { h in
            let good = try await h.probe("aritic", credentials: .basic(BasicCredentials(username: aritic.dictionary["username"]!, password: aritic.dictionary["password"]!)),
                                         checkPath: "/api/contacts?limit=1")
            #expect(try await check(good)["message"] as? String == "GET /api/contacts?limit=1 answered HTTP 200")
            try await h.vault.store(.basic(BasicCredentials(username: "admin", password: "wrong-password")), name: "aritic-wrong")
            let bad = try await h.instantiate(.init(name: "aritic-wrong", connector: h.probe.id,
                                                    settings: ["base_url": .string(h.sandbox.urls["aritic"]!.absoluteString), "check_path": "/api/contacts"]))
            #expect(try await check(bad)["message"] as? String == "GET /api/contacts answered HTTP 401")
            #expect(!h.logs.text.contains("wrong-password"))
        }
    }

    @Test func tokenExchangeBearer() async throws {
        try await HostUnderTest.with { h in
            let credentials = Credentials.tokenExchange(TokenExchangeCredentials(
                url: h.sandbox.url("spotio", "/api/users/apitoken").absoluteString,
                bodyTemplate: #"{"clientId":"{{clientId}}","secret":"{{secret}}"}"#,
                values: ["clientId": spotio.dictionary["client_id"]!, "secret": spotio.dictionary["secret"]!], tokenField: "accessToken"))
            let instance = try await h.probe("spotio", credentials: credentials, checkPath: "/api/DataObjects/many")
            #expect(try await check(instance)["ok"] as? Bool == true)
            #expect(try await h.count("spotio", "POST /api/users/apitoken") == 1)
        }
    }

    @Test func missingOrMismatchedCredentialsAreClearErrors() async throws {
        try await HostUnderTest.with { h in
            let plugin = try PluginLoader(logger: LogRecorder.logger().0).load(path: TestFiles.builtPlugin("CrosswalkMemory"))
            // A plugin that needs no auth runs without credentials.
            _ = try await h.instantiate(.init(name: "catalogue", connector: plugin.id), plugin: plugin)
            // One that needs basic auth does not, and says how to fix it.
            let aritic = try PluginLoader(logger: LogRecorder.logger().0).load(path: TestFiles.builtPlugin("CrosswalkExampleC"))
            let e = try await #require(throws: CrosswalkError.self) {
                _ = try await h.instantiate(.init(name: "nothing-stored", connector: aritic.id, settings: ["base_url": "http://127.0.0.1:1"]), plugin: aritic)
            }
            #expect(e.code == .auth)
            #expect(e.message.contains("has no credentials in the vault (entry \"nothing-stored\"); add them with `crosswalk connections add nothing-stored`"))
            try await h.vault.store(.apiKey(.bearer("k")), name: "wrong-scheme")
            let wrong = try await #require(throws: CrosswalkError.self) {
                _ = try await h.instantiate(.init(name: "wrong-scheme", connector: aritic.id, settings: ["base_url": "http://127.0.0.1:1"]), plugin: aritic)
            }
            #expect(wrong.message == "dev.crosswalk.example.c needs basic credentials, but the vault entry \"wrong-scheme\" holds api_key")
            // A connection whose credentials do not exist yet, for a plugin that accepts any scheme, runs unauthenticated;
            // the app then refuses, which the plugin reports.
            let anon = try await h.probe("aritic", credentials: nil, checkPath: "/api/contacts")
            #expect(try await check(anon)["message"] as? String == "GET /api/contacts answered HTTP 401")
        }
    }

    @Test func rateLimitStormAndServerErrorsAreSurvived() async throws {
        try await HostUnderTest.with { h in
            let instance = try await h.probe("aritic", credentials: .basic(BasicCredentials(username: aritic.dictionary["username"]!, password: aritic.dictionary["password"]!)),
                                             checkPath: "/api/contacts?limit=1", objects: ["Contact": "/api/contacts?limit=5"])
            // 6 answers of 429 in a row (more than the default 5 attempts of one request), then 5% of all requests fail with a 500.
            _ = try await h.control("aritic", "POST", "faults", ["rate_limit_burst": 6, "retry_after_s": 0, "error_rate": 0.05])
            _ = try await h.control("aritic", "POST", "counters/reset")
            for _ in 0..<60 {
                let result = try await check(instance)
                #expect(result["ok"] as? Bool == true, "\(result)")
            }
            let log = try await h.requests("aritic").filter { $0["path"] as? String == "/api/contacts" }
            // Every check got through; every other answer the app gave was an injected fault the host retried.
            #expect(log.filter { $0["status"] as? Int == 200 }.count == 60)
            #expect(log.filter { $0["status"] as? Int == 429 }.count == 6)
            #expect(log.filter { $0["status"] as? Int != 200 }.allSatisfy { $0["fault"] != nil })
        }
    }

    @Test func netsuiteTokenBasedAuthIsAcceptedByTheVerifierAndAWrongSecretIsNot() async throws {
        try await HostUnderTest.with { h in
            typealias NS = NetSuiteDemoCredentials
            let tba = NetSuiteTBACredentials(accountID: NS.accountId, consumerKey: NS.consumerKey, consumerSecret: NS.consumerSecret,
                                             tokenID: NS.tokenId, tokenSecret: NS.tokenSecret)
            let instance = try await h.probe("netsuite", credentials: .netsuiteTBA(tba), checkPath: "/services/rest/record/v1/customer?limit=2",
                                             objects: ["contact": "/services/rest/record/v1/contact"])
            #expect(try await check(instance)["message"] as? String == "GET /services/rest/record/v1/customer?limit=2 answered HTTP 200")
            // A POST with a JSON body is signed too (a new nonce per request, which the verifier enforces).
            let write = try JSONSerialization.jsonObject(with: try await instance.write(Data(#"""
                {"version":1,"object":"contact","operation":"create","records":[{"ref":"r1","fields":{"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com"}}]}
                """#.utf8))) as? [String: Any]
            #expect(((write?["results"] as? [[String: Any]])?.first)?["ok"] as? Bool == true)
            #expect(try await check(instance)["ok"] as? Bool == true)

            var wrong = tba
            wrong.tokenSecret = String(repeating: "0", count: 64)
            let refused = try await h.probe("netsuite", credentials: .netsuiteTBA(wrong), checkPath: "/services/rest/record/v1/customer", name: "netsuite-wrong")
            #expect(try await check(refused)["message"] as? String == "GET /services/rest/record/v1/customer answered HTTP 401")
        }
    }

    @Test func privateAppTokenAndNoSecretInTheDatabaseOrLogs() async throws {
        try await HostUnderTest.with { h in
            let token = HubSpotDemoCredentials.privateAppToken
            let instance = try await h.probe("hubspot", credentials: .apiKey(.bearer(token)), checkPath: "/crm/v3/objects/contacts?limit=1")
            #expect(try await check(instance)["ok"] as? Bool == true)
            try await h.vault.store(.basic(BasicCredentials(username: "admin", password: "an-unmistakable-password")), name: "other")
            // The store holds sealed bytes only: neither secret appears anywhere in the SQLite files.
            for file in try FileManager.default.contentsOfDirectory(at: h.databaseFolder, includingPropertiesForKeys: nil) {
                let bytes = try Data(contentsOf: file)
                #expect(bytes.range(of: Data(token.utf8)) == nil, "\(file.lastPathComponent) holds the HubSpot token")
                #expect(bytes.range(of: Data("an-unmistakable-password".utf8)) == nil, "\(file.lastPathComponent) holds the password")
            }
            #expect(!h.logs.text.contains(token))
        }
    }

    @Test func jwtBearerGrantIsVerifiedBySalesforce() async throws {
        try await HostUnderTest.with { h in
            let jwt = JWTCredentials(privateKeyPEM: SalesforceCredentials.demoJWTPrivateKeyPEM, issuer: sf.clientID, subject: sf.username,
                                     audience: "https://login.salesforce.com",
                                     tokenURL: h.sandbox.url("salesforce", "/services/oauth2/token").absoluteString)
            let instance = try await h.probe("salesforce", credentials: .jwt(jwt), checkPath: "/services/data/v60.0/limits")
            #expect(try await check(instance)["ok"] as? Bool == true)
            #expect(try await h.count("salesforce", "POST /services/oauth2/token") == 1)
        }
    }

    @Test func theLimiterFollowsHubSpotsRateLimitHeadersAndNeverGets429() async throws {
        // A portal allowed 6 calls per 10 s: 9 calls must wait for the next window instead of being refused.
        let apps: (SandboxWebhookDispatcher) -> [any SandboxApp] = {
            [HubSpotApp(environment: $0.environment(for: "hubspot"), configuration: .init(burstPerTenSeconds: 6))]
        }
        try await HostUnderTest.with(apps: apps) { h in
            let instance = try await h.probe("hubspot", credentials: .apiKey(.bearer(HubSpotDemoCredentials.privateAppToken)),
                                             checkPath: "/crm/v3/objects/contacts?limit=1")
            for _ in 0..<9 {
                #expect(try await check(instance)["ok"] as? Bool == true)
            }
            let statuses = try await h.requests("hubspot").compactMap { $0["status"] as? Int }
            #expect(statuses.count == 9)
            #expect(!statuses.contains(429))
        }
    }

    @Test func credentialsGoOnlyToTheConnectionsOrigin() async throws {
        try await HostUnderTest.with { h in
            let basic = Credentials.basic(BasicCredentials(username: aritic.dictionary["username"]!, password: aritic.dictionary["password"]!))
            // A cursor or a response body pointing elsewhere must not receive the connection's credentials.
            let elsewhere = h.sandbox.urls["hubspot"]!.absoluteString + "/api/contacts"
            let instance = try await h.probe("aritic", credentials: basic, checkPath: "/api/contacts?limit=1", objects: ["Contact": elsewhere])
            let e = try await #require(throws: CrosswalkError.self) {
                try await instance.read(Data(#"{"version":1,"object":"Contact"}"#.utf8))
            }
            #expect(e.message.contains("which is neither this connection's base_url, its instance URL nor in its allowed_origins"))
            #expect(try await h.requests("hubspot").isEmpty)
            // The same origin as base_url, absolute, is fine.
            let same = try await h.probe("aritic", credentials: basic, checkPath: h.sandbox.urls["aritic"]!.absoluteString + "/api/contacts?limit=1", name: "aritic-same")
            #expect(try await check(same)["ok"] as? Bool == true)
        }
    }
}
