import CrosswalkConfig
import CrosswalkCore
import Testing

@Suite("Config errors name the file, line and key path")
struct ConfigErrorTests {
    @Test("an unknown key suggests the nearest known key")
    func unknownKeyWithSuggestion() {
        #expect(issues("""
            version: 1
            plugins:
              enable: [com.salesforce]
            """) == ["crosswalk.yaml:3: plugins.enable: unknown key (did you mean 'enabled'?)"])
    }

    @Test("an unknown key far from any known key lists the known keys")
    func unknownKeyWithoutSuggestion() {
        #expect(issues("version: 1\nschedules: {}\n") == [
            "crosswalk.yaml:2: schedules: unknown key (expected one of: version, plugins, store, vault, sandbox, connections, flows, service)",
        ])
    }

    @Test("a wrong type names what was expected and what was found, on the key's line")
    func wrongType() {
        #expect(issues("""
            version: 1
            plugins:
              paths: ./plugins
              enabled: [com.salesforce, 42]
            connections:
              sf-prod:
                connector:
                  id: com.salesforce
            sandbox: { port: "8400" }
            """) == [
                "crosswalk.yaml:3: plugins.paths: expected a list of strings, found a string",
                "crosswalk.yaml:4: plugins.enabled[1]: expected a string, found an integer",
                "crosswalk.yaml:7: connections.sf-prod.connector: expected a string, found a mapping",
                "crosswalk.yaml:9: sandbox.port: expected an integer, found a string",
            ])
    }

    @Test("a missing required key is reported on its parent mapping's line")
    func missingRequiredKey() {
        #expect(issues("plugins:\n  enabled: []\n") == ["crosswalk.yaml:1: version: missing required key"])
        #expect(issues("version: 1\nconnections:\n  sf-prod:\n    settings: {}\n")
            == ["crosswalk.yaml:3: connections.sf-prod.connector: missing required key"])
        #expect(issues("") == ["crosswalk.yaml:1: version: missing required key"])
    }

    @Test("only version 1 is accepted")
    func wrongVersion() {
        #expect(issues("# deployment\nversion: 2\n")
            == ["crosswalk.yaml:2: version: unsupported version 2 (this Crosswalk reads version 1)"])
        #expect(issues("version: \"1\"\n") == ["crosswalk.yaml:1: version: expected an integer, found a string"])
    }

    @Test("a duplicate key points at its first definition")
    func duplicateKey() {
        #expect(issues("""
            version: 1
            store: { sqlite: a.db }
            connections:
              sf: { connector: com.salesforce }
              sf: { connector: com.hubspot }
            store: { sqlite: b.db }
            """) == [
                "crosswalk.yaml:5: connections.sf: duplicate key (first set on line 4)",
                "crosswalk.yaml:6: store: duplicate key (first set on line 2)",
            ])
    }

    @Test("connection and flow names must be lowercase identifiers")
    func badNames() {
        let rule = "(use lowercase letters, digits, '-' and '_', starting with a letter or digit)"
        #expect(issues("""
            version: 1
            connections:
              SF_Prod: { connector: com.salesforce }
              -sf: { connector: com.salesforce }
            flows:
              nightly contacts: { from: a, to: b }
            """) == [
                "crosswalk.yaml:3: connections.SF_Prod: invalid connection name \(rule)",
                "crosswalk.yaml:4: connections.-sf: invalid connection name \(rule)",
                "crosswalk.yaml:6: flows.nightly contacts: invalid flow name \(rule)",
            ])
    }

    @Test("a store sets exactly one of sqlite or postgres, a vault one of key_env or key_file")
    func exclusiveChoices() {
        #expect(issues("""
            version: 1
            store:
              sqlite: ./crosswalk.db
              postgres: postgres://cw@db/crosswalk
            vault: {}
            """) == [
                "crosswalk.yaml:2: store: set exactly one of 'sqlite' or 'postgres', not both",
                "crosswalk.yaml:5: vault: set one of 'key_env' (an environment variable) or 'key_file' (a path)",
            ])
    }

    @Test("a postgres URL never carries a password, and the store's password never comes from the vault")
    func postgresPassword() {
        #expect(issues("""
            version: 1
            store:
              postgres: postgres://cw:s3cret@db.local:5432/crosswalk
            """) == [
                "crosswalk.yaml:3: store.postgres: the URL holds a password, which never goes in the file: remove it and set password: {env: VARIABLE}",
            ])
        #expect(issues("""
            version: 1
            store:
              postgres:
                url: postgres://cw:s3cret@db.local/crosswalk
                password: {vault: pg}
            """) == [
                "crosswalk.yaml:4: store.postgres.url: the URL holds a password, which never goes in the file: remove it and set password: {env: VARIABLE}",
                "crosswalk.yaml:5: store.postgres.password: the store's password cannot come from the vault, which is kept in the store: use {env: VARIABLE}",
            ])
        #expect(issues("version: 1\nstore:\n  postgres: {url: 'postgres://cw@db/x', password: hunter2}\n") == [
            "crosswalk.yaml:3: store.postgres.password: the password never goes in the file: use {env: VARIABLE} or {vault: ENTRY}",
        ])
    }

    @Test("bad YAML syntax is reported with its line")
    func badSyntax() {
        #expect(issues("version: 1\nplugins:\n  paths: [a, b\nstore: {}\n")
            == ["crosswalk.yaml:4: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence on line 3)"])
        #expect(issues("version: 1\n  plugins: x\n")
            == ["crosswalk.yaml:2: invalid YAML: mapping values are not allowed in this context"])
    }

    @Test("values JSON cannot carry, bad URLs and ports are rejected")
    func badValues() {
        #expect(issues("""
            version: 1
            store: { postgres: "mysql://db/x" }
            sandbox: { port: 70000 }
            connections:
              a: { connector: x, settings: { limit: .inf } }
            """) == [
                "crosswalk.yaml:2: store.postgres: expected a URL like postgres://user@host:5432/crosswalk",
                "crosswalk.yaml:3: sandbox.port: port must be between 1 and 65535",
                "crosswalk.yaml:5: connections.a.settings.limit: expected a finite number (JSON has no infinity or NaN)",
            ])
    }

    @Test("every problem is collected into one CrosswalkError, one per line")
    func collectsAll() throws {
        let error = #expect(throws: CrosswalkError.self) {
            try parse("""
                version: 3
                plugins: { pathz: [] }
                connections:
                  Bad: { connector: com.x, extra: 1 }
                """)
        }
        #expect(error?.code == .config)
        #expect(error?.context == ["file": "crosswalk.yaml", "errors": "4"])
        #expect(error?.message == """
            crosswalk.yaml:1: version: unsupported version 3 (this Crosswalk reads version 1)
            crosswalk.yaml:2: plugins.pathz: unknown key (did you mean 'paths'?)
            crosswalk.yaml:4: connections.Bad: invalid connection name (use lowercase letters, digits, '-' and '_', starting with a letter or digit)
            crosswalk.yaml:4: connections.Bad.extra: unknown key (expected one of: connector, settings, credentials)
            """)
    }
}
