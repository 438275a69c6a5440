import CrosswalkConfig
import CrosswalkFlows
import CrosswalkRuntime
import Foundation
import Testing

/// `flows:` read from YAML into flows, each problem at its line (and column inside a mapping).
@Suite struct FlowDefinitionsTests {
    static let yaml = """
        version: 1
        store:
          sqlite: ./x.db
        connections:
          a: {connector: dev.crosswalk.memory}
          b: {connector: dev.crosswalk.memory}
        flows:
          good:
            source: {connection: a, object: Contact}
            criteria: 'LastName != ""'
            targets:
              - {connection: b, object: Contact, match_keys: [Email], mapping: "Email = Email"}
          bad-mode:
            source: {connection: a, object: Contact}
            targets:
              - connection: b
                object: Contact
                mode: sometimes
                mapping: "Email = Email"
          bad-connection:
            source: {connection: nowhere, object: Contact}
            targets:
              - connection: b
                object: Contact
                mapping: "Email = Email"
          bad-criteria:
            source: {connection: a, object: Contact}
            criteria: 'LastName ==== "x"'
            targets:
              - connection: b
                object: Contact
                mapping: "Email = Email"

        """

    @Test func readsGoodFlowsAndLocatesEveryProblem() throws {
        let config = try DeploymentConfig.parse(yaml: Self.yaml, file: "f.yaml", baseDirectory: "/tmp")
        let d = FlowDefinitions.read(config, file: "f.yaml", text: Self.yaml)
        #expect(d.flows.keys.sorted() == ["good"])
        let good = try #require(d.flows["good"])
        #expect(good.source == FlowSource(connection: "a", object: "Contact"))
        #expect(good.targets.first?.matchKeys == [.field("Email")])
        #expect(good.criteria == #"LastName != """#)
        #expect(d.problems.count == 3, "\(d.problems)")
        #expect(d.problems.contains { $0.hasPrefix("f.yaml:18: flows.bad-mode.targets[0].mode:") }, "\(d.problems)")
        #expect(d.problems.contains { $0.hasPrefix("f.yaml:21: flows.bad-connection.source.connection: no connection \"nowhere\"") }, "\(d.problems)")
        // Inside the quoted criteria on line 28: the second `==` of `====` is column 27 of the file.
        #expect(d.problems.contains { $0.hasPrefix("f.yaml:28:27: flows.bad-criteria.criteria:") }, "\(d.problems)")
        #expect(throws: (any Error).self) { try d.flow("bad-mode", file: "f.yaml") }
        #expect(throws: (any Error).self) { try d.flow("missing", file: "f.yaml") }
    }

    @Test func linksAreReadAndTheirKeysChecked() throws {
        let yaml = """
            version: 1
            store:
              sqlite: ./x.db
            connections:
              a: {connector: dev.crosswalk.memory}
              b: {connector: dev.crosswalk.memory}
            flows:
              invoices:
                source: {connection: a, object: invoice}
                targets:
                  - connection: b
                    object: invoices
                    mapping: "number = tranId"
                    links:
                      - {lookup: entity, source_object: customer, object: contacts, type: invoice_to_contact}
              typo:
                source: {connection: a, object: invoice}
                targets:
                  - connection: b
                    object: invoices
                    mapping: "number = tranId"
                    links:
                      - {lookupp: entity, object: contacts}

            """
        let config = try DeploymentConfig.parse(yaml: yaml, file: "f.yaml", baseDirectory: "/tmp")
        let d = FlowDefinitions.read(config, file: "f.yaml", text: yaml)
        let link = try #require(d.flows["invoices"]?.targets.first?.links.first)
        #expect(link == StepLink(lookup: "entity", sourceObject: "customer", object: "contacts", type: "invoice_to_contact"))
        #expect(d.problems.contains { $0.contains("flows.typo.targets[0].links[0].lookupp: unknown key (did you mean \"lookup\"?)") }, "\(d.problems)")
    }
}
