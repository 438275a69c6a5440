import CrosswalkCore
@testable import CrosswalkSandbox
import Crypto
import CrosswalkTestKit
import Foundation
import Synchronization
import Testing

/// A `SandboxEnvironment` for emulator tests: a clock the test moves, and the webhooks an app hands over.
/// (Shared by SpotioTests and AriticTests.)
final class WebhookRecordingEnvironment: SandboxEnvironment {
    private let clock: Mutex<Date>
    private let delivered = Mutex<[SandboxWebhook]>([])

    init(now: Date = Date(timeIntervalSince1970: 1_780_000_000)) { clock = Mutex(now) }

    func now() -> Date { clock.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { clock.withLock { $0 = $0.addingTimeInterval(seconds) } }
    func deliver(_ webhook: SandboxWebhook) { delivered.withLock { $0.append(webhook) } }

    var webhooks: [SandboxWebhook] { delivered.withLock { $0 } }
    func clearWebhooks() { delivered.withLock { $0.removeAll() } }
}

/// A decoded response.
struct JSONReply {
    var status: Int
    var headers: HTTPFields
    var json: Any?
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var array: [Any] { json as? [Any] ?? [] }
}

extension SandboxApp {
    /// Sends `method path` with optional query, JSON body and extra headers, and decodes the reply.
    func call(_ method: String, _ path: String, query: [(String, String)] = [], json: Any? = nil, rawBody: Data? = nil,
              headers: HTTPFields = [:]) async -> JSONReply {
        var h = headers
        var body = Data()
        if let json {
            body = try! JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])
            if h["Content-Type"] == nil { h["Content-Type"] = "application/json" }
        }
        if let rawBody { body = rawBody }
        let raw = query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        let request = SandboxRequest(method: method, path: path, query: query.map { (name: $0.0, value: $0.1) }, rawQuery: raw,
                                     headers: h, body: body, baseURL: "http://127.0.0.1:8404")
        let response = await handle(request)
        let decoded = response.body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed])
        return JSONReply(status: response.status, headers: response.headers, json: decoded)
    }
}

@Suite("SPOTIO emulator")
struct SpotioTests {
    let env = WebhookRecordingEnvironment()
    let app: SpotioApp

    init() { app = SpotioApp(environment: env) }

    private func token() async -> String {
        let reply = await app.call("POST", "/api/users/apitoken",
                                   json: ["clientId": SpotioApp.demoCredentials.clientId, "secret": SpotioApp.demoCredentials.secret])
        return reply.object["accessToken"] as? String ?? ""
    }

    private func authed(_ method: String, _ path: String, token: String, query: [(String, String)] = [], json: Any? = nil,
                        headers: HTTPFields = [:]) async -> JSONReply {
        var h = headers
        h["Authorization"] = "Bearer \(token)"
        return await app.call(method, path, query: query, json: json, headers: h)
    }

    private func newLead(token: String, email: String? = "ada@example.com", extra: [String: Any] = [:]) async -> JSONReply {
        var fields: [[String: Any]] = [["fieldId": "101", "value": "Lovelace Analytics"], ["fieldId": "102", "value": "Ada"],
                                       ["fieldId": "103", "value": "Lovelace"], ["fieldId": "107", "value": "Referral"],
                                       ["fieldId": "109", "values": ["Solar Panels", "EV Charger"]]]
        if let email { fields.append(["fieldId": "104", "value": email]) }
        var dataObject: [String: Any] = ["typeId": 1, "stageId": 11, "externalDataObjectId": "SF-001", "fields": fields,
                                         "pin": ["lat": 30.27, "lng": -97.74, "houseNumber": "12", "street": "Main St", "city": "Austin",
                                                 "state": "TX", "zip": "78701", "country": "US"]]
        dataObject.merge(extra) { _, new in new }
        return await authed("POST", "/api/DataObjects", token: token, json: ["dataObject": dataObject])
    }

    // MARK: Auth

    @Test func apiTokenIsMintedOnlyForTheDemoKey() async {
        let good = await token()
        #expect(good.split(separator: ".").count == 3)
        let wrong = await app.call("POST", "/api/users/apitoken", json: ["clientId": SpotioApp.demoCredentials.clientId, "secret": "nope"])
        #expect(wrong.status == 401)
        #expect(wrong.json == nil)
        let missing = await app.call("POST", "/api/users/apitoken", json: ["clientId": "x"])
        #expect(missing.status == 400)
        #expect(missing.object["errors"] is [String: Any])
        let impersonated = await app.call("POST", "/api/users/apitoken", json: [
            "clientId": SpotioApp.demoCredentials.clientId, "secret": SpotioApp.demoCredentials.secret, "impersonatedUserId": 999])
        #expect(impersonated.status == 404)
    }

    @Test func requestsWithoutAValidBearerTokenGet401WithAChallenge() async {
        let none = await app.call("GET", "/api/users")
        #expect(none.status == 401)
        #expect(none.headers["WWW-Authenticate"] == "Bearer")
        let forged = await authed("GET", "/api/users", token: "a.b.c")
        #expect(forged.status == 401)
        #expect(forged.headers["WWW-Authenticate"]?.contains("invalid_token") == true)
        let ok = await authed("GET", "/api/users", token: await token())
        #expect(ok.status == 200)
    }

    @Test func expiredTokensAre401UntilRefreshedOrReminted() async {
        let login = await app.call("POST", "/api/auth/token",
                                   json: ["email": SpotioApp.demoCredentials.email, "password": SpotioApp.demoCredentials.password])
        #expect(login.status == 200)
        let access = login.object["accessToken"] as? String ?? ""
        let refresh = login.object["refreshToken"] as? String ?? ""
        #expect(login.object["tokenExpiresIn"] as? Int == Int(SpotioApp.demoCredentials.tokenLifetime))
        #expect(await authed("GET", "/api/users", token: access).status == 200)

        await app.expireAccessTokens()
        let expired = await authed("GET", "/api/users", token: access)
        #expect(expired.status == 401)
        #expect(expired.headers["WWW-Authenticate"]?.contains("expired") == true)

        let refreshed = await app.call("POST", "/api/auth/token", json: ["refreshToken": refresh])
        #expect(refreshed.status == 200)
        let newAccess = refreshed.object["accessToken"] as? String ?? ""
        #expect(await authed("GET", "/api/users", token: newAccess).status == 200)
        // Refresh tokens rotate: the used one is gone.
        #expect(await app.call("POST", "/api/auth/token", json: ["refreshToken": refresh]).status == 401)
        #expect(await app.call("POST", "/api/auth/token", json: ["email": SpotioApp.demoCredentials.email, "password": "bad"]).status == 401)
        // Time passing expires tokens too.
        env.advance(SpotioApp.demoCredentials.tokenLifetime + 1)
        #expect(await authed("GET", "/api/users", token: newAccess).status == 401)
        #expect(await authed("GET", "/api/users", token: await token()).status == 200)
    }

    // MARK: Workflow

    @Test func workflowListsTypesStagesAndNumericFields() async {
        let t = await token()
        let full = await authed("GET", "/api/workflow/dataObjects/full", token: t).array.compactMap { $0 as? [String: Any] }
        #expect(full.map { $0["name"] as? String } == ["Lead", "Customer"])
        let lead = full[0]
        let fields = lead["fields"] as? [[String: Any]] ?? []
        #expect(fields.allSatisfy { Int($0["id"] as? String ?? "") != nil })
        #expect(fields.contains { $0["systemRole"] as? String == "Email" && $0["type"] as? String == "Email" })
        let stages = await authed("GET", "/api/workflow/dataObjects/1/stages", token: t).object
        #expect(((stages["won"] as? [String: Any])?["stages"] as? [[String: Any]])?.first?["name"] as? String == "Sold")
        #expect(await authed("GET", "/api/workflow/dataobjects/2/fields", token: t).array.count == 6)
        #expect(await authed("GET", "/api/workflow/dataObjects/9", token: t).status == 404)
        #expect(await authed("GET", "/api/workflow/dataObjects/x", token: t).status == 400)
        #expect(await authed("GET", "/api/workflow/activityTemplates", token: t).array.count == 4)
    }

    // MARK: DataObjects

    @Test func dataObjectLifecycleEndsInTheDeletedFeed() async throws {
        let t = await token()
        let created = await newLead(token: t)
        #expect(created.status == 200)
        let id = try #require(created.object["id"] as? String)
        #expect(id.count == 24 && id.allSatisfy(\.isHexDigit))
        #expect(created.object["name"] as? String == "Lovelace Analytics")
        #expect(created.object["emails"] as? [String] == ["ada@example.com"])
        #expect((created.object["pin"] as? [String: Any])?["address"] as? String == "12 Main St, Austin, TX 78701, US")
        #expect(created.object["parentsInfo"] is [Any])

        let patched = await authed("PATCH", "/api/DataObjects/\(id)/jsonp", token: t, json: [
            ["op": "replace", "path": "/stageId", "value": 13],
            ["op": "replace", "path": "/fields/104", "value": "ada@lovelace.example.com"],
            ["op": "remove", "path": "/fields/107"],
        ], headers: ["Content-Type": "application/json-patch+json"])
        #expect(patched.status == 200)
        #expect(patched.object["stageId"] as? String == "13")
        #expect(patched.object["emails"] as? [String] == ["ada@lovelace.example.com"])
        #expect(!(patched.object["fields"] as? [[String: Any]] ?? []).contains { $0["fieldId"] as? String == "107" })
        #expect(patched.object["parentsInfo"] == nil)

        let badField = await authed("PATCH", "/api/DataObjects/\(id)/jsonp", token: t, json: [["op": "replace", "path": "/fields/999", "value": "x"]])
        #expect(badField.status == 400)
        let badStage = await authed("PATCH", "/api/DataObjects/\(id)/jsonp", token: t, json: [["op": "replace", "path": "/stageId", "value": 21]])
        #expect(badStage.status == 400)
        #expect(await authed("GET", "/api/DataObjects/\(id)", token: t).object["stageId"] as? String == "13")

        let many = await authed("GET", "/api/DataObjects/many", token: t, query: [("dataObjectsIds", "\(id),000000000000000000000000")])
        #expect(many.array.count == 1)

        env.advance(60)
        #expect(await authed("DELETE", "/api/DataObjects/\(id)", token: t).status == 200)
        #expect(await authed("GET", "/api/DataObjects/\(id)", token: t).status == 404)
        #expect(await authed("DELETE", "/api/DataObjects/\(id)", token: t).status == 404)
        let deleted = await authed("GET", "/api/DataObjects/deleted", token: t, query: [("startDate", SpotioWire.date(env.now().addingTimeInterval(-1)))])
        let tombstones = deleted.object["deletedDataObjects"] as? [[String: Any]] ?? []
        #expect(tombstones.map { $0["id"] as? String } == [id])
        #expect((tombstones.first?["dataObject"] as? [String: Any])?["externalDataObjectId"] as? String == "SF-001")
        #expect(deleted.object["scrollId"] is NSNull)
        let later = await authed("GET", "/api/DataObjects/deleted", token: t, query: [("startDate", SpotioWire.date(env.now().addingTimeInterval(1)))])
        #expect((later.object["deletedDataObjects"] as? [Any])?.isEmpty == true)
    }

    @Test func createRejectsUnknownTypesFieldsAndOptions() async {
        let t = await token()
        #expect(await authed("POST", "/api/DataObjects", token: t, json: ["dataObject": ["typeId": 7]]).status == 400)
        #expect(await newLead(token: t, extra: ["fields": [["fieldId": "555", "value": "x"]]]).status == 400)
        #expect(await newLead(token: t, extra: ["fields": [["fieldId": "107", "value": "Carrier Pigeon"]]]).status == 400)
        #expect(await newLead(token: t, extra: ["fields": [["fieldId": "104", "value": "not-an-email"]]]).status == 400)
        #expect(await newLead(token: t, extra: ["ownerId": 4242]).status == 400)
        let noEmail = await newLead(token: t, email: nil)
        #expect(noEmail.status == 200)
        #expect(noEmail.object["emails"] as? [String] == [])
    }

    @Test func searchPagesWithScrollIdUntilNull() async {
        await app.seed(SandboxSeed(count: 120, randomSeed: 7))
        let t = await token()
        var ids: [String] = []
        var scrollId: String?
        var total = 0
        var pages = 0
        repeat {
            var query: [(String, String)] = [("perPage", "50"), ("singleType", "1")]
            if let scrollId { query.append(("scrollId", scrollId)) }
            let page = await authed("GET", "/api/DataObjectsSearch", token: t, query: query)
            #expect(page.status == 200)
            total = page.object["totalCount"] as? Int ?? -1
            ids += (page.object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            scrollId = page.object["scrollId"] as? String
            pages += 1
        } while scrollId != nil && pages < 10
        #expect(total == 120)
        #expect(pages == 3)
        #expect(Set(ids).count == 120)

        let withoutEmail = await authed("POST", "/api/DataObjectsSearch", token: t, json: ["hasEmail": false, "singleType": 1, "perPage": 1000])
        let items = withoutEmail.object["items"] as? [[String: Any]] ?? []
        #expect(!items.isEmpty && items.count < 120)
        #expect(items.allSatisfy { ($0["emails"] as? [String])?.isEmpty == true })
        let won = await authed("GET", "/api/DataObjectsSearch", token: t, query: [("stageGroups", "won"), ("perPage", "1000")])
        #expect((won.object["items"] as? [[String: Any]] ?? []).allSatisfy { ["15", "23"].contains($0["stageId"] as? String ?? "") })
        #expect(await authed("GET", "/api/DataObjectsSearch", token: t, query: [("scrollId", "nope")]).status == 400)
        #expect(await authed("GET", "/api/DataObjectsSearch", token: t, query: [("sortBy", "shoeSize")]).status == 400)
        let sorted = await authed("GET", "/api/DataObjectsSearch", token: t, query: [("sortBy", "-updatedAt"), ("perPage", "1000")])
        let dates = (sorted.object["items"] as? [[String: Any]] ?? []).compactMap { $0["updatedAt"] as? String }
        #expect(dates == dates.sorted(by: >))
    }

    @Test func seedingIsDeterministic() async {
        let other = SpotioApp(environment: env)
        await app.seed(SandboxSeed(count: 10, randomSeed: 3))
        await other.seed(SandboxSeed(count: 10, randomSeed: 3))
        let a = await authed("GET", "/api/DataObjectsSearch", token: await token(), query: [("perPage", "100")])
        let otherToken = await other.call("POST", "/api/users/apitoken", json: ["clientId": SpotioApp.demoCredentials.clientId,
                                                                               "secret": SpotioApp.demoCredentials.secret]).object["accessToken"] as? String ?? ""
        let b = await other.call("GET", "/api/DataObjectsSearch", query: [("perPage", "100")], headers: ["Authorization": "Bearer \(otherToken)"])
        let names = { (r: JSONReply) in (r.object["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }
        #expect(names(a).count == 12)
        #expect(names(a) == names(b))
    }

    // MARK: Activities

    @Test func activitiesAreCreatedUpdatedAndFedWithDoneStatus() async throws {
        let t = await token()
        let lead = try #require(await newLead(token: t).object["id"] as? String)
        let created = await authed("POST", "/api/ActivitiesV2", token: t, json: [
            "dataObjectId": lead, "type": "event", "title": "Door Knock", "notes": "Nobody home", "done": false,
            "date": "2026-05-20T15:00:00.1234567+00:00", "duration": 15, "activityTemplateId": "a6vhAo3FG7t1"])
        #expect(created.status == 200)
        let activityId = try #require(created.object["id"] as? String)
        #expect(created.object["type"] as? String == "Event")
        #expect(created.object["durationSeconds"] as? Int == 900)
        #expect((created.object["date"] as? String)?.hasPrefix("2026-05-20T15:00:00.123") == true)

        let done = await authed("PATCH", "/api/ActivitiesV2/\(activityId)", token: t, json: ["done": true, "resultId": "2"],
                                headers: ["Content-Type": "application/merge-patch+json"])
        #expect(done.object["done"] as? Bool == true)
        #expect(done.object["notes"] as? String == "Nobody home")
        let record = await authed("GET", "/api/DataObjects/\(lead)", token: t).object
        #expect(record["visitsCount"] as? Int == 1)
        #expect(record["lastVisitResultId"] as? String == "2")

        let replaced = await authed("PUT", "/api/v2/activities/\(activityId)", token: t, json: ["dataObjectId": lead, "type": "Note", "notes": "Rewritten"])
        #expect(replaced.object["title"] is NSNull)
        #expect(replaced.object["isNote"] as? Bool == true)

        let transition = await authed("POST", "/api/ActivitiesV2", token: t, json: [
            "dataObjectId": lead, "type": "Transition", "transition": ["fromStageId": "11", "toStageId": "15"], "done": true])
        #expect(transition.status == 200)
        #expect(await authed("GET", "/api/DataObjects/\(lead)", token: t).object["stageId"] as? String == "15")
        #expect(await authed("POST", "/api/ActivitiesV2", token: t, json: ["dataObjectId": "nope", "type": "Note"]).status == 400)
        #expect(await authed("POST", "/api/ActivitiesV2", token: t, json: ["type": "Dance"]).status == 400)
        #expect(await authed("GET", "/api/ActivitiesV2/99999", token: t).status == 404)

        let many = await authed("POST", "/api/ActivitiesV2/many", token: t, json: [["dataObjectId": lead, "type": "Note"], ["type": "Note"]])
        #expect((many.json as? [Int])?.count == 2)
        #expect(await authed("POST", "/api/ActivitiesV2/many", token: t, json: [["type": "Note"], ["type": "Dance"]]).status == 400)

        let feed = await authed("GET", "/api/ActivitiesV2/feed", token: t, query: [("StartDate", "2026-05-01T00:00:00Z")])
        let items = feed.object["items"] as? [[String: Any]] ?? []
        #expect(items.contains { $0["id"] as? String == activityId && ($0["dataObject"] as? [String: Any])?["id"] as? String == lead })
    }

    @Test func activityFeedPagesNewestFirst() async {
        await app.seed(SandboxSeed(count: 60))
        let t = await token()
        var dates: [String] = []
        var scrollId: String?
        repeat {
            let page = await authed("GET", "/api/ActivitiesV2/feed", token: t, query: scrollId.map { [("ScrollId", $0)] } ?? [])
            dates += (page.object["items"] as? [[String: Any]] ?? []).compactMap { $0["date"] as? String }
            scrollId = page.object["scrollId"] as? String
        } while scrollId != nil
        #expect(dates.count > 50)
        #expect(dates == dates.sorted(by: >))
    }

    // MARK: Users

    @Test func usersAreListedCreatedAndUpdated() async throws {
        await app.seed(SandboxSeed(count: 100))
        let t = await token()
        let page = await authed("GET", "/api/v2/users/list", token: t, query: [("pageSize", "3")])
        #expect((page.object["items"] as? [Any])?.count == 3)
        #expect(page.object["scrollId"] is String)
        let created = await authed("POST", "/api/Users", token: t, json: ["email": "grace@example.com", "firstName": "Grace",
                                                                        "lastName": "Hopper", "role": "manager"])
        #expect(created.object["role"] as? String == "Manager")
        let id = try #require(created.object["id"] as? String)
        #expect(await authed("POST", "/api/Users", token: t, json: ["email": "grace@example.com"]).status == 400)
        let updated = await authed("PUT", "/api/users/\(id)", token: t, json: ["lastName": "Murray Hopper", "externalSystemUserId": "005XX"])
        #expect(updated.json as? Bool == true)
        let found = await authed("GET", "/api/users/list", token: t, query: [("q", "murray")])
        #expect((found.object["items"] as? [[String: Any]])?.first?["externalSystemUserId"] as? String == "005XX")
        #expect(await authed("PUT", "/api/users/424242", token: t, json: ["firstName": "x"]).status == 404)
    }

    // MARK: Webhooks

    @Test func webhookSubscriptionsAreManagedAndDeliveriesSigned() async throws {
        let t = await token()
        #expect(await authed("GET", "/api/Webhooks/scopes", token: t).array.count == 10)
        let created = await authed("POST", "/api/Webhooks", token: t, json: [
            "callback": "https://hooks.example.com/spotio", "scopes": ["lead.added", "activity.created"],
            "customHeaders": [["name": "X-Tenant", "value": "demo"]]])
        #expect(created.status == 200)
        let hookId = try #require(created.object["id"] as? String)
        #expect(await authed("POST", "/api/Webhooks", token: t, json: ["callback": "https://x.example.com", "scopes": ["lead.exploded"]]).status == 400)
        #expect(await authed("POST", "/api/Webhooks", token: t, json: ["callback": "not a url", "scopes": ["lead.added"]]).status == 400)
        let listed = await authed("GET", "/api/Webhooks", token: t).object
        #expect(listed["secret"] as? String == SpotioApp.demoCredentials.webhookSecret)

        env.clearWebhooks()
        let lead = await authed("POST", "/api/DataObjects", token: t, json: [
            "dataObject": ["typeId": 1, "fields": [["fieldId": "101", "value": "Hooked Inc."]]],
            "activity": ["type": "Note", "notes": "created with the lead"]])
        #expect(lead.status == 200)
        let hook = try #require(env.webhooks.first)
        #expect(env.webhooks.count == 1)
        #expect(hook.url == "https://hooks.example.com/spotio")
        #expect(hook.headers["X-Tenant"] == "demo")
        let expected = HMAC<SHA256>.authenticationCode(for: hook.body, using: SymmetricKey(data: Data(SpotioApp.demoCredentials.webhookSecret.utf8)))
        #expect(hook.headers["X-Signature"] == expected.map { String(format: "%02x", $0) }.joined())
        let payload = try #require((try JSONSerialization.jsonObject(with: hook.body) as? [String: Any])?["payload"] as? [[String: Any]])
        #expect(payload.map { $0["type"] as? String } == ["activity.created", "lead.added"])
        #expect((payload[1]["data"] as? [String: Any])?["id"] as? String == lead.object["id"] as? String)
        #expect(payload.allSatisfy { ($0["date"] as? String).flatMap(SpotioWire.parseDate) != nil })

        let paused = await authed("PUT", "/api/Webhooks/\(hookId)", token: t, json: [
            "callback": "https://hooks.example.com/spotio", "scopes": ["lead.added"], "active": false])
        #expect(paused.object["active"] as? Bool == false)
        env.clearWebhooks()
        _ = await newLead(token: t)
        #expect(env.webhooks.isEmpty)
        #expect(await authed("DELETE", "/api/Webhooks/\(hookId)", token: t).status == 200)
        #expect(await authed("PUT", "/api/Webhooks/\(hookId)", token: t, json: ["callback": "https://x.example.com", "scopes": ["lead.added"]]).status == 404)
    }

    @Test func controlSubscriptionReceivesUpdatesDeletesAndDoneActivities() async throws {
        await app.subscribe(url: "http://127.0.0.1:9/hook", secret: "s3cret", events: ["lead.updated", "lead.deleted", "activity.done"])
        let t = await token()
        let id = try #require(await newLead(token: t).object["id"] as? String)
        #expect(env.webhooks.isEmpty)
        _ = await authed("PATCH", "/api/DataObjects/\(id)/jsonp", token: t, json: [["op": "replace", "path": "/ownerId", "value": "1001"]])
        _ = await authed("POST", "/api/ActivitiesV2", token: t, json: ["dataObjectId": id, "type": "Event", "done": true])
        _ = await authed("DELETE", "/api/DataObjects/\(id)", token: t)
        let types = env.webhooks.compactMap { hook -> [String]? in
            let payload = (try? JSONSerialization.jsonObject(with: hook.body) as? [String: Any])?["payload"] as? [[String: Any]]
            return payload?.compactMap { $0["type"] as? String }
        }
        #expect(types == [["lead.updated"], ["activity.done"], ["lead.deleted"]])
        let last = try #require(env.webhooks.last)
        #expect(last.headers["X-Signature"] == SpotioWebhookEvents.signature(body: last.body, secret: "s3cret"))
    }

    // MARK: Faults, errors, routes, state

    @Test func faultsAnswerInSpotiosShape() async {
        let limited = app.faultResponse(.rateLimited(retryAfterSeconds: 7))
        #expect(limited.status == 429)
        #expect(limited.headers["Retry-After"] == "7")
        #expect((try? JSONSerialization.jsonObject(with: limited.body) as? [String: Any])?["errors"] is [String: Any])
        let failed = app.faultResponse(.serverError)
        #expect(failed.status == 500)
        #expect((try? JSONSerialization.jsonObject(with: failed.body) as? [String: Any])?["errors"] is [String: Any])
    }

    @Test func malformedRequestsGetAspNetStyleAnswers() async {
        let t = await token()
        #expect(await authed("GET", "/api/nothing/here", token: t).status == 404)
        #expect(await authed("DELETE", "/api/users", token: t).status == 405)
        let badJSON = await app.call("POST", "/api/DataObjects", rawBody: Data("{oops".utf8),
                                     headers: ["Authorization": "Bearer \(t)", "Content-Type": "application/json"])
        #expect(badJSON.status == 400)
        let xml = await app.call("POST", "/api/DataObjects", rawBody: Data("<a/>".utf8),
                                 headers: ["Authorization": "Bearer \(t)", "Content-Type": "application/xml"])
        #expect(xml.status == 415)
        #expect(await authed("get".uppercased(), "/API/WORKFLOW/DATAOBJECTS", token: t).status == 200)
    }

    @Test func everyServedRouteExistsInTheVendorSpec() throws {
        let specURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fidelity/specs/spotio/spotio-swagger.json").standardizedFileURL
        let spec = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: specURL)) as? [String: Any])
        let paths = try #require(spec["paths"] as? [String: [String: Any]])
        for route in SpotioRouter.routes {
            #expect(paths[route.template]?[route.method.lowercased()] != nil, "\(route.method) \(route.template) is not in the spec")
        }
    }

    @Test func stateSurvivesExportResetAndImport() async throws {
        let t = await token()
        let id = try #require(await newLead(token: t).object["id"] as? String)
        let saved = await app.exportState()
        await app.reset()
        #expect(await authed("GET", "/api/DataObjects/\(id)", token: t).status == 404)
        #expect(await authed("GET", "/api/workflow/dataObjects", token: t).array.count == 2)
        try await app.importState(saved)
        let restored = await authed("GET", "/api/DataObjects/\(id)", token: t)
        #expect(restored.object["name"] as? String == "Lovelace Analytics")
        await #expect(throws: CrosswalkError.self) { try await app.importState(Data("garbage".utf8)) }
    }
}
