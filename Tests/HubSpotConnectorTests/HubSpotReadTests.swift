import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// Reads with the search index lagging writes by 2 s: full, incremental since a cursor (exactly the changes, deletes
/// as archived), 500 records sharing one millisecond across page boundaries, a change made while a run pages, the
/// lookback for records search indexed late, filter push-down, reads by ids, hundreds of custom properties.
@Suite("HubSpot connector: reads")
struct HubSpotReadTests {
    /// Every id of an object, by list paging straight over HTTP.
    func listIDs(_ h: HubSpotHarness, _ object: String) async throws -> Set<String> {
        var ids: Set<String> = []
        var after: String?
        repeat {
            let r = try await h.api("GET", "/crm/v3/objects/\(object)?limit=100" + (after.map { "&after=\($0)" } ?? ""))
            ids.formUnion((r.object["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            after = ((r.object["paging"] as? [String: Any])?["next"] as? [String: Any])?["after"] as? String
        } while after != nil
        return ids
    }

    @Test("a full read returns every record of each object once, all properties, invoices with their associations as links")
    func fullRead() async throws {
        try await HubSpotHarness.with(seed: 12) { h in
            let hubspot = try await h.connector(settings: ["page_size": 25])
            for object in ["contacts", "companies", "deals", "invoices"] {
                let expected = try await listIDs(h, object)
                let read = try await readAll(hubspot, ReadRequest(object: object, limit: 25))
                #expect(read.records.count == expected.count && Set(read.records.map(\.id)) == expected, "\(object)")
                #expect(read.records.allSatisfy { $0.modifiedAt != nil && !$0.deleted })
                if object == "contacts" {
                    #expect(read.pages >= 2)
                    let withEmail = try #require(read.records.first { $0.fields["email"]?.stringValue != nil })
                    #expect(withEmail.fields.count > 100 && withEmail.fields["lastmodifieddate"] != nil)
                }
                if object == "invoices" {
                    let linked = read.records.filter { !$0.links.isEmpty }
                    #expect(!linked.isEmpty)
                    #expect(Set(linked.flatMap { $0.links }.map(\.object)).isSubset(of: ["contacts", "companies", "deals"]))
                }
            }
            await hubspot.close()
        }
    }

    @Test("an incremental read returns exactly the records created, updated and archived since the cursor")
    func incremental() async throws {
        try await HubSpotHarness.with(seed: 4) { h in
            let hubspot = try await h.connector()
            let first = try await readAll(hubspot, ReadRequest(object: "contacts"))
            #expect(!first.records.isEmpty)
            let edited = try #require(first.records.first?.id)
            let archived = try #require(first.records.last?.id)
            let created = try await h.createContact(email: "new-one@example.com")
            let created2 = try await h.createContact(email: "new-two@example.com")
            #expect(try await h.api("PATCH", "/crm/v3/objects/contacts/\(edited)", ["properties": ["firstname": "Edited"]]).status == 200)
            #expect(try await h.api("DELETE", "/crm/v3/objects/contacts/\(archived)").status == 204)
            try await h.waitUntilSettled()
            let second = try await readAll(hubspot, ReadRequest(object: "contacts", cursor: first.cursor))
            #expect(Set(second.records.map(\.id)) == [created, created2, edited, archived], "\(second.records.map(\.id))")
            #expect(second.records.count == 4)
            #expect(second.records.first { $0.id == edited }?.fields["firstname"] == "Edited")
            #expect(second.records.first { $0.id == archived }?.deleted == true)
            #expect(second.records.filter(\.deleted).count == 1)
            let third = try await readAll(hubspot, ReadRequest(object: "contacts", cursor: second.cursor))
            #expect(third.records.isEmpty, "\(third.records.map(\.id))")
            await hubspot.close()
        }
    }

    @Test("500 contacts sharing one lastmodifieddate across page boundaries are each read once; a change mid-run comes next run")
    func sameTimeAcrossPages() async throws {
        try await HubSpotHarness.with { h in
            let hubspot = try await h.connector(settings: ["page_size": 200])
            let start = try await readAll(hubspot, ReadRequest(object: "contacts"))
            #expect(start.records.isEmpty)
            // Five batch calls stamped with one instant.
            h.clock.hold(at: Date())
            let ids = try await h.createContacts(500)
            h.clock.hold(at: nil)
            #expect(Set(ids).count == 500)
            try await h.waitUntilSettled()
            try await h.resetCounters()
            var cursor = start.cursor
            var pages: [[String]] = []
            var changed: String?
            while true {
                let page = try await hubspot.read(ReadRequest(object: "contacts", cursor: cursor, limit: 200))
                if !page.records.isEmpty { pages.append(page.records.map(\.id)) }
                cursor = page.nextCursor
                if changed == nil, let first = page.records.first?.id {
                    // A record already read changes while the run pages.
                    changed = first
                    #expect(try await h.api("PATCH", "/crm/v3/objects/contacts/\(first)", ["properties": ["firstname": "Changed"]]).status == 200)
                }
                if !page.hasMore { break }
            }
            let all = pages.flatMap { $0 }
            #expect(all.count == 500 && Set(all) == Set(ids))
            #expect(pages.count >= 3)
            let searches = try await h.apiCounters()["POST /crm/v3/objects/contacts/search"] ?? 0
            #expect(searches <= 6, "\(searches) searches")
            try await h.waitUntilSettled()
            let next = try await readAll(hubspot, ReadRequest(object: "contacts", cursor: cursor))
            #expect(next.records.map(\.id) == [try #require(changed)])
            #expect(next.records.first?.fields["firstname"] == "Changed")
            await hubspot.close()
        }
    }

    @Test("groups of 150 sharing one millisecond cut by pages of 200 are each read once, at one search per page")
    func groupsAcrossPages() async throws {
        try await HubSpotHarness.with { h in
            let hubspot = try await h.connector(settings: ["page_size": 200])
            let start = try await readAll(hubspot, ReadRequest(object: "contacts"))
            let base = Date()
            var ids: [String] = []
            for group in 0..<3 {
                h.clock.hold(at: base.addingTimeInterval(Double(group) * 0.005))
                ids += try await h.createContacts(150, prefix: "g\(group)-")
            }
            h.clock.hold(at: nil)
            try await h.waitUntilSettled()
            try await h.resetCounters()
            let read = try await readAll(hubspot, ReadRequest(object: "contacts", cursor: start.cursor, limit: 200))
            #expect(read.records.count == 450 && Set(read.records.map(\.id)) == Set(ids))
            #expect(try await h.apiCounters()["POST /crm/v3/objects/contacts/search"] == 3)
            await hubspot.close()
        }
    }

    @Test("a record search indexed late is found by the next run's lookback, once")
    func lookbackForIndexLag() async throws {
        // A 15 s lag (longer than a loaded machine needs between the write and the next read), waited out by
        // reading again until the record shows (each read from the same cursor).
        try await HubSpotHarness.with(lag: 15_000) { h in
            // No settle time: the run's bound is HubSpot's now, so a write just made is not in search yet.
            let hubspot = try await h.connector(settings: ["settle_ms": 0])
            let first = try await readAll(hubspot, ReadRequest(object: "contacts"))
            let late = try await h.createContact(email: "late@example.com")
            let second = try await readAll(hubspot, ReadRequest(object: "contacts", cursor: first.cursor))
            #expect(second.records.isEmpty, "the search index showed the contact at once: the lag is off")
            let deadline = ContinuousClock.now + .seconds(60)
            var third = try await readAll(hubspot, ReadRequest(object: "contacts", cursor: second.cursor))
            while third.records.isEmpty && ContinuousClock.now < deadline {
                third = try await readAll(hubspot, ReadRequest(object: "contacts", cursor: second.cursor))
            }
            #expect(third.records.map(\.id) == [late])
            let fourth = try await readAll(hubspot, ReadRequest(object: "contacts", cursor: third.cursor))
            #expect(fourth.records.isEmpty, "the lookback read \(fourth.records.map(\.id)) again")
            await hubspot.close()
        }
    }

    @Test("a filter is pushed into the search's filter group; reads by ids use batch/read and name the missing ones")
    func filterAndIDs() async throws {
        try await HubSpotHarness.with { h in
            let a = try await h.createContact(email: "alpha@example.com", firstname: "Alpha")
            let b = try await h.createContact(email: "beta@example.com", firstname: "Beta")
            let hubspot = try await h.connector()
            try await h.waitUntilSettled()
            try await h.resetCounters()
            let filtered = try await readAll(hubspot, ReadRequest(object: "contacts", filter: .compare(.eq, field: "email", value: "beta@example.com")))
            #expect(filtered.records.map(\.id) == [b])
            let page = try await hubspot.read(ReadRequest(object: "contacts", filter: .compare(.eq, field: "email", value: "beta@example.com")))
            #expect(page.filterApplied == .full)
            let byIDs = try await hubspot.read(ReadRequest(object: "contacts", ids: [a, b, "999999"]))
            #expect(Set(byIDs.records.map(\.id)) == [a, b] && byIDs.missing == ["999999"])
            #expect(try await h.apiCounters()["POST /crm/v3/objects/contacts/batch/read"] == 1)
            await hubspot.close()
        }
    }

    @Test("300 custom properties with long names: full and incremental reads carry them without a 414")
    func manyCustomProperties() async throws {
        try await HubSpotHarness.with(seed: 2) { h in
            let names = (0..<300).map { "crosswalk_custom_property_with_a_rather_long_name_\($0)" }
            for start in stride(from: 0, to: names.count, by: 100) {
                let inputs = names[start..<min(start + 100, names.count)].map {
                    ["name": $0, "label": $0, "type": "string", "fieldType": "text", "groupName": "contactinformation"]
                }
                let r = try await h.api("POST", "/crm/v3/properties/contacts/batch/create", ["inputs": inputs])
                #expect(r.status == 201, "\(r.text.prefix(300))")
            }
            let id = try await h.createContact(email: "wide@example.com")
            #expect(try await h.api("PATCH", "/crm/v3/objects/contacts/\(id)", ["properties": [names[299]: "last one"]]).status == 200)
            let hubspot = try await h.connector()
            let full = try await readAll(hubspot, ReadRequest(object: "contacts"))
            let wide = try #require(full.records.first { $0.id == id })
            #expect(wide.fields[names[299]] == "last one")
            #expect(try await h.statuses().allSatisfy { $0 != 414 })
            #expect(try await h.api("PATCH", "/crm/v3/objects/contacts/\(id)", ["properties": [names[0]: "first one"]]).status == 200)
            try await h.waitUntilSettled()
            let next = try await readAll(hubspot, ReadRequest(object: "contacts", cursor: full.cursor))
            #expect(next.records.map(\.id) == [id] && next.records.first?.fields[names[0]] == "first one")
            await hubspot.close()
        }
    }
}
