import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkTestKit
import Foundation
import Logging
import Testing

/// The plain-C example connector, compiled here with `cc` exactly as sdk/README.md tells authors.
@Suite struct CPluginTests {
    func example() throws -> (LoadedPlugin, LogRecorder) {
        let dir = try PluginTestKit.temporaryFolder("cexample")
        let so = try PluginTestKit.compileC(PluginTestKit.exampleSource, to: dir.appendingPathComponent("libexample.so"))
        let (logger, recorder) = PluginTestKit.recordingLogger()
        return (try PluginLoader(logger: logger).load(path: so.path), recorder)
    }

    @Test func loadsWithItsManifest() throws {
        let (plugin, recorder) = try example()
        #expect(plugin.id == "dev.crosswalk.example.c")
        #expect(plugin.swiftVersion == 0)
        #expect(plugin.languageDescription == "C")
        #expect(plugin.manifest.objects.first?.name == "Product")
        #expect(plugin.manifest.auth.scheme == "none")
        #expect(recorder.messages.contains("example C connector loaded"))
    }

    @Test func readsAllProductsPageByPage() async throws {
        let (plugin, _) = try example()
        let (logger, recorder) = PluginTestKit.recordingLogger()
        let instance = try await plugin.instantiate(connection: "catalogue", settings: Data("{}".utf8), services: HostServices(), logger: logger)
        #expect(recorder.entries.contains { $0.message == "example C connector instance created" && $0.metadata["plugin"] == "dev.crosswalk.example.c" && $0.metadata["connection"] == "catalogue" })
        var cursor: Any = NSNull()
        var names: [String] = []
        for _ in 0..<10 {
            let page = try PluginTestKit.object(try await instance.read(try PluginTestKit.json(["version": 1, "object": "Product", "cursor": cursor])))
            names += (page["records"] as? [[String: Any]] ?? []).compactMap { ($0["fields"] as? [String: Any])?["name"] as? String }
            cursor = page["next_cursor"] ?? NSNull()
            if page["has_more"] as? Bool != true { break }
        }
        #expect(names == ["Anvil", "Rocket skates", "Giant magnet", "Bird seed", "Tornado kit", "Spring boots", "Earthquake pills"])
        await instance.destroy()
    }

    @Test func writeAndErrors() async throws {
        let (plugin, _) = try example()
        let instance = try await plugin.instantiate(connection: "c", settings: Data("{}".utf8), services: HostServices(), logger: PluginTestKit.recordingLogger().0)
        let result = try PluginTestKit.object(try await instance.write(try PluginTestKit.json([
            "version": 1, "object": "Product", "operation": "create",
            "records": [["ref": "x1", "fields": ["sku": "A"]], ["ref": "x2", "fields": ["sku": "B"]]],
        ])))
        let results = try #require(result["results"] as? [[String: Any]])
        #expect(results.map { $0["ref"] as? String } == ["x1", "x2"])
        #expect(Set(results.compactMap { $0["id"] as? String }).count == 2)
        do {
            _ = try await instance.read(try PluginTestKit.json(["version": 1, "object": "Customer"]))
            Issue.record("expected not_found")
        } catch let e as CrosswalkError {
            #expect(e.code == .notFound)
            #expect(e.message == "this connector only offers Product")
        }
    }

    @Test func checkUsesHostHTTP() async throws {
        let (plugin, _) = try example()
        let services = HostServices(http: { request in
            HTTPResponse(status: request.url == "https://example.test/health" ? 204 : 404)
        })
        let instance = try await plugin.instantiate(connection: "c", settings: Data(#"{"check_url":"https://example.test/health"}"#.utf8),
                                                    services: services, logger: PluginTestKit.recordingLogger().0)
        let check = try PluginTestKit.object(try await instance.check())
        #expect(check["ok"] as? Bool == true)
        #expect(check["message"] as? String == "check URL answered HTTP 204")
    }

    @Test func webhooksAreUnsupportedWhenNotOffered() async throws {
        let (plugin, _) = try example()
        let instance = try await plugin.instantiate(connection: "c", settings: Data(), services: HostServices(), logger: PluginTestKit.recordingLogger().0)
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

    @Test func stateAndIDMapExtensionsWorkAndUnknownIDsAreNull() async throws {
        let dir = try PluginTestKit.temporaryFolder("extensions")
        let source = PluginTestKit.repoRoot.appendingPathComponent("Tests/CrosswalkPluginsTests/Fixtures/extensions_plugin.c")
        let so = try PluginTestKit.compileC(source, to: dir.appendingPathComponent("libextensions.so"))
        let plugin = try PluginLoader(logger: PluginTestKit.recordingLogger().0).load(path: so.path)
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
