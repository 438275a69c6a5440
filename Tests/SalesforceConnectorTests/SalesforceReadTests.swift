import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// Reads through the built plugin: full reads, incremental reads with deletes, records sharing one
/// SystemModstamp across page boundaries, changes during a run, reads by ids, head cursors, filters.
@Suite("Salesforce connector: reads")
struct SalesforceReadTests {
    @Test("a full read of 10,000 records costs 5 query calls, each record once, with RFC 3339 times, modified_by and links")
    func fullReadOfTenThousand() async throws {
        try await SalesforceHarness.with { h in
            let accounts = try await h.bulkCreate("Account", count: 5, secondsAgo: 7200)
            let created = Set(try await h.bulkCreate("Contact", count: 10_000, secondsAgo: 3600))
            let sf = try await h.connector()
            _ = try await sf.check()
            try await h.resetCounters()
            let (records, cursor, pages) = try await readAll(sf, ReadRequest(object: "Contact", limit: 2000))
            #expect(pages == 5)
            #expect(records.count == 10_000)
            #expect(Set(ids(records)) == created)
            #expect(try await h.queryCalls() == 5)
            let first = try #require(records.first)
            #expect(first.modifiedAt?.hasSuffix("Z") == true && first.modifiedAt?.count == 20)
            #expect(first.modifiedBy == SalesforceApp.apiUserID)
            #expect(first.fields["SystemModstamp"]?.stringValue == first.modifiedAt)
            #expect(first.change == .upsert && !first.deleted)
            #expect(first.fields["MailingAddress"] == nil, "compound fields are not selected")
            #expect(first.fields["MailingCity"] != nil)
            if let account = first.fields["AccountId"]?.stringValue {
                #expect(first.links.contains(RecordLink(object: "Account", id: account, type: "AccountId")) == true)
                #expect(accounts.contains(account) || !account.isEmpty)
            }
            // Caught up: the next run from the cursor reads nothing.
            let again = try await sf.read(ReadRequest(object: "Contact", cursor: cursor, limit: 2000))
            #expect(again.records.isEmpty && !again.hasMore)
            await sf.close()
        }
    }

    @Test("500 records sharing one SystemModstamp across page boundaries are read exactly once, by locator pages and by keyset pages")
    func sharedTimestampAcrossPages() async throws {
        try await SalesforceHarness.with { h in
            try await h.bulkCreate("Lead", count: 40, secondsAgo: 9000)
            let shared = Set(try await h.bulkCreate("Lead", count: 500, secondsAgo: 5000))
            try await h.bulkCreate("Lead", count: 30, secondsAgo: 1000)
            let sf = try await h.connector()
            // 200 a page: the query's own nextRecordsUrl pages.
            let byLocator = try await readAll(sf, ReadRequest(object: "Lead", limit: 200))
            #expect(byLocator.records.count == 570 && Set(ids(byLocator.records)).count == 570)
            #expect(shared.isSubset(of: Set(ids(byLocator.records))))
            // 150 a page: each page a new keyset query from (SystemModstamp, Id) — the shared stamp spans four pages.
            let byKeyset = try await readAll(sf, ReadRequest(object: "Lead", limit: 150))
            #expect(byKeyset.pages == 4)
            #expect(ids(byKeyset.records) == ids(byLocator.records))
            // The order is the cursor's: SystemModstamp, then Id.
            let keys = byKeyset.records.map { ($0.modifiedAt ?? "", $0.id) }
            #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
            await sf.close()
        }
    }

    @Test("an incremental read returns exactly the creates, updates and deletes made since the cursor")
    func incrementalWithDeletes() async throws {
        try await SalesforceHarness.with { h in
            let existing = try await h.bulkCreate("Contact", count: 300, secondsAgo: 4000)
            let sf = try await h.connector()
            let first = try await readAll(sf, ReadRequest(object: "Contact", limit: 2000))
            #expect(first.records.count == 300)
            let token = try await h.token()
            let new = try await h.create("Contact", ["LastName": "Incremental", "Email": "inc@example.com"], token: token)
            try await h.rest("PATCH", "sobjects/Contact/\(existing[10])", ["Title": "Changed"], token: token)
            try await h.rest("DELETE", "sobjects/Contact/\(existing[20])", token: token)
            try await h.waitUntilSettled()
            let second = try await readAll(sf, ReadRequest(object: "Contact", cursor: first.cursor, limit: 2000))
            #expect(Set(ids(second.records)) == [new, existing[10], existing[20]])
            let byID = Dictionary(uniqueKeysWithValues: second.records.map { ($0.id, $0) })
            #expect(byID[new]?.change == .upsert && byID[new]?.fields["LastName"] == "Incremental")
            #expect(byID[existing[10]]?.fields["Title"] == "Changed")
            #expect(byID[existing[20]]?.deleted == true && byID[existing[20]]?.change == .delete)
            // And nothing after that.
            let third = try await sf.read(ReadRequest(object: "Contact", cursor: second.cursor))
            #expect(third.records.isEmpty && !third.hasMore)
            await sf.close()
        }
    }

    @Test("a record changed while a read pages is not read with its new stamp in that run, and is read once by the next")
    func changedDuringRun() async throws {
        try await SalesforceHarness.with { h in
            let rows = try await h.bulkCreate("Account", count: 600, secondsAgo: 4000)
            let sf = try await h.connector()
            let token = try await h.token()
            var seen: [String] = []
            var page = try await sf.read(ReadRequest(object: "Account", limit: 200))
            seen += ids(page.records)
            // One already read, one not yet read: both change now.
            let readAlready = page.records[5].id
            let notYet = try #require(rows.first { !seen.contains($0) })
            try await h.rest("PATCH", "sobjects/Account/\(readAlready)", ["Description": "changed during the run"], token: token)
            try await h.rest("PATCH", "sobjects/Account/\(notYet)", ["Description": "changed during the run"], token: token)
            while page.hasMore {
                page = try await sf.read(ReadRequest(object: "Account", cursor: page.nextCursor, limit: 200))
                seen += ids(page.records)
                #expect(!page.records.contains { $0.fields["Description"] == "changed during the run" })
            }
            #expect(Set(seen).count == seen.count)
            #expect(Set(seen) == Set(rows).subtracting([notYet]))
            try await h.waitUntilSettled()
            let next = try await readAll(sf, ReadRequest(object: "Account", cursor: page.nextCursor))
            #expect(Set(ids(next.records)) == [readAlready, notYet])
            #expect(next.records.allSatisfy { $0.fields["Description"] == "changed during the run" })
            await sf.close()
        }
    }

    @Test("reads by ids: found, deleted, unknown and malformed ids; 15-character ids too")
    func readByIDs() async throws {
        try await SalesforceHarness.with { h in
            let rows = try await h.bulkCreate("Contact", count: 5, secondsAgo: 600)
            let token = try await h.token()
            try await h.rest("DELETE", "sobjects/Contact/\(rows[1])", token: token)
            let sf = try await h.connector()
            let unknown = "003" + String(repeating: "0", count: 9) + "ZZZ"
            let result = try await sf.read(ReadRequest(object: "Contact", ids: [rows[0], String(rows[2].prefix(15)), rows[1], unknown, "not-an-id"]))
            #expect(Set(ids(result.records)) == [rows[0], rows[2], rows[1]])
            #expect(result.records.first { $0.id == rows[1] }?.deleted == true)
            #expect(Set(result.missing ?? []) == [unknown, "not-an-id"])
            #expect(!result.hasMore)
            await sf.close()
        }
    }

    @Test("start now: a head cursor from which only later changes come")
    func startNow() async throws {
        try await SalesforceHarness.with { h in
            try await h.bulkCreate("Opportunity", count: 50, secondsAgo: 600)
            let sf = try await h.connector()
            let head = try await sf.read(ReadRequest(object: "Opportunity", start: "now"))
            #expect(head.records.isEmpty && !head.hasMore && head.nextCursor != nil)
            try await h.waitUntilSettled()
            let token = try await h.token()
            let id = try await h.create("Opportunity", ["Name": "After now", "StageName": "Prospecting", "CloseDate": "2030-01-01"], token: token)
            try await h.waitUntilSettled()
            let later = try await readAll(sf, ReadRequest(object: "Opportunity", cursor: head.nextCursor))
            #expect(ids(later.records) == [id])
            await sf.close()
        }
    }

    @Test("filters go into the SOQL WHERE, quoted and escaped; text comparisons are partial (SOQL ignores case), others full")
    func filterPushDown() async throws {
        try await SalesforceHarness.with { h in
            let token = try await h.token()
            let obrien = try await h.create("Contact", ["LastName": "O'Brien \\ \"Quote\"", "LeadSource": "Web"], token: token)
            _ = try await h.create("Contact", ["LastName": "Other", "LeadSource": "Web"], token: token)
            try await h.waitUntilSettled()
            let sf = try await h.connector()
            let byName = try await sf.read(ReadRequest(object: "Contact", filter: .compare(.eq, field: "LastName", value: "O'Brien \\ \"Quote\"")))
            #expect(ids(byName.records) == [obrien])
            #expect(byName.filterApplied == .partial)
            let exact = try await sf.read(ReadRequest(object: "Contact", filter: .and([.isNull(field: "Email", true), .oneOf(field: "Id", values: [.string(obrien)])])))
            #expect(ids(exact.records) == [obrien])
            #expect(exact.filterApplied == .full)
            // A field Salesforce cannot filter on is left to the host.
            let partial = try await sf.read(ReadRequest(object: "Contact", filter: .and([.oneOf(field: "Id", values: [.string(obrien)]), .compare(.eq, field: "MailingAddress", value: "x")])))
            #expect(partial.filterApplied == .partial && ids(partial.records) == [obrien])
            await sf.close()
        }
    }
}

