import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// Lead reads: full, incremental windows with the deleted feed, shared timestamps across pages, changes while
/// paging, reads by ids, filter push-down; stages, users and activities.
@Suite("SPOTIO connector: reads")
struct SPOTIOReadTests {
    @Test("a full read returns every lead once; the next run returns exactly the creates, updates and deletes made since")
    func fullThenIncremental() async throws {
        try await SPOTIOHarness.with { h in
            let token = try await h.token()
            var ids: [String] = []
            for i in 0..<30 { ids.append(try await h.createLead(email: "lead\(i)@example.com", company: "Co \(i)", token: token)) }
            // A customer (another DataObject type) is not a Lead.
            _ = try await h.api("POST", "/api/DataObjects", ["dataObject": ["typeId": 2, "fields": [["fieldId": "201", "value": "Cust"]]]], token: token)
            try await h.waitUntilSettled()
            let spotio = try await h.connector()
            let full = try await readAll(spotio, ReadRequest(object: "Lead", limit: 10))
            #expect(full.records.count == 30)
            #expect(Set(full.records.map(\.id)) == Set(ids))
            #expect(full.pages == 3)
            let first = try #require(full.records.first { $0.id == ids[0] })
            #expect(first.fields["Email"] == .string("lead0@example.com") && first.fields["Company"] == .string("Co 0"))
            #expect(first.fields["stageId"] == .string("11") && first.fields["typeId"] == .string("1"))
            #expect(first.links.contains { $0.object == "Stage" && $0.id == "11" })

            let created = try await h.createLead(email: "new@example.com", token: token)
            try await h.renameLead(ids[3], company: "Renamed", token: token)
            try await h.deleteLead(ids[7], token: token)
            try await h.waitUntilSettled()
            let next = try await readAll(spotio, ReadRequest(object: "Lead", cursor: full.cursor, limit: 10))
            let live = next.records.filter { !$0.deleted }
            #expect(Set(live.map(\.id)) == [created, ids[3]])
            #expect(live.first { $0.id == ids[3] }?.fields["Company"] == .string("Renamed"))
            let deleted = next.records.filter(\.deleted)
            #expect(deleted.map(\.id) == [ids[7]])

            // Caught up: nothing more.
            let again = try await readAll(spotio, ReadRequest(object: "Lead", cursor: next.cursor, limit: 10))
            #expect(again.records.isEmpty)
            await spotio.close()
        }
    }

    @Test("500 leads sharing one modification time across page boundaries are each read once")
    func sharedTimestamp() async throws {
        try await SPOTIOHarness.with { h in
            let token = try await h.token()
            let stamp = isoDate(Date().addingTimeInterval(-3600))
            var ids: Set<String> = []
            for i in 0..<500 { ids.insert(try await h.createLead(email: "same\(i)@example.com", updatedAt: stamp, token: token)) }
            let spotio = try await h.connector()
            let run = try await readAll(spotio, ReadRequest(object: "Lead", limit: 120))
            #expect(run.records.count == 500)
            #expect(Set(run.records.map(\.id)) == ids)
            #expect(run.pages == 5)
            #expect(Set(run.records.compactMap(\.modifiedAt)).count == 1)
            await spotio.close()
        }
    }

    @Test("a lead changed while a read is paging is read by the next run, not lost")
    func changedWhilePaging() async throws {
        try await SPOTIOHarness.with { h in
            let token = try await h.token()
            var ids: [String] = []
            for i in 0..<30 { ids.append(try await h.createLead(email: "p\(i)@example.com", token: token)) }
            try await h.waitUntilSettled()
            let spotio = try await h.connector()
            // Newest first: the first page holds the last created; ids[0] is on the last page.
            let page1 = try await spotio.read(ReadRequest(object: "Lead", limit: 10))
            #expect(page1.records.count == 10 && page1.hasMore)
            #expect(!page1.records.contains { $0.id == ids[0] })
            try await h.renameLead(ids[0], company: "Changed while paging", token: token)
            try await h.renameLead(page1.records[0].id, company: "Changed after its read", token: token)
            var seen = page1.records.map(\.id)
            var cursor = page1.nextCursor
            var more = page1.hasMore
            while more {
                let page = try await spotio.read(ReadRequest(object: "Lead", cursor: cursor, limit: 10))
                seen += page.records.map(\.id)
                cursor = page.nextCursor
                more = page.hasMore
            }
            #expect(Set(seen).count == seen.count)
            // Changed after the run's upper bound: not in this run …
            #expect(!seen.contains(ids[0]))
            #expect(seen.count == 29)
            try await h.waitUntilSettled()
            // … but in the next, with the change, together with the other changed record.
            let next = try await readAll(spotio, ReadRequest(object: "Lead", cursor: cursor, limit: 10))
            #expect(Set(next.records.map(\.id)) == [ids[0], page1.records[0].id])
            #expect(next.records.first { $0.id == ids[0] }?.fields["Company"] == .string("Changed while paging"))
            await spotio.close()
        }
    }

    @Test("reads by ids report the missing ones; stage and e-mail filters are pushed into the search")
    func byIDsAndFilters() async throws {
        try await SPOTIOHarness.with { h in
            let token = try await h.token()
            let a = try await h.createLead(email: "a@example.com", stageId: 12, token: token)
            let b = try await h.createLead(email: "b@example.com", stageId: 15, token: token)
            let r = try await h.api("POST", "/api/DataObjects", ["dataObject": ["typeId": 1, "stageId": 12,
                                                                               "fields": [["fieldId": "101", "value": "No mail"]]]], token: token)
            let noMail = try #require(r.object["id"] as? String)
            try await h.waitUntilSettled()
            let spotio = try await h.connector()
            let byIDs = try await spotio.read(ReadRequest(object: "Lead", ids: [a, "6650f1c0ffffffffffffffff", b]))
            #expect(Set(byIDs.records.map(\.id)) == [a, b])
            #expect(byIDs.missing == ["6650f1c0ffffffffffffffff"])

            let stage = try await spotio.read(ReadRequest(object: "Lead", limit: 100, filter: .compare(.eq, field: "stageId", value: "12")))
            #expect(Set(stage.records.map(\.id)) == [a, noMail] && stage.filterApplied == .full)
            let both = try await spotio.read(ReadRequest(object: "Lead", limit: 100, filter: .and([
                .oneOf(field: "stageId", values: ["12", "15"]), .isNull(field: "Email", false),
                .compare(.eq, field: "Company", value: "Acme"),
            ])))
            #expect(Set(both.records.map(\.id)) == [a, b] && both.filterApplied == .partial)
            #expect(try await h.counters().keys.contains { $0.hasPrefix("GET /api/DataObjectsSearch") })
            await spotio.close()
        }
    }

    @Test("stages come from the workflow configuration, users page through the user list, activities through the feed")
    func otherObjects() async throws {
        try await SPOTIOHarness.with(seed: 40) { h in
            let spotio = try await h.connector()
            let stages = try await readAll(spotio, ReadRequest(object: "Stage"))
            #expect(stages.records.count == 10)
            #expect(stages.records.first { $0.id == "15" }?.fields["name"] == .string("Sold"))
            #expect(stages.records.first { $0.id == "15" }?.fields["group"] == .string("won"))
            let users = try await readAll(spotio, ReadRequest(object: "User"))
            #expect(users.records.contains { $0.fields["email"] == .string("admin@spotio-demo.example.com") })
            let activities = try await readAll(spotio, ReadRequest(object: "Activity", limit: 50))
            #expect(!activities.records.isEmpty)
            #expect(Set(activities.records.map(\.id)).count == activities.records.count)
            let one = try #require(activities.records.first)
            #expect(one.fields["dataObjectId"]?.stringValue != nil)
            let again = try await spotio.read(ReadRequest(object: "Activity", ids: [one.id, "999999"]))
            #expect(again.records.map(\.id) == [one.id] && again.missing == ["999999"])
            await spotio.close()
        }
    }
}
