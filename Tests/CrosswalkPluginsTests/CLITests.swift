import CrosswalkCore
import CrosswalkTestKit
import Foundation
import Testing

/// The built `crosswalk` executable, run as a user runs it.
@Suite struct CLITests {
    func crosswalk(_ arguments: [String], stdin: String? = nil) throws -> CrosswalkProcess.Run {
        try CrosswalkProcess.run(arguments, stdin: stdin)
    }

    @Test func pluginsListShowsBuiltPluginsAndRefusals() throws {
        let dir = try PluginTestKit.temporaryFolder("cli")
        try PluginTestKit.compileC(PluginTestKit.badSource, to: dir.appendingPathComponent("libold.so"), defines: ["ABI_MAJOR=0"])
        let run = try crosswalk(["plugins", "list", "--json", "--plugin-path", dir.path])
        #expect(run.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: String]])
        let ids = Set(rows.map { $0["id"] ?? "" })
        #expect(ids.isSuperset(of: ["dev.crosswalk.memory", "dev.crosswalk.httpprobe", "dev.crosswalk.example.c"]))
        let refused = try #require(rows.first { $0["path"] == dir.appendingPathComponent("libold.so").path })
        #expect(refused["status"] == "refused: built for Crosswalk ABI 0.0, this host speaks ABI 1.1; rebuild it against this host's sdk/include/crosswalk.h")
        #expect(run.stderr.contains("refused \(dir.path)/libold.so: built for Crosswalk ABI 0.0"))
    }

    @Test func pluginsListRefusesAPluginThatCrashesInItsEntryAndExitsNormally() throws {
        let dir = try PluginTestKit.temporaryFolder("cli-crash")
        let crash = try PluginTestKit.compileC(PluginTestKit.misbehavingSource, to: dir.appendingPathComponent("libcrash.so"), defines: ["CRASH_IN_ENTRY"])
        let run = try crosswalk(["plugins", "list", "--json", "--plugin-path", dir.path])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: String]])
        let refused = try #require(rows.first { $0["path"] == crash.path })
        #expect(refused["status"] == "refused: crashed in crosswalk_plugin_entry (SIGSEGV)")
        #expect(Set(rows.map { $0["id"] ?? "" }).isSuperset(of: ["dev.crosswalk.memory", "dev.crosswalk.httpprobe", "dev.crosswalk.example.c"]))
        #expect(run.stderr.contains("refused \(crash.path): crashed in crosswalk_plugin_entry (SIGSEGV)"))

        // config check carries on too.
        let config = dir.appendingPathComponent("crosswalk.yaml")
        try Data("version: 1\nplugins:\n  paths: [.]\n  enabled: [dev.crosswalk.memory]\n  deadlines: {check: 5s}\n".utf8).write(to: config)
        let check = try crosswalk(["config", "check", config.path])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("OK (0 connections, 1 enabled plugins, 0 flows)"))
    }

    @Test func aOneShotCommandStoppedBySIGTERMSaysSoAndExits143() async throws {
        let dir = try PluginTestKit.temporaryFolder("cli-sigterm")
        try PluginTestKit.compileC(PluginTestKit.misbehavingSource, to: dir.appendingPathComponent("libhang.so"))
        let config = dir.appendingPathComponent("crosswalk.yaml")
        try Data("""
            version: 1
            plugins: {paths: [.], enabled: [com.example.bad], deadlines: {check: 10m}}
            connections:
              stuck: {connector: com.example.bad, settings: {check: hang}}

            """.utf8).write(to: config)
        let ready = dir.appendingPathComponent("in-check")
        let process = Process()
        process.executableURL = TestFiles.binFolder.appendingPathComponent("crosswalk")
        process.arguments = ["connections", "test", "stuck", "--config", config.path]
        process.environment = ProcessInfo.processInfo.environment.merging([
            "MISBEHAVING_READY_FILE": ready.path,
            "CROSSWALK_VAULT_KEY": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
        ]) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        try await eventually("the plugin's check to start", within: 60) { FileManager.default.fileExists(atPath: ready.path) }
        process.terminate()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 128 + SIGTERM, "\(process.terminationStatus) \(stderr)")
        #expect(stderr.contains("crosswalk connections test: stopped by SIGTERM"), "\(stderr)")
    }

    @Test func isolationNoneFlagLoadsInProcess() throws {
        let run = try crosswalk(["plugins", "list", "--json", "--isolation", "none"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: String]])
        #expect(rows.contains { $0["id"] == "dev.crosswalk.memory" && $0["status"] == "loaded" })
        let bad = try crosswalk(["plugins", "list", "--isolation", "sandboxed"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("'sandboxed' is invalid for '--isolation"))
    }

    @Test func pluginsListMarksEnabledFromConfig() throws {
        let dir = try PluginTestKit.temporaryFolder("cli-config")
        let config = dir.appendingPathComponent("crosswalk.yaml")
        try Data("version: 1\nplugins:\n  enabled: [dev.crosswalk.memory]\n".utf8).write(to: config)
        let run = try crosswalk(["plugins", "list", "--config", config.path])
        #expect(run.status == 0)
        let memoryLine = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("dev.crosswalk.memory") })
        #expect(memoryLine.split(separator: " ", omittingEmptySubsequences: true)[5] == "yes")
        let probeLine = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("dev.crosswalk.httpprobe") })
        #expect(probeLine.split(separator: " ", omittingEmptySubsequences: true)[5] == "no")
    }

    @Test func inspectPrintsDescriptorWithoutEnabling() throws {
        let run = try crosswalk(["plugins", "inspect", PluginTestKit.builtPlugin("CrosswalkMemory")])
        #expect(run.status == 0)
        #expect(run.stdout.contains("id:        dev.crosswalk.memory"))
        #expect(run.stdout.contains("language:  Swift "))
        #expect(run.stdout.contains("\"batch_limits\""))
        let bad = try crosswalk(["plugins", "inspect", "/nonexistent/libx.so"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("refused /nonexistent/libx.so: no such file"))
    }

    @Test func configCheckReportsFileLineAndKey() throws {
        let dir = try PluginTestKit.temporaryFolder("cli-check")
        let config = dir.appendingPathComponent("deploy.yaml")
        try Data("version: 1\nplugins:\n  enabled: [dev.crosswalk.memory]\nconnections:\n  mem:\n    connecter: dev.crosswalk.memory\n".utf8).write(to: config)
        let run = try crosswalk(["config", "check", config.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(config.path):6: connections.mem.connecter: unknown key (did you mean 'connector'?)"))

        try Data("version: 1\nplugins:\n  enabled: [dev.crosswalk.memory, com.example.absent]\nconnections:\n  mem:\n    connector: dev.crosswalk.memory\n".utf8).write(to: config)
        let missing = try crosswalk(["config", "check", config.path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("plugins.enabled: no plugin with id com.example.absent"))

        try Data("version: 1\nplugins:\n  enabled: [dev.crosswalk.memory]\nconnections:\n  mem:\n    connector: dev.crosswalk.memory\n".utf8).write(to: config)
        let ok = try crosswalk(["config", "check", config.path])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("OK (1 connections, 1 enabled plugins, 0 flows)"))
    }

    @Test func versionAndHelp() throws {
        #expect(try crosswalk(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == CrosswalkVersion.current)
        let help = try crosswalk(["--help"])
        #expect(help.stdout.contains("plugins"))
        #expect(help.stdout.contains("config"))
    }
}

/// `crosswalk demo`, the README's first command, as a user runs it.
@Suite struct DemoTests {
    @Test func demoSyncsOnceAndNeverDuplicates() throws {
        let dir = try TestFiles.temporaryFolder("demo")
        let run = try CLITests().crosswalk(["demo", "--dir", dir.path, "--seed", "10"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("connection hubspot: OK"))
        #expect(run.stdout.contains("connection aritic: OK"))
        // Each flow through the engine: the first run creates and logs why it skipped, the second writes nothing.
        let first = run.stdout.split(separator: "\n").filter { $0.contains("first run:") }
        let second = run.stdout.split(separator: "\n").filter { $0.contains("second run:") }
        #expect(!first.isEmpty && first.count == second.count)
        // Seed 004 syncs from setup on (existing SPOTIO leads are not sent retroactively): its first runs write nothing.
        #expect(first.allSatisfy { !$0.contains("created 0,") || $0.contains("spotio-") }, "\(first)")
        // Only the flow whose seed rule fails records by design (a contact of an unsynced company) fails any.
        // (and, seed 002, an org account named like a company already paired with another account).
        #expect(first.allSatisfy { $0.contains("failed 0") || $0.contains("netsuite-contacts-to-salesforce") || $0.contains("salesforce-accounts-to-aritic") },
                "\(first)")
        #expect(run.stdout.contains("waits for its customer"), "the dependency's reason")
        for flow in ["salesforce-contacts-to-netsuite", "netsuite-customers-to-salesforce", "netsuite-contacts-to-salesforce",
                     "aritic-contacts-to-salesforce", "salesforce-accounts-to-aritic"] {
            #expect(first.contains { $0.contains(flow) }, "\(flow) runs in the demo")
        }
        #expect(second.allSatisfy { $0.contains("created 0, updated 0, deleted 0") }, "\(second)")
        #expect(run.stdout.contains("× email is null"), "the skip reason")
        #expect(run.stdout.contains("Demo OK:"))
        // The demo's deployment is a config like any other: its runs are listed.
        let runs = try CLITests().crosswalk(["runs", "--limit", "100", "--config", dir.appendingPathComponent("crosswalk.yaml").path])
        #expect(runs.status == 0, "\(runs.stderr)")
        // Two runs per flow, and one of seed 002's company flow (the companies its contacts brought along).
        #expect(runs.stdout.split(separator: "\n").count == 1 + 2 * first.count + 1, "\(runs.stdout)")
        #expect(runs.stdout.contains("aritic-companies-to-salesforce"), "\(runs.stdout)")
        // The vault key file is private, and the demo's secrets are not in the database in clear.
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("vault.key").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let db = try Data(contentsOf: dir.appendingPathComponent("crosswalk.db"))
        #expect(db.range(of: Data("aritic-demo-password".utf8)) == nil)
    }
}
