import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkStore
import CrosswalkTestKit
import Foundation
import Testing

@Suite(.serialized) struct AriticSalesforceTemplateTests {
    /// Aritic over its own API (basic auth as the demo's API user), not through the plugin under test.
    func aritic(_ h: TemplateHarness, _ method: String = "GET", _ path: String, _ json: [String: Any]? = nil) async throws -> [String: Any] {
        let a = AriticApp.demoCredentials.dictionary
        let auth = ["Authorization": "Basic " + Data("\(a["username"]!):\(a["password"]!)".utf8).base64EncodedString()]
        let r = try await TestHTTP.send(method, URL(string: h.sandbox.urls["aritic"]!.absoluteString + path)!, json: json, headers: auth)
        #expect((200..<300).contains(r.status), "\(method) \(path): \(r.status)")
        return r.object
    }

    /// Every entity of an Aritic list (`contacts` or `companies`): id → `fields.all`.
    func all(_ h: TemplateHarness, _ kind: String) async throws -> [String: [String: Any]] {
        let body = try await aritic(h, "GET", "/api/\(kind)?limit=0&minimal=1")
        let map = body[kind] as? [String: Any] ?? [:]
        return map.compactMapValues { (($0 as? [String: Any])?["fields"] as? [String: Any])?["all"] as? [String: Any] }
    }

    /// The ids of the contacts in the segment with `alias` (Aritic's own search).
    func members(_ h: TemplateHarness, _ alias: String) async throws -> Set<String> {
        Set((try await aritic(h, "GET", "/api/contacts?search=segment:\(alias)&limit=0&minimal=1")["contacts"] as? [String: Any] ?? [:]).keys)
    }

    @Test("seed 002: only contacts on the inclusion list (segment salesforce-sync) sync; a company becomes an account only when a contact syncing as a contact needs it (made first, in the company flow), or when asked; contacts without a company become leads; accounts come back as companies; second runs write nothing")
    func companiesFollowTheirContacts() async throws {
        try await TemplateHarness.with([.ariticSalesforce], seed: 30) { h in
            // A company no contact belongs to: it never becomes an account on its own.
            let lonely = try await aritic(h, "POST", "/api/companies/new", ["companyname": "Lonely Widgets"])
            let lonelyID = "\((lonely["company"] as? [String: Any])?["id"] ?? "")"
            let contacts = try await all(h, "contacts"), companies = try await all(h, "companies")
            let companyID = Dictionary(companies.map { ("\($0.value["companyname"] ?? "")", $0.key) }) { a, _ in a }
            #expect(companyID.count == companies.count, "the seed's company names are unique")
            func text(_ r: [String: Any], _ k: String) -> String { (r[k] as? String) ?? "" }
            let included = try await members(h, "salesforce-sync")
            let complete = contacts.filter { !text($0.value, "email").isEmpty && !text($0.value, "lastname").isEmpty }
            let qualifying = complete.filter { included.contains($0.key) }, outside = complete.filter { !included.contains($0.key) }
            #expect(!qualifying.isEmpty && !outside.isEmpty, "contacts on and off the inclusion list")
            let asContacts = qualifying.filter { !text($0.value, "company").isEmpty }, asLeads = qualifying.filter { text($0.value, "company").isEmpty }
            let needed = Set(asContacts.values.compactMap { companyID[text($0, "company")] })
            #expect(!asContacts.isEmpty && !asLeads.isEmpty && needed.count < companies.count, "contacts with and without a company; companies not needed")

            let first = try await h.run("aritic-contacts-to-salesforce")
            #expect(first.counts.failed == 0, "\(first.reasons)")
            #expect(first.counts.created == asContacts.count + asLeads.count, "\(first.counts) \(first.reasons)")

            // Exactly the needed companies became accounts, each once, by a run of the company flow.
            let accounts = try await h.soql("SELECT Id, Name, Aritic_Id__c FROM Account WHERE Aritic_Id__c != null")
                .filter { companies[$0.text("Aritic_Id__c")] != nil }
            #expect(Set(accounts.map { $0.text("Aritic_Id__c") }) == needed)
            #expect(accounts.count == needed.count, "no company twice")
            for a in accounts { #expect(a.text("Name") == text(companies[a.text("Aritic_Id__c")]!, "companyname")) }
            let companyRuns = try await h.flows.runs(flow: "aritic-companies-to-salesforce")
            #expect(companyRuns.reduce(0) { $0 + $1.counts.created } == needed.count)
            let accountOf = Dictionary(uniqueKeysWithValues: accounts.map { ($0.text("Aritic_Id__c"), $0.text("Id")) })

            // Contacts of their company's account; the others as leads.
            let sfContacts = try await h.soql("SELECT Id, LastName, Email, AccountId, Aritic_Id__c FROM Contact WHERE Aritic_Id__c != null")
            let contactOf = Dictionary(grouping: sfContacts) { $0.text("Aritic_Id__c") }
            for (id, c) in asContacts {
                let sf = try #require(contactOf[id]?.first, "contact \(id) in Salesforce")
                #expect(contactOf[id]?.count == 1)
                #expect(sf.text("LastName") == text(c, "lastname") && sf.text("Email") == text(c, "email"))
                #expect(sf.text("AccountId") == accountOf[companyID[text(c, "company")]!], "contact \(id) belongs to its company's account")
            }
            let sfLeads = try await h.soql("SELECT Id, LastName, Company, Aritic_Id__c FROM Lead WHERE Aritic_Id__c != null")
            let leadOf = Dictionary(grouping: sfLeads) { $0.text("Aritic_Id__c") }
            for (id, c) in asLeads {
                let lead = try #require(leadOf[id]?.first, "lead \(id) in Salesforce")
                #expect(lead.text("LastName") == text(c, "lastname") && lead.text("Company") == "[not provided]")
            }
            #expect(!accounts.contains { $0.text("Aritic_Id__c") == lonelyID })
            // Off the list: neither contact nor lead, and a company whose contacts are all off it is no account.
            for id in outside.keys { #expect(contactOf[id] == nil && leadOf[id] == nil, "contact \(id) is not on the inclusion list") }
            let skipped = try await h.flows.log(run: try #require(first.run), limit: 100_000).filter { outside[$0.source.id] != nil }
            #expect(!skipped.isEmpty && skipped.allSatisfy { $0.reason?.contains("salesforce-sync") == true }, "\(skipped.prefix(3))")

            // Nothing changed: nothing written, nothing pulled.
            let quiet = try await h.run("aritic-contacts-to-salesforce")
            #expect(quiet.counts.created + quiet.counts.updated == 0, "\(quiet.counts)")
            #expect(try await h.flows.runs(flow: "aritic-companies-to-salesforce").count == companyRuns.count)

            // A contact put on the list is synced by its Sync card (a membership is no edit of the contact).
            let segments = try await aritic(h, "GET", "/api/segments?limit=0")["lists"] as? [String: Any] ?? [:]
            let segmentID = try #require(segments.first { (($0.value as? [String: Any])?["alias"] as? String) == "salesforce-sync" }?.key)
            let joiner = try #require(outside.first { !text($0.value, "company").isEmpty }?.key)
            _ = try await aritic(h, "POST", "/api/segments/\(segmentID)/contact/\(joiner)/add")
            let joined = try await h.flows.sync("aritic-contacts-to-salesforce", ids: [joiner])
            #expect(joined.counts.created == 1, "\(joined.counts) \(joined.reasons)")
            #expect(try await h.soql("SELECT Id, AccountId FROM Contact WHERE Aritic_Id__c = '\(joiner)'").first?.text("AccountId").isEmpty == false,
                    "with its company's account")

            // The Sync card: a person syncs the lonely company now.
            let asked = try await h.flows.sync("aritic-companies-to-salesforce", ids: [lonelyID])
            #expect(asked.counts.created == 1, "\(asked.counts)")
            #expect(try await h.soql("SELECT Id FROM Account WHERE Aritic_Id__c = '\(lonelyID)'").count == 1)

            // Salesforce accounts come back as Aritic companies; those Crosswalk paired stay one company. An
            // org account named like a company already paired with another account is refused with the reason
            // (the sandbox seeds both apps from one list of names), never paired twice.
            try await h.untilSettled()
            let back = try await h.run("salesforce-accounts-to-aritic")
            let backErrors = try await h.flows.errors(flow: "salesforce-accounts-to-aritic").map(\.failure.message)
            #expect(back.counts.created > 0)
            #expect(backErrors.count == back.counts.failed && backErrors.allSatisfy { $0.contains("is already synced with Account") }, "\(backErrors)")
            let after = try await all(h, "companies")
            let names = after.values.map { text($0, "companyname") }
            #expect(Set(names).count == names.count, "no company twice: \(names.count) companies")
            try await h.untilSettled()
            let again = try await h.run("salesforce-accounts-to-aritic")
            #expect(again.counts.created + again.counts.updated == 0, "\(again.counts)")
        }
    }
}
