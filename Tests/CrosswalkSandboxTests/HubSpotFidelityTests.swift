import CrosswalkCore
@testable import CrosswalkSandbox
import Foundation
import Testing

// Issue 12, "Sandbox fidelity, second pass": what a connector meets on a real portal and did not meet here.
// Uses WebhookRecordingEnvironment, JSONReply and SandboxApp.call(...) from the suite's shared test helpers.

@Suite("HubSpot emulator: fidelity")
struct HubSpotFidelityTests {
    let env = WebhookRecordingEnvironment()
    let app: HubSpotApp

    init() { app = HubSpotApp(environment: env) }

    private func api(_ method: String, _ path: String, query: [(String, String)] = [], json: Any? = nil, rawBody: Data? = nil) async -> JSONReply {
        await app.call(method, path, query: query, json: json, rawBody: rawBody,
                       headers: ["Authorization": "Bearer \(HubSpotDemoCredentials.privateAppToken)", "Content-Type": "application/json"])
    }

    private func control(_ name: String, _ body: [String: Any]) async -> JSONReply {
        let data = try! JSONSerialization.data(withJSONObject: body)
        let response = await app.control(name, SandboxRequest(method: "POST", path: "/__sandbox/app/\(name)", body: data)) ?? .empty(404)
        return JSONReply(status: response.status, headers: response.headers, json: try? JSONSerialization.jsonObject(with: response.body))
    }

    private func results(_ reply: JSONReply) -> [[String: Any]] { reply.object["results"] as? [[String: Any]] ?? [] }
    private func properties(_ record: [String: Any]) -> [String: Any] { record["properties"] as? [String: Any] ?? [:] }

    private func search(_ type: String, _ body: [String: Any]) async -> JSONReply {
        env.advance(0.25)  // stay within the 5 searches per second
        return await api("POST", "/crm/v3/objects/\(type)/search", json: body)
    }

    private func byEmail(_ email: String) -> [String: Any] {
        ["filterGroups": [["filters": [["propertyName": "email", "operator": "EQ", "value": email]]]], "properties": ["email", "lastname"]]
    }

    // MARK: 1. search-index lag

    @Test func searchLagHidesNewRecordsAndShowsOldValuesUntilIndexed() async {
        #expect(await control("search_lag", ["ms": 2000]).object["search_lag_ms"] as? Int == 2000)
        let created = await api("POST", "/crm/v3/objects/contacts", json: ["properties": ["email": "lag@example.com", "lastname": "Before"]])
        let id = created.object["id"] as? String ?? ""
        #expect(await search("contacts", byEmail("lag@example.com")).object["total"] as? Int == 0, "a new record is not searchable at once")
        #expect(await api("GET", "/crm/v3/objects/contacts/\(id)").status == 200, "but GET sees it")
        #expect(results(await api("POST", "/crm/v3/objects/contacts/batch/read", json: ["inputs": [["id": id]]])).count == 1)
        #expect(results(await api("GET", "/crm/v3/objects/contacts")).contains { $0["id"] as? String == id })

        env.advance(2)
        let found = await search("contacts", byEmail("lag@example.com"))
        #expect(results(found).map { properties($0)["lastname"] as? String } == ["Before"])

        _ = await api("PATCH", "/crm/v3/objects/contacts/\(id)", json: ["properties": ["lastname": "After"]])
        let stale = await search("contacts", byEmail("lag@example.com"))
        #expect(results(stale).map { properties($0)["lastname"] as? String } == ["Before"], "search shows the old values for a while")
        #expect(properties((await api("GET", "/crm/v3/objects/contacts/\(id)", query: [("properties", "lastname")])).object)["lastname"] as? String == "After")
        env.advance(2.1)
        #expect(results(await search("contacts", byEmail("lag@example.com"))).map { properties($0)["lastname"] as? String } == ["After"])

        _ = await api("POST", "/crm/v3/objects/contacts", json: ["properties": ["email": "flush@example.com"]])
        #expect(await control("search_lag", ["flush": true]).object["pending"] as? Int == 0)
        #expect(await search("contacts", byEmail("flush@example.com")).object["total"] as? Int == 1)
        #expect(await control("search_lag", ["ms": -1]).status == 400)
    }

    @Test func searchIsImmediateByDefault() async {
        _ = await api("POST", "/crm/v3/objects/contacts", json: ["properties": ["email": "now@example.com"]])
        #expect(await search("contacts", byEmail("now@example.com")).object["total"] as? Int == 1)
    }

    // MARK: 2. duplicate e-mail

    @Test func conflictNamesTheContactHoldingTheEmailAndIdsAreNeverReused() async {
        let first = await api("POST", "/crm/v3/objects/contacts", json: ["properties": ["email": "taken@example.com"]])
        let firstId = first.object["id"] as? String ?? ""
        let conflict = await api("POST", "/crm/v3/objects/contacts/batch/create", json: ["inputs": [
            ["properties": ["email": "fresh@example.com"]], ["properties": ["email": "TAKEN@example.com"]],
        ]])
        #expect(conflict.status == 409)
        #expect(conflict.object["category"] as? String == "CONFLICT")
        #expect(conflict.object["message"] as? String == "Contact already exists. Existing ID: \(firstId)")
        #expect(Set(conflict.object.keys) == ["status", "message", "correlationId", "category"])

        let twice = await api("POST", "/crm/v3/objects/contacts/batch/create", json: ["inputs": [
            ["properties": ["email": "twice@example.com"]], ["properties": ["email": "Twice@example.com"]],
        ]])
        if let message = twice.object["message"] as? String, let named = message.split(separator: " ").last.map(String.init), twice.status == 409 {
            let holder = await api("GET", "/crm/v3/objects/contacts/\(named)", query: [("properties", "email")])
            #expect(properties(holder.object)["email"] as? String == "twice@example.com", "a 409 must name a contact that has the e-mail")
        }
        #expect(twice.status == 400)
        #expect(twice.object["category"] as? String == "VALIDATION_ERROR")

        let next = await api("POST", "/crm/v3/objects/contacts", json: ["properties": ["email": "next@example.com"]])
        #expect((Int(next.object["id"] as? String ?? "") ?? 0) > (Int(firstId) ?? 0))
        #expect(results(await api("POST", "/crm/v3/objects/contacts/batch/read", json: ["inputs": [["id": "twice@example.com"]],
                                                                                         "idProperty": "email"])).isEmpty,
                "nothing of a refused batch is written")
        // A deleted contact's id is not handed out again.
        _ = await api("DELETE", "/crm/v3/objects/contacts/\(next.object["id"] as? String ?? "")")
        let after = await api("POST", "/crm/v3/objects/contacts", json: ["properties": ["email": "after@example.com"]])
        #expect(after.object["id"] as? String != next.object["id"] as? String)
    }

    // MARK: 3. association labels

    @Test func associationLabelsAreReadCreatedUsedAndDeleted() async {
        let builtIn = results(await api("GET", "/crm/v4/associations/contacts/companies/labels"))
        let byId = Dictionary(builtIn.map { ($0["typeId"] as? Int ?? 0, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byId[279]?["category"] as? String == "HUBSPOT_DEFINED" && byId[279]?["label"] == nil)
        #expect(byId[1]?["label"] as? String == "Primary")
        #expect(byId[1001]?["category"] as? String == "USER_DEFINED")
        #expect(results(await api("GET", "/crm/v4/associations/deals/contacts/labels")).contains { $0["typeId"] as? Int == 3 })
        #expect(results(await api("GET", "/crm/v4/associations/invoices/contacts/labels")).contains { $0["typeId"] as? Int == 177 })
        #expect(results(await api("GET", "/crm/associations/v4/notes/contacts/labels")).contains { $0["typeId"] as? Int == 202 })

        let made = await api("POST", "/crm/v4/associations/contacts/companies/labels",
                             json: ["label": "Former employee", "name": "former_employee", "inverseLabel": "Former employer"])
        #expect(made.status == 200)
        let pair = results(made)
        #expect(pair.map { $0["label"] as? String } == ["Former employee", "Former employer"])
        let typeId = pair.first?["typeId"] as? Int ?? 0
        #expect(typeId > 1004)

        let contact = await api("POST", "/crm/v3/objects/contacts", json: ["properties": ["email": "label@example.com"]]).object["id"] as? String ?? ""
        let company = await api("POST", "/crm/v3/objects/companies", json: ["properties": ["name": "Label Co"]]).object["id"] as? String ?? ""
        let linked = await api("PUT", "/crm/v4/objects/contacts/\(contact)/associations/companies/\(company)",
                               json: [["associationCategory": "USER_DEFINED", "associationTypeId": typeId]])
        #expect(linked.object["labels"] as? [String] == ["Former employee"])
        let reverse = results(await api("GET", "/crm/v4/objects/companies/\(company)/associations/contacts"))
        #expect((reverse.first?["associationTypes"] as? [[String: Any]])?.first?["label"] as? String == "Former employer")

        #expect(await api("PUT", "/crm/v4/associations/contacts/companies/labels",
                          json: ["associationTypeId": typeId, "label": "Alumnus"]).status == 204)
        #expect(results(await api("GET", "/crm/v4/associations/contacts/companies/labels")).contains { $0["label"] as? String == "Alumnus" })
        #expect(await api("PUT", "/crm/v4/associations/contacts/companies/labels", json: ["associationTypeId": 1, "label": "Nope"]).status == 400)
        #expect(await api("DELETE", "/crm/v4/associations/contacts/companies/labels/\(typeId)").status == 204)
        #expect(results(await api("GET", "/crm/v4/objects/contacts/\(contact)/associations/companies")).isEmpty)
        #expect(await api("DELETE", "/crm/v4/associations/contacts/companies/labels/\(typeId)").status == 404)
    }

    // MARK: 4. limits

    @Test func textValuesHoldAtMost65536CharactersAndSearchPagesStopAt10000() async {
        let longest = String(repeating: "x", count: 65_536)
        #expect(await api("POST", "/crm/v3/objects/notes", json: ["properties": ["hs_note_body": longest, "hs_timestamp": "1700000000000"]]).status == 201)
        let tooLong = await api("POST", "/crm/v3/objects/notes", json: ["properties": ["hs_note_body": longest + "x"]])
        #expect(tooLong.status == 400)
        #expect((tooLong.object["message"] as? String ?? "").contains("INVALID_PROPERTY_VALUE"))

        #expect(await search("contacts", ["after": "9800", "limit": 200]).status == 200)
        let past = await search("contacts", ["after": "9900", "limit": 200])
        #expect(past.status == 400)
        #expect(past.object["category"] as? String == "VALIDATION_ERROR")
        let filters = (1...7).map { _ in ["propertyName": "email", "operator": "HAS_PROPERTY"] }
        #expect(await search("contacts", ["filterGroups": [["filters": filters]]]).status == 400)
    }

    // MARK: 5. standard objects and portal routes

    @Test func everyStandardObjectHasPropertiesAndObjectRoutes() async {
        for type in ["calls", "emails", "meetings", "notes", "tasks", "line_items", "products", "tickets", "quotes", "communications", "postal_mail"] {
            let listed = await api("GET", "/crm/v3/properties/\(type)")
            #expect(listed.status == 200, "\(type)")
            #expect(results(listed).count >= 10, "\(type)")
            #expect(await api("GET", "/crm/v3/objects/\(type)").status == 200, "\(type)")
            #expect(await api("GET", "/crm/v3/properties/\(type)/groups").status == 200, "\(type)")
        }
        let note = await api("POST", "/crm/v3/objects/notes", json: ["properties": ["hs_note_body": "Called back", "hs_timestamp": "2026-01-05T10:00:00Z"]])
        #expect(note.status == 201)
        let listed = results(await api("GET", "/crm/v3/objects/notes", query: [("properties", "hs_note_body")]))
        #expect(listed.map { properties($0)["hs_note_body"] as? String } == ["Called back"])
        #expect(await api("GET", "/crm/v3/objects/0-5").status == 200, "tickets by type id")
    }

    @Test func schemasOwnersAndLegacyPropertiesAreServed() async {
        #expect(results(await api("GET", "/crm/v3/schemas")).isEmpty, "no custom objects in this portal")
        let contactSchema = await api("GET", "/crm/v3/schemas/contacts")
        #expect(contactSchema.object["objectTypeId"] as? String == "0-1")

        var ids: [String] = []
        var after: String?
        repeat {
            var query = [("limit", "50")]
            if let after { query.append(("after", after)) }
            let page = await api("GET", "/crm/v3/owners", query: query)
            ids += results(page).compactMap { $0["id"] as? String }
            after = ((page.object["paging"] as? [String: Any])?["next"] as? [String: Any])?["after"] as? String
        } while after != nil && ids.count < 1000
        #expect(ids.count == 117)
        #expect(Set(ids).count == ids.count)
        #expect(results(await api("GET", "/crm/v3/owners", query: [("archived", "true")])).count == 3)
        #expect(await api("GET", "/crm/v3/owners/\(ids[0])").object["email"] is String)

        let legacy = await api("GET", "/properties/v2/contacts/properties")
        #expect(legacy.array.count >= 190)
        #expect((legacy.array.first as? [String: Any])?["readOnlyDefinition"] is Bool)
        #expect(await api("GET", "/properties/v1/deals/properties").array.count >= 95)
        #expect(await api("GET", "/properties/v2/tickets/properties").status == 200)
    }

    // MARK: 6. seeded data

    @Test func seededPortalLooksLikeARealOne() async {
        await app.seed(SandboxSeed(count: 300))
        var stamps: [String] = []
        var after: String?
        repeat {
            var query = [("limit", "100"), ("properties", "lastmodifieddate")]
            if let after { query.append(("after", after)) }
            let page = await api("GET", "/crm/v3/objects/contacts", query: query)
            stamps += results(page).compactMap { properties($0)["lastmodifieddate"] as? String }
            after = ((page.object["paging"] as? [String: Any])?["next"] as? [String: Any])?["after"] as? String
        } while after != nil
        #expect(stamps.count == 900)
        #expect(Set(stamps).count >= 895, "modification times are spread out: \(stamps.count - Set(stamps).count) shared")

        let counts = [("contacts", 190), ("companies", 140), ("deals", 95)]
        for (type, least) in counts {
            let definitions = results(await api("GET", "/crm/v3/properties/\(type)"))
            #expect(definitions.count >= least, "\(type): \(definitions.count)")
            #expect(Set(definitions.compactMap { $0["groupName"] as? String }).count >= 2, "\(type)")
        }
        let lifecycle = await api("GET", "/crm/v3/properties/contacts/lifecyclestage")
        #expect((lifecycle.object["options"] as? [[String: Any]])?.count == 8)
        let owner = await api("GET", "/crm/v3/properties/contacts/hubspot_owner_id")
        #expect(owner.object["type"] as? String == "enumeration")
        let contact = results(await api("GET", "/crm/v3/objects/contacts", query: [("properties", "hubspot_owner_id,jobtitle")])).first ?? [:]
        #expect(properties(contact)["hubspot_owner_id"] is String)
    }

    // MARK: 7. portal states

    @Test func missingScopeAndRevokedTokenAnswerAsHubSpotDoes() async {
        #expect(await control("scopes", ["missing": ["crm.objects.contacts.write"]]).status == 200)
        #expect(await api("GET", "/crm/v3/objects/contacts").status == 200, "reading needs only the read scope")
        let refused = await api("POST", "/crm/v3/objects/contacts", json: ["properties": ["email": "scope@example.com"]])
        #expect(refused.status == 403)
        #expect(refused.object["category"] as? String == "MISSING_SCOPES")
        #expect((refused.object["message"] as? String ?? "").hasPrefix("This app hasn't been granted all required scopes"))
        let detail = (refused.object["errors"] as? [[String: Any]])?.first
        #expect((detail?["context"] as? [String: [String]])?["requiredGranularScopes"] == ["crm.objects.contacts.write"])
        #expect((refused.object["links"] as? [String: String])?["scopes"] == "https://developers.hubspot.com/scopes")
        _ = await control("scopes", ["missing": ["crm.schemas.contacts.read"]])
        #expect(await api("GET", "/crm/v3/properties/contacts").status == 403)
        _ = await control("scopes", ["missing": []])
        #expect(await api("POST", "/crm/v3/objects/contacts", json: ["properties": ["email": "scope@example.com"]]).status == 201)

        _ = await control("token", ["revoked": true])
        let revoked = await api("GET", "/crm/v3/objects/contacts")
        #expect(revoked.status == 401)
        #expect(revoked.object["category"] as? String == "INVALID_AUTHENTICATION")
        _ = await control("token", ["revoked": false])
        #expect(await api("GET", "/crm/v3/objects/contacts").status == 200)
        #expect(await control("nope", [:]).status == 404)
    }

    // MARK: 8. error bodies for size limits and malformed input

    @Test func longURIsLargeBodiesAndMalformedJSONGetHubSpotErrors() async {
        let names = (0..<700).map { "custom_property_number_\($0)" }
        let long = await api("GET", "/crm/v3/objects/contacts", query: names.map { ("properties", $0) })
        #expect(long.status == 414)
        #expect(long.object["status"] as? String == "error" && long.object["correlationId"] is String)
        #expect(await api("GET", "/crm/v3/objects/contacts", query: names.prefix(100).map { ("properties", $0) }).status == 200)

        let big = Data(#"{"properties":{"email":""#.utf8) + Data(repeating: UInt8(ascii: "a"), count: 11 << 20) + Data(#""}}"#.utf8)
        let tooLarge = await api("POST", "/crm/v3/objects/contacts", rawBody: big)
        #expect(tooLarge.status == 413)
        #expect(tooLarge.object["category"] as? String == "VALIDATION_ERROR")

        let broken = await api("POST", "/crm/v3/objects/contacts", rawBody: Data(#"{"properties": {"email": "#.utf8))
        #expect(broken.status == 400)
        #expect((broken.object["message"] as? String ?? "").hasPrefix("Invalid input JSON on line 1, column"))
        for body in [#"{"properties": 5}"#, #"{"properties": {"email": "a@b.c"}, "associations": {}}"#] {
            let wrong = await api("POST", "/crm/v3/objects/contacts", rawBody: Data(body.utf8))
            #expect(wrong.status == 400, "\(body)")
            #expect(wrong.object["category"] as? String == "VALIDATION_ERROR")
        }
        for body in [["limit": "many"], ["properties": "email"], ["query": ["x"]], ["filterGroups": "x"]] as [[String: Any]] {
            let wrong = await search("contacts", body)
            #expect(wrong.status == 400, "\(body)")
            #expect(wrong.object["category"] as? String == "VALIDATION_ERROR", "\(body)")
        }
    }

    // MARK: 9. paging links

    @Test func pagingNextLinkKeepsTheRequestParameters() async {
        await app.seed(SandboxSeed(count: 2))
        let page = await api("GET", "/crm/v3/objects/contacts", query: [("limit", "2"), ("properties", "email"), ("properties", "phone"),
                                                                        ("associations", "companies")])
        let link = ((page.object["paging"] as? [String: Any])?["next"] as? [String: Any])?["link"] as? String ?? ""
        let items = URLComponents(string: link)?.queryItems ?? []
        #expect(items.filter { $0.name == "properties" }.map(\.value) == ["email", "phone"])
        #expect(items.first { $0.name == "associations" }?.value == "companies")
        #expect(items.first { $0.name == "limit" }?.value == "2")
        #expect(items.filter { $0.name == "after" }.count == 1)
    }

    // MARK: 10. paging stays correct along indexes and cursors

    @Test func indexedSearchPagesMatchAFullSortAndSurviveWrites() async {
        await app.seed(SandboxSeed(count: 60))
        let since = HubSpotTime.iso(env.now().addingTimeInterval(-200 * 86_400))
        let body: [String: Any] = ["filterGroups": [["filters": [["propertyName": "lastmodifieddate", "operator": "GTE", "value": since]]]],
                                   "sorts": [["propertyName": "lastmodifieddate", "direction": "ASCENDING"]], "properties": ["lastmodifieddate"],
                                   "limit": 7]
        var seen: [(String, String)] = []
        var after: String?
        var total = 0
        repeat {
            var request = body
            if let after { request["after"] = after }
            let page = await search("contacts", request)
            total = page.object["total"] as? Int ?? -1
            seen += results(page).map { ($0["id"] as? String ?? "", properties($0)["lastmodifieddate"] as? String ?? "") }
            after = ((page.object["paging"] as? [String: Any])?["next"] as? [String: Any])?["after"] as? String
        } while after != nil
        #expect(seen.count == total)
        #expect(seen.map(\.1) == seen.map(\.1).sorted())
        #expect(seen.allSatisfy { $0.1 >= since })
        // A write between pages moves the record to the end; the next page is computed afresh.
        let first = await search("contacts", body)
        let moved = results(first).first?["id"] as? String ?? ""
        _ = await api("PATCH", "/crm/v3/objects/contacts/\(moved)", json: ["properties": ["jobtitle": "Moved"]])
        let second = await search("contacts", body.merging(["after": "7"]) { $1 })
        #expect(!results(second).contains { $0["id"] as? String == moved })
        let descending = await search("contacts", ["sorts": [["propertyName": "hs_object_id", "direction": "DESCENDING"]], "limit": 3,
                                                   "filterGroups": [["filters": [["propertyName": "hs_object_id", "operator": "LT", "value": "10010"]]]]])
        #expect(results(descending).compactMap { $0["id"] as? String } == ["10009", "10008", "10004"])
    }

    // MARK: batch results carry the input's objectWriteTraceId (spec SimplePublicObjectBatchInput* → SimplePublicObject)

    @Test func batchResultsEchoObjectWriteTraceId() async {
        let created = await api("POST", "/crm/v3/objects/contacts/batch/create", json: ["inputs": [
            ["properties": ["email": "t1@example.com"], "objectWriteTraceId": "ref-1"], ["properties": ["email": "t2@example.com"], "objectWriteTraceId": "ref-2"],
            ["properties": ["email": "t3@example.com"]],
        ]])
        #expect(created.status == 201)
        let traces = Dictionary(results(created).compactMap { r in (r["objectWriteTraceId"] as? String).map { ($0, properties(r)["email"] as? String) } }) { a, _ in a }
        #expect(traces == ["ref-1": "t1@example.com", "ref-2": "t2@example.com"])
        #expect(results(created).filter { $0["objectWriteTraceId"] == nil }.count == 1, "no trace id given, none answered")
        let id = results(created).first { $0["objectWriteTraceId"] as? String == "ref-1" }?["id"] as? String ?? ""
        let updated = await api("POST", "/crm/v3/objects/contacts/batch/update", json: ["inputs": [
            ["id": id, "properties": ["firstname": "U"], "objectWriteTraceId": "ref-u"],
        ]])
        #expect(results(updated).first?["objectWriteTraceId"] as? String == "ref-u")
        let upserted = await api("POST", "/crm/v3/objects/contacts/batch/upsert", json: ["inputs": [
            ["id": "t2@example.com", "idProperty": "email", "properties": ["firstname": "S"], "objectWriteTraceId": "ref-s"],
            ["id": "t9@example.com", "idProperty": "email", "properties": ["firstname": "N"], "objectWriteTraceId": "ref-n"],
        ]])
        let upserts = Dictionary(results(upserted).compactMap { r in (r["objectWriteTraceId"] as? String).map { ($0, r["new"] as? Bool) } }) { a, _ in a }
        #expect(upserts == ["ref-s": false, "ref-n": true])
    }
}
