import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkStore
import CrosswalkStoreSQLite
import Testing

@Suite("Engine: the plan per record")
struct PlanTests {
    @Test("new records are created, an unchanged second run writes nothing, a change updates")
    func createSkipUpdate() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(120)
        let engine = world.engine()
        let flow = contactFlow()
        let first = try await engine.run(flow)
        #expect(first.counts == RunCounts(created: 120))
        #expect(world.target.records("Contact").count == 120)
        // 120 records in pages of 50 (3 reads), writes in the target's batches of 20.
        #expect(first.callCount(connection: "src", operation: "read") == 3)
        #expect(first.callCount(connection: "dst", operation: "create") == 6)
        let twin = try #require(try await world.twin(flow, "p7"))
        #expect(world.target.records("Contact")[twin]?.fields["Email"] == "p7@example.com")

        world.source.put("Contact", id: "p7", fields: ["FirstName": "Seven"])
        world.source.put("Contact", id: "p8", fields: ["Unmapped": "x"])
        let writesBefore = world.target.counters.writes
        let second = try await engine.run(flow)
        #expect(second.read == 2)
        #expect(second.counts == RunCounts(updated: 1, skipped: 1))
        #expect(try await world.reason(second, "p8") == "unchanged since the last sync")
        #expect(world.target.records("Contact")[twin]?.fields["FirstName"] == "Seven")
        #expect(world.target.counters.writes == writesBefore + 1)

        let third = try await engine.run(flow)
        #expect(third.read == 0 && third.counts == RunCounts())
        #expect(world.target.counters.writes == writesBefore + 1)
        await world.close()
    }

    @Test("create only never updates; update only never creates")
    func modes() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(3)
        let engine = world.engine()
        let createOnly = contactFlow(name: "create-only", mode: .createOnly)
        _ = try await engine.run(createOnly)
        world.source.put("Contact", id: "p1", fields: ["FirstName": "Changed"])
        let again = try await engine.run(createOnly)
        #expect(again.counts == RunCounts(skipped: 1))
        #expect(try await world.reason(again, "p1") == "already synced (create only)")
        #expect(world.target.records("Contact", where: "FirstName", is: "Changed").isEmpty)

        await world.close()

        let other = try await EngineWorld()
        other.target.put("Contact", id: "existing", fields: ["Email": "p2@example.com", "FirstName": "Old"])
        other.source.seedContacts(3)
        let update = try await other.engine().run(contactFlow(name: "update-only", mode: .updateOnly, matchKeys: [.field("Email")]))
        #expect(update.counts == RunCounts(updated: 1, skipped: 2))
        #expect(try await other.reason(update, "p0") == "no matching Contact (by Email), and the mode is update only")
        #expect(other.target.records("Contact").count == 1)
        #expect(other.target.records("Contact")["existing"]?.fields["FirstName"] == "First2")
        await other.close()
    }

    @Test("match keys fall back in order: ID map, then external id, then e-mail; a match is updated and paired")
    func matchChain() async throws {
        let world = try await EngineWorld()
        world.target.put("Contact", id: "t-ext", fields: ["SrcId": "p0", "Email": "other@example.com"])
        world.target.put("Contact", id: "t-mail", fields: ["Email": "p1@example.com"])
        world.source.seedContacts(3)
        let flow = contactFlow(matchKeys: [.externalID("SrcId"), .field("Email")], mapping: "Email = Email\nLastName = LastName\nSrcId = _id")
        let report = try await world.engine().run(flow)
        #expect(report.counts == RunCounts(created: 1, updated: 2))
        #expect(try await world.twin(flow, "p0") == "t-ext")
        #expect(try await world.twin(flow, "p1") == "t-mail")
        #expect(try await world.reason(report, "p0") == "matched by SrcId")
        #expect(try await world.reason(report, "p1") == "matched by Email")
        #expect(world.target.records("Contact").count == 3)
        #expect(world.target.records("Contact")["t-mail"]?.fields["SrcId"] == "p1")
        await world.close()
    }

    @Test("criteria: pushed down to the app, and the reason of each record that does not qualify is logged")
    func criteriaReasons() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(2)
        world.source.put("Contact", id: "nolast", fields: ["Email": "n@example.com", "LastName": ""])
        let flow = contactFlow(criteria: #"LastName != """#)
        let pushed = try await world.engine().run(flow)
        // The in-memory app applies the filter in full: the record never arrives.
        #expect(pushed.read == 2 && pushed.counts == RunCounts(created: 2))

        // Criteria the app cannot apply are evaluated by the engine, with the reason in the sync log.
        let criteria = ClosureCriteria(evaluate: { record, _ in
            record.fields["LastName"] == "" ? CriteriaVerdict(matched: false, reason: "LastName is empty") : .match
        })
        let compiler = RegisteredLogicCompiler(criteria: ["no pushdown": criteria])
        let other = contactFlow(name: "evaluated", criteria: "no pushdown")
        let evaluated = try await world.engine(compiler: compiler).run(other)
        // The other flow shares the link: the two records it synced are unchanged.
        #expect(evaluated.counts == RunCounts(skipped: 3))
        #expect(try await world.reason(evaluated, "nolast") == "does not qualify: LastName is empty")
        #expect(evaluated.reasons["LastName is empty"] == 1)
        await world.close()
    }
}
