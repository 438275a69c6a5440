import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkStore
import CrosswalkStoreSQLite
import Foundation
import Testing

@Suite("Flow model")
struct FlowModelTests {
    /// Seed 004's shape: a SPOTIO lead → Account, Contact and Opportunity, selective, going forward.
    let spotio = Flow(
        name: "spotio-leads", description: "SPOTIO leads to Salesforce", source: FlowSource(connection: "spotio", object: "lead"),
        targets: [
            FlowTarget(name: "account", connection: "salesforce", object: "Account", mode: .upsert, matchKeys: [.externalID("Spotio_Id__c")],
                       mapping: "Name = company"),
            FlowTarget(name: "contact", connection: "salesforce", object: "Contact", mode: .mirror, deletePolicy: .archive(["Status__c": "Archived"]),
                       matchKeys: [.field("Email")], mapping: "Email = email", links: [StepLink(step: "account", field: "AccountId")],
                       writeBack: "sf_contact_id"),
        ],
        triggers: [.webhook, .every(seconds: 300), .cron("0 * * * *"), .initialImport, .manual],
        direction: .oneWay, criteria: #"stage == "Qualified""#, start: .now,
        dependencies: [DependencyRule(field: "owner_id", object: "user", targetObject: "User", required: true, whenMissing: .fail)])

    @Test("flows round-trip through JSON with the deployment file's names")
    func roundTrip() throws {
        let json = try spotio.json()
        #expect(try Flow.decode(json: json) == spotio)
        #expect(json.contains(#""match_keys":[{"external_id":"Spotio_Id__c"}]"#))
        #expect(json.contains(#""delete_policy":{"archive":{"Status__c":"Archived"}}"#))
        #expect(json.contains(#""triggers":["webhook",{"every_s":300},{"cron":"0 * * * *"},"initial_import","manual"]"#))
        let twoWay = Flow(name: "tw", source: spotio.source, targets: [spotio.targets[0]],
                          direction: .twoWay(TwoWaySync(reverseMapping: "company = Name", conflict: .targetWins,
                                                        owners: [FieldOwner(side: .target, field: "Phone")], reverseMatchKeys: [.field("company")])))
        #expect(try Flow.decode(json: try twoWay.json()) == twoWay)
    }

    @Test("what a deployment file may leave out gets its default")
    func defaults() throws {
        let flow = try Flow.decode(json: #"""
            {"name":"f","source":{"connection":"a","object":"Contact"},
             "targets":[{"connection":"b","object":"Contact","mapping":"Email = Email","match_keys":["Email"]}]}
            """#)
        #expect(flow.enabled && flow.triggers == [.manual] && flow.direction == .oneWay && flow.start == .beginning)
        #expect(flow.targets[0].name == "Contact" && flow.targets[0].mode == .upsert && flow.targets[0].deletePolicy == .nothing)
        #expect(flow.targets[0].matchKeys == [.field("Email")])
    }

    @Test("a definition with a mistake is refused with a message naming it")
    func errors() throws {
        let unknown = #expect(throws: CrosswalkError.self) {
            try Flow.decode(json: #"{"name":"f","source":{"connection":"a","object":"C"},"targets":[{"connection":"b","object":"C","mapping":"x = y","delete_policy":"shred"}]}"#)
        }
        #expect(unknown?.code == .invalidFlow)
        #expect(unknown?.message.contains(#"unknown delete policy "shred" (known: nothing, archive, delete)"#) == true)
        var bad = spotio
        bad.targets[1].links = [StepLink(step: "opportunity", field: "OppId")]
        bad.direction = .twoWay(TwoWaySync(reverseMapping: ""))
        let problems = bad.problems
        #expect(problems.contains("target contact links to opportunity, which is not an earlier target of the flow"))
        #expect(problems.contains("a two-way flow has exactly one target (it has 2)"))
        #expect(problems.contains("a two-way flow needs a reverse mapping"))
        #expect(throws: CrosswalkError.self) { try bad.validate() }
    }

    @Test("flows are kept in the store as JSON and read back")
    func stored() async throws {
        let world = try await EngineWorld()
        try await world.store.putFlow(name: spotio.name, json: try spotio.json())
        let back = try #require(try await world.store.flow(name: spotio.name))
        #expect(try Flow.decode(json: back.json) == spotio)
        #expect(try await world.store.flows().map(\.name) == ["spotio-leads"])
        await #expect(throws: CrosswalkError.self) { try await world.store.putFlow(name: "x", json: "{not json") }
        #expect(try await world.store.deleteFlow(name: spotio.name))
        #expect(try await world.store.flow(name: spotio.name) == nil)
        await world.close()
    }
}
