import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkTestKit
import Foundation
import Testing

/// A plugin built against the ABI 1.0 header (Fixtures/abi-1.0/crosswalk.h, from commit 1c11cfc)
/// loads and runs in this 1.1 host, in both isolation modes.
@Suite struct ABICompatibilityTests {
    static let folder = PluginTestKit.fixtures.appendingPathComponent("abi-1.0")

    func plugin(_ isolation: PluginIsolation) throws -> LoadedPlugin {
        let so = try PluginTestKit.compiledFixture(Self.folder.appendingPathComponent("abi10_plugin.c"), include: Self.folder)
        return try PluginTestKit.loader(isolation).load(path: so.path)
    }

    @Test(arguments: PluginIsolation.allCases)
    func abi10PluginLoadsAndRuns(isolation: PluginIsolation) async throws {
        let plugin = try plugin(isolation)
        #expect(plugin.abiDescription == "1.0")
        #expect(plugin.isolation == isolation)
        #expect(!plugin.offersDiscoverV2)
        let client = try await PluginConnectorClient.make(plugin: plugin, connection: "notes", settings: Data("{}".utf8),
                                                          services: HostServices(state: HostExtensionTests.MemoryState()),
                                                          logger: PluginTestKit.recordingLogger().0)
        #expect(try await client.check().message == "host ABI 1.1, state offered")
        var ids: [String] = []
        var cursor: JSONValue?
        repeat {
            let page = try await client.read(ReadRequest(object: "Note", cursor: cursor, limit: 2))
            ids += page.records.map(\.id)
            #expect(page.records.allSatisfy { $0.effectiveChange == .upsert })
            cursor = page.nextCursor
            if !page.hasMore { break }
        } while ids.count < 10
        #expect(ids == ["n0", "n1", "n2"])
        let written = try await client.write(WriteRequest(object: "Note", operation: .create, records: [WriteItem(ref: "w1", fields: ["text": "hi"])]))
        #expect(written.results.map(\.id) == ["n101"])
        // 1.0's discover (reference_to null), narrowed by the host since there is no discover/2.
        let schema = try await client.discover(DiscoverRequest(objects: ["Note"]))
        #expect(schema.objects.map(\.name) == ["Note"])
        #expect(try await client.discover(DiscoverRequest(objects: ["Other"])).objects.isEmpty)
        await client.close()
    }

    @Test(arguments: PluginIsolation.allCases)
    func discoverV2IsUsedWhenOffered(isolation: PluginIsolation) async throws {
        let plugin = try PluginTestKit.loader(isolation).load(path: PluginTestKit.builtPlugin("CrosswalkMemory"))
        #expect(plugin.offersDiscoverV2)
        let client = try await PluginConnectorClient.make(plugin: plugin, connection: "m", settings: Data("{}".utf8), services: HostServices(),
                                                          logger: PluginTestKit.recordingLogger().0)
        #expect(try await client.discover(DiscoverRequest(objects: ["Contact"])).objects.map(\.name) == ["Contact"])
        // The kit's discover/2 refuses an unknown object (the full discover would just filter it out).
        let e = try await #require(throws: CrosswalkError.self) { try await client.discover(DiscoverRequest(objects: ["Nope"])) }
        #expect(e.code == .notFound)
        #expect(e.message == "dev.crosswalk.memory has no object Nope")
        await client.close()
    }
}

/// Mapping functions called through libffi: a C plugin's and a Swift plugin's, in this process
/// and through the worker.
@Suite struct FunctionTests {
    func registry(_ isolation: PluginIsolation) throws -> PluginFunctionRegistry {
        let loader = PluginTestKit.loader(isolation)
        let c = try loader.load(path: try PluginTestKit.compiledFixture(PluginTestKit.functionsSource).path)
        let swift = try loader.load(path: PluginTestKit.builtPlugin("CrosswalkMemory"))
        return PluginFunctionRegistry(plugins: [c, swift])
    }

    @Test(arguments: PluginIsolation.allCases)
    func cFunctionsConvertEveryTypeAndReportErrors(isolation: PluginIsolation) throws {
        let f = try registry(isolation)
        #expect(f.functions.map(\.description).contains("dev.crosswalk.test.functions.sf_id18: string(string)"))
        #expect(f.functions.contains { $0.plugin == "dev.crosswalk.memory" && $0.name == "plus" && $0.signature.description == "int64(int64,int64)" })
        #expect(try f.call("dev.crosswalk.test.functions.sf_id18", ["001A000001ABCDe"]) == "001A000001ABCDeIAP")
        #expect(try f.call("sf_id18", ["003d000000XyZab"]) == "003d000000XyZabAAF")
        #expect(try f.call("add", [40, 2]) == 42)
        #expect(try f.call("add", [.number(try JSONNumber(text: "9007199254740993")), 0]) == .number(try JSONNumber(text: "9007199254740993")))
        #expect(try f.call("half", [3]) == 1.5)
        #expect(try f.call("is_even", [4]) == true)
        #expect(try f.call("is_even", [7]) == false)
        #expect(try f.call("nothing", ["x"]) == .null)
        #expect(try f.call("sf_id18", [.null]) == .null)

        let failed = try #require(throws: CrosswalkError.self) { try f.call("sf_id18", ["not-an-id!"]) }
        #expect(failed.code == .functionFailed)
        #expect(failed.message == "dev.crosswalk.test.functions.sf_id18: a Salesforce id has only letters and digits")
        let arity = try #require(throws: CrosswalkError.self) { try f.call("add", [1]) }
        #expect(arity.code == .invalidArgument)
        #expect(arity.message == "dev.crosswalk.test.functions.add takes 2 arguments (int64(int64,int64)), got 1")
        let type = try #require(throws: CrosswalkError.self) { try f.call("add", [1, "two"]) }
        #expect(type.message == "dev.crosswalk.test.functions.add: argument 2 must be an integer (int64), got \(JSONValue.string("two").typeName)")
        #expect(throws: CrosswalkError.self) { try f.call("nope", []) }
    }

    @Test(arguments: PluginIsolation.allCases)
    func swiftFunctionsThroughTheKit(isolation: PluginIsolation) throws {
        let f = try registry(isolation)
        #expect(try f.call("dev.crosswalk.memory.upper", ["grace"]) == "GRACE")
        #expect(try f.call("upper", [.null]) == .null)
        let e = try #require(throws: CrosswalkError.self) { try f.call("upper", [""]) }
        #expect(e.code == .functionFailed)
        #expect(e.message == "dev.crosswalk.memory.upper: upper needs a non-empty string")
        #expect(try f.call("plus", [2, 40]) == 42)
        let batch = f.call(batch: [("upper", ["a"]), ("add", [1, 2]), ("upper", [""]), ("plus", [1, 1])])
        #expect(batch.map { try? $0.get() } == ["A", 3, nil, 2])
    }

    @Test func aCrashingFunctionCostsTheCallNotTheHost() throws {
        // A copy of its own: the crash must not cost the other tests' calls.
        let so = try PluginTestKit.compiledFixture(PluginTestKit.functionsSource, defines: ["CRASH_TEST_COPY"])
        let f = PluginFunctionRegistry(plugins: [try PluginTestKit.loader(.process).load(path: so.path)])
        let e = try #require(throws: CrosswalkError.self) { try f.call("crash", ["x"]) }
        #expect(e.code == .pluginCrashed)
        #expect(e.message == "dev.crosswalk.test.functions: functions crashed (SIGSEGV); restarting the worker")
        #expect(try f.call("add", [1, 1]) == 2)
    }
}
