import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkTestKit
import Foundation
import Testing

/// Plugins are probed in a child before the host trusts them: an entry that crashes or hangs
/// gets its file refused with one line, and the other files load.
@Suite struct ProbeTests {
    @Test func entryThatCrashesOrHangsIsRefusedAndTheOthersLoad() async throws {
        let dir = try PluginTestKit.temporaryFolder("probe")
        let crashing = try PluginTestKit.compileC(PluginTestKit.misbehavingSource, to: dir.appendingPathComponent("libbad.so"),
                                                  defines: ["CRASH_IN_ENTRY", #"PLUGIN_ID="com.example.crash""#])
        let hanging = try PluginTestKit.compileC(PluginTestKit.misbehavingSource, to: dir.appendingPathComponent("libhang.so"),
                                                 defines: ["HANG_IN_ENTRY", #"PLUGIN_ID="com.example.hang""#])
        try PluginTestKit.compileC(PluginTestKit.exampleSource, to: dir.appendingPathComponent("libexample.so"), libraries: ["cjson"])
        try PluginTestKit.compileC(PluginTestKit.misbehavingSource, to: dir.appendingPathComponent("libzgood.so"))
        let (logger, recorder) = PluginTestKit.recordingLogger()
        let loader = PluginTestKit.loader(.process, PluginTestKit.configuration(.process, probeTimeout: .seconds(1)), logger: logger)
        let started = ContinuousClock.now
        let scan = loader.scan(folders: [dir.path])
        #expect(ContinuousClock.now - started < .seconds(8))
        #expect(scan.loaded.map(\.id) == ["dev.crosswalk.example.c", "com.example.bad"])
        #expect(scan.refused.map(\.description).sorted() == [
            "refused \(crashing.path): crashed in crosswalk_plugin_entry (SIGSEGV)",
            "refused \(hanging.path): crosswalk_plugin_entry did not return within 1 s",
        ])
        #expect(recorder.messages.contains("refused \(crashing.path): crashed in crosswalk_plugin_entry (SIGSEGV)"))
        // The entry's log line came back from the probe.
        #expect(recorder.messages.contains("Aritic contacts connector (C) loaded"))

        // The plugins that loaded work, in this same process.
        let good = try #require(scan.plugin("com.example.bad"))
        let client = try await PluginConnectorClient.make(plugin: good, connection: "c", settings: Data("{}".utf8), services: HostServices(),
                                                          logger: logger)
        #expect(try await client.read(ReadRequest(object: "Thing")).records.map(\.id) == ["t1"])
        await client.close()

        // Probe results are cached by (path, size, mtime): a second scan does not run the entries again.
        let again = ContinuousClock.now
        let second = loader.scan(folders: [dir.path])
        #expect(ContinuousClock.now - again < .milliseconds(500))
        #expect(second.loaded.first === scan.loaded.first)
        #expect(second.refused == scan.refused)
    }

    @Test func theParentNeverOpensAPluginWithProcessIsolation() throws {
        let dir = try PluginTestKit.temporaryFolder("probe-parent")
        let so = try PluginTestKit.compileC(PluginTestKit.exampleSource, to: dir.appendingPathComponent("libexample.so"), libraries: ["cjson"])
        let plugin = try PluginTestKit.loader(.process).load(path: so.path)
        #expect(plugin.isolation == .process)
        let maps = try String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
        #expect(!maps.contains(so.path))
    }

    @Test(arguments: PluginIsolation.allCases)
    func capabilitiesAreCheckedAgainstTheEntryPoints(isolation: PluginIsolation) throws {
        let loader = PluginTestKit.loader(isolation)
        func refusal(_ name: String, _ source: URL, _ defines: [String]) throws -> String {
            let dir = try PluginTestKit.temporaryFolder(name)
            let so = try PluginTestKit.compileC(source, to: dir.appendingPathComponent("lib\(name).so"), defines: defines)
            do { _ = try loader.load(path: so.path) } catch let r as PluginRefusal { return r.reason }
            Issue.record("\(name) loaded")
            return ""
        }
        #expect(try refusal("webhooks", PluginTestKit.badSource,
                            [#"MANIFEST="{\"version\":1,\"objects\":[],\"auth\":{\"scheme\":\"none\"},\"capabilities\":[\"crosswalk.webhooks/1\"]}""#])
                == "the manifest lists crosswalk.webhooks/1 but the descriptor has no parse_webhook")
        #expect(try refusal("discover2", PluginTestKit.badSource,
                            [#"MANIFEST="{\"version\":1,\"objects\":[],\"auth\":{\"scheme\":\"none\"},\"capabilities\":[\"crosswalk.discover/2\"]}""#])
                == #"the manifest lists crosswalk.discover/2 but get_extension("crosswalk.discover/2") gives no discover"#)
        #expect(try refusal("ghost", PluginTestKit.functionsSource, ["MISSING_SYMBOL"])
                == "function ghost: symbol crosswalk_fn_ghost does not resolve (is it exported with default visibility?)")
    }
}
