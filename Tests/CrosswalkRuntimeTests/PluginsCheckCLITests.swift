import CrosswalkTestKit
import Foundation
import Testing

/// `crosswalk plugins check`, `plugins list`, `plugins inspect` and `config check` through the built binary.
@Suite(.serialized) struct PluginsCheckCLITests {
    func verdicts(_ stdout: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard parts.count >= 2, ["PASS", "FAIL", "SKIP"].contains(String(parts[0])) else { continue }
            out[String(parts[1].dropLast())] = String(parts[0])
        }
        return out
    }

    @Test func theCExamplePassesAgainstTheSandbox() async throws {
        let d = try await AuthorDeployment.start()
        defer { d.sandbox.terminate() }
        let run = try d.run(["plugins", "check", d.plugin.path, "--connection", "aritic", "--write-object", "Contact", "--limit", "2"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let v = verdicts(run.stdout)
        for rule in ["descriptor", "manifest", "manifest.objects", "manifest.capabilities", "manifest.read", "manifest.settings", "create", "check",
                     "discover", "discover.objects", "discover.types", "read.full", "read.limit", "read.next_cursor", "read.object", "read.ids",
                     "read.modified_at", "read.incremental", "read.start_now", "read.by_ids", "write.refs", "write.results", "write.readback"] {
            #expect(v[rule] == "PASS", "\(rule): \(v[rule] ?? "absent")\n\(run.stdout)")
        }
        #expect(run.stdout.contains("PASS  check: Connected to Aritic PinPoint"))
        #expect(run.stdout.contains(" PASS, 0 FAIL, 0 SKIP"))

        // By id, without a connection: the static rules only.
        let byID = try d.run(["plugins", "check", "dev.crosswalk.example.c"])
        #expect(byID.status == 0, "\(byID.stdout)")
        #expect(verdicts(byID.stdout)["operations"] == "SKIP")
    }

    @Test func aPluginThatBreaksTheRulesFailsThemOneByOne() async throws {
        let broken = """
              broken:
                connector: dev.crosswalk.test.broken
            """
        let d = try await AuthorDeployment.start(extraConnections: broken)
        defer { d.sandbox.terminate() }
        let so = try CCompiler.sharedObject(["Tests/CrosswalkRuntimeTests/Fixtures/broken_plugin.c"], to: d.dir.appendingPathComponent("libbroken.so"))
        let run = try d.run(["plugins", "check", so.path, "--connection", "broken", "--write-object", "Item"])
        #expect(run.status == 1)
        let v = verdicts(run.stdout)
        #expect(v["descriptor"] == "PASS")
        #expect(v["read.full"] == "PASS")
        #expect(v["read.object"] == "FAIL")
        #expect(v["read.modified_at"] == "FAIL")
        #expect(v["read.incremental"] == "FAIL")
        #expect(v["read.start_now"] == "FAIL")
        #expect(v["read.by_ids"] == "SKIP")
        #expect(v["write.refs"] == "FAIL")
        #expect(run.stdout.contains("FAIL  read.object: record 2 has object \"Other\", not Item"))
        #expect(run.stdout.contains("FAIL  read.modified_at: record 2: modified_at \"yesterday\" is not RFC 3339"))
        #expect(run.stdout.contains("FAIL  read.incremental: record 1 came again from the caught-up cursor of an exclusive boundary"))
        #expect(run.stdout.contains("FAIL  read.start_now: start:\"now\" answered 1 records (none expected)"))
        #expect(run.stdout.contains("FAIL  write.refs: internal: dev.crosswalk.test.broken: "))
        #expect(run.stdout.contains("answered a result for ref \"not-a-ref-of-the-batch\", which was not in the batch"))

        // The wrong connection for the plugin is a FAIL too, not a crash.
        let wrong = try d.run(["plugins", "check", so.path, "--connection", "aritic"])
        #expect(wrong.status == 1)
        #expect(wrong.stdout.contains("FAIL  connection: aritic uses dev.crosswalk.example.c, not dev.crosswalk.test.broken"))
    }

    @Test func listFailsForAnEnabledPluginThatIsMissingAndInspectSaysWhyAFileIsRefused() throws {
        let dir = try TestFiles.temporaryFolder("plugins-cli")
        let config = dir.appendingPathComponent("crosswalk.yaml")
        try Data("version: 1\nplugins:\n  enabled: [dev.crosswalk.memory, com.example.absent]\n".utf8).write(to: config)
        let list = try CrosswalkProcess.run(["plugins", "list", "--config", config.path, "--plugin-path", dir.appendingPathComponent("nowhere").path])
        #expect(list.status == 1)
        #expect(list.stdout.contains("dev.crosswalk.memory"))
        #expect(list.stderr.contains("error: enabled plugin com.example.absent was not found in any plugin folder"))
        #expect(list.stderr.contains("warning: --plugin-path \(dir.appendingPathComponent("nowhere").path): no such folder"))

        try Data("version: 1\nplugins:\n  enabled: [dev.crosswalk.memory]\n".utf8).write(to: config)
        #expect(try CrosswalkProcess.run(["plugins", "list", "--config", config.path]).status == 0)

        let junk = dir.appendingPathComponent("libjunk.so")
        try Data("not an ELF file".utf8).write(to: junk)
        let inspect = try CrosswalkProcess.run(["plugins", "inspect", junk.path])
        #expect(inspect.status == 1)
        #expect(inspect.stderr.contains("refused \(junk.path): not a loadable shared object"))
        #expect(!inspect.stderr.contains("USAGE"))
    }

    @Test func configCheckChecksSettingsAgainstTheConnectorsManifest() throws {
        let dir = try TestFiles.temporaryFolder("config-settings")
        let config = dir.appendingPathComponent("deploy.yaml")
        try Data("""
            version: 1
            plugins:
              enabled: [dev.crosswalk.example.c, dev.crosswalk.httpprobe]
            connections:
              aritic:
                connector: dev.crosswalk.example.c
                settings:
                  page_size: ten
                  pagesize: 5
              other:
                connector: dev.crosswalk.example.c
                settings: { base_url: "not a url" }
              probe:
                connector: dev.crosswalk.httpprobe
            """.utf8).write(to: config)
        let run = try CrosswalkProcess.run(["config", "check", config.path])
        #expect(run.status == 2)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(config.path):7: connections.aritic.settings.base_url: missing: dev.crosswalk.example.c requires this setting (url)"))
        #expect(lines.contains("\(config.path):8: connections.aritic.settings.page_size: expected an integer, found a string"))
        #expect(lines.contains("\(config.path):9: connections.aritic.settings.pagesize: unknown setting (did you mean 'page_size'?)"))
        #expect(lines.contains("\(config.path):12: connections.other.settings.base_url: expected an http(s) URL with a host, found \"not a url\""))
        #expect(lines.contains("\(config.path):13: connections.probe.settings.base_url: missing: dev.crosswalk.httpprobe requires this setting (string)"))
        #expect(lines.count == 5, "\(run.stderr)")

        try Data("""
            version: 1
            plugins:
              enabled: [dev.crosswalk.example.c]
            connections:
              aritic:
                connector: dev.crosswalk.example.c
                settings: { base_url: "https://acme.ariticapp.com/ma", page_size: 50, allowed_origins: ["https://cdn.example.com"] }
            """.utf8).write(to: config)
        let ok = try CrosswalkProcess.run(["config", "check", config.path])
        #expect(ok.status == 0, "\(ok.stderr)")
    }
}
