import CrosswalkCore
@testable import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Synchronization
import Testing

/// Helpers for NetSuite tests that call the app directly (see also NetSuiteTests).
extension NetSuiteApp {
    /// An OAuth 2.0 access token from the demo authorization code.
    func demoBearer() async throws -> String {
        let basic = Data("\(NetSuiteDemoCredentials.clientId):\(NetSuiteDemoCredentials.clientSecret)".utf8).base64EncodedString()
        let reply = await call("POST", NetSuiteOAuth2.tokenPath,
                               rawBody: Data("grant_type=authorization_code&code=\(NetSuiteDemoCredentials.authorizationCode)".utf8),
                               headers: ["Content-Type": "application/x-www-form-urlencoded", "Authorization": "Basic \(basic)"])
        return try #require(reply.object["access_token"] as? String)
    }

    func rest(_ method: String, _ path: String, query: [(String, String)] = [], json: Any? = nil, token: String,
              headers: HTTPFields = [:]) async -> JSONReply {
        var h = headers
        h["Authorization"] = "Bearer \(token)"
        return await call(method, path, query: query, json: json, headers: h)
    }

    /// An app control, as `POST /__sandbox/app/<name>` would call it.
    func control(_ name: String, _ body: [String: Any]) async -> JSONReply {
        let request = SandboxRequest(method: "POST", path: "/__sandbox/app/\(name)", body: try! JSONSerialization.data(withJSONObject: body))
        let response = await control(name, request)
        return JSONReply(status: response?.status ?? 404, headers: response?.headers ?? [:],
                         json: response.flatMap { try? JSONSerialization.jsonObject(with: $0.body) })
    }
}

/// Checks NetSuite's error envelope and returns the first error detail.
@discardableResult
func expectNetSuiteError(_ reply: JSONReply, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String: Any] {
    #expect(reply.status == status, sourceLocation: sourceLocation)
    #expect(reply.object["status"] as? Int == status, sourceLocation: sourceLocation)
    #expect(reply.object["title"] is String, sourceLocation: sourceLocation)
    let detail = (reply.object["o:errorDetails"] as? [[String: Any]])?.first ?? [:]
    #expect(detail["o:errorCode"] as? String == code, sourceLocation: sourceLocation)
    #expect(detail["detail"] is String, sourceLocation: sourceLocation)
    return detail
}

@Suite("NetSuite account: concurrency, paging caps, date filters, account states")
struct NetSuiteAccountTests {
    let env = WebhookRecordingEnvironment()
    let app: NetSuiteApp
    static let records = "/services/rest/record/v1"

    init() { app = NetSuiteApp(environment: env) }

    // MARK: 1. concurrency governance

    @Test func concurrencyControlSetsTheLimitFromTierAndSuiteCloudPlus() async throws {
        #expect(app.gate.limit == 5, "shared tier by default")
        #expect(await app.control("concurrency", ["tier": "tier1"]).object["limit"] as? Int == 15)
        #expect(await app.control("concurrency", ["tier": "shared", "suitecloud_plus": 1]).object["limit"] as? Int == 15)
        #expect(await app.control("concurrency", ["tier": "tier1", "suitecloud_plus": 5]).object["limit"] as? Int == 65)
        #expect(await app.control("concurrency", ["limit": 2]).object["limit"] as? Int == 2)
        #expect(await app.control("concurrency", ["tier": "gold"]).status == 400)
        #expect(await app.control("concurrency", ["limit": 0]).status == 400)
        #expect(app.gate.limit == 2)
        let token = try await app.demoBearer()
        #expect(app.gate.enter() && app.gate.enter())
        let refused = await app.rest("GET", "\(Self.records)/customer", token: token)
        expectNetSuiteError(refused, 429, "CONCURRENCY_LIMIT_EXCEEDED")
        #expect(refused.object["title"] as? String == "Bad Request")
        app.gate.leave(); app.gate.leave()
        await app.reset()
        #expect(app.gate.limit == 5)
    }

    /// A request slowed by the latency fault keeps its slot the whole time: with a limit of 1, a second request
    /// sent meanwhile is refused at once, not queued behind it.
    @Test func aSlowRequestHoldsItsSlotAndTheNextOneIsRefusedNotQueued() async throws {
        let holder = Mutex<NetSuiteApp?>(nil)
        try await RunningSandbox.with({ webhooks in
            let app = NetSuiteApp(environment: webhooks.environment(for: "netsuite"))
            holder.withLock { $0 = app }
            return [app]
        }) { sandbox in
            let app = try #require(holder.withLock { $0 })
            let token = try await app.demoBearer()
            #expect(try await TestHTTP.send("POST", sandbox.url("netsuite", "/__sandbox/app/concurrency"), json: ["limit": 1]).status == 200)
            #expect(try await TestHTTP.send("POST", sandbox.url("netsuite", "/__sandbox/faults"), json: ["latency_ms": 3000]).status == 200)
            let url = sandbox.url("netsuite", "\(Self.records)/customer")
            let slow = Task { try await TestHTTP.send("GET", url, headers: ["Authorization": "Bearer \(token)"]) }
            try await eventually("the slow request holds the slot") { app.gate.current == 1 }
            let refused = try await TestHTTP.send("GET", url, headers: ["Authorization": "Bearer \(token)"])
            #expect(refused.status == 429)
            let detail = (refused.object["o:errorDetails"] as? [[String: Any]])?.first
            #expect(detail?["o:errorCode"] as? String == "CONCURRENCY_LIMIT_EXCEEDED")
            #expect(app.gate.current == 1, "the refused request was answered while the slow one still ran")
            #expect(try await slow.value.status == 200)
            #expect(app.gate.current == 0)
        }
    }

    // MARK: 2. paging caps

    @Test func pagingStopsAtTheThousandthPageAndTheHundredThousandthResult() async throws {
        let token = try await app.demoBearer()
        await app.seed(SandboxSeed(count: 3))
        let list = "\(Self.records)/customer"
        #expect(await app.rest("GET", list, query: [("limit", "1000"), ("offset", "99000")], token: token).status == 200)
        let pastResults = await app.rest("GET", list, query: [("limit", "1000"), ("offset", "99001")], token: token)
        #expect(expectNetSuiteError(pastResults, 400, "INVALID_PARAMETER")["o:errorQueryParam"] as? String == "offset")
        #expect(await app.rest("GET", list, query: [("limit", "2"), ("offset", "1998")], token: token).status == 200)
        expectNetSuiteError(await app.rest("GET", list, query: [("limit", "2"), ("offset", "2000")], token: token), 400, "INVALID_PARAMETER")
        expectNetSuiteError(await app.rest("GET", list, query: [("limit", "1001")], token: token), 400, "INVALID_PARAMETER")
        func suiteQL(limit: Int, offset: Int) async -> JSONReply {
            await app.rest("POST", "/services/rest/query/v1/suiteql", query: [("limit", String(limit)), ("offset", String(offset))],
                           json: ["q": "SELECT id FROM customer"], token: token, headers: ["Prefer": "transient"])
        }
        #expect(await suiteQL(limit: 1000, offset: 99000).status == 200)
        expectNetSuiteError(await suiteQL(limit: 1000, offset: 100_000), 400, "INVALID_PARAMETER")
        expectNetSuiteError(await suiteQL(limit: 10, offset: 10_000), 400, "INVALID_PARAMETER")
        expectNetSuiteError(await suiteQL(limit: 1001, offset: 0), 400, "INVALID_PARAMETER")
    }

    // MARK: 3. dates in q

    /// Four contacts modified around midnight of 11/30/2026 in New York: 11/29 23:30, 11/30 00:30, 11/30 15:00, 12/1 01:00.
    /// Returns their ids and a token valid at the clock's new time.
    private func contactsAroundMidnight() async throws -> (ids: [String], token: String) {
        _ = await app.control("preferences", ["time_zone": "America/New_York"])
        var ids: [String] = []
        let start = env.now()
        for utc in ["2026-11-30T04:30:00Z", "2026-11-30T05:30:00Z", "2026-11-30T20:00:00Z", "2026-12-01T06:00:00Z"] {
            let at = try #require(NetSuiteTime.parse(utc)?.date)
            env.advance(at.timeIntervalSince(env.now()))
            let token = try await app.demoBearer()
            let reply = await app.rest("POST", "\(Self.records)/contact", json: ["firstName": "Ada", "lastName": utc], token: token)
            #expect(reply.status == 204)
            ids.append(String((reply.headers["Location"] ?? "").split(separator: "/").last ?? ""))
        }
        #expect(start < env.now())
        return (ids, try await app.demoBearer())
    }

    private func q(_ filter: String, token: String) async -> [String] {
        let reply = await app.rest("GET", "\(Self.records)/contact", query: [("q", filter)], token: token)
        #expect(reply.status == 200, "\(filter): \(reply.object)")
        return (reply.object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }.sorted()
    }

    @Test func aBareDateIsMidnightOfThatDayInTheAccountTimeZone() async throws {
        let (ids, token) = try await contactsAroundMidnight()
        #expect(await q(#"lastModifiedDate AFTER "11/30/2026""#, token: token) == [ids[1], ids[2], ids[3]],
                "after midnight local, the rest of the boundary day included")
        #expect(await q(#"lastModifiedDate ON_OR_AFTER "11/30/2026""#, token: token) == [ids[1], ids[2], ids[3]])
        #expect(await q(#"lastModifiedDate BEFORE "11/30/2026""#, token: token) == [ids[0]])
        #expect(await q(#"lastModifiedDate ON_OR_BEFORE "11/30/2026""#, token: token) == [ids[0]])
        #expect(await q(#"lastModifiedDate ON "11/30/2026""#, token: token) == [ids[1], ids[2]], "the local day")
        #expect(await q(#"lastModifiedDate ON_NOT "11/30/2026""#, token: token) == [ids[0], ids[3]])
        #expect(await q(#"lastModifiedDate WITHIN "11/30/2026" "11/30/2026""#, token: token) == [ids[1], ids[2]])
        #expect(await q(#"lastModifiedDate BEFORE "11/30/2026 3:00 pm""#, token: token) == [ids[0], ids[1]])
        #expect(await q(#"lastModifiedDate ON_OR_AFTER "11/30/2026 3:00 pm""#, token: token) == [ids[2], ids[3]])
        #expect(await q(#"lastModifiedDate AFTER "2026-11-30T20:00:00Z""#, token: token) == [ids[3]], "an explicit zone wins")
        // Back-to-back daily windows cover every record exactly once.
        var seen: [String] = []
        for (from, to) in [("11/29/2026", "11/30/2026"), ("11/30/2026", "12/1/2026"), ("12/1/2026", "12/2/2026")] {
            seen += await q("lastModifiedDate ON_OR_AFTER \"\(from)\" AND lastModifiedDate BEFORE \"\(to)\"", token: token)
        }
        #expect(seen.sorted() == ids.sorted())
    }

    @Test func datesFollowTheUsersDateFormatPreference() async throws {
        let (ids, token) = try await contactsAroundMidnight()
        #expect(await app.control("preferences", ["date_format": "D/M/YYYY"]).object["date_format"] as? String == "D/M/YYYY")
        #expect(await q(#"lastModifiedDate ON "30/11/2026""#, token: token) == [ids[1], ids[2]])
        let wrongOrder = await app.rest("GET", "\(Self.records)/contact", query: [("q", #"lastModifiedDate ON "11/30/2026""#)], token: token)
        #expect(expectNetSuiteError(wrongOrder, 400, "INVALID_PARAMETER")["o:errorQueryParam"] as? String == "q")
        #expect(await app.control("preferences", ["time_zone": "Mars/Olympus"]).status == 400)
        #expect(await app.control("preferences", ["date_format": "Q/Q"]).status == 400)
        await app.reset()
        #expect(await app.control("preferences", [:]).object["time_zone"] as? String == "America/Los_Angeles")
    }

    // MARK: 4. account states for a connector's check

    @Test func restWebServicesDisabledAndRoleWithoutRESTPermission() async throws {
        let token = try await app.demoBearer()
        _ = await app.control("account", ["rest_web_services": false])
        let disabled = await app.rest("GET", "\(Self.records)/customer", token: token)
        #expect(expectNetSuiteError(disabled, 400, "FEATURE_DISABLED")["detail"] as? String
                == "The feature 'REST Web Services' required to access this page is not enabled in this account.")
        _ = await app.control("account", ["rest_web_services": true, "role_rest_permission": false])
        let noRole = await app.rest("POST", "/services/rest/query/v1/suiteql", json: ["q": "SELECT id FROM customer"], token: token,
                                    headers: ["Prefer": "transient"])
        #expect(expectNetSuiteError(noRole, 400, "USER_ERROR")["detail"] as? String == "Your current role does not have permission to perform this action.")
        await app.reset()
        #expect(await app.rest("GET", "\(Self.records)/customer", token: token).status == 200)
    }

    @Test func tokenBasedAuthenticationDisabledRefusesSignedRequests() async throws {
        _ = await app.control("account", ["token_based_auth": false])
        let vector = NetSuiteTests.authlibVectors[0]
        let signed = await app.handle(try NetSuiteTests.request(vector.method, vector.url, authorization: vector.authorization, body: vector.body))
        #expect(signed.status == 401)
        let body = try #require(try JSONSerialization.jsonObject(with: signed.body) as? [String: Any])
        expectNetSuiteError(JSONReply(status: signed.status, headers: signed.headers, json: body), 401, "INVALID_LOGIN")
        #expect(signed.headers["WWW-Authenticate"]?.hasPrefix("OAuth realm=\"1234567_SB1\"") == true)
        #expect(app.loginAuditTrail() == ["featureDisabled"])
        #expect(await app.rest("GET", "\(Self.records)/customer", token: try await app.demoBearer()).status == 200, "OAuth 2.0 still works")
    }

    @Test func oauth2DisabledRefusesBearerTokensAndTheTokenEndpoint() async throws {
        let token = try await app.demoBearer()
        _ = await app.control("account", ["oauth2": false])
        expectNetSuiteError(await app.rest("GET", "\(Self.records)/customer", token: token), 401, "INVALID_LOGIN")
        let grant = await app.call("POST", NetSuiteOAuth2.tokenPath, rawBody: Data("grant_type=client_credentials".utf8),
                                   headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(grant.status == 400)
        #expect(grant.object["error"] as? String == "unauthorized_client")
        #expect(app.loginAuditTrail() == ["featureDisabled"])
    }

    @Test func aRoleWithoutPermissionOnARecordType() async throws {
        let token = try await app.demoBearer()
        await app.seed(SandboxSeed(count: 2))
        let set = await app.control("account", ["permissions": ["customer": "view", "contact": "none"]])
        #expect((set.object["permissions"] as? [String: String]) == ["customer": "view", "contact": "none"])
        #expect(await app.rest("GET", "\(Self.records)/customer", token: token).status == 200)
        let create = await app.rest("POST", "\(Self.records)/customer", json: ["companyName": "Initech"], token: token)
        #expect((expectNetSuiteError(create, 403, "INSUFFICIENT_PERMISSION")["detail"] as? String)?.contains("higher level of the 'Lists > Customers' permission") == true)
        expectNetSuiteError(await app.rest("GET", "\(Self.records)/contact/103", token: token), 403, "INSUFFICIENT_PERMISSION")
        let hidden = await app.rest("POST", "/services/rest/query/v1/suiteql", json: ["q": "SELECT id FROM contact"], token: token,
                                    headers: ["Prefer": "transient"])
        #expect((expectNetSuiteError(hidden, 400, "INVALID_PARAMETER")["detail"] as? String)?.contains("Record 'contact' was not found.") == true)
        #expect(await app.control("account", ["permissions": ["customer": "owner"]]).status == 400)
        #expect(await app.control("account", ["oauth2": "no"]).status == 400)
    }
}
