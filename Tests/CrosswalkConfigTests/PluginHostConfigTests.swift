import CrosswalkConfig
import CrosswalkCore
import Testing

@Suite("plugins: isolation, deadlines, max_result_bytes")
struct PluginHostConfigTests {
    @Test("the keys are read with their units")
    func valid() throws {
        let config = try parse("""
            version: 1
            plugins:
              isolation: none
              deadlines: {check: 5s, read: 2m, write: 1500ms, parse_webhook: 0.5}
              max_result_bytes: 16MiB
            """)
        #expect(config.plugins.isolation == PluginIsolationSetting.none)
        #expect(config.plugins.deadlines == ["check": .seconds(5), "read": .seconds(120), "write": .milliseconds(1500), "parse_webhook": .milliseconds(500)])
        #expect(config.plugins.maxResultBytes == 16 << 20)
        let defaults = try parse("version: 1\nplugins: {}\n")
        #expect(defaults.plugins.isolation == nil)
        #expect(defaults.plugins.deadlines.isEmpty)
        #expect(defaults.plugins.maxResultBytes == nil)
    }

    @Test("bad values name the key")
    func invalid() {
        #expect(issues("""
            version: 1
            plugins:
              isolation: sandbox
              deadlines: {check: soon, reed: 5s, write: -1s}
              max_result_bytes: lots
            """) == [
                "crosswalk.yaml:3: plugins.isolation: expected one of: process, none",
                "crosswalk.yaml:4: plugins.deadlines.reed: unknown key (did you mean 'read'?)",
                "crosswalk.yaml:4: plugins.deadlines.check: expected a duration such as 30s, 500ms, 2m or 1h, more than zero; found 'soon'",
                "crosswalk.yaml:4: plugins.deadlines.write: expected a duration such as 30s, 500ms, 2m or 1h, more than zero; found '-1s'",
                "crosswalk.yaml:5: plugins.max_result_bytes: expected a number of bytes (e.g. 67108864 or 64MiB), more than zero; found 'lots'",
            ])
    }
}
