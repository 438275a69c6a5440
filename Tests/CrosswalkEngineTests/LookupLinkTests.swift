import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkStore
import Testing

@Suite("Engine: links to the twins of referenced records (seed 003's invoices)")
struct LookupLinkTests {
    /// Customers become contacts; invoices become invoices associated to their customer's contact.
    let customers = Flow(name: "customers", source: FlowSource(connection: "src", object: "customer"), targets: [
        FlowTarget(name: "contact", connection: "dst", object: "contacts", mapping: "email = email"),
    ])
    func invoices(dependencies: [DependencyRule] = []) -> Flow {
        Flow(name: "invoices", source: FlowSource(connection: "src", object: "invoice"), targets: [
            FlowTarget(name: "invoice", connection: "dst", object: "invoices", mapping: "number = tranId",
                       links: [StepLink(lookup: "entity", sourceObject: "customer", object: "contacts", type: "invoice_to_contact"),
                               StepLink(lookup: "entity", sourceObject: "customer", object: "contacts", field: "contact_id")]),
        ], dependencies: dependencies)
    }

    @Test("an invoice is written with a link to its customer's twin; without a twin it goes without one and gets it when it next changes")
    func linksFollowTheIDMap() async throws {
        let world = try await EngineWorld(sourceObjects: ["customer", "invoice"], targetObjects: ["contacts", "invoices"])
        let c1 = world.source.put("customer", fields: ["email": "ada@acme.test"])
        let c2 = world.source.put("customer", fields: ["email": "bob@initech.test"])
        let i1 = world.source.put("invoice", fields: ["tranId": "INV-1", "entity": .string(c1)])
        let i2 = world.source.put("invoice", fields: ["tranId": "INV-2", "entity": .string(c2)])
        let engine = world.engine()
        // Only c1 is synced before the invoices run.
        _ = try await engine.sync(customers, ids: [c1])
        let contact1 = try #require(try await world.twin(customers, c1, in: "contacts"))

        let report = try await engine.run(invoices())
        #expect(report.counts == RunCounts(created: 2))
        let inv1ID = try #require(try await world.twin(invoices(), i1, in: "invoices"))
        let inv1 = try #require(world.target.records("invoices")[inv1ID])
        #expect(inv1.links == [RecordLink(object: "contacts", id: contact1, type: "invoice_to_contact")])
        #expect(inv1.fields["contact_id"] == .string(contact1))
        let inv2ID = try #require(try await world.twin(invoices(), i2, in: "invoices"))
        #expect(world.target.records("invoices")[inv2ID]?.links == [], "no twin yet: written without the link")

        // c2 syncs; the next change of INV-2 brings the link.
        _ = try await engine.run(customers)
        let contact2 = try #require(try await world.twin(customers, c2, in: "contacts"))
        world.source.put("invoice", id: i2, fields: ["tranId": "INV-2b"])
        let second = try await engine.run(invoices())
        #expect(second.counts == RunCounts(updated: 1))
        #expect(world.target.records("invoices")[inv2ID]?.links == [RecordLink(object: "contacts", id: contact2, type: "invoice_to_contact")])
        #expect(world.target.records("invoices")[inv2ID]?.fields["contact_id"] == .string(contact2))
        // Nothing changed: nothing written.
        let quiet = try await engine.run(invoices()).counts
        #expect(quiet.created + quiet.updated + quiet.deleted == 0)
        await world.close()
    }

    @Test("with a dependency rule on the same field, an invoice waits for its customer and is retried once the customer syncs")
    func dependencyMakesItWait() async throws {
        let world = try await EngineWorld(sourceObjects: ["customer", "invoice"], targetObjects: ["contacts", "invoices"])
        let c1 = world.source.put("customer", fields: ["email": "ada@acme.test"])
        let i1 = world.source.put("invoice", fields: ["tranId": "INV-1", "entity": .string(c1)])
        let engine = world.engine()
        let flow = invoices(dependencies: [DependencyRule(field: "entity", object: "customer", targetObject: "contacts")])
        let first = try await engine.run(flow)
        #expect(first.counts == RunCounts(skipped: 1))
        #expect(try await world.reason(first, i1)?.contains("waits for its customer \(c1)") == true)
        _ = try await engine.run(customers)
        let contact = try #require(try await world.twin(customers, c1, in: "contacts"))
        let second = try await engine.run(flow)
        #expect(second.counts.created == 1)
        let invID = try #require(try await world.twin(flow, i1, in: "invoices"))
        let inv = try #require(world.target.records("invoices")[invID])
        #expect(inv.links == [RecordLink(object: "contacts", id: contact, type: "invoice_to_contact")])
        await world.close()
    }

    @Test("a link must name a step or a lookup, not both, not neither")
    func validation() {
        var flow = invoices()
        flow.targets[0].links = [StepLink(type: "x")]
        #expect(flow.problems.contains { $0.contains("names neither") })
        flow.targets[0].links = [StepLink(step: "a", lookup: "entity")]
        #expect(flow.problems.contains { $0.contains("names both") })
    }
}
