import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkStore
import CrosswalkTestKit
import Foundation
import Testing

@Suite(.serialized) struct NetSuiteHubSpotTemplateTests {
    /// HubSpot over its own API with the demo portal's private-app token (not through the plugin under test).
    func hubspot(_ h: TemplateHarness, _ method: String = "GET", _ path: String, _ json: [String: Any]? = nil) async throws -> [String: Any] {
        let r = try await TestHTTP.send(method, URL(string: h.sandbox.urls["hubspot"]!.absoluteString + path)!, json: json,
                                        headers: ["Authorization": "Bearer \(HubSpotDemoCredentials.privateAppToken)"])
        #expect((200..<300).contains(r.status), "\(method) \(path): \(r.status)")
        return r.object
    }

    /// Every record of a HubSpot object: id → properties.
    func all(_ h: TemplateHarness, _ object: String, _ properties: String) async throws -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        var path: String? = "/crm/v3/objects/\(object)?limit=100&properties=\(properties)"
        while let p = path {
            let page = try await hubspot(h, "GET", p)
            for row in page["results"] as? [[String: Any]] ?? [] { out[row["id"] as! String] = row["properties"] as? [String: Any] ?? [:] }
            let after = ((page["paging"] as? [String: Any])?["next"] as? [String: Any])?["after"] as? String
            path = after.map { "/crm/v3/objects/\(object)?limit=100&properties=\(properties)&after=\($0)" }
        }
        return out
    }

    /// The HubSpot twin of a NetSuite record in `object`, from the ID map.
    func twin(_ h: TemplateHarness, _ netsuiteObject: String, _ id: String, in object: String) async throws -> String? {
        try await h.flows.idmap(connection: "netsuite", object: netsuiteObject, id: id)
            .compactMap { [$0.a, $0.b].first { $0.connection == "hubspot-crm" && $0.object == object }?.id }.first
    }

    /// The ids a HubSpot record is associated to in `object` (associations v4).
    func associated(_ h: TemplateHarness, _ from: String, _ id: String, _ object: String) async throws -> Set<String> {
        let assoc = try await hubspot(h, "GET", "/crm/v4/objects/\(from)/\(id)/associations/\(object)")
        return Set((assoc["results"] as? [[String: Any]] ?? []).map { "\($0["toObjectId"] ?? "")" })
    }

    @Test("seed 003: NetSuite customers → HubSpot contacts and companies, opportunities → deals, invoices → HubSpot invoices associated to the contact, the company and the deal; dates through the plugin's hs_date; second runs write nothing")
    func customersAndInvoices() async throws {
        try await TemplateHarness.with([.netsuiteHubSpot], seed: 20) { h in
            let customers = try await h.suiteQL("SELECT id, email, firstname, lastname, companyname, isperson FROM customer")
            let withEmail = customers.filter { !$0.text("email").isEmpty }
            #expect(!withEmail.isEmpty && withEmail.count <= customers.count)
            let companies = withEmail.filter { $0.text("isperson") != "T" && !$0.text("companyname").isEmpty }
            #expect(!companies.isEmpty)
            let invoices = try await h.suiteQL("SELECT id, tranid, entity, trandate, foreigntotal, opportunity FROM transaction WHERE type = 'CustInvc'")
            #expect(!invoices.isEmpty)
            let opportunities = try await h.suiteQL("SELECT id, tranid, title, entity, projectedtotal, status FROM transaction WHERE type = 'Opprtnty'")
            #expect(!opportunities.isEmpty)
            #expect(invoices.contains { !$0.text("opportunity").isEmpty }, "the seed bills some invoices from a won opportunity")

            try await h.untilSettled()  // the seed's newest records are past the connectors' settle margin
            let first = try await h.run("netsuite-customers-to-hubspot")
            #expect(first.counts.failed == 0, "\(first.reasons)")
            let contacts = try await all(h, "contacts", "email,firstname,lastname,company")
            let byEmail = Dictionary(grouping: contacts) { ($0.value["email"] as? String) ?? "" }
            for c in withEmail {
                let email = c.text("email").trimmingCharacters(in: .whitespaces).lowercased()
                #expect(byEmail[email]?.count == 1, "customer \(c.text("id")) once as a contact (\(email))")
            }
            // Each company customer is one HubSpot company, its name field by field, and its contact belongs to it.
            let hsCompanies = try await all(h, "companies", "name,phone,website")
            for c in companies {
                let companyTwin = try await twin(h, "customer", c.text("id"), in: "companies")
                let id = try #require(companyTwin, "customer \(c.text("id")) has a HubSpot company")
                #expect(hsCompanies[id]?["name"] as? String == c.text("companyname").trimmingCharacters(in: .whitespaces))
                let contactTwin = try await twin(h, "customer", c.text("id"), in: "contacts")
                let contact = try #require(contactTwin, "customer \(c.text("id")) has a HubSpot contact")
                #expect(try await associated(h, "contacts", contact, "companies").contains(id), "contact \(contact) associated to company \(id)")
            }

            let deals = try await h.run("netsuite-opportunities-to-hubspot")
            #expect(deals.counts.failed == 0, "\(deals.reasons)")
            let synced = Set(withEmail.map { $0.text("id") })
            let expectedDeals = opportunities.filter { synced.contains($0.text("entity")) }
            #expect(deals.counts.created == expectedDeals.count, "\(deals.counts) \(deals.reasons)")
            #expect(deals.counts.skipped == opportunities.count - expectedDeals.count, "opportunities of customers without an e-mail wait for them")
            if expectedDeals.count < opportunities.count {
                #expect(deals.reasons.keys.contains { $0.contains("waits for its customer") }, "the sync log says why: \(deals.reasons)")
            }
            let hsDeals = try await all(h, "deals", "dealname,amount,dealstage,pipeline")
            let stages = ["A": "qualifiedtobuy", "B": "presentationscheduled", "C": "closedwon", "D": "closedlost"]
            for o in expectedDeals {
                let dealTwin = try await twin(h, "opportunity", o.text("id"), in: "deals")
                let id = try #require(dealTwin, "opportunity \(o.text("id")) has a HubSpot deal")
                let props = hsDeals[id] ?? [:]
                #expect(props["dealname"] as? String == "\(o.text("tranid")) \(o.text("title"))")
                #expect(Double(props["amount"] as? String ?? "") == Double(o.text("projectedtotal")))
                #expect(props["dealstage"] as? String == stages[o.text("status")], "\(props) for status \(o.text("status"))")
                #expect(props["pipeline"] as? String == "default")
                let contactTwin = try await twin(h, "customer", o.text("entity"), in: "contacts")
                let contact = try #require(contactTwin)
                let dealContacts = try await associated(h, "deals", id, "contacts")
                #expect(dealContacts.contains(contact), "deal \(id) associated to contact \(contact): \(dealContacts)")
                if let company = try await twin(h, "customer", o.text("entity"), in: "companies") {
                    #expect(try await associated(h, "deals", id, "companies").contains(company), "deal \(id) associated to company \(company)")
                }
            }

            let inv = try await h.run("netsuite-invoices-to-hubspot")
            let invErrors = try await h.flows.errors(flow: "netsuite-invoices-to-hubspot").map(\.failure.message)
            #expect(inv.counts.failed == 0, "\(inv.reasons) \(invErrors)")
            let expected = invoices.filter { synced.contains($0.text("entity")) }
            #expect(inv.counts.created == expected.count, "\(inv.counts) \(inv.reasons)")
            #expect(inv.counts.skipped == invoices.count - expected.count, "invoices of customers without an e-mail wait for them")
            if expected.count < invoices.count {
                #expect(inv.reasons.keys.contains { $0.contains("waits for its customer") }, "the sync log says why: \(inv.reasons)")
            }
            let hsInvoices = try await all(h, "invoices", "hs_number,hs_external_invoice_id,hs_invoice_date")
            let byExternal = Dictionary(grouping: hsInvoices) { ($0.value["hs_external_invoice_id"] as? String) ?? "" }
            var withDeal = 0
            for i in expected {
                let (hsID, props) = try #require(byExternal[i.text("id")]?.first, "invoice \(i.text("id")) in HubSpot")
                #expect(byExternal[i.text("id")]?.count == 1)
                #expect(props["hs_number"] as? String == i.text("tranid"))
                // Associated, through associations v4, to the customer's contact, its company and the opportunity's deal.
                let contactTwin = try await twin(h, "customer", i.text("entity"), in: "contacts")
                let linked = try await associated(h, "invoices", hsID, "contacts")
                #expect(contactTwin != nil && linked.contains(contactTwin!), "invoice \(hsID) associated to contact \(contactTwin ?? "?"): \(linked)")
                if let company = try await twin(h, "customer", i.text("entity"), in: "companies") {
                    #expect(try await associated(h, "invoices", hsID, "companies").contains(company), "invoice \(hsID) associated to company \(company)")
                }
                if !i.text("opportunity").isEmpty {
                    let dealTwin = try await twin(h, "opportunity", i.text("opportunity"), in: "deals")
                    let deal = try #require(dealTwin, "opportunity \(i.text("opportunity")) has a deal")
                    let invoiceDeals = try await associated(h, "invoices", hsID, "deals")
                    #expect(invoiceDeals.contains(deal), "invoice \(hsID) associated to deal \(deal): \(invoiceDeals)")
                    withDeal += 1
                }
            }
            #expect(withDeal > 0, "some synced invoices were billed from an opportunity")
            // hs_date: the NetSuite date as HubSpot's midnight-UTC value.
            if let one = expected.first, let props = byExternal[one.text("id")]?.first?.value, let date = props["hs_invoice_date"] as? String {
                // SuiteQL shows the date as the account writes it (M/D/YYYY).
                let p = one.text("trandate").split(separator: "/").compactMap { Int($0) }
                let iso = p.count == 3 ? String(format: "%04d-%02d-%02dT00:00:00.000Z", p[2], p[0], p[1]) : "?"
                #expect(date == iso, "hs_invoice_date \(date) for \(one.text("trandate"))")
            }

            // Nothing changed: nothing written.
            for flow in ["netsuite-customers-to-hubspot", "netsuite-opportunities-to-hubspot", "netsuite-invoices-to-hubspot"] {
                let quiet = try await h.run(flow)
                #expect(quiet.counts.created + quiet.counts.updated + quiet.counts.deleted == 0, "\(flow): \(quiet.counts)")
            }
        }
    }

    @Test("seed 003: a customer deleted in NetSuite does nothing in HubSpot (the delete policy), with the reason in the sync log; `flows show` prints the property mappings and the policy")
    func deletePolicyAndMappingsShown() async throws {
        try await TemplateHarness.with([.netsuiteHubSpot], seed: 3) { h in
            // What `crosswalk flows show` prints: every property mapping and the delete policy of each target.
            let shown = FlowText.show(try h.flows.flow("netsuite-customers-to-hubspot")).joined(separator: "\n")
            for line in ["target company: hubspot-crm companies, mode mirror, match name", "target contact: hubspot-crm contacts, mode mirror, match email",
                         "on delete in the source: do nothing", "email     = lower(trim(email))", "name    = trim(companyName)",
                         "link contact_to_company ← target company", "criteria: !empty(email)"] {
                #expect(shown.contains(line), "flows show lacks \(line):\n\(shown)")
            }
            #expect(shown.components(separatedBy: "on delete in the source: do nothing").count == 3, "both targets show their policy")

            try await h.change("netsuite", "POST", "/services/rest/record/v1/customer",
                               ["companyName": "Short-Lived Ltd", "email": "ap@short-lived.example", "subsidiary": ["id": "1"]])
            let created = try await h.suiteQL("SELECT id FROM customer WHERE email = 'ap@short-lived.example'")
            let id = try #require(created.first?.text("id"))
            try await h.untilSettled()
            let first = try await h.run("netsuite-customers-to-hubspot")
            #expect(first.counts.failed == 0, "\(first.reasons)")
            let contactTwin = try await twin(h, "customer", id, in: "contacts")
            let companyTwin = try await twin(h, "customer", id, in: "companies")
            let contact = try #require(contactTwin), company = try #require(companyTwin)

            _ = try await h.api("netsuite", "DELETE", "/services/rest/record/v1/customer/\(id)")
            #expect(try await h.suiteQL("SELECT id FROM customer WHERE id = \(id)").isEmpty)
            try await h.untilSettled()
            let after = try await h.run("netsuite-customers-to-hubspot")
            #expect(after.counts.deleted == 0 && after.counts.failed == 0, "\(after.counts) \(after.reasons)")
            #expect(after.reasons["deleted in the source (kept)"] == 2, "both targets keep their record: \(after.reasons)")
            let log = try await h.flows.log(run: try #require(after.run))
            let kept = log.filter { $0.source.id == id }.compactMap(\.reason)
            #expect(kept.count == 2 && kept.allSatisfy { $0.contains("the delete policy keeps") }, "the sync log says why: \(kept)")
            // Both HubSpot records are still there, unchanged.
            let stillContact = try await hubspot(h, "GET", "/crm/v3/objects/contacts/\(contact)?properties=email")
            #expect((stillContact["properties"] as? [String: Any])?["email"] as? String == "ap@short-lived.example")
            let stillCompany = try await hubspot(h, "GET", "/crm/v3/objects/companies/\(company)?properties=name")
            #expect((stillCompany["properties"] as? [String: Any])?["name"] as? String == "Short-Lived Ltd")
            let quiet = try await h.run("netsuite-customers-to-hubspot")
            #expect(quiet.counts.created + quiet.counts.updated + quiet.counts.deleted == 0, "\(quiet.counts)")

            // A customer changed in NetSuite: its contact and company are updated through the ID map, never created again.
            let other = try #require(try await h.suiteQL("SELECT id FROM customer WHERE email IS NOT NULL AND isperson = 'F' ORDER BY id").first?.text("id"))
            try await h.change("netsuite", "PATCH", "/services/rest/record/v1/customer/\(other)", ["phone": "+1 555 0100"])
            try await h.untilSettled()
            let changed = try await h.run("netsuite-customers-to-hubspot")
            #expect(changed.counts.created == 0 && changed.counts.updated == 2 && changed.counts.failed == 0, "\(changed.counts) \(changed.reasons)")
            let phoneTwin = try await twin(h, "customer", other, in: "companies")
            let changedCompany = try #require(phoneTwin)
            let phone = try await hubspot(h, "GET", "/crm/v3/objects/companies/\(changedCompany)?properties=phone")
            #expect((phone["properties"] as? [String: Any])?["phone"] as? String == "+1 555 0100")
        }
    }
}
