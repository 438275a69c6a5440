import CrosswalkConfig
import Foundation
import Testing

@Suite("Reading a valid config")
struct ValidConfigTests {
    @Test("a full file reads to the expected values")
    func fullFile() throws {
        let config = try parse("""
            version: 1
            plugins:
              paths: [./plugins, /opt/crosswalk/plugins]
              enabled: [com.salesforce, com.hubspot]
            store:
              sqlite: ./crosswalk.db
            vault:
              key_env: CROSSWALK_VAULT_KEY
            sandbox:
              port: 8400
            connections:
              sf-prod:
                connector: com.salesforce
                settings:
                  base_url: https://127.0.0.1:8401
                  api_version: "60.0"
                  page_size: 200
                  ratio: 0.5
                  bulk: true
                  proxy: ~
                  objects: [Contact, Account]
                  since: 2024-01-31
                credentials: sf-vault-entry
              hs_1:
                connector: com.hubspot
            flows:
              nightly-contacts: { from: sf-prod, to: ns, object: Contact }
            """)
        let expected = DeploymentConfig(
            plugins: PluginsConfig(paths: ["/srv/crosswalk/plugins", "/opt/crosswalk/plugins"],
                                   enabled: ["com.salesforce", "com.hubspot"]),
            store: .sqlite(path: "/srv/crosswalk/crosswalk.db"),
            vault: .keyEnvironment("CROSSWALK_VAULT_KEY"),
            sandbox: SandboxConfig(port: 8400),
            connections: [
                "sf-prod": ConnectionConfig(
                    name: "sf-prod", connector: "com.salesforce",
                    settings: ["base_url": "https://127.0.0.1:8401", "api_version": "60.0", "page_size": 200,
                               "ratio": 0.5, "bulk": true, "proxy": nil, "objects": ["Contact", "Account"],
                               "since": "2024-01-31"],
                    credentials: "sf-vault-entry"),
                "hs_1": ConnectionConfig(name: "hs_1", connector: "com.hubspot", settings: [:], credentials: "hs_1"),
            ],
            flows: ["nightly-contacts": FlowConfig(name: "nightly-contacts",
                                                   fields: ["from": "sf-prod", "to": "ns", "object": "Contact"])])
        #expect(config == expected)
        #expect(config.connections["sf-prod"]?.settings.jsonString
            == #"{"api_version":"60.0","base_url":"https://127.0.0.1:8401","bulk":true,"objects":["Contact","Account"],"page_size":200,"proxy":null,"ratio":0.5,"since":"2024-01-31"}"#)
    }

    @Test("a file with only the version gives the default config")
    func minimal() throws {
        #expect(try parse("version: 1\n") == DeploymentConfig.default(baseDirectory: testBase))
        #expect(try parse("version: 1\nplugins:\nstore:\nvault:\n") == DeploymentConfig.default(baseDirectory: testBase))
    }

    @Test("the default config keeps state next to the base folder and enables nothing")
    func defaults() {
        let config = DeploymentConfig.default(baseDirectory: "/etc/cw")
        #expect(config.version == 1)
        #expect(config.plugins == PluginsConfig(paths: ["/etc/cw/plugins"], enabled: []))
        #expect(config.store == .sqlite(path: "/etc/cw/crosswalk.db"))
        #expect(config.vault == .keyEnvironment("CROSSWALK_VAULT_KEY"))
        #expect(config.sandbox == nil && config.connections.isEmpty && config.flows.isEmpty)
    }

    @Test("relative paths resolve against the config folder")
    func relativePaths() throws {
        let config = try parse("""
            version: 1
            plugins: { paths: [plugins, ./a/../b, ../common/plugins, /opt/x] }
            store: { sqlite: data/cw.db }
            vault: { key_file: ../keys/vault.key }
            """)
        #expect(config.plugins.paths == ["/srv/crosswalk/plugins", "/srv/crosswalk/b", "/srv/common/plugins", "/opt/x"])
        #expect(config.store == .sqlite(path: "/srv/crosswalk/data/cw.db"))
        #expect(config.vault == .keyFile("/srv/keys/vault.key"))
    }

    @Test("a postgres store keeps its URL and where its password comes from")
    func postgres() throws {
        let short = try parse("version: 1\nstore:\n  postgres: postgres://cw@db.local:5432/crosswalk\n")
        #expect(short.store == .postgres(url: URL(string: "postgres://cw@db.local:5432/crosswalk")!, password: nil))
        let config = try parse("version: 1\nstore:\n  postgres: {url: 'postgres://cw@db.local:5432/crosswalk', password: {env: CW_PG_PASSWORD}}\n")
        #expect(config.store == .postgres(url: URL(string: "postgres://cw@db.local:5432/crosswalk")!, password: .environment("CW_PG_PASSWORD")))
        #expect(config.store.description == "postgres:postgres://cw@db.local:5432/crosswalk")
        #expect(config.service.leaseTTL == .seconds(15))
        #expect(try parse("version: 1\nservice:\n  lease_ttl: 4s\n").service.leaseTTL == .seconds(4))
    }

    @Test("a sandbox section without a port uses 8400")
    func sandboxDefaultPort() throws {
        #expect(try parse("version: 1\nsandbox: {}\n").sandbox == SandboxConfig(port: 8400))
    }
}
