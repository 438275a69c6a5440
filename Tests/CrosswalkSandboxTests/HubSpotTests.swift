import CrosswalkCore
@testable import CrosswalkSandbox
import Crypto
import Foundation
import Testing

// Uses WebhookRecordingEnvironment, JSONReply and SandboxApp.call(...) from the suite's shared test helpers.

@Suite("HubSpot emulator")
struct HubSpotTests {
    let env = WebhookRecordingEnvironment()
    let app: HubSpotApp

    init() { app = HubSpotApp(environment: env) }

    /// A call with the demo private-app token (or `token`).
    private func api(_ method: String, _ path: String, query: [(String, String)] = [], json: Any? = nil,
                     token: String = HubSpotDemoCredentials.privateAppToken, on target: HubSpotApp? = nil) async -> JSONReply {
        await (target ?? app).call(method, path, query: query, json: json, headers: ["Authorization": "Bearer \(token)"])
    }

    private func createContact(_ properties: [String: Any]) async -> JSONReply {
        await api("POST", "/crm/v3/objects/contacts", json: ["properties": properties])
    }

    private func properties(_ reply: JSONReply) -> [String: Any] { reply.object["properties"] as? [String: Any] ?? [:] }

    private func results(_ reply: JSONReply) -> [[String: Any]] { reply.object["results"] as? [[String: Any]] ?? [] }

    /// Checks HubSpot's error envelope and returns its message.
    @discardableResult
    private func expectError(_ reply: JSONReply, _ status: Int, _ category: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(reply.status == status, sourceLocation: sourceLocation)
        #expect(reply.object["status"] as? String == "error", sourceLocation: sourceLocation)
        #expect(reply.object["category"] as? String == category, sourceLocation: sourceLocation)
        #expect(UUID(uuidString: reply.object["correlationId"] as? String ?? "") != nil, sourceLocation: sourceLocation)
        return reply.object["message"] as? String ?? ""
    }

    // MARK: objects

    @Test func createGetUpdateArchiveContact() async {
        let created = await createContact(["email": "Ada@Example.com", "firstname": "Ada", "lastname": "Lovelace"])
        #expect(created.status == 201)
        let id = created.object["id"] as? String ?? ""
        #expect(Int(id) != nil)
        #expect(properties(created)["email"] as? String == "ada@example.com")
        #expect(properties(created)["hs_object_id"] as? String == id)
        #expect(created.object["archived"] as? Bool == false)

        let fetched = await api("GET", "/crm/v3/objects/contacts/\(id)")
        #expect(fetched.status == 200)
        #expect(Set(properties(fetched).keys) == ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"])
        let byEmail = await api("GET", "/crm/v3/objects/contacts/ada@example.com", query: [("idProperty", "email")])
        #expect(byEmail.object["id"] as? String == id)

        env.advance(60)
        let updated = await api("PATCH", "/crm/v3/objects/contacts/\(id)", json: ["properties": ["lastname": "King", "phone": "+1 555"]])
        #expect(updated.status == 200)
        #expect(properties(updated)["lastname"] as? String == "King")
        #expect(updated.object["updatedAt"] as? String != created.object["updatedAt"] as? String)

        #expect(await api("DELETE", "/crm/v3/objects/contacts/\(id)").status == 204)
        expectError(await api("GET", "/crm/v3/objects/contacts/\(id)"), 404, "OBJECT_NOT_FOUND")
        let archived = await api("GET", "/crm/v3/objects/contacts/\(id)", query: [("archived", "true")])
        #expect(archived.object["archived"] as? Bool == true)
        #expect(archived.object["archivedAt"] is String)
    }

    @Test func listPagesWithAfterAndSelectsProperties() async {
        await app.seed(SandboxSeed(count: 5))
        var ids: [String] = []
        var after: String?
        var pages = 0
        repeat {
            var query = [("limit", "4"), ("properties", "email,phone")]
            if let after { query.append(("after", after)) }
            let page = await api("GET", "/crm/v3/objects/contacts", query: query)
            #expect(page.status == 200)
            for record in results(page) {
                ids.append(record["id"] as? String ?? "")
                let props = record["properties"] as? [String: Any] ?? [:]
                #expect(Set(props.keys) == ["email", "phone", "createdate", "hs_object_id", "lastmodifieddate"])
            }
            after = ((page.object["paging"] as? [String: Any])?["next"] as? [String: Any])?["after"] as? String
            pages += 1
        } while after != nil && pages < 10
        #expect(ids.count == 15)
        #expect(Set(ids).count == 15)
        #expect(pages == 4)
    }

    @Test func seededContactsLackSomeEmailsAndLastNamesAndHaveAssociations() async {
        await app.seed(SandboxSeed(count: 30))
        let page = await api("GET", "/crm/v3/objects/contacts", query: [("limit", "100"), ("associations", "companies")])
        let contacts = results(page)
        #expect(contacts.count == 90)
        #expect(contacts.contains { ($0["properties"] as? [String: Any])?["email"] is NSNull })
        #expect(contacts.contains { ($0["properties"] as? [String: Any])?["lastname"] is NSNull })
        let linked = contacts.compactMap { (($0["associations"] as? [String: Any])?["companies"] as? [String: Any])?["results"] as? [[String: Any]] }
        #expect(linked.count == 90)
        #expect(linked.contains { $0.contains { $0["type"] as? String == "contact_to_company" } })
        for type in ["companies", "deals", "invoices"] {
            #expect(results(await api("GET", "/crm/v3/objects/\(type)", query: [("limit", "100")])).count == 30)
        }
        let invoice = results(await api("GET", "/crm/v3/objects/invoices", query: [("limit", "1")]))[0]["id"] as? String ?? ""
        for target in ["contacts", "companies", "deals"] {
            #expect(results(await api("GET", "/crm/v4/objects/invoices/\(invoice)/associations/\(target)")).count == 1)
        }
    }

    @Test func refusesUnknownAndReadOnlyPropertiesAndDuplicateEmails() async {
        let unknown = await createContact(["email": "x@example.com", "favourite_colour": "blue"])
        #expect(expectError(unknown, 400, "VALIDATION_ERROR").contains("PROPERTY_DOESNT_EXIST"))
        let readOnly = await createContact(["hs_object_id": "5"])
        #expect(expectError(readOnly, 400, "VALIDATION_ERROR").contains("READ_ONLY_VALUE"))
        let badOption = await createContact(["lifecyclestage": "champion"])
        #expect(expectError(badOption, 400, "VALIDATION_ERROR").contains("INVALID_OPTION"))

        let first = await createContact(["email": "dup@example.com"])
        let second = await createContact(["email": "DUP@example.com"])
        #expect(expectError(second, 409, "CONFLICT") == "Contact already exists. Existing ID: \(first.object["id"] as? String ?? "")")
    }

    @Test func unknownObjectTypeRouteAndMethodAreRefused() async {
        expectError(await api("GET", "/crm/v3/objects/widgets"), 400, "VALIDATION_ERROR")
        #expect(await api("GET", "/crm/v3/nothing/here").status == 404)
        #expect(await api("PUT", "/crm/v3/objects/contacts/1").status == 405)
    }

    // MARK: batch

    @Test func batchCreateReadUpdateUpsertArchive() async {
        let created = await api("POST", "/crm/v3/objects/contacts/batch/create",
                                json: ["inputs": (1...3).map { ["properties": ["email": "b\($0)@example.com", "firstname": "B\($0)"]] }])
        #expect(created.status == 201)
        #expect(created.object["status"] as? String == "COMPLETE")
        let ids = results(created).compactMap { $0["id"] as? String }
        #expect(ids.count == 3)

        let read = await api("POST", "/crm/v3/objects/contacts/batch/read",
                             json: ["inputs": (ids + ["999999"]).map { ["id": $0] }, "properties": ["firstname"]])
        #expect(read.status == 207)
        #expect(results(read).count == 3)
        #expect(read.object["numErrors"] as? Int == 1)
        let error = (read.object["errors"] as? [[String: Any]])?.first
        #expect(error?["category"] as? String == "OBJECT_NOT_FOUND")
        #expect((error?["context"] as? [String: [String]])?["ids"] == ["999999"])

        let updated = await api("POST", "/crm/v3/objects/contacts/batch/update",
                                json: ["inputs": [["id": ids[0], "properties": ["lastname": "One"]]]])
        #expect(updated.status == 200)
        #expect((results(updated).first?["properties"] as? [String: Any])?["lastname"] as? String == "One")
        let duplicated = await api("POST", "/crm/v3/objects/contacts/batch/update",
                                   json: ["inputs": [["id": ids[0], "properties": [:]], ["id": ids[0], "properties": [:]]]])
        #expect(expectError(duplicated, 400, "VALIDATION_ERROR").contains("Duplicate IDs"))

        let upserted = await api("POST", "/crm/v3/objects/contacts/batch/upsert", json: ["inputs": [
            ["id": "b2@example.com", "idProperty": "email", "properties": ["lastname": "Two"]],
            ["id": "new@example.com", "idProperty": "email", "properties": ["lastname": "New"]],
        ]])
        #expect(upserted.status == 200)
        let flags = Dictionary(uniqueKeysWithValues: results(upserted).map { ($0["id"] as? String ?? "", $0["new"] as? Bool ?? false) })
        #expect(flags[ids[1]] == false)
        #expect(flags.values.filter { $0 }.count == 1)

        #expect(await api("POST", "/crm/v3/objects/contacts/batch/archive", json: ["inputs": ids.map { ["id": $0] }]).status == 204)
        #expect(results(await api("GET", "/crm/v3/objects/contacts", query: [("limit", "100")])).count == 1)
    }

    @Test func batchCreateIsAllOrNothingAndCappedAt100() async {
        let bad = await api("POST", "/crm/v3/objects/contacts/batch/create",
                            json: ["inputs": [["properties": ["email": "ok@example.com"]], ["properties": ["nope": "x"]]]])
        expectError(bad, 400, "VALIDATION_ERROR")
        #expect(results(await api("GET", "/crm/v3/objects/contacts")).isEmpty)
        let tooMany = await api("POST", "/crm/v3/objects/contacts/batch/read", json: ["inputs": (1...101).map { ["id": String($0)] }])
        expectError(tooMany, 400, "VALIDATION_ERROR")
    }

    // MARK: search

    @Test func searchFiltersSortsAndPages() async {
        let start = env.now()
        for (i, name) in ["Ada", "Grace", "Alan", "Linus"].enumerated() {
            _ = await createContact(["firstname": name, "email": "\(name.lowercased())@acme-labs.com", "lastname": i % 2 == 0 ? "Even" : "Odd"])
            env.advance(10)
        }
        _ = await createContact(["firstname": "Nomail"])
        func search(_ body: [String: Any]) async -> JSONReply {
            env.advance(1)  // stay within the 5 searches per second
            return await api("POST", "/crm/v3/objects/contacts/search", json: body)
        }
        func names(_ reply: JSONReply) -> [String] { results(reply).compactMap { ($0["properties"] as? [String: Any])?["firstname"] as? String } }
        func filter(_ property: String, _ op: String, _ value: Any? = nil, values: [String]? = nil) -> [String: Any] {
            var f: [String: Any] = ["propertyName": property, "operator": op]
            if let value { f["value"] = value }
            if let values { f["values"] = values }
            return ["filterGroups": [["filters": [f]]], "properties": ["firstname"],
                    "sorts": [["propertyName": "firstname", "direction": "ASCENDING"]]]
        }
        #expect(names(await search(filter("lastname", "EQ", "even"))) == ["Ada", "Alan"])
        #expect(names(await search(filter("lastname", "NEQ", "Even"))) == ["Grace", "Linus", "Nomail"])
        #expect(names(await search(filter("firstname", "IN", values: ["ada", "linus"]))) == ["Ada", "Linus"])
        #expect(names(await search(filter("email", "NOT_HAS_PROPERTY"))) == ["Nomail"])
        #expect(names(await search(filter("email", "HAS_PROPERTY"))).count == 4)
        #expect(names(await search(filter("email", "CONTAINS_TOKEN", "*@acme-labs.com"))).count == 4)
        let since = HubSpotTime.millis(start.addingTimeInterval(25))
        #expect(names(await search(filter("lastmodifieddate", "GTE", String(since)))) == ["Linus", "Nomail"])
        #expect(names(await search(filter("createdate", "LT", HubSpotTime.iso(start.addingTimeInterval(5))))) == ["Ada"])

        let orGroups = await search(["filterGroups": [["filters": [["propertyName": "firstname", "operator": "EQ", "value": "Ada"]]],
                                                      ["filters": [["propertyName": "firstname", "operator": "EQ", "value": "Alan"]]]],
                                     "sorts": ["-firstname"], "properties": ["firstname"]])
        #expect(names(orGroups) == ["Alan", "Ada"])
        #expect(orGroups.object["total"] as? Int == 2)
        #expect(orGroups.headers["X-HubSpot-RateLimit-Max"] == nil)

        let first = await search(["limit": 2, "sorts": [["propertyName": "firstname", "direction": "DESCENDING"]], "properties": ["firstname"]])
        #expect(names(first) == ["Nomail", "Linus"])
        #expect(first.object["total"] as? Int == 5)
        let after = ((first.object["paging"] as? [String: Any])?["next"] as? [String: Any])?["after"] as? String
        #expect(after == "2")
        let second = await search(["limit": 2, "after": after ?? "", "sorts": [["propertyName": "firstname", "direction": "DESCENDING"]],
                                   "properties": ["firstname"]])
        #expect(names(second) == ["Grace", "Alan"])
        let query = await search(["query": "gra", "properties": ["firstname"]])
        #expect(names(query) == ["Grace"])
    }

    @Test func searchEnforcesHubSpotLimits() async {
        let filter: [String: Any] = ["propertyName": "email", "operator": "HAS_PROPERTY"]
        func search(_ body: [String: Any]) async -> JSONReply {
            env.advance(1)
            return await api("POST", "/crm/v3/objects/contacts/search", json: body)
        }
        expectError(await search(["filterGroups": Array(repeating: ["filters": [filter]], count: 6)]), 400, "VALIDATION_ERROR")
        expectError(await search(["filterGroups": [["filters": Array(repeating: filter, count: 7)]]]), 400, "VALIDATION_ERROR")
        expectError(await search(["filterGroups": Array(repeating: ["filters": Array(repeating: filter, count: 4)], count: 5)]), 400, "VALIDATION_ERROR")
        expectError(await search(["after": "10000"]), 400, "VALIDATION_ERROR")
        expectError(await search(["limit": 201]), 400, "VALIDATION_ERROR")
        expectError(await search(["sorts": ["email", "firstname"]]), 400, "VALIDATION_ERROR")
        expectError(await search(["filterGroups": [["filters": [["propertyName": "nope", "operator": "EQ", "value": "1"]]]]]), 400, "VALIDATION_ERROR")
    }

    @Test func searchHasItsOwnPerSecondLimit() async {
        for _ in 0..<5 { #expect(await api("POST", "/crm/v3/objects/contacts/search", json: [:]).status == 200) }
        let limited = await api("POST", "/crm/v3/objects/contacts/search", json: [:])
        #expect(limited.status == 429)
        #expect(limited.object["policyName"] as? String == "SECONDLY")
        #expect(limited.object["errorType"] as? String == "RATE_LIMIT")
        #expect(await api("GET", "/crm/v3/objects/contacts").status == 200)
        env.advance(1)
        #expect(await api("POST", "/crm/v3/objects/contacts/search", json: [:]).status == 200)
    }

    // MARK: associations

    @Test func associationsV4DefaultLabelledListAndRemove() async {
        let contact = await createContact(["email": "assoc@example.com"]).object["id"] as? String ?? ""
        let companyA = await api("POST", "/crm/v3/objects/companies", json: ["properties": ["name": "A"]]).object["id"] as? String ?? ""
        let companyB = await api("POST", "/crm/v3/objects/companies", json: ["properties": ["name": "B"]]).object["id"] as? String ?? ""

        let made = await api("PUT", "/crm/v4/objects/contacts/\(contact)/associations/default/companies/\(companyA)")
        #expect(made.status == 200)
        let specs = results(made).compactMap { ($0["associationSpec"] as? [String: Any])?["associationTypeId"] as? Int }
        #expect(Set(specs) == [279, 280])

        let primary = await api("PUT", "/crm/v4/objects/contacts/\(contact)/associations/companies/\(companyA)",
                                json: [["associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1]])
        #expect(primary.status == 201)
        #expect(primary.object["labels"] as? [String] == ["Primary"])
        #expect(primary.object["fromObjectTypeId"] as? String == "0-1")
        #expect(primary.object["toObjectTypeId"] as? String == "0-2")

        let fromCompany = results(await api("GET", "/crm/v4/objects/companies/\(companyA)/associations/contacts"))
        #expect(fromCompany.first?["toObjectId"] as? String == contact)
        let typeIds = (fromCompany.first?["associationTypes"] as? [[String: Any]])?.compactMap { $0["typeId"] as? Int }
        #expect(typeIds == [2, 280])

        // A second primary company takes the label from the first.
        _ = await api("PUT", "/crm/v4/objects/contacts/\(contact)/associations/companies/\(companyB)",
                      json: [["associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1]])
        let listed = results(await api("GET", "/crm/v4/objects/contacts/\(contact)/associations/companies"))
        let byCompany = Dictionary(uniqueKeysWithValues: listed.map {
            ($0["toObjectId"] as? String ?? "", ($0["associationTypes"] as? [[String: Any]] ?? []).compactMap { $0["typeId"] as? Int })
        })
        #expect(byCompany == [companyA: [279], companyB: [1]])

        let wrongType = await api("PUT", "/crm/v4/objects/contacts/\(contact)/associations/companies/\(companyA)",
                                  json: [["associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 3]])
        expectError(wrongType, 400, "VALIDATION_ERROR")
        expectError(await api("PUT", "/crm/v4/objects/contacts/\(contact)/associations/default/companies/424242"), 404, "OBJECT_NOT_FOUND")

        #expect(await api("DELETE", "/crm/v4/objects/contacts/\(contact)/associations/companies/\(companyA)").status == 204)
        #expect(results(await api("GET", "/crm/v4/objects/companies/\(companyA)/associations/contacts")).isEmpty)
    }

    @Test func associationBatchesAndInlineAssociations() async {
        let company = await api("POST", "/crm/v3/objects/companies", json: ["properties": ["name": "Inline"]]).object["id"] as? String ?? ""
        let contact = await api("POST", "/crm/v3/objects/contacts", json: [
            "properties": ["email": "inline@example.com"],
            "associations": [["to": ["id": company], "types": [["associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279]]]],
        ]).object["id"] as? String ?? ""
        let lonely = await createContact(["email": "lonely@example.com"]).object["id"] as? String ?? ""

        let read = await api("POST", "/crm/v4/associations/contacts/companies/batch/read", json: ["inputs": [["id": contact], ["id": lonely]]])
        #expect(read.status == 207)
        #expect(results(read).count == 1)
        #expect(((results(read).first?["to"] as? [[String: Any]])?.first?["toObjectId"] as? String) == company)
        #expect(read.object["numErrors"] as? Int == 1)

        let created = await api("POST", "/crm/v4/associations/contacts/companies/batch/create", json: ["inputs": [
            ["from": ["id": lonely], "to": ["id": company], "types": [["associationCategory": "USER_DEFINED", "associationTypeId": 1001]]],
        ]])
        #expect(created.status == 201)
        #expect(results(created).first?["labels"] as? [String] == ["Billing contact"])

        #expect(await api("POST", "/crm/v4/associations/contacts/companies/batch/archive",
                          json: ["inputs": [["from": ["id": contact], "to": [["id": company]]]]]).status == 204)
        let after = await api("POST", "/crm/v4/associations/companies/contacts/batch/read", json: ["inputs": [["id": company]]])
        let remaining = (results(after).first?["to"] as? [[String: Any]])?.compactMap { $0["toObjectId"] as? String }
        #expect(remaining == [lonely])

        let defaulted = await api("POST", "/crm/v4/associations/deals/contacts/batch/associate/default",
                                  json: ["inputs": [["from": ["id": "1"], "to": ["id": contact]]]])
        expectError(defaulted, 404, "OBJECT_NOT_FOUND")
    }

    // MARK: properties

    @Test func customUniquePropertyDrivesIdPropertyAndUpsert() async {
        let listed = results(await api("GET", "/crm/v3/properties/contacts"))
        #expect(listed.contains { $0["name"] as? String == "email" && $0["type"] as? String == "string" })
        let created = await api("POST", "/crm/v3/properties/contacts", json: [
            "name": "netsuite_id", "label": "NetSuite ID", "type": "string", "fieldType": "text",
            "groupName": "contactinformation", "hasUniqueValue": true,
        ])
        #expect(created.status == 201)
        #expect(created.object["hasUniqueValue"] as? Bool == true)
        expectError(await api("POST", "/crm/v3/properties/contacts", json: [
            "name": "netsuite_id", "label": "Again", "type": "string", "fieldType": "text", "groupName": "contactinformation",
        ]), 409, "CONFLICT")
        #expect(await api("GET", "/crm/v3/properties/contacts/netsuite_id").object["label"] as? String == "NetSuite ID")

        let contact = await createContact(["netsuite_id": "NS-7", "firstname": "Seven"]).object["id"] as? String ?? ""
        let fetched = await api("GET", "/crm/v3/objects/contacts/NS-7", query: [("idProperty", "netsuite_id")])
        #expect(fetched.object["id"] as? String == contact)
        expectError(await createContact(["netsuite_id": "NS-7"]), 409, "CONFLICT")
        let upsert = await api("POST", "/crm/v3/objects/contacts/batch/upsert",
                               json: ["inputs": [["id": "NS-7", "idProperty": "netsuite_id", "properties": ["firstname": "Siete"]]]])
        #expect(results(upsert).first?["id"] as? String == contact)
        #expect(results(upsert).first?["new"] as? Bool == false)
        expectError(await api("GET", "/crm/v3/objects/contacts/x", query: [("idProperty", "firstname")]), 400, "VALIDATION_ERROR")

        #expect(await api("DELETE", "/crm/v3/properties/contacts/netsuite_id").status == 204)
        expectError(await api("GET", "/crm/v3/properties/contacts/netsuite_id"), 404, "OBJECT_NOT_FOUND")
        expectError(await api("DELETE", "/crm/v3/properties/contacts/email"), 400, "VALIDATION_ERROR")
        #expect(results(await api("GET", "/crm/v3/properties/contacts/groups")).contains { $0["name"] as? String == "contactinformation" })
    }

    // MARK: auth and limits

    @Test func missingOrUnknownTokenGets401() async {
        expectError(await app.call("GET", "/crm/v3/objects/contacts"), 401, "INVALID_AUTHENTICATION")
        expectError(await api("GET", "/crm/v3/objects/contacts", token: "pat-na1-wrong"), 401, "INVALID_AUTHENTICATION")
    }

    @Test func oauthCodeFlowExpiryAndRefresh() async throws {
        let verifier = "a-verifier-that-is-long-enough-for-pkce-0123456789"
        let challenge = Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let redirect = "http://127.0.0.1:9000/callback"
        let authorize = await app.call("GET", "/oauth/authorize", query: [
            ("client_id", HubSpotDemoCredentials.clientId), ("redirect_uri", redirect), ("scope", "crm.objects.contacts.read"),
            ("state", "xyz"), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ])
        #expect(authorize.status == 302)
        let location = try #require(URLComponents(string: authorize.headers["Location"] ?? ""))
        #expect(location.queryItems?.first { $0.name == "state" }?.value == "xyz")
        let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)

        func token(_ fields: [(String, String)]) async -> JSONReply {
            let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            return await app.call("POST", "/oauth/v1/token", rawBody: Data(body.utf8), headers: ["Content-Type": "application/x-www-form-urlencoded"])
        }
        let client = [("client_id", HubSpotDemoCredentials.clientId), ("client_secret", HubSpotDemoCredentials.clientSecret)]
        let badVerifier = await token([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect), ("code_verifier", "wrong")] + client)
        #expect(badVerifier.status == 400)
        #expect(badVerifier.object["status"] as? String == "BAD_AUTH_CODE")
        let issued = await token([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect), ("code_verifier", verifier)] + client)
        #expect(issued.status == 200)
        #expect(issued.object["expires_in"] as? Int == 1800)
        #expect(issued.object["token_type"] as? String == "bearer")
        let access = try #require(issued.object["access_token"] as? String)
        let refresh = try #require(issued.object["refresh_token"] as? String)
        let reused = await token([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect), ("code_verifier", verifier)] + client)
        #expect(reused.object["status"] as? String == "BAD_AUTH_CODE")

        let ok = await api("GET", "/crm/v3/objects/contacts", token: access)
        #expect(ok.status == 200)
        #expect(ok.headers["X-HubSpot-RateLimit-Max"] == "110")
        #expect(ok.headers["X-HubSpot-RateLimit-Daily"] == nil)
        #expect(await app.call("GET", "/oauth/v1/access-tokens/\(access)").object["hub_id"] as? Int == HubSpotDemoCredentials.portalId)

        await app.expireAccessTokens()
        env.advance(5)
        let expired = await api("GET", "/crm/v3/objects/contacts", token: access)
        #expect(expectError(expired, 401, "EXPIRED_AUTHENTICATION") == "The OAuth token used to make this call expired 5 second(s) ago.")
        #expect(await api("GET", "/crm/v3/objects/contacts").status == 200, "the private-app token does not expire")

        let refreshed = await token([("grant_type", "refresh_token"), ("refresh_token", refresh)] + client)
        #expect(refreshed.object["refresh_token"] as? String == refresh)
        let fresh = try #require(refreshed.object["access_token"] as? String)
        #expect(fresh != access)
        #expect(await api("GET", "/crm/v3/objects/contacts", token: fresh).status == 200)

        let badRefresh = await token([("grant_type", "refresh_token"), ("refresh_token", "na1-unknown")] + client)
        #expect(badRefresh.status == 400)
        #expect(badRefresh.object["status"] as? String == "BAD_REFRESH_TOKEN")
        let badSecret = await token([("grant_type", "authorization_code"), ("code", HubSpotDemoCredentials.authorizationCode),
                                     ("client_id", HubSpotDemoCredentials.clientId), ("client_secret", "nope"), ("redirect_uri", redirect)])
        #expect(badSecret.object["status"] as? String == "BAD_CLIENT_SECRET")
        let demoCode = await token([("grant_type", "authorization_code"), ("code", HubSpotDemoCredentials.authorizationCode),
                                    ("redirect_uri", redirect)] + client)
        #expect(demoCode.status == 200)
    }

    @Test func tenSecondBurstLimitAnswers429WithHubSpotBodyAndHeaders() async {
        let limited = HubSpotApp(environment: env, configuration: .init(burstPerTenSeconds: 3, dailyLimit: 1000))
        var remaining: [String?] = []
        for _ in 0..<3 { remaining.append(await api("GET", "/crm/v3/objects/contacts", on: limited).headers["X-HubSpot-RateLimit-Remaining"]) }
        #expect(remaining == ["2", "1", "0"])
        let refused = await api("GET", "/crm/v3/objects/contacts", on: limited)
        #expect(refused.status == 429)
        #expect(refused.object["policyName"] as? String == "TEN_SECONDLY_ROLLING")
        #expect(refused.object["message"] as? String == "You have reached your ten_secondly_rolling limit.")
        #expect(refused.headers["X-HubSpot-RateLimit-Remaining"] == "0")
        env.advance(10)
        let again = await api("GET", "/crm/v3/objects/contacts", on: limited)
        #expect(again.status == 200)
        #expect(again.headers["X-HubSpot-RateLimit-Daily"] == "1000")
        #expect(again.headers["X-HubSpot-RateLimit-Daily-Remaining"] == "996")
        #expect(again.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000")
    }

    @Test func faultResponsesUseHubSpotShapes() throws {
        let limited = app.faultResponse(.rateLimited(retryAfterSeconds: 7))
        #expect(limited.status == 429)
        #expect(limited.headers["Retry-After"] == "7")
        #expect(limited.headers["X-HubSpot-RateLimit-Remaining"] == "0")
        let body = try #require(try JSONSerialization.jsonObject(with: limited.body) as? [String: Any])
        #expect(body["errorType"] as? String == "RATE_LIMIT")
        #expect(body["status"] as? String == "error")
        let failed = app.faultResponse(.serverError)
        #expect(failed.status == 500)
        let error = try #require(try JSONSerialization.jsonObject(with: failed.body) as? [String: Any])
        #expect(error["status"] as? String == "error")
        #expect(error["correlationId"] is String)
    }

    // MARK: webhooks

    @Test func webhooksAreBatchedAndSignedV1AndV3() async throws {
        let secret = HubSpotDemoCredentials.clientSecret
        let target = "https://hooks.example.com/hubspot%3Fkind%3Dcrm?tenant=a%3Ab"
        await app.subscribe(url: target, secret: nil, events: ["contact.creation", "contact.propertyChange:lastname", "contact.deletion"])
        let id = await createContact(["email": "hook@example.com", "lastname": "Hook"]).object["id"] as? String ?? ""
        _ = await api("PATCH", "/crm/v3/objects/contacts/\(id)", json: ["properties": ["lastname": "Hooked", "firstname": "Ignored"]])
        _ = await api("DELETE", "/crm/v3/objects/contacts/\(id)")

        let deliveries = env.webhooks
        #expect(deliveries.count == 3)
        var kinds: [String] = []
        for delivery in deliveries {
            #expect(delivery.url == target)
            #expect(delivery.method == "POST")
            let timestamp = try #require(delivery.headers["X-HubSpot-Request-Timestamp"])
            #expect(timestamp == String(Int64(env.now().timeIntervalSince1970 * 1000)))
            // v3 over the URI with %3A %2F %3F … decoded, computed here independently of the emulator.
            let signed = Data(("POST" + "https://hooks.example.com/hubspot?kind%3Dcrm?tenant=a:b").utf8) + delivery.body + Data(timestamp.utf8)
            let v3 = Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
            #expect(delivery.headers["X-HubSpot-Signature-v3"] == v3)
            let v1 = SHA256.hash(data: Data(secret.utf8) + delivery.body).map { String(format: "%02x", $0) }.joined()
            #expect(delivery.headers["X-HubSpot-Signature"] == v1)
            #expect(delivery.headers["X-HubSpot-Signature-Version"] == "v1")
            let events = try #require(try JSONSerialization.jsonObject(with: delivery.body) as? [[String: Any]])
            for event in events {
                kinds.append("\(event["subscriptionType"] as? String ?? "")\((event["propertyName"] as? String).map { ":" + $0 } ?? "")=\(event["propertyValue"] as? String ?? "")")
                #expect(event["objectId"] as? Int == Int(id))
                #expect(event["portalId"] as? Int == HubSpotDemoCredentials.portalId)
                #expect(event["appId"] as? Int == HubSpotDemoCredentials.appId)
                #expect(event["attemptNumber"] as? Int == 0)
                #expect(event["eventId"] is Int)
                #expect(event["subscriptionId"] as? Int == 1)
                #expect(event["occurredAt"] as? Int == Int(timestamp))
            }
        }
        #expect(kinds == ["contact.creation=", "contact.propertyChange:lastname=Hook", "contact.propertyChange:lastname=Hooked", "contact.deletion="])
    }

    @Test func largeBatchesSplitIntoDeliveriesOfAtMost100Events() async throws {
        await app.subscribe(url: "https://hooks.example.com/h", secret: "s3cret", events: ["contact.*"])
        _ = await api("POST", "/crm/v3/objects/contacts/batch/create",
                      json: ["inputs": (1...60).map { ["properties": ["email": "n\($0)@example.com"]] }])
        let sizes = try env.webhooks.map { try #require(try JSONSerialization.jsonObject(with: $0.body) as? [Any]).count }
        #expect(sizes == [100, 20])
        let signed = Data("POSThttps://hooks.example.com/h".utf8) + env.webhooks[0].body + Data((env.webhooks[0].headers["X-HubSpot-Request-Timestamp"] ?? "").utf8)
        #expect(env.webhooks[0].headers["X-HubSpot-Signature-v3"]
            == Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data("s3cret".utf8)))).base64EncodedString())
    }

    @Test func associationChangesReachSubscribers() async throws {
        await app.subscribe(url: "https://hooks.example.com/a", secret: nil, events: ["contact.associationChange"])
        let contact = await createContact(["email": "a@example.com"]).object["id"] as? String ?? ""
        let company = await api("POST", "/crm/v3/objects/companies", json: ["properties": ["name": "Co"]]).object["id"] as? String ?? ""
        _ = await api("PUT", "/crm/v4/objects/companies/\(company)/associations/default/contacts/\(contact)")
        let delivery = try #require(env.webhooks.last)
        let events = try #require(try JSONSerialization.jsonObject(with: delivery.body) as? [[String: Any]])
        #expect(events.count == 1)
        #expect(events[0]["associationType"] as? String == "CONTACT_TO_COMPANY")
        #expect(events[0]["fromObjectId"] as? Int == Int(contact))
        #expect(events[0]["associationRemoved"] as? Bool == false)
    }

    // MARK: state

    @Test func exportImportAndResetKeepTheRightThings() async throws {
        await app.seed(SandboxSeed(count: 2))
        let id = await createContact(["email": "kept@example.com"]).object["id"] as? String ?? ""
        let copy = HubSpotApp(environment: env)
        try await copy.importState(await app.exportState())
        #expect(await api("GET", "/crm/v3/objects/contacts/\(id)", on: copy).object["id"] as? String == id)
        await #expect(throws: CrosswalkError.self) { try await copy.importState(Data("nope".utf8)) }

        await app.subscribe(url: "https://hooks.example.com/r", secret: nil, events: [])
        await app.reset()
        #expect(results(await api("GET", "/crm/v3/objects/contacts")).isEmpty)
        _ = await createContact(["email": "after@example.com"])
        #expect(env.webhooks.isEmpty)
    }

    @Test func seedingIsDeterministic() async {
        let other = HubSpotApp(environment: env)
        await app.seed(SandboxSeed(count: 3, randomSeed: 7))
        await other.seed(SandboxSeed(count: 3, randomSeed: 7))
        let mine = results(await api("GET", "/crm/v3/objects/companies", query: [("properties", "name,domain")]))
        let theirs = results(await api("GET", "/crm/v3/objects/companies", query: [("properties", "name,domain")], on: other))
        #expect(mine.map { ($0["properties"] as? [String: Any])?["name"] as? String } == theirs.map { ($0["properties"] as? [String: Any])?["name"] as? String })
        #expect(mine.count == 3)
    }

    @Test func malformedRequestsGetHubSpotErrorsNotCrashes() async {
        await app.seed(SandboxSeed(count: 1))
        let values = ["x", "-1", "99999999999999999999999", ""]
        let bodies: [Data] = [Data(), Data("[]".utf8), Data("{".utf8), Data(#"{"inputs":5,"properties":[1],"filterGroups":{}}"#.utf8),
                              Data(#"{"inputs":[{"id":{}},{"from":3}],"properties":{"email":{}}, "sorts":[{}], "after":"x"}"#.utf8),
                              Data(#"[{"associationCategory":5,"associationTypeId":"x"}]"#.utf8)]
        for route in HubSpotRouter.routes {
            for value in values {
                let path = route.template.split(separator: "/").map { $0.hasPrefix("{") ? value : String($0) }.joined(separator: "/")
                for body in bodies {
                    let reply = await app.call(route.method, "/" + path, query: [("limit", value), ("after", value), ("idProperty", value)],
                                               rawBody: body, headers: ["Authorization": "Bearer \(HubSpotDemoCredentials.privateAppToken)",
                                                                        "Content-Type": "application/json"])
                    #expect(reply.status < 500, "\(route.method) \(path)")
                    env.advance(1)
                }
            }
        }
    }

    // MARK: spec

    /// Every route the emulator serves exists, with that method, in HubSpot's published OpenAPI specs.
    @Test func everyServedRouteIsInTheOfficialSpec() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fidelity/specs/hubspot")
        var specRoutes: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".json") {
            let spec = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(file))) as? [String: Any])
            for (path, operations) in spec["paths"] as? [String: [String: Any]] ?? [:] {
                for method in operations.keys { specRoutes.insert("\(method.uppercased()) \(Self.shape(path))") }
            }
        }
        #expect(specRoutes.count > 50)
        let specPathForType = ["contacts": "contacts", "companies": "companies", "deals": "0-3", "invoices": "invoices"]
        for route in HubSpotRouter.routes where !HubSpotRouter.outsideSpec.contains("\(route.method) \(route.template)") {
            let expanded = route.template.hasPrefix("/crm/v3/objects/{objectType}")
                ? specPathForType.values.map { route.template.replacingOccurrences(of: "{objectType}", with: $0) }
                : [route.template]
            for path in expanded {
                #expect(specRoutes.contains("\(route.method) \(Self.shape(path))"), "\(route.method) \(path) is not in HubSpot's spec")
            }
        }
    }

    /// A path with every `{parameter}` reduced to `{}`.
    private static func shape(_ path: String) -> String {
        path.split(separator: "/").map { $0.hasPrefix("{") ? "{}" : String($0) }.joined(separator: "/")
    }
}
