import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkTestKit
import Foundation
import Testing

/// Reads through the built connector: full, incremental with deletions, ties across pages, changes while paging,
/// head cursors, reads by ids.
@Suite("NetSuite connector: reads", .serialized)
struct NetSuiteReadTests {
    @Test func aFullReadReturnsEveryRecordOnceWithTypedFieldsAndLinks() async throws {
        try await NetSuiteHarness.with(seed: 25) { h in
            let client = try await h.client()
            let customers = try await h.readAll(client, "customer", limit: 7)
            #expect(customers.records.count == 25)
            #expect(Set(customers.records.map(\.id)).count == 25)
            #expect(customers.pages >= 4)
            let first = try #require(customers.records.first)
            #expect(first.fields["companyName"]?.stringValue?.isEmpty == false)
            #expect(first.fields["isPerson"] == .bool(false))
            #expect(first.fields["creditLimit"]?.numberValue != nil)
            #expect(first.fields["subsidiary"] == "1")
            #expect(first.modifiedAt?.hasSuffix("Z") == true && first.modifiedAt?.count == 20)
            #expect(first.fields["lastModifiedDate"]?.stringValue == first.modifiedAt)
            // Ordered by (lastModifiedDate, id).
            let keys = customers.records.map { ($0.modifiedAt ?? "", Int($0.id) ?? 0) }
            #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
            let cursor = try #require(customers.cursor?.cursorMembers)
            #expect(cursor["u"] == nil && cursor["m"] != nil, "caught up: no upper bound kept")

            let contacts = try await h.readAll(client, "contact")
            #expect(contacts.records.count >= 50)
            let linked = try #require(contacts.records.first { $0.fields["company"]?.stringValue != nil })
            #expect(linked.links == [RecordLink(object: "customer", id: linked.fields["company"]?.stringValue ?? "", type: "company")])

            let invoices = try await h.readAll(client, "invoice")
            #expect(invoices.records.count >= 25 && invoices.records.allSatisfy { $0.fields["tranId"]?.stringValue?.hasPrefix("INV") == true })
            let invoice = try #require(invoices.records.first)
            #expect(invoice.fields["tranDate"]?.stringValue?.count == 10, "a date, no time: \(invoice.fields["tranDate"] ?? .null)")
            #expect(invoice.fields["total"]?.numberValue != nil)
            #expect(invoice.links.first?.object == "customer" && invoice.links.first?.type == "entity")
        }
    }

    @Test func anIncrementalReadReturnsExactlyTheCreatesUpdatesAndDeletes() async throws {
        try await NetSuiteHarness.with(seed: 10) { h in
            let client = try await h.client()
            let first = try await h.readAll(client, "contact")
            let existing = first.records.map(\.id)
            #expect(existing.count >= 20)
            // Nothing changed: nothing comes back.
            let quiet = try await h.readAll(client, "contact", from: first.cursor)
            #expect(quiet.records.isEmpty)

            let created = try await h.createContacts(client, 2, prefix: "New")
            let updated = existing[3]
            let deleted = existing[5]
            let update = try await h.write(client, "contact", .update, [WriteItem(ref: "u", id: updated, fields: ["title": "Chief Tester"])])
            #expect(update.first?.ok == true)
            let delete = try await h.write(client, "contact", .delete, [WriteItem(ref: "d", id: deleted)])
            #expect(delete.first?.outcome == .deleted)
            try await h.untilNextSecond()

            let second = try await h.readAll(client, "contact", from: quiet.cursor)
            let upserts = second.records.filter { !$0.deleted }
            let deletes = second.records.filter(\.deleted)
            #expect(Set(upserts.map(\.id)) == Set(created + [updated]))
            #expect(upserts.count == 3)
            #expect(upserts.first { $0.id == updated }?.fields["title"] == "Chief Tester")
            #expect(deletes.map(\.id) == [deleted])
            #expect(deletes.first?.change == .delete && deletes.first?.modifiedAt != nil)
            // And then nothing again.
            #expect(try await h.readAll(client, "contact", from: second.cursor).records.isEmpty)
        }
    }

    @Test func fiveHundredRecordsSharingOneSecondAcrossPageBoundariesAreEachReadOnce() async throws {
        try await NetSuiteHarness.with { h in
            let client = try await h.client()
            let second = Date(timeIntervalSince1970: floor(Date().timeIntervalSince1970) - 30)
            h.clock.hold(at: second)
            let ids = try await h.createContacts(client, 500, prefix: "Tie")
            h.clock.hold(at: second.addingTimeInterval(1))
            _ = try await h.createContacts(client, 3, prefix: "Later")
            h.clock.release()
            let read = try await h.readAll(client, "contact", limit: 120)
            let tied = read.records.filter { $0.modifiedAt == NetSuiteRecordTime.rfc3339(second) }
            #expect(tied.count == 500)
            #expect(Set(tied.map(\.id)) == Set(ids))
            #expect(read.records.count == 503 && Set(read.records.map(\.id)).count == 503, "none lost, none repeated")
            #expect(read.pages >= 5)
        }
    }

    @Test func aRecordChangedWhilePagingIsReadByTheNextRun() async throws {
        try await NetSuiteHarness.with(seed: 12) { h in
            let client = try await h.client()
            let all = try await h.readAll(client, "contact")
            var changedEarly: String?
            var changedLate: String?
            // Re-read from the caught-up state after touching everything older, paging 10 at a time.
            let run = try await h.readAll(client, "contact", limit: 10) { page in
                guard page == 1 else { return }
                // One record already read in page 1, one not yet read: both change while the run pages.
                changedEarly = all.records[0].id
                changedLate = all.records[all.records.count - 2].id
                for (ref, id) in [("a", changedEarly!), ("b", changedLate!)] {
                    let r = try await h.write(client, "contact", .update, [WriteItem(ref: ref, id: id, fields: ["title": "Changed while paging"])])
                    #expect(r.first?.ok == true)
                }
            }
            #expect(Set(run.records.map(\.id)).count == run.records.count, "nothing repeated in the run")
            #expect(!run.records.contains { $0.fields["title"] == "Changed while paging" }, "changes after the run's start wait for the next run")
            try await h.untilNextSecond()
            let next = try await h.readAll(client, "contact", from: run.cursor)
            #expect(Set(next.records.map(\.id)) == Set([changedEarly, changedLate].compactMap { $0 }))
            #expect(next.records.allSatisfy { $0.fields["title"] == "Changed while paging" })
            // Nothing lost: every record was read by one run or the other.
            #expect(Set(run.records.map(\.id)).union(next.records.map(\.id)) == Set(all.records.map(\.id)))
        }
    }

    @Test func aHeadCursorReadsOnlyWhatChangesAfterIt() async throws {
        try await NetSuiteHarness.with(seed: 5) { h in
            let client = try await h.client()
            let head = try await client.read(ReadRequest(object: "customer", start: "now"))
            #expect(head.records.isEmpty && !head.hasMore && head.nextCursor != nil)
            let created = try await h.write(client, "customer", .create, [WriteItem(ref: "n", fields: ["companyName": "Brand New Co"])])
            let id = try #require(created.first?.id)
            try await h.untilNextSecond()
            let later = try await h.readAll(client, "customer", from: head.nextCursor)
            #expect(later.records.map(\.id) == [id])
        }
    }

    @Test func aReadByIdsReturnsThoseRecordsAndNamesTheMissing() async throws {
        try await NetSuiteHarness.with(seed: 5) { h in
            let client = try await h.client()
            let all = try await h.readAll(client, "customer")
            let wanted = [all.records[1].id, all.records[3].id]
            try await h.resetCounters()
            let result = try await client.read(ReadRequest(object: "customer", ids: wanted + ["999999", "eid:nope"]))
            #expect(Set(result.records.map(\.id)) == Set(wanted))
            #expect(Set(result.missing ?? []) == ["999999", "eid:nope"])
            #expect(!result.hasMore)
            #expect(try await h.counters().total == 1, "one SuiteQL call (the catalog is cached by the instance)")
            let partial = try await client.read(ReadRequest(object: "customer", fields: ["companyName"], ids: [wanted[0]]))
            #expect(Set(partial.records.first?.fields.keys.map { $0 } ?? []) == ["id", "companyName", "lastModifiedDate"])
        }
    }
}

/// RFC 3339 in whole seconds, as the connector writes `modified_at`.
enum NetSuiteRecordTime {
    static func rfc3339(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return f.string(from: date)
    }
}
