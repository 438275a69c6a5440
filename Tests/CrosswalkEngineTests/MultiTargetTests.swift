import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkStore
import CrosswalkStoreSQLite
import Testing

@Suite("Engine: one source record, several targets")
struct MultiTargetTests {
    /// A SPOTIO-like lead → Account, then a Contact linked to it, then an Opportunity linked to both.
    let flow = Flow(name: "leads", source: FlowSource(connection: "src", object: "Lead"), targets: [
        FlowTarget(name: "account", connection: "dst", object: "Account", mapping: "Name = Company"),
        FlowTarget(name: "contact", connection: "dst", object: "Contact", mapping: "LastName = LastName\nEmail = Email",
                   links: [StepLink(step: "account", field: "AccountId")]),
        FlowTarget(name: "opportunity", connection: "dst", object: "Opportunity", mapping: "Name = Company\nStageName = Stage",
                   criteria: #"Stage == "Won""#,
                   links: [StepLink(step: "account", field: "AccountId"), StepLink(step: "contact", type: "primary_contact")]),
    ])

    @Test("each lead becomes an Account, a Contact with its AccountId and (when won) an Opportunity; one twin per object")
    func leadToThree() async throws {
        let world = try await EngineWorld(sourceObjects: ["Lead"], targetObjects: ["Account", "Contact", "Opportunity"])
        world.source.put("Lead", id: "L1", fields: ["Company": "Acme", "LastName": "Lovelace", "Email": "ada@acme.test", "Stage": "Won"])
        world.source.put("Lead", id: "L2", fields: ["Company": "Initech", "LastName": "Lumbergh", "Email": "bill@initech.test", "Stage": "New"])
        let engine = world.engine()
        let report = try await engine.run(flow)
        #expect(report.counts == RunCounts(created: 5, skipped: 1))
        let account = try #require(try await world.twin(flow, "L1", in: "Account"))
        let contact = try #require(try await world.twin(flow, "L1", in: "Contact"))
        let opportunity = try #require(try await world.twin(flow, "L1", in: "Opportunity"))
        #expect(world.target.records("Contact")[contact]?.fields["AccountId"] == .string(account))
        let opp = try #require(world.target.records("Opportunity")[opportunity])
        #expect(opp.fields["AccountId"] == .string(account) && opp.fields["StageName"] == "Won")
        #expect(try await world.twin(flow, "L2", in: "Opportunity") == nil)
        let l2 = try await world.log(report).filter { $0.source.id == "L2" }
        #expect(l2.map(\.action) == [.create, .create, .skip])
        #expect(l2.last?.reason == #"not for opportunity: Stage is "New", not "Won""#)
        #expect(try await world.store.mappingCount(link: "dst~src") == 5)

        // Nothing changed: nothing written. L2 is won now: only its Opportunity is created.
        let writes = world.target.counters.writes
        world.source.put("Lead", id: "L2", fields: ["Stage": "Won"])
        let second = try await engine.run(flow)
        #expect(second.counts == RunCounts(created: 1, skipped: 2))
        #expect(world.target.counters.writes == writes + 1)
        let opp2 = try #require(try await world.twin(flow, "L2", in: "Opportunity"))
        #expect(world.target.records("Opportunity")[opp2]?.fields["AccountId"] == .string(try #require(try await world.twin(flow, "L2", in: "Account"))))
        await world.close()
    }

    @Test("when an earlier target fails, the later ones wait for it and the record is retried as a whole")
    func earlierFailure() async throws {
        let world = try await EngineWorld(sourceObjects: ["Lead"], targetObjects: ["Account", "Contact", "Opportunity"])
        world.source.put("Lead", id: "L1", fields: ["Company": "Acme", "LastName": "Lovelace", "Stage": "Won"])
        world.target.writeOverride.withLock { $0 = { object, _, item in
            object == "Account" ? .failure(item.ref, WriteError(code: "conflict", message: "DUPLICATE_VALUE: Account name in use")) : nil
        } }
        let engine = world.engine()
        let report = try await engine.run(flow)
        #expect(report.counts == RunCounts(failed: 1))
        let queued = try #require(try await world.store.failure(flow: "leads", source: RecordRef(connection: "src", object: "Lead", id: "L1")))
        #expect(queued.failure.message == "DUPLICATE_VALUE: Account name in use")
        #expect(world.target.records("Contact").isEmpty)
        world.target.writeOverride.withLock { $0 = nil }
        let retry = try await engine.retry(flow)
        #expect(retry.counts == RunCounts(created: 3))
        #expect(try await world.store.failureCount(flow: "leads") == 0)
        await world.close()
    }
}
