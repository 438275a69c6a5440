import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkStore
import CrosswalkStoreSQLite
import Testing

@Suite("Engine: a child brings its parent along (when_missing: sync, seed 002)")
struct DependencySyncTests {
    /// Companies become accounts only when a contact that syncs as a contact needs one.
    let companies = Flow(name: "companies", source: FlowSource(connection: "src", object: "Company"), targets: [
        FlowTarget(name: "account", connection: "dst", object: "Account", mapping: "Name = name"),
    ], triggers: [.manual])
    var contacts: Flow {
        Flow(name: "contacts", source: FlowSource(connection: "src", object: "Contact"), targets: [
            FlowTarget(name: "contact", connection: "dst", object: "Contact",
                       mapping: "LastName = lastname\nAccountId = lookup(company_id, \"Account\", \"Company\")"),
        ], criteria: #"segment == "salesforce""#, dependencies: [DependencyRule(field: "company_id", object: "Company", targetObject: "Account", whenMissing: .sync, flow: "companies")])
    }

    @Test("a qualifying contact's company is synced first, in a run of the company flow; companies without such contacts are not")
    func pullsTheParent() async throws {
        let world = try await EngineWorld(sourceObjects: ["Company", "Contact"], targetObjects: ["Account", "Contact"])
        let c1 = world.source.put("Company", fields: ["name": "Acme"])
        let c2 = world.source.put("Company", fields: ["name": "Initech"])
        _ = world.source.put("Company", fields: ["name": "Hooli"])  // no contacts at all
        let ada = world.source.put("Contact", fields: ["lastname": "Lovelace", "segment": "salesforce", "company_id": .string(c1)])
        let bob = world.source.put("Contact", fields: ["lastname": "Bobbins", "segment": "salesforce", "company_id": .string(c1)])
        _ = world.source.put("Contact", fields: ["lastname": "Lumbergh", "segment": "newsletter", "company_id": .string(c2)])
        let engine = world.engine(flows: ["companies": companies])

        let report = try await engine.run(contacts)
        #expect(report.counts == RunCounts(created: 2), "the newsletter contact is filtered out by the app (criteria pushed down)")
        let accounts = world.target.records("Account")
        #expect(accounts.count == 1, "only Acme: \(accounts.values.map { $0.fields["Name"] ?? .null })")
        let account = try #require(try await world.twin(companies, c1, in: "Account"))
        #expect(accounts[account]?.fields["Name"] == "Acme")
        for id in [ada, bob] {
            let contact = try #require(try await world.twin(contacts, id, in: "Contact"))
            #expect(world.target.records("Contact")[contact]?.fields["AccountId"] == .string(account))
        }
        // The account was made by a run of the company flow (a "sync now" of that company); once.
        let runs = try await world.store.runs(flow: "companies", limit: 10)
        #expect(runs.map(\.trigger) == [.manual])
        #expect(runs.first?.counts == RunCounts(created: 1))
        // A second run writes nothing and pulls nothing.
        let quiet = try await engine.run(contacts)
        #expect(quiet.counts.created + quiet.counts.updated == 0)
        #expect(try await world.store.runs(flow: "companies", limit: 10).count == 1)
        await world.close()
    }

    @Test("a parent that cannot be synced: the child waits with the app's reason and goes once the parent syncs")
    func parentFails() async throws {
        let world = try await EngineWorld(sourceObjects: ["Company", "Contact"], targetObjects: ["Account", "Contact"])
        let c1 = world.source.put("Company", fields: ["name": "Acme"])
        let ada = world.source.put("Contact", fields: ["lastname": "Lovelace", "segment": "salesforce", "company_id": .string(c1)])
        world.target.writeOverride.withLock { $0 = { object, _, item in
            object == "Account" ? .failure(item.ref, WriteError(code: "invalid", message: "REQUIRED_FIELD_MISSING: Industry")) : nil
        } }
        let engine = world.engine(flows: ["companies": companies])
        let first = try await engine.run(contacts)
        #expect(first.counts == RunCounts(skipped: 1))
        let reason = try #require(try await world.reason(first, ada))
        #expect(reason.contains("which flow companies did not sync") && reason.contains("REQUIRED_FIELD_MISSING: Industry"), "\(reason)")
        #expect(world.target.records("Contact").isEmpty)

        // The app accepts accounts again: the next run pulls the company and syncs the waiting contact.
        world.target.writeOverride.withLock { $0 = nil }
        let second = try await engine.run(contacts)
        #expect(second.counts.created == 1, "\(second.counts)")
        let account = try #require(try await world.twin(companies, c1, in: "Account"))
        let contact = try #require(try await world.twin(contacts, ada, in: "Contact"))
        #expect(world.target.records("Contact")[contact]?.fields["AccountId"] == .string(account))
        await world.close()
    }

    @Test("a dry run pulls nothing and says the record waits; an unknown parent flow is a config error")
    func dryRunAndUnknownFlow() async throws {
        let world = try await EngineWorld(sourceObjects: ["Company", "Contact"], targetObjects: ["Account", "Contact"])
        let c1 = world.source.put("Company", fields: ["name": "Acme"])
        _ = world.source.put("Contact", fields: ["lastname": "Lovelace", "segment": "salesforce", "company_id": .string(c1)])
        let plan = try await world.engine(flows: ["companies": companies]).run(contacts, options: RunOptions(dryRun: true))
        #expect(plan.counts == RunCounts(skipped: 1))
        #expect(world.target.records("Account").isEmpty)
        await #expect(throws: CrosswalkError.self) { try await world.engine().run(contacts) }
        var bad = contacts
        bad.dependencies[0].flow = nil
        #expect(bad.problems.contains { $0.contains("names no flow") })
        await world.close()
    }
}
