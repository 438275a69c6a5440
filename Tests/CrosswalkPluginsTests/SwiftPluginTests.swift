import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkTestKit
import Foundation
import Testing

/// The real Swift plugins built by `swift build`, loaded through dlopen and driven through the ABI.
@Suite struct SwiftPluginTests {
    func memory(seed: Int, _ isolation: PluginIsolation) async throws -> PluginInstance {
        let plugin = try PluginTestKit.loader(isolation).load(path: PluginTestKit.builtPlugin("CrosswalkMemory"))
        return try await plugin.instantiate(connection: "mem", settings: try PluginTestKit.json(["seed": seed]),
                                            services: HostServices(), logger: PluginTestKit.recordingLogger().0)
    }

    @Test(arguments: PluginIsolation.allCases) func descriptorAndManifest(isolation: PluginIsolation) throws {
        let plugin = try PluginTestKit.loader(isolation).load(path: PluginTestKit.builtPlugin("CrosswalkMemory"))
        #expect(plugin.id == "dev.crosswalk.memory")
        #expect(plugin.version == "1.0.0")
        #expect(plugin.abiMajor == 1)
        #expect(plugin.swiftVersion == SwiftVersion.host)
        #expect(plugin.manifest.objects.map(\.name) == ["Contact"])
        #expect(plugin.manifest.batchLimits?.write == 50)
        // Loading the same file again gives the same plugin: the entry runs once per process.
        #expect(try PluginTestKit.loader(isolation).load(path: plugin.path) === plugin)
    }

    @Test(arguments: PluginIsolation.allCases) func readPagesThroughEveryRecordWithCursors(isolation: PluginIsolation) async throws {
        let instance = try await memory(seed: 250, isolation)
        var cursor: Any = NSNull()
        var ids: [String] = []
        var pages = 0
        while true {
            let page = try PluginTestKit.object(try await instance.read(try PluginTestKit.json(["version": 1, "object": "Contact", "cursor": cursor, "limit": 100])))
            let records = try #require(page["records"] as? [[String: Any]])
            ids += records.compactMap { $0["id"] as? String }
            pages += 1
            cursor = page["next_cursor"] ?? NSNull()
            if page["has_more"] as? Bool != true { break }
        }
        #expect(pages == 3)
        #expect(ids.count == 250)
        #expect(Set(ids).count == 250)
        await instance.destroy()
    }

    @Test(arguments: PluginIsolation.allCases) func writeReportsPerRecordOutcomes(isolation: PluginIsolation) async throws {
        let instance = try await memory(seed: 0, isolation)
        let result = try PluginTestKit.object(try await instance.write(try PluginTestKit.json([
            "version": 1, "object": "Contact", "operation": "create",
            "records": [["ref": "a", "fields": ["LastName": "Hopper", "Email": "grace@example.com"]],
                        ["ref": "b", "fields": ["Email": "nolast@example.com"]]],
        ])))
        let results = try #require(result["results"] as? [[String: Any]])
        let a = try #require(results.first { $0["ref"] as? String == "a" })
        let b = try #require(results.first { $0["ref"] as? String == "b" })
        #expect(a["ok"] as? Bool == true)
        #expect(a["created"] as? Bool == true)
        #expect(b["ok"] as? Bool == false)
        #expect((b["error"] as? [String: Any])?["code"] as? String == "conflict")

        // An upsert by Email finds the record created above instead of duplicating it.
        let upsert = try PluginTestKit.object(try await instance.write(try PluginTestKit.json([
            "version": 1, "object": "Contact", "operation": "upsert", "match_key": "Email",
            "records": [["ref": "c", "fields": ["Email": "grace@example.com", "FirstName": "Grace"]]],
        ])))
        let c = try #require((upsert["results"] as? [[String: Any]])?.first)
        #expect(c["id"] as? String == a["id"] as? String)
        #expect(c["created"] as? Bool == false)
    }

    @Test(arguments: PluginIsolation.allCases) func errorsCarryCodeMessageAndContext(isolation: PluginIsolation) async throws {
        let instance = try await memory(seed: 1, isolation)
        do {
            _ = try await instance.read(try PluginTestKit.json(["version": 1, "object": "Nope"]))
            Issue.record("expected not_found")
        } catch let e as CrosswalkError {
            #expect(e.code == .notFound)
            #expect(e.message == "unknown object 'Nope'")
            #expect(e.context["plugin"] == "dev.crosswalk.memory")
            #expect(e.context["connection"] == "mem")
            #expect(e.context["operation"] == "read")
        }
        await #expect(throws: CrosswalkError.self) { _ = try await instance.read(Data("{not json".utf8)) }
        let malformed = try await #require(throws: CrosswalkError.self) { try await instance.read(Data("{\"version\":1}".utf8)) }
        #expect(malformed.code == .invalidArgument)
        #expect(malformed.message == "malformed request JSON: missing object")
    }

    @Test(arguments: PluginIsolation.allCases) func createRefusalIsAnError(isolation: PluginIsolation) async throws {
        let plugin = try PluginTestKit.loader(isolation).load(path: PluginTestKit.builtPlugin("CrosswalkMemory"))
        await #expect(throws: CrosswalkError.self) {
            _ = try await plugin.instantiate(connection: "m", settings: try PluginTestKit.json(["seed": -1]), services: HostServices(),
                                             logger: PluginTestKit.recordingLogger().0)
        }
    }

    @Test(arguments: PluginIsolation.allCases) func concurrentCallsIntoOneInstanceAreSerialised(isolation: PluginIsolation) async throws {
        // The memory connector's state is not thread-safe: only serialised calls keep every write.
        let instance = try await memory(seed: 0, isolation)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<40 {
                group.addTask {
                    _ = try await instance.write(try PluginTestKit.json([
                        "version": 1, "object": "Contact", "operation": "create",
                        "records": [["ref": "r\(i)", "fields": ["LastName": "N\(i)"]]],
                    ]))
                }
            }
            try await group.waitForAll()
        }
        let check = try PluginTestKit.object(try await instance.check())
        #expect(check["message"] as? String == "40 contacts in memory")
    }

    @Test(arguments: PluginIsolation.allCases) func twoSwiftPluginsLiveInOneProcess(isolation: PluginIsolation) async throws {
        let probe = try PluginTestKit.loader(isolation).load(path: PluginTestKit.builtPlugin("CrosswalkHTTPProbe"))
        let memory = try PluginTestKit.loader(isolation).load(path: PluginTestKit.builtPlugin("CrosswalkMemory"))
        #expect(probe.id == "dev.crosswalk.httpprobe")
        let sent = LockedValue<[HTTPRequest]>([])
        let services = HostServices(http: { request in
            sent.withLock { $0.append(request) }
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(#"[{"id":7,"name":"seven"}]"#.utf8))
        })
        let p = try await probe.instantiate(connection: "probe", settings: try PluginTestKit.json(["objects": ["Item": "/items"]]),
                                            services: services, logger: PluginTestKit.recordingLogger().0)
        let m = try await memory.instantiate(connection: "mem", settings: try PluginTestKit.json(["seed": 2]), services: HostServices(),
                                             logger: PluginTestKit.recordingLogger().0)
        let items = try PluginTestKit.object(try await p.read(try PluginTestKit.json(["version": 1, "object": "Item"])))
        let record = try #require((items["records"] as? [[String: Any]])?.first)
        #expect(record["id"] as? String == "7")
        #expect(sent.withLock { $0.map(\.url) } == ["/items"])
        #expect(try PluginTestKit.object(try await m.check())["ok"] as? Bool == true)
    }

    @Test(arguments: PluginIsolation.allCases) func pluginHTTPGoesThroughTheHostWithoutAuthorization(isolation: PluginIsolation) async throws {
        let probe = try PluginTestKit.loader(isolation).load(path: PluginTestKit.builtPlugin("CrosswalkHTTPProbe"))
        let sent = LockedValue<[HTTPRequest]>([])
        let services = HostServices(http: { request in
            sent.withLock { $0.append(request) }
            return HTTPResponse(status: 503, body: Data("down".utf8))
        })
        let settings = ["check_path": "/ping", "headers": ["Authorization": "Bearer stolen", "X-Trace": "t1"]] as [String: Any]
        let p = try await probe.instantiate(connection: "probe", settings: try PluginTestKit.json(settings),
                                            services: services, logger: PluginTestKit.recordingLogger().0)
        let check = try PluginTestKit.object(try await p.check())
        #expect(check["ok"] as? Bool == false)
        #expect(check["message"] as? String == "GET /ping answered HTTP 503")
        let request = try #require(sent.withLock { $0.first })
        #expect(request.method == "GET")
        #expect(request.headers["X-Trace"] == "t1")
        #expect(request.headers["Authorization"] == nil)
    }

    @Test("the generic HTTP connector refuses a read by ids for an object without a get: route (it used to answer a first page, and the host took the ids as gone)",
          arguments: PluginIsolation.allCases)
    func readByIdsNeedsAGetRoute(isolation: PluginIsolation) async throws {
        let probe = try PluginTestKit.loader(isolation).load(path: PluginTestKit.builtPlugin("CrosswalkHTTPProbe"))
        let sent = LockedValue<[HTTPRequest]>([])
        let services = HostServices(http: { request in
            sent.withLock { $0.append(request) }
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(#"[{"id":7}]"#.utf8))
        })
        let p = try await probe.instantiate(connection: "probe", settings: try PluginTestKit.json(["objects": ["Item": "/items"]]),
                                            services: services, logger: PluginTestKit.recordingLogger().0)
        let e = try await #require(throws: CrosswalkError.self) {
            try await p.read(try PluginTestKit.json(["version": 1, "object": "Item", "ids": ["41", "42"]]))
        }
        #expect(e.code == .unsupported && e.message.contains("get:"), "\(e)")
        #expect(sent.withLock { $0.isEmpty }, "nothing was asked of the app")
    }

    @Test(arguments: PluginIsolation.allCases) func httpWithoutAConnectionIsUnsupported(isolation: PluginIsolation) async throws {
        let probe = try PluginTestKit.loader(isolation).load(path: PluginTestKit.builtPlugin("CrosswalkHTTPProbe"))
        let p = try await probe.instantiate(connection: "probe", settings: Data("{}".utf8), services: HostServices(),
                                            logger: PluginTestKit.recordingLogger().0)
        let e = try await #require(throws: CrosswalkError.self) { try await p.check() }
        #expect(e.code == .unsupported)
        #expect(e.message == "no connection: HTTP is not available here")
    }

    @Test(arguments: PluginIsolation.allCases) func callsAfterDestroyAreRefusedNotRun(isolation: PluginIsolation) async throws {
        let instance = try await memory(seed: 3, isolation)
        #expect(try PluginTestKit.object(try await instance.check())["ok"] as? Bool == true)
        await instance.destroy()
        let e = try await #require(throws: CrosswalkError.self) { try await instance.check() }
        #expect(e.message == "check on an instance that was destroyed")
        await instance.destroy()  // a second destroy is harmless
    }
}
