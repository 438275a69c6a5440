import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkTestKit
import Foundation
import Logging
import Testing

/// The plain-C example connector, compiled here with `cc` exactly as sdk/README.md tells authors.
/// (Its behaviour against the Aritic sandbox through the real host is tested in CrosswalkRuntimeTests.)
@Suite struct CPluginTests {
    func example(_ isolation: PluginIsolation) throws -> (LoadedPlugin, LogRecorder) {
        let dir = try PluginTestKit.temporaryFolder("cexample")
        let so = try PluginTestKit.compileC(PluginTestKit.exampleSource, to: dir.appendingPathComponent("libexample.so"), libraries: ["cjson"])
        let (logger, recorder) = PluginTestKit.recordingLogger()
        return (try PluginTestKit.loader(isolation, logger: logger).load(path: so.path), recorder)
    }

    @Test(arguments: PluginIsolation.allCases) func loadsWithItsManifest(isolation: PluginIsolation) throws {
        let (plugin, recorder) = try example(isolation)
        #expect(plugin.id == "dev.crosswalk.example.c")
        #expect(plugin.swiftVersion == 0)
        #expect(plugin.languageDescription == "C")
        #expect(plugin.manifest.objects.first?.name == "Contact")
        #expect(plugin.manifest.object("Contact")?.read?.orderKeys == ["dateModified", "id"])
        #expect(plugin.manifest.auth.scheme == "basic")
        #expect(recorder.messages.contains("Aritic contacts connector (C) loaded"))
    }

    @Test(arguments: PluginIsolation.allCases) func createNeedsBaseURLAndHTTPWithoutAConnectionIsRefused(isolation: PluginIsolation) async throws {
        let (plugin, _) = try example(isolation)
        let (logger, recorder) = PluginTestKit.recordingLogger()
        let e = try await #require(throws: CrosswalkError.self) {
            _ = try await plugin.instantiate(connection: "c", settings: Data("{}".utf8), services: HostServices(), logger: logger)
        }
        #expect(e.code == .invalidArgument)
        #expect(e.message == "the setting base_url is required (the instance's URL)")
        let instance = try await plugin.instantiate(connection: "c", settings: Data(#"{"base_url":"https://a.example"}"#.utf8),
                                                    services: HostServices(), logger: logger)
        #expect(recorder.entries.contains { $0.message == "Aritic contacts connector instance created" && $0.metadata["connection"] == "c" })
        // No HTTP service: the plugin's check fails with the host's reason, in an error document.
        let check = try await #require(throws: CrosswalkError.self) { _ = try await instance.check() }
        #expect(check.code == .unsupported)
        #expect(check.message.contains("HTTP is not available here"))
        await #expect(throws: CrosswalkError.self) { _ = try await instance.parseWebhook(Data("{}".utf8)) }
    }
}

/// The host's extensions reached through the C ABI by a C plugin.
@Suite struct HostExtensionTests {
    /// State in memory: the plugin-facing protocol is what is under test here; the SQLite-backed
    /// store is tested in CrosswalkConnectionsTests.
    final class MemoryState: PluginStateStore {
        let values = LockedValue<[String: Data]>([:])
        func get(_ key: String) async throws -> Data? { values.withLock { $0[key] } }
        func put(_ key: String, _ value: Data) async throws { values.withLock { $0[key] = value } }
        func remove(_ key: String) async throws { _ = values.withLock { $0.removeValue(forKey: key) } }
    }

    @Test(arguments: PluginIsolation.allCases) func stateAndIDMapExtensionsWorkAndUnknownIDsAreNull(isolation: PluginIsolation) async throws {
        let dir = try PluginTestKit.temporaryFolder("extensions")
        let source = PluginTestKit.repoRoot.appendingPathComponent("Tests/CrosswalkPluginsTests/Fixtures/extensions_plugin.c")
        let so = try PluginTestKit.compileC(source, to: dir.appendingPathComponent("libextensions.so"))
        let plugin = try PluginTestKit.loader(isolation).load(path: so.path)
        let state = MemoryState()
        let requests = LockedValue<[String]>([])
        let services = HostServices(state: state, idmap: { request in
            requests.withLock { $0.append(String(decoding: request, as: UTF8.self)) }
            return Data(#"{"version":1,"ids":{"c1":"b-77"}}"#.utf8)
        })
        let instance = try await plugin.instantiate(connection: "a", settings: Data(), services: services, logger: PluginTestKit.recordingLogger().0)
        let result = try PluginTestKit.object(try await instance.check())
        #expect(result["message"] as? String == "stored=42 missing=2 unknown=null")
        #expect(((result["idmap"] as? [String: Any])?["ids"] as? [String: String]) == ["c1": "b-77"])
        #expect(state.values.withLock { $0["cursor"] } == Data("42".utf8))
        #expect(requests.withLock { $0.first?.contains("\"other_connection\":\"b\"") } == true)

        // Without the services, the extensions are absent (NULL), not a crash.
        let bare = try await plugin.instantiate(connection: "a", settings: Data(), services: HostServices(), logger: PluginTestKit.recordingLogger().0)
        #expect(try PluginTestKit.object(try await bare.check())["message"] as? String == "stored=none missing=-1 unknown=null")
    }
}
