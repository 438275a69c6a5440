import CrosswalkCore
@testable import CrosswalkSandbox
import Crypto
import CrosswalkTestKit
import Foundation
import Testing

@Suite("Aritic (Mautic) emulator")
struct AriticTests {
    let env = WebhookRecordingEnvironment()
    let app: AriticApp
    let basic: HTTPFields

    init() {
        app = AriticApp(environment: env)
        let pair = "\(AriticApp.demoCredentials.username):\(AriticApp.demoCredentials.password)"
        basic = ["Authorization": "Basic \(Data(pair.utf8).base64EncodedString())"]
    }

    private func api(_ method: String, _ path: String, query: [(String, String)] = [], json: Any? = nil, form: String? = nil,
                     headers: HTTPFields? = nil) async -> JSONReply {
        var h = headers ?? basic
        var raw: Data?
        if let form {
            h["Content-Type"] = "application/x-www-form-urlencoded"
            raw = Data(form.utf8)
        }
        return await app.call(method, path, query: query, json: json, rawBody: raw, headers: h)
    }

    /// The raw body text, for checks on key order and PHP-style escaping.
    private func rawBody(_ method: String, _ path: String, query: [(String, String)] = []) async -> String {
        var h = basic
        h["Accept"] = "application/json"
        let request = SandboxRequest(method: method, path: path, query: query.map { (name: $0.0, value: $0.1) }, headers: h)
        return String(decoding: await app.handle(request).body, as: UTF8.self)
    }

    private func firstError(_ reply: JSONReply) -> [String: Any] {
        (reply.object["errors"] as? [[String: Any]])?.first ?? [:]
    }

    private func token(_ params: String) async -> JSONReply {
        await app.call("POST", "/oauth/v2/token", rawBody: Data(params.utf8), headers: ["Content-Type": "application/x-www-form-urlencoded"])
    }

    private var clientParams: String {
        "client_id=\(AriticApp.demoCredentials.clientId)&client_secret=\(AriticApp.demoCredentials.clientSecret)"
    }

    // MARK: Auth

    @Test func basicAuthIsCheckedAtTheRootAndUnderMa() async {
        #expect(await api("GET", "/api/contacts").status == 200)
        let prefixed = await api("GET", "/ma/api/contacts")
        #expect(prefixed.status == 200)
        #expect(prefixed.headers["Mautic-Version"] == AriticApp.demoCredentials.mauticVersion)
        let wrong = await api("GET", "/api/contacts", headers: ["Authorization": "Basic \(Data("admin:nope".utf8).base64EncodedString())"])
        #expect(wrong.status == 401)
        #expect(firstError(wrong)["message"] as? String == "API authorization denied.")
        #expect(firstError(wrong)["type"] as? String == "access_denied")
        #expect(firstError(wrong)["code"] as? Int == 401)
        #expect(await api("GET", "/ma/api/contacts", headers: [:]).status == 401)
    }

    @Test func clientCredentialsTokensExpireAndAreRejectedInMauticsShape() async throws {
        let issued = await token("grant_type=client_credentials&\(clientParams)")
        #expect(issued.status == 200)
        #expect(issued.object["token_type"] as? String == "bearer")
        #expect(issued.object["expires_in"] as? Int == 3_600)
        #expect(issued.object["refresh_token"] == nil)
        let access = try #require(issued.object["access_token"] as? String)
        #expect(await api("GET", "/api/contacts", headers: ["Authorization": "Bearer \(access)"]).status == 200)
        #expect(await api("GET", "/ma/api/contacts", query: [("access_token", access)], headers: [:]).status == 200)

        await app.expireAccessTokens()
        let expired = await api("GET", "/api/contacts", headers: ["Authorization": "Bearer \(access)"])
        #expect(expired.status == 401)
        #expect(firstError(expired)["message"] as? String == "The access token provided has expired.")
        #expect(firstError(expired)["type"] as? String == "invalid_grant")
        let bogus = await api("GET", "/api/contacts", headers: ["Authorization": "Bearer nope"])
        #expect(firstError(bogus)["message"] as? String == "The access token provided is invalid.")

        let badClient = await token("grant_type=client_credentials&client_id=\(AriticApp.demoCredentials.clientId)&client_secret=x")
        #expect(badClient.status == 400)
        #expect(firstError(badClient)["type"] as? String == "invalid_client")
        #expect(firstError(await token("grant_type=password&\(clientParams)"))["type"] as? String == "unsupported_grant_type")
    }

    @Test func authorizationCodeFlowIssuesRotatingRefreshTokens() async throws {
        let redirect = "http://127.0.0.1:9999/callback"
        let authorize = await app.call("GET", "/ma/oauth/v2/authorize", query: [
            ("client_id", AriticApp.demoCredentials.clientId), ("redirect_uri", redirect), ("response_type", "code"), ("state", "xyz")])
        #expect(authorize.status == 302)
        let location = try #require(authorize.headers["Location"].flatMap(URLComponents.init(string:)))
        #expect(location.queryItems?.first { $0.name == "state" }?.value == "xyz")
        let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)
        let bad = await app.call("GET", "/oauth/v2/authorize", query: [
            ("client_id", AriticApp.demoCredentials.clientId), ("redirect_uri", "https://evil.example.com"), ("response_type", "code")])
        #expect(firstError(bad)["type"] as? String == "redirect_uri_mismatch")

        let issued = await token("grant_type=authorization_code&code=\(code)&redirect_uri=\(redirect)&\(clientParams)")
        let refresh = try #require(issued.object["refresh_token"] as? String)
        #expect(firstError(await token("grant_type=authorization_code&code=\(code)&\(clientParams)"))["type"] as? String == "invalid_grant")
        await app.expireAccessTokens()
        let refreshed = await token("grant_type=refresh_token&refresh_token=\(refresh)&\(clientParams)")
        #expect(refreshed.status == 200)
        let access = try #require(refreshed.object["access_token"] as? String)
        #expect(await api("GET", "/api/contacts", headers: ["Authorization": "Bearer \(access)"]).status == 200)
        let reused = await token("grant_type=refresh_token&refresh_token=\(refresh)&\(clientParams)")
        #expect(firstError(reused)["message"] as? String == "Invalid refresh token")
        env.advance(15 * 86_400)
        let stale = try #require(refreshed.object["refresh_token"] as? String)
        #expect(firstError(await token("grant_type=refresh_token&refresh_token=\(stale)&\(clientParams)"))["message"] as? String == "Refresh token has expired")
    }

    // MARK: Contacts

    @Test func contactListsAreIdKeyedOrderedAndPaged() async throws {
        await app.seed(SandboxSeed(count: 20))
        let all = await api("GET", "/api/contacts", query: [("limit", "0")])
        let total = try #require(Int(all.object["total"] as? String ?? ""))
        #expect(total >= 20)
        let page = await api("GET", "/api/contacts", query: [("start", "5"), ("limit", "10"), ("orderBy", "id"), ("orderByDir", "DESC")])
        let keys = (page.object["contacts"] as? [String: Any] ?? [:]).keys.compactMap { Int($0) }.sorted(by: >)
        #expect(keys == Array((total - 14)...(total - 5)).reversed())
        let raw = await rawBody("GET", "/api/contacts", query: [("limit", "5"), ("orderBy", "date_added"), ("orderByDir", "desc")])
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any])
        let contacts = try #require(decoded["contacts"] as? [String: [String: Any]])
        let byPosition = contacts.keys.sorted { raw.range(of: "\"\($0)\":{")!.lowerBound < raw.range(of: "\"\($1)\":{")!.lowerBound }
        let dates = byPosition.map { contacts[$0]?["dateAdded"] as? String ?? "" }
        #expect(dates == dates.sorted(by: >))
        #expect(raw.contains("https:\\/\\/") || raw.contains("@"))

        let empty = await rawBody("GET", "/api/contacts", query: [("search", "email:nobody@nowhere.example.com")])
        #expect(empty.contains("\"contacts\":[]"))
        #expect(empty.contains("\"total\":\"0\""))
        let minimal = await api("GET", "/api/contacts", query: [("limit", "1"), ("minimal", "true")])
        let first = (minimal.object["contacts"] as? [String: [String: Any]])?.values.first
        #expect(first?["fields"] != nil && first?["owner"] == nil)
        #expect(await api("GET", "/api/contacts", query: [("orderBy", "shoe_size")]).status == 400)
    }

    @Test func whereAndSearchCommandsFilterContacts() async throws {
        await app.seed(SandboxSeed(count: 30))
        let cutoff = AriticWire.databaseDate(env.now().addingTimeInterval(-100 * 86_400))
        let recent = await api("GET", "/api/contacts", query: [
            ("where[0][col]", "date_modified"), ("where[0][expr]", "gte"), ("where[0][val]", cutoff), ("limit", "0")])
        let modified = (recent.object["contacts"] as? [String: [String: Any]] ?? [:]).values.compactMap { $0["dateModified"] as? String }
        #expect(!modified.isEmpty)
        #expect(modified.allSatisfy { AriticWire.parseDate($0)! >= AriticWire.parseDate(cutoff)! })
        let sync = await api("GET", "/api/contacts", query: [("search", "segment:salesforce-sync"), ("limit", "0")])
        let syncIds = (sync.object["contacts"] as? [String: Any] ?? [:]).keys.compactMap { Int($0) }
        #expect(!syncIds.isEmpty)
        for id in syncIds.prefix(3) {
            let lists = await api("GET", "/api/contacts/\(id)/segments").object["lists"] as? [String: [String: Any]] ?? [:]
            #expect(lists.values.contains { $0["alias"] as? String == "salesforce-sync" })
        }
        let anonymous = await api("GET", "/api/contacts", query: [("search", "!is:anonymous ids:1,2,3")])
        #expect((anonymous.object["contacts"] as? [String: Any])?.count == 3)
        #expect(await api("GET", "/api/contacts", query: [("where[0][col]", "email"), ("where[0][expr]", "explode")]).status == 400)
    }

    @Test func contactsAreCreatedFromFormsWithGroupedFieldsAndCompanyLinks() async throws {
        let created = await api("POST", "/api/contacts/new",
                                form: "firstname=Ada&lastname=Lovelace&email=ada%40engine.example.com&company=Analytical+Engines&points=5&tags%5B%5D=vip&ipAddress=10.0.0.1&website=https%3A%2F%2Fada.example.com")
        #expect(created.status == 201)
        let contact = try #require(created.object["contact"] as? [String: Any])
        let id = try #require(contact["id"] as? Int)
        let fields = try #require(contact["fields"] as? [String: Any])
        let core = try #require(fields["core"] as? [String: [String: Any]])
        #expect(core["email"]?["value"] as? String == "ada@engine.example.com")
        #expect(core["email"]?["group"] as? String == "core")
        #expect(core["points"]?["value"] as? Int == 5)
        #expect(fields["personal"] as? [Any] == nil || (fields["personal"] as? [Any])?.isEmpty == true)
        let all = try #require(fields["all"] as? [String: Any])
        #expect(all["firstname"] as? String == "Ada")
        #expect(all["title"] is NSNull)
        #expect((contact["tags"] as? [[String: Any]])?.first?["tag"] as? String == "vip")
        #expect((contact["ipAddresses"] as? [String: Any])?["10.0.0.1"] != nil)
        #expect(contact["dateModified"] is NSNull)

        let companies = await api("GET", "/api/contacts/\(id)/companies").object
        let row = try #require((companies["companies"] as? [[String: Any]])?.first)
        #expect(row["companyname"] as? String == "Analytical Engines")
        #expect(row["is_primary"] as? String == "1")

        let duplicate = await api("POST", "/api/contacts/new", json: ["email": "ADA@engine.example.com", "position": "Countess"])
        #expect(duplicate.status == 200)
        #expect((duplicate.object["contact"] as? [String: Any])?["id"] as? Int == id)

        let invalid = await api("POST", "/api/contacts/new", json: ["email": "not-an-email"])
        #expect(invalid.status == 400)
        #expect(firstError(invalid)["message"] as? String == "email: A valid email is required.")
        #expect((firstError(invalid)["details"] as? [String: [String]])?["email"] == ["A valid email is required."])
        #expect(firstError(invalid)["type"] is NSNull)
    }

    @Test func patchPutAndDeleteFollowMauticSemantics() async throws {
        let id = try #require((await api("POST", "/api/contacts/new", json: ["firstname": "Grace", "lastname": "Hopper", "city": "Arlington"]))
            .object["contact"].flatMap { ($0 as? [String: Any])?["id"] as? Int })
        env.advance(60)
        let patched = await api("PATCH", "/api/contacts/\(id)/edit", json: ["city": "", "position": "Admiral"])
        let patchedAll = ((patched.object["contact"] as? [String: Any])?["fields"] as? [String: Any])?["all"] as? [String: Any]
        #expect(patchedAll?["city"] as? String == "Arlington")
        #expect(patchedAll?["position"] as? String == "Admiral")
        #expect((patched.object["contact"] as? [String: Any])?["dateModified"] is String)
        let blanked = await api("PATCH", "/api/contacts/\(id)/edit", json: ["city": "", "overwriteWithBlank": true])
        #expect((((blanked.object["contact"] as? [String: Any])?["fields"] as? [String: Any])?["all"] as? [String: Any])?["city"] is NSNull)
        let replaced = await api("PUT", "/api/contacts/\(id)/edit", json: ["firstname": "Grace"])
        let replacedAll = ((replaced.object["contact"] as? [String: Any])?["fields"] as? [String: Any])?["all"] as? [String: Any]
        #expect(replaced.status == 200)
        #expect(replacedAll?["lastname"] is NSNull)

        let missingPatch = await api("PATCH", "/api/contacts/9999/edit", json: ["firstname": "X"])
        #expect(missingPatch.status == 404)
        #expect(firstError(missingPatch)["message"] as? String == "Item was not found.")
        let missingPut = await api("PUT", "/api/contacts/9999/edit", json: ["firstname": "X"])
        #expect(missingPut.status == 201)
        #expect((missingPut.object["contact"] as? [String: Any])?["id"] as? Int != 9999)

        let deleted = await api("DELETE", "/api/contacts/\(id)/delete")
        #expect(deleted.status == 200)
        #expect((deleted.object["contact"] as? [String: Any])?["id"] is NSNull)
        #expect(await api("GET", "/api/contacts/\(id)").status == 404)
        #expect(await api("DELETE", "/api/contacts/\(id)/delete").status == 404)
    }

    @Test func batchEndpointsReportPerItemStatusAndEnforceTheLimit() async throws {
        let created = await api("POST", "/api/contacts/batch/new", json: [["firstname": "A", "email": "a@example.com"],
                                                                          ["email": "broken"], ["firstname": "C"]])
        #expect(created.status == 201)
        #expect(created.object["statusCodes"] as? [Int] == [201, 400, 201])
        let entities = try #require(created.object["contacts"] as? [String: [String: Any]])
        #expect(Set(entities.keys) == ["0", "2"])
        #expect((created.object["errors"] as? [String: [String: Any]])?["1"]?["code"] as? Int == 400)
        let ids = entities.values.compactMap { $0["id"] as? Int }.sorted()

        let edited = await api("PATCH", "/api/contacts/batch/edit", json: [["id": ids[0], "lastname": "Alpha"], ["lastname": "NoId"], ["id": 4242]])
        #expect(edited.object["statusCodes"] as? [Int] == [200, 400, 404])
        #expect((edited.object["errors"] as? [String: [String: Any]])?["1"]?["message"] as? String == "ID is missing from the payload.")

        let tooMany = await api("POST", "/api/contacts/batch/new", json: (0...200).map { ["firstname": "n\($0)"] })
        #expect(tooMany.status == 500)
        #expect(firstError(tooMany)["message"] as? String == "A max of 200 entities are supported at a time.")

        let removed = await api("DELETE", "/api/contacts/batch/delete", query: [("ids", "\(ids[0]),4242,\(ids[1])")])
        #expect(removed.status == 200)
        let gone = try #require(removed.object["contacts"] as? [String: [String: Any]])
        #expect(gone["0"]?["id"] as? Int == ids[0] && gone["2"]?["id"] as? Int == ids[1])
        #expect((removed.object["errors"] as? [String: [String: Any]])?["1"]?["code"] as? Int == 404)
        #expect(await api("GET", "/api/contacts/\(ids[1])").status == 404)
    }

    // MARK: Companies and segments

    @Test func companiesLinkContactsThroughBothRouteForms() async throws {
        #expect(await api("POST", "/api/companies/new", json: ["companycity": "Nowhere"]).status == 400)
        let company = await api("POST", "/api/companies/new", json: ["companyname": "Globex", "companyemail": "info@globex.example.com"])
        #expect(company.status == 201)
        let companyId = try #require((company.object["company"] as? [String: Any])?["id"] as? Int)
        let all = (((company.object["company"] as? [String: Any])?["fields"] as? [String: Any])?["all"] as? [String: Any])
        #expect(all?["id"] as? Int == companyId && all?["companyname"] as? String == "Globex")
        let contactId = try #require((await api("POST", "/api/contacts/new", json: ["firstname": "Hank"])).object["contact"]
            .flatMap { ($0 as? [String: Any])?["id"] as? Int })

        let added = await api("POST", "/api/companies/\(companyId)/contact/\(contactId)/add")
        #expect(added.object["success"] as? Int == 1)
        let contact = await api("GET", "/api/contacts/\(contactId)").object["contact"] as? [String: Any]
        #expect(((contact?["fields"] as? [String: Any])?["all"] as? [String: Any])?["company"] as? String == "Globex")
        #expect(await api("POST", "/api/companies/\(companyId)/contact/remove/\(contactId)").status == 200)
        #expect((await api("GET", "/api/contacts/\(contactId)/companies").object["companies"] as? [Any])?.isEmpty == true)
        #expect(await api("POST", "/api/companies/\(companyId)/contact/9999/add").status == 404)
        let listed = await api("GET", "/api/companies", query: [("search", "Globex")])
        #expect(listed.object["total"] as? String == "1")
    }

    @Test func segmentsKeepManualMembership() async throws {
        await app.seed(SandboxSeed(count: 3))
        let lists = await api("GET", "/api/segments")
        let segments = try #require(lists.object["lists"] as? [String: [String: Any]])
        let sync = try #require(segments.values.first { $0["name"] as? String == "Salesforce sync" })
        let segmentId = try #require(sync["id"] as? Int)
        #expect(lists.object["total"] as? Int == 2)

        let contactId = try #require((await api("POST", "/api/contacts/new", json: ["email": "seg@example.com"])).object["contact"]
            .flatMap { ($0 as? [String: Any])?["id"] as? Int })
        #expect(await api("POST", "/api/segments/\(segmentId)/contact/\(contactId)/add").object["success"] as? Int == 1)
        #expect((await api("GET", "/api/contacts/\(contactId)/segments").object["total"] as? Int) == 1)
        #expect(await api("POST", "/api/segments/\(segmentId)/contact/remove/\(contactId)").status == 200)
        #expect((await api("GET", "/api/contacts/\(contactId)/segments").object["total"] as? Int) == 0)
        let inSegment = await api("GET", "/api/contacts", query: [("search", "segment:salesforce-sync email:seg@example.com")])
        #expect(inSegment.object["total"] as? String == "0")

        let made = await api("POST", "/api/segments/new", json: ["name": "Salesforce sync"])
        #expect((made.object["list"] as? [String: Any])?["alias"] as? String == "salesforce-sync1")
        #expect(await api("POST", "/api/segments/new", json: ["description": "no name"]).status == 400)
        #expect(await api("POST", "/api/segments/\(segmentId)/contact/\(contactId)/add", headers: [:]).status == 401)
    }

    // MARK: Webhooks, faults, routes, state

    @Test func webhooksAreKeyedByEventTypeAndSigned() async throws {
        await app.subscribe(url: "http://127.0.0.1:9/mautic", secret: "hook-secret", events: [])
        let created = await api("POST", "/api/contacts/new", json: ["firstname": "Webb", "email": "webb@example.com", "company": "Hooks Ltd"])
        let id = try #require((created.object["contact"] as? [String: Any])?["id"] as? Int)
        let hook = try #require(env.webhooks.last)
        #expect(env.webhooks.count == 1)
        let mac = HMAC<SHA256>.authenticationCode(for: hook.body, using: SymmetricKey(data: Data("hook-secret".utf8)))
        #expect(hook.headers["Webhook-Signature"] == Data(mac).base64EncodedString())
        #expect(hook.headers["X-Origin-Base-URL"] == "http://127.0.0.1:8404")
        let body = try #require(try JSONSerialization.jsonObject(with: hook.body) as? [String: Any])
        #expect(Set(body.keys) == ["mautic.lead_post_save_new", "mautic.company_post_save", "mautic.lead_company_change", "timestamp"])
        let event = try #require((body["mautic.lead_post_save_new"] as? [[String: Any]])?.first)
        #expect((event["contact"] as? [String: Any])?["id"] as? Int == id)
        #expect(event["timestamp"] is String)

        env.clearWebhooks()
        _ = await api("DELETE", "/api/contacts/\(id)/delete")
        let deleted = try #require(try JSONSerialization.jsonObject(with: env.webhooks.first!.body) as? [String: Any])
        let entry = try #require((deleted["mautic.lead_post_delete"] as? [[String: Any]])?.first)
        #expect(entry["id"] as? Int == id)
        #expect((entry["contact"] as? [String: Any])?["id"] is NSNull)

        let viaAPI = await api("POST", "/api/hooks/new", json: ["name": "CRM", "webhookUrl": "https://crm.example.com/hook",
                                                                "triggers": ["mautic.lead_points_change"], "secret": "s2"])
        #expect(viaAPI.status == 201)
        env.clearWebhooks()
        let other = try #require((await api("POST", "/api/contacts/new", json: ["firstname": "Pts"])).object["contact"]
            .flatMap { ($0 as? [String: Any])?["id"] as? Int })
        env.clearWebhooks()
        _ = await api("PATCH", "/api/contacts/\(other)/edit", json: ["points": 42])
        let pointsHook = try #require(env.webhooks.first { $0.url == "https://crm.example.com/hook" })
        #expect(pointsHook.headers["Webhook-Signature"] == AriticWebhookEvents.signature(body: pointsHook.body, secret: "s2"))
        let pointsBody = try #require(try JSONSerialization.jsonObject(with: pointsHook.body) as? [String: Any])
        let change = (pointsBody["mautic.lead_points_change"] as? [[String: Any]])?.first?["points"] as? [String: Int]
        #expect(change == ["old_points": 0, "new_points": 42])
        #expect(await api("GET", "/api/hooks/triggers").object["triggers"] is [String: Any])
    }

    @Test func faultsAndUnknownRoutesUseTheErrorEnvelope() async {
        let limited = app.faultResponse(.rateLimited(retryAfterSeconds: 12))
        #expect(limited.status == 429)
        #expect(limited.headers["Retry-After"] == "12")
        let limitedBody = (try? JSONSerialization.jsonObject(with: limited.body) as? [String: Any])?["errors"] as? [[String: Any]]
        #expect(limitedBody?.first?["code"] as? Int == 429)
        let failed = app.faultResponse(.serverError)
        #expect(failed.status == 500)
        #expect(((try? JSONSerialization.jsonObject(with: failed.body) as? [String: Any])?["errors"] as? [[String: Any]])?.first?["code"] as? Int == 500)
        let unknown = await api("GET", "/api/widgets")
        #expect(unknown.status == 404)
        #expect(firstError(unknown)["code"] as? Int == 404)
        #expect(await api("POST", "/api/contacts").status == 405)
        #expect(await api("GET", "/api/contacts/abc").status == 404)
    }

    @Test func stateSurvivesExportResetAndImport() async throws {
        await app.seed(SandboxSeed(count: 2))
        let before = await api("GET", "/api/contacts", query: [("limit", "0")]).object["total"] as? String
        let saved = await app.exportState()
        await app.reset()
        #expect(await api("GET", "/api/contacts").object["total"] as? String == "0")
        #expect(await api("GET", "/api/segments").object["total"] as? Int == 0)
        try await app.importState(saved)
        #expect(await api("GET", "/api/contacts", query: [("limit", "0")]).object["total"] as? String == before)
        await #expect(throws: CrosswalkError.self) { try await app.importState(Data("[]".utf8)) }
    }
}

@Suite("Aritic (Mautic) list parameters")
struct AriticListParameterTests {
    let env = WebhookRecordingEnvironment()
    let app: AriticApp
    let basic: HTTPFields

    init() {
        app = AriticApp(environment: env)
        basic = ["Authorization": "Basic \(Data("\(AriticApp.demoCredentials.username):\(AriticApp.demoCredentials.password)".utf8).base64EncodedString())"]
    }

    private func list(_ query: [(String, String)]) async -> [[String: Any]] {
        let reply = await app.call("GET", "/api/contacts", query: query, headers: basic)
        #expect(reply.status == 200, "\(query): \(reply.object)")
        return ((reply.object["contacts"] as? [String: Any]) ?? [:]).values.compactMap { $0 as? [String: Any] }
            .sorted { ($0["id"] as? Int ?? 0) < ($1["id"] as? Int ?? 0) }
    }

    private func keyedOrder(_ query: [(String, String)]) async -> [Int] {
        // The body keeps Mautic's order; decode it with the keys in order.
        let raw = String(decoding: await app.handle(SandboxRequest(method: "GET", path: "/api/contacts", query: query.map { (name: $0.0, value: $0.1) },
                                                                  headers: basic)).body, as: UTF8.self)
        let ids = raw.matches(of: /"(\d+)":\{"id":(\d+)/).map { Int($0.output.2)! }
        return ids
    }

    @Test func orXGroupsAndOrderEntries() async throws {
        for (first, city, points) in [("A", "Lyon", 5), ("B", "Boston", 50), ("C", "Paris", 20), ("D", "Lyon", 30)] {
            #expect(await app.call("POST", "/api/contacts/new", json: ["firstname": first, "city": city, "points": points], headers: basic).status == 201)
        }
        let orX: [(String, String)] = [("where[0][expr]", "orX"),
                                       ("where[0][val][0][col]", "city"), ("where[0][val][0][expr]", "eq"), ("where[0][val][0][val]", "Lyon"),
                                       ("where[0][val][1][col]", "city"), ("where[0][val][1][expr]", "eq"), ("where[0][val][1][val]", "Boston")]
        #expect(await list(orX).compactMap { ($0["fields"] as? [String: Any]).flatMap { ($0["all"] as? [String: Any])?["firstname"] as? String } } == ["A", "B", "D"])
        let andX: [(String, String)] = [("where[0][expr]", "andX"),
                                        ("where[0][val][0][col]", "city"), ("where[0][val][0][expr]", "eq"), ("where[0][val][0][val]", "Lyon"),
                                        ("where[0][val][1][col]", "points"), ("where[0][val][1][expr]", "gt"), ("where[0][val][1][val]", "10")]
        #expect(await list(andX).count == 1)
        #expect(await keyedOrder([("order[0][col]", "points"), ("order[0][dir]", "DESC")]) == [2, 4, 3, 1])
        #expect(await keyedOrder([("orderBy", "city"), ("order[0][col]", "points"), ("order[0][dir]", "DESC")]) == [2, 4, 1, 3])
        #expect(await keyedOrder([("orderBy", "id"), ("orderByDir", "DESC"), ("start", "1"), ("limit", "2")]) == [3, 2])
        let unknown = await app.call("GET", "/api/contacts", query: [("where[0][expr]", "orX"), ("where[0][val][0][col]", "shoe"),
                                                                     ("where[0][val][0][expr]", "eq"), ("where[0][val][0][val]", "1")], headers: basic)
        #expect(unknown.status == 400)
        let empty = await app.call("GET", "/api/contacts", query: [("where[0][expr]", "orX")], headers: basic)
        #expect(empty.status == 400)
    }
}
