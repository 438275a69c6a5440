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

    @Test("seed 003: NetSuite customers → HubSpot contacts; invoices → HubSpot invoices associated to their customer's contact, dates through the plugin's hs_date; second runs write nothing")
    func customersAndInvoices() async throws {
        try await TemplateHarness.with([.netsuiteHubSpot], seed: 20) { h in
            let customers = try await h.suiteQL("SELECT id, email, firstname, lastname, companyname FROM customer")
            let withEmail = customers.filter { !$0.text("email").isEmpty }
            #expect(!withEmail.isEmpty && withEmail.count <= customers.count)
            let invoices = try await h.suiteQL("SELECT id, tranid, entity, trandate, foreigntotal FROM transaction WHERE type = 'CustInvc'")
            #expect(!invoices.isEmpty)

            try await h.untilSettled()  // the seed's newest records are past the connectors' settle margin
            let first = try await h.run("netsuite-customers-to-hubspot")
            #expect(first.counts.failed == 0, "\(first.reasons)")
            let contacts = try await all(h, "contacts", "email,firstname,lastname,company")
            let byEmail = Dictionary(grouping: contacts) { ($0.value["email"] as? String) ?? "" }
            for c in withEmail {
                let email = c.text("email").trimmingCharacters(in: .whitespaces).lowercased()
                #expect(byEmail[email]?.count == 1, "customer \(c.text("id")) once as a contact (\(email))")
            }

            let inv = try await h.run("netsuite-invoices-to-hubspot")
            let invErrors = try await h.flows.errors(flow: "netsuite-invoices-to-hubspot").map(\.failure.message)
            #expect(inv.counts.failed == 0, "\(inv.reasons) \(invErrors)")
            let synced = Set(withEmail.map { $0.text("id") })
            let expected = invoices.filter { synced.contains($0.text("entity")) }
            #expect(inv.counts.created == expected.count, "\(inv.counts) \(inv.reasons)")
            #expect(inv.counts.skipped == invoices.count - expected.count, "invoices of customers without an e-mail wait for them")
            let hsInvoices = try await all(h, "invoices", "hs_number,hs_external_invoice_id,hs_invoice_date")
            let byExternal = Dictionary(grouping: hsInvoices) { ($0.value["hs_external_invoice_id"] as? String) ?? "" }
            for i in expected {
                let (hsID, props) = try #require(byExternal[i.text("id")]?.first, "invoice \(i.text("id")) in HubSpot")
                #expect(byExternal[i.text("id")]?.count == 1)
                #expect(props["hs_number"] as? String == i.text("tranid"))
                // The association to the customer's contact, made through associations v4.
                let contactTwin = try await h.flows.idmap(connection: "netsuite", object: "customer", id: i.text("entity"))
                    .compactMap { [$0.a, $0.b].first { $0.connection == "hubspot-crm" }?.id }.first
                let assoc = try await hubspot(h, "GET", "/crm/v4/objects/invoices/\(hsID)/associations/contacts")
                let linked = (assoc["results"] as? [[String: Any]] ?? []).map { "\($0["toObjectId"] ?? "")" }
                #expect(contactTwin != nil && linked.contains(contactTwin!), "invoice \(hsID) associated to contact \(contactTwin ?? "?"): \(linked)")
            }
            // hs_date: the NetSuite date as HubSpot's midnight-UTC value.
            if let one = expected.first, let props = byExternal[one.text("id")]?.first?.value, let date = props["hs_invoice_date"] as? String {
                // SuiteQL shows the date as the account writes it (M/D/YYYY).
                let p = one.text("trandate").split(separator: "/").compactMap { Int($0) }
                let iso = p.count == 3 ? String(format: "%04d-%02d-%02dT00:00:00.000Z", p[2], p[0], p[1]) : "?"
                #expect(date == iso, "hs_invoice_date \(date) for \(one.text("trandate"))")
            }

            // Nothing changed: nothing written.
            let quiet1 = try await h.run("netsuite-customers-to-hubspot"), quiet2 = try await h.run("netsuite-invoices-to-hubspot")
            #expect(quiet1.counts.created + quiet1.counts.updated + quiet1.counts.deleted == 0, "\(quiet1.counts)")
            #expect(quiet2.counts.created + quiet2.counts.updated == 0, "\(quiet2.counts)")
        }
    }
}
