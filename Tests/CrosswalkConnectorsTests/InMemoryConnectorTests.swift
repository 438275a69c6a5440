import CrosswalkConnectors
import CrosswalkCore
import Testing

@Suite("In-memory connector: the ABI's read and write semantics")
struct InMemoryConnectorTests {
    @Test("pages in change order, resumes from a caught-up cursor, shows deletes, head cursor")
    func readSemantics() async throws {
        let app = InMemoryConnector(connection: "mem", objects: ["Contact"])
        for i in 0..<5 { app.put("Contact", id: "c\(i)", fields: ["n": .number(JSONNumber(i))]) }
        var page = try await app.read(ReadRequest(object: "Contact", limit: 2))
        #expect(page.records.map(\.id) == ["c0", "c1"] && page.hasMore)
        page = try await app.read(ReadRequest(object: "Contact", cursor: page.nextCursor, limit: 10))
        #expect(page.records.map(\.id) == ["c2", "c3", "c4"] && !page.hasMore)
        let head = try await app.read(ReadRequest(object: "Contact", start: "now"))
        app.remove("Contact", id: "c1")
        app.put("Contact", id: "c9", fields: ["n": 9])
        let changes = try await app.read(ReadRequest(object: "Contact", cursor: page.nextCursor))
        #expect(changes.records.map(\.id) == ["c1", "c9"])
        #expect(changes.records[0].deleted)
        let forward = try await app.read(ReadRequest(object: "Contact", cursor: head.nextCursor))
        #expect(forward.records.map(\.id) == ["c1", "c9"])
        let byIDs = try await app.read(ReadRequest(object: "Contact", ids: ["c2", "nope"]))
        #expect(byIDs.records.map(\.id) == ["c2"] && byIDs.missing == ["nope"])
    }

    @Test("filters apply as the ABI defines them")
    func filters() async throws {
        let app = InMemoryConnector(connection: "mem", objects: ["Contact"])
        app.put("Contact", id: "a", fields: ["LastName": "Lovelace", "Amount": 10])
        app.put("Contact", id: "b", fields: ["LastName": "", "Amount": 20])
        app.put("Contact", id: "c", fields: ["Amount": 30])
        let notEmpty = Filter.and([.isNull(field: "LastName", false), .not(.compare(.eq, field: "LastName", value: ""))])
        let page = try await app.read(ReadRequest(object: "Contact", filter: notEmpty))
        #expect(page.records.map(\.id) == ["a"] && page.filterApplied == .full)
        #expect(Filter.compare(.gt, field: "Amount", value: 15).matches(["Amount": 20]))
        #expect(!Filter.compare(.gt, field: "Amount", value: 15).matches(["Amount": "20"]))
        #expect(Filter.oneOf(field: "s", values: ["x", "y"]).matches(["s": "y"]))
    }

    @Test("writes: create, upsert by match key, update, delete, per-record failures")
    func writes() async throws {
        let app = InMemoryConnector(connection: "mem", objects: ["Contact"])
        let created = try await app.write(WriteRequest(object: "Contact", operation: .create,
                                                       records: [WriteItem(ref: "r1", fields: ["Email": "a@x"])]))
        let id = try #require(created.results.first?.id)
        let upserted = try await app.write(WriteRequest(object: "Contact", operation: .upsert, matchKey: "Email", records: [
            WriteItem(ref: "r2", fields: ["Email": "a@x", "FirstName": "Ada"]), WriteItem(ref: "r3", fields: ["Email": "b@x"]),
        ]))
        #expect(upserted.results.map(\.effectiveOutcome) == [.updated, .created])
        #expect(upserted.results[0].id == id)
        let bad = try await app.write(WriteRequest(object: "Contact", operation: .update, records: [WriteItem(ref: "r4", id: "zzz")]))
        #expect(bad.results[0].error?.code == "not_found")
        _ = try await app.write(WriteRequest(object: "Contact", operation: .delete, records: [WriteItem(ref: "r5", id: id)]))
        #expect(app.records("Contact").count == 1)
        #expect(app.counters.writes == 4)
    }
}
