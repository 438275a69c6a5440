import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// Reads: full, incremental since a cursor (exactly the changes), records sharing one second across a page
/// boundary, a change made while a run pages, `where[]` push-down, reads by ids.
@Suite("Aritic connector: reads")
struct AriticReadTests {
    @Test("a full read returns every contact and company once, with fields.all flattened")
    func fullRead() async throws {
        try await AriticHarness.with(seed: 30) { h in
            let aritic = try await h.connector(settings: ["page_size": 25])
            let total = try await h.api("GET", "/api/contacts?limit=1").object["total"] as? String
            let contacts = try await readAll(aritic, ReadRequest(object: "contacts"))
            #expect(String(contacts.records.count) == total)
            #expect(Set(contacts.records.map(\.id)).count == contacts.records.count)
            #expect(contacts.pages >= 2)
            let withEmail = try #require(contacts.records.first { $0.fields["email"]?.stringValue != nil })
            #expect(withEmail.fields["firstname"] != nil && withEmail.modifiedAt != nil)
            let companies = try await readAll(aritic, ReadRequest(object: "companies"))
            #expect(companies.records.count == 30 && companies.records.allSatisfy { $0.fields["companyname"]?.stringValue != nil })
            await aritic.close()
        }
    }

    @Test("each contact with a primary company carries a company link with that company's id; a shared name is settled by the contact's companies")
    func companyLinks() async throws {
        try await AriticHarness.with(seed: 20) { h in
            let aritic = try await h.connector(settings: ["page_size": 25])
            let contacts = try await readAll(aritic, ReadRequest(object: "contacts")).records
            let companies = try await readAll(aritic, ReadRequest(object: "companies")).records
            let byName = Dictionary(grouping: companies) { $0.fields["companyname"]?.stringValue ?? "" }
            let withCompany = contacts.filter { !($0.fields["company"]?.stringValue ?? "").isEmpty }
            #expect(!withCompany.isEmpty && withCompany.count < contacts.count, "the seed has contacts with and without a company")
            for contact in withCompany {
                let link = try #require(contact.links.first { $0.type == "company" }, "contact \(contact.id) has no company link")
                #expect(link.object == "companies")
                #expect(byName[contact.fields["company"]!.stringValue!]?.contains { $0.id == link.id } == true)
            }
            #expect(contacts.filter { ($0.fields["company"]?.stringValue ?? "").isEmpty }.allSatisfy { $0.links.isEmpty })
            // Two companies with one name: the contact's own primary company is the one linked.
            let twin = try await h.api("POST", "/api/companies/new", ["companyname": "Acme Twin"])
            let twinID = "\((twin.object["company"] as? [String: Any])?["id"] ?? "")"
            _ = try await h.api("POST", "/api/companies/new", ["companyname": "Acme Twin"])
            let contact = try await h.createContact(email: "twin@acme.test")
            #expect(try await h.api("POST", "/api/companies/\(twinID)/contact/\(contact)/add").status == 200)
            _ = try await h.api("PATCH", "/api/contacts/\(contact)/edit", ["company": "Acme Twin"])
            let read = try await aritic.read(ReadRequest(object: "contacts", ids: [contact]))
            let links = read.records.first?.links ?? []
            #expect(links.count == 1 && ["companies"] == links.map(\.object), "\(links)")
            await aritic.close()
        }
    }

    @Test("with the segments setting, each contact carries the named segments it is a member of (one call per segment and page), discover lists the field, a bad alias is refused")
    func segmentMembership() async throws {
        try await AriticHarness.with(seed: 20) { h in
            func members(_ alias: String) async throws -> Set<String> {
                Set((try await h.api("GET", "/api/contacts?search=segment:\(alias)&limit=0&minimal=1").object["contacts"] as? [String: Any] ?? [:]).keys)
            }
            let sync = try await members("salesforce-sync"), newsletter = try await members("newsletter")
            #expect(!sync.isEmpty && !newsletter.isEmpty)
            let aritic = try await h.connector(settings: ["page_size": 25, "segments": ["salesforce-sync", "newsletter"]])
            try await h.resetCounters()
            let contacts = try await readAll(aritic, ReadRequest(object: "contacts"))
            #expect(contacts.records.count > sync.count)
            for c in contacts.records {
                let expected = (sync.contains(c.id) ? ["salesforce-sync"] : []) + (newsletter.contains(c.id) ? ["newsletter"] : [])
                #expect(c.fields["segments"] == .array(expected.map { .string($0) }), "contact \(c.id): \(String(describing: c.fields["segments"]))")
            }
            let searches = try await h.counters().filter { $0.key.hasPrefix("GET /api/contacts") }.values.reduce(0, +)
            #expect(searches <= contacts.pages * 3 + 2, "a page and one call per segment: \(searches) calls for \(contacts.pages) pages")
            let byIDs = try await aritic.read(ReadRequest(object: "contacts", ids: [try #require(sync.first)]))
            #expect(byIDs.records.first?.fields["segments"]?.arrayValue?.contains(.string("salesforce-sync")) == true)
            let described = try await aritic.discover(DiscoverRequest(objects: ["contacts"]))
            let field = try #require(described.objects.first?.fields.first { $0.name == "segments" })
            #expect(field.type == .multipicklist && field.picklist?.map(\.value) == ["salesforce-sync", "newsletter"])
            await aritic.close()

            let plain = try await h.connector(settings: ["page_size": 25])
            #expect(try await plain.read(ReadRequest(object: "contacts", limit: 5)).records.allSatisfy { $0.fields["segments"] == nil })
            await plain.close()
            await #expect { _ = try await h.connector("bad", settings: ["segments": ["Salesforce Sync"]]) } throws: { error in
                "\(error)".contains("segments[0]")
            }
        }
    }

    @Test("an incremental read returns exactly the contacts created and edited since the cursor")
    func incremental() async throws {
        try await AriticHarness.with(seed: 10) { h in
            let aritic = try await h.connector()
            try await h.waitUntilSettled()
            let first = try await readAll(aritic, ReadRequest(object: "contacts"))
            #expect(!first.records.isEmpty)
            let edited = try #require(first.records.first?.id)
            let created = try await h.createContact(email: "new-one@example.com")
            let created2 = try await h.createContact(email: "new-two@example.com")
            let r = try await h.api("PATCH", "/api/contacts/\(edited)/edit", ["firstname": "Edited"])
            #expect(r.status == 200)
            try await h.waitUntilSettled()
            let second = try await readAll(aritic, ReadRequest(object: "contacts", cursor: first.cursor))
            #expect(Set(second.records.map(\.id)) == [created, created2, edited])
            #expect(second.records.count == 3)
            #expect(second.records.first { $0.id == edited }?.fields["firstname"] == "Edited")
            let third = try await readAll(aritic, ReadRequest(object: "contacts", cursor: second.cursor))
            #expect(third.records.isEmpty)
            await aritic.close()
        }
    }

    @Test("500 contacts sharing one dateModified across page boundaries are each read once; a change mid-run comes next run")
    func sameSecondAcrossPages() async throws {
        try await AriticHarness.with { h in
            let ids = try await h.createContacts(500)
            try await h.stampAllContacts(modified: Date().addingTimeInterval(-60))
            let aritic = try await h.connector(settings: ["page_size": 200])
            try await h.waitUntilSettled()
            // First page of the run, then a record already read changes while the run pages.
            let page1 = try await aritic.read(ReadRequest(object: "contacts"))
            #expect(page1.records.count == 200 && page1.hasMore)
            let changed = try #require(page1.records.first?.id)
            #expect(try await h.api("PATCH", "/api/contacts/\(changed)/edit", ["firstname": "Changed"]).status == 200)
            let rest = try await readAll(aritic, ReadRequest(object: "contacts", cursor: page1.nextCursor))
            let all = page1.records.map(\.id) + rest.records.map(\.id)
            #expect(all.count == 500 && Set(all) == Set(ids))
            #expect(rest.pages >= 2)
            try await h.waitUntilSettled()
            let next = try await readAll(aritic, ReadRequest(object: "contacts", cursor: rest.cursor))
            #expect(next.records.map(\.id) == [changed])
            #expect(next.records.first?.fields["firstname"] == "Changed")
            await aritic.close()
        }
    }

    @Test("a filter on e-mail is pushed into where[]; reads by ids name the missing ones")
    func filterAndIDs() async throws {
        try await AriticHarness.with { h in
            let a = try await h.createContact(email: "alpha@example.com", firstname: "Alpha")
            let b = try await h.createContact(email: "beta@example.com", firstname: "Beta")
            let aritic = try await h.connector()
            try await h.waitUntilSettled()
            try await h.resetCounters()
            let filtered = try await aritic.read(ReadRequest(object: "contacts",
                                                             filter: .compare(.eq, field: "email", value: "beta@example.com")))
            #expect(filtered.records.map(\.id) == [b] && filtered.filterApplied == .full)
            let byIDs = try await aritic.read(ReadRequest(object: "contacts", ids: [a, b, "999999"]))
            #expect(Set(byIDs.records.map(\.id)) == [a, b] && byIDs.missing == ["999999"])
            let calls = try await h.counters().filter { $0.key.hasPrefix("GET /api/contacts") }.values.reduce(0, +)
            #expect(calls <= 4)
            await aritic.close()
        }
    }
}
