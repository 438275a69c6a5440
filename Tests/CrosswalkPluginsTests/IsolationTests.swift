import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkTestKit
import Foundation
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A plugin must never take the host down, nor hang it: real `.so` files that crash, hang or
/// hand back garbage, next to a good connection that must keep working in the same process.
@Suite struct IsolationTests {
    /// The misbehaving fixture, compiled for this test alone (its worker is not shared with a
    /// test that crashes it), loaded with `configuration`.
    func bad(_ configuration: PluginHostConfiguration, logger: Logger? = nil) throws -> LoadedPlugin {
        let so = try PluginTestKit.compileC(PluginTestKit.misbehavingSource,
                                            to: try PluginTestKit.temporaryFolder("bad").appendingPathComponent("libbad.so"))
        return try PluginTestKit.loader(configuration.isolation, configuration, logger: logger).load(path: so.path)
    }

    func instance(_ plugin: LoadedPlugin, _ settings: [String: Any], services: HostServices = HostServices(),
                  logger: Logger? = nil) async throws -> PluginConnectorClient {
        PluginConnectorClient(instance: try await plugin.instantiate(connection: settings["name"] as? String ?? "bad", settings: try PluginTestKit.json(settings),
                                                                     services: services, logger: logger ?? PluginTestKit.recordingLogger().0))
    }

    /// The built Memory plugin, as the good connection that must survive.
    func memory(_ isolation: PluginIsolation) async throws -> PluginConnectorClient {
        let plugin = try PluginTestKit.loader(isolation).load(path: PluginTestKit.builtPlugin("CrosswalkMemory"))
        return PluginConnectorClient(instance: try await plugin.instantiate(connection: "good", settings: Data(#"{"seed":3}"#.utf8),
                                                                              services: HostServices(), logger: PluginTestKit.recordingLogger().0))
    }

    func expectGood(_ client: PluginConnectorClient) async throws {
        let page = try await client.read(ReadRequest(object: "Contact", limit: 10))
        #expect(page.records.count == 3)
    }

    // MARK: crashes

    @Test func crashInCheckFailsTheCallNamesTheSignalAndTheWorkerRestarts() async throws {
        let plugin = try bad(PluginTestKit.configuration(.process))
        let good = try await memory(.process)
        let sibling = try await instance(plugin, ["name": "sibling"])
        let crashing = try await instance(plugin, ["check": "crash"])
        let before = try #require(plugin.workerProcessID)
        let e = try await #require(throws: CrosswalkError.self) { try await crashing.check() }
        #expect(e.code == .pluginCrashed)
        #expect(e.message == "com.example.bad: check crashed (SIGSEGV); restarting the worker")
        #expect(e.context["connection"] == "bad")
        // The sibling instance of the same plugin was re-created in the new worker; the other plugin never noticed.
        #expect(try await sibling.check().message == "fine")
        #expect(plugin.workerProcessID != before)
        try await expectGood(good)
        await crashing.close()
        await sibling.close()
        await good.close()
    }

    @Test func crashAndExitInReadFailTheCallAndTheNextReadWorks() async throws {
        let plugin = try bad(PluginTestKit.configuration(.process))
        let good = try await memory(.process)
        let segv = try await instance(plugin, ["read": "crash"])
        let e = try await #require(throws: CrosswalkError.self) { try await segv.read(ReadRequest(object: "Thing")) }
        #expect(e.message == "com.example.bad: read crashed (SIGSEGV); restarting the worker")
        let exits = try await instance(plugin, ["read": "exit"])
        let x = try await #require(throws: CrosswalkError.self) { try await exits.read(ReadRequest(object: "Thing")) }
        #expect(x.message == "com.example.bad: read crashed (exit status 3); restarting the worker")
        let fine = try await instance(plugin, [:])
        #expect(try await fine.read(ReadRequest(object: "Thing")).records.map(\.id) == ["t1"])
        try await expectGood(good)
        for c in [segv, exits, fine, good] { await c.close() }
    }

    @Test func workerKilledMidReadIsRestartedAndTheNextReadSucceeds() async throws {
        let (logger, recorder) = PluginTestKit.recordingLogger()
        let plugin = try bad(PluginTestKit.configuration(.process))
        let slow = try await instance(plugin, ["read": "slow"], logger: logger)
        let good = try await memory(.process)
        let pid = try #require(plugin.workerProcessID)
        let read = Task { try await slow.read(ReadRequest(object: "Thing")) }
        #expect(await PluginTestKit.eventually { recorder.messages.contains("slow read started") })
        kill(pid, SIGKILL)
        let e = try await #require(throws: CrosswalkError.self) { try await read.value }
        #expect(e.message == "com.example.bad: read crashed (SIGKILL); restarting the worker")
        let fine = try await instance(plugin, [:])
        #expect(try await fine.read(ReadRequest(object: "Thing")).records.count == 1)
        #expect(plugin.workerProcessID != pid)
        #expect(plugin.workerRestarts == 1, "counted (crosswalk_plugin_worker_restarts_total)")
        try await expectGood(good)
        await fine.close()
        await slow.close()
        await good.close()
    }

    // MARK: hangs and deadlines

    @Test func hangInCheckTimesOutAndTheWorkerIsReplaced() async throws {
        var deadlines = PluginDeadlines()
        deadlines.check = .milliseconds(300)
        let plugin = try bad(PluginTestKit.configuration(.process, deadlines: deadlines, cancelGrace: .milliseconds(200)))
        let good = try await memory(.process)
        let sibling = try await instance(plugin, ["name": "sibling"])
        let hanging = try await instance(plugin, ["check": "hang"])
        let before = try #require(plugin.workerProcessID)
        let started = ContinuousClock.now
        let e = try await #require(throws: CrosswalkError.self) { try await hanging.check() }
        #expect(ContinuousClock.now - started < .seconds(30), "a hang is cut by the 300 ms deadline (30 s: a loaded machine)")
        #expect(e.code == .timeout)
        #expect(e.message == "com.example.bad: check did not return within its deadline of 300 ms")
        // The worker is killed after the grace period and restarted; the sibling works in the new one.
        #expect(await PluginTestKit.eventually { plugin.workerProcessID != nil && plugin.workerProcessID != before })
        #expect(try await sibling.check().message == "fine")
        try await expectGood(good)
        for c in [hanging, sibling, good] { await c.close() }
    }

    @Test func hangInProcessTimesOutAndQuarantinesTheInstanceOnly() async throws {
        var deadlines = PluginDeadlines()
        deadlines.check = .milliseconds(300)
        let plugin = try bad(PluginTestKit.configuration(.none, deadlines: deadlines, cancelGrace: .milliseconds(200)))
        let good = try await memory(.none)
        let hanging = try await instance(plugin, ["check": "hang"])
        let e = try await #require(throws: CrosswalkError.self) { try await hanging.check() }
        #expect(e.code == .timeout)
        #expect(e.message == "com.example.bad: check did not return within its deadline of 300 ms")
        // Calls queued behind the stuck one time out until the grace period ends; then the instance is quarantined.
        var last: CrosswalkError?
        for _ in 0..<20 {
            do { _ = try await hanging.read(ReadRequest(object: "Thing")) } catch let e as CrosswalkError { last = e }
            if last?.code == .pluginQuarantined { break }
        }
        #expect(last?.code == .pluginQuarantined)
        #expect(last?.message.hasPrefix("com.example.bad: read refused: the instance for connection bad is quarantined because check passed its deadline of 300 ms and did not return within 200 ms of being cancelled") == true)
        // Another instance of the same plugin, and another plugin, carry on.
        let other = try await instance(plugin, ["name": "other"])
        #expect(try await other.check().message == "fine")
        try await expectGood(good)
        await other.close()
        await good.close()
    }

    @Test(arguments: PluginIsolation.allCases)
    func aCooperativePluginSeesTheDeadlineThroughCancelAndStaysUsable(isolation: PluginIsolation) async throws {
        let (logger, recorder) = PluginTestKit.recordingLogger()
        var deadlines = PluginDeadlines()
        deadlines.check = .milliseconds(200)
        let plugin = try bad(PluginTestKit.configuration(isolation, deadlines: deadlines, cancelGrace: .seconds(5)))
        let client = try await instance(plugin, ["check": "cooperative"], logger: logger)
        let pid = plugin.workerProcessID
        let e = try await #require(throws: CrosswalkError.self) { try await client.check() }
        #expect(e.code == .timeout)
        #expect(await PluginTestKit.eventually { recorder.messages.contains("cooperative check saw the cancellation") })
        // It came back in time: no kill, no quarantine.
        #expect(try await client.read(ReadRequest(object: "Thing")).records.count == 1)
        #expect(plugin.workerProcessID == pid)
        await client.close()
    }

    @Test(arguments: PluginIsolation.allCases)
    func hostHTTPAnswersCancelledForACancelledCall(isolation: PluginIsolation) async throws {
        let (logger, recorder) = PluginTestKit.recordingLogger()
        var deadlines = PluginDeadlines()
        deadlines.check = .milliseconds(200)
        let plugin = try bad(PluginTestKit.configuration(isolation, deadlines: deadlines, cancelGrace: .seconds(5)))
        let calls = LockedValue(0)
        let services = HostServices(http: { _ in
            calls.withLock { $0 += 1 }
            return HTTPResponse(status: 200)
        })
        let client = try await instance(plugin, ["check": "cancelled_http"], services: services, logger: logger)
        let e = try await #require(throws: CrosswalkError.self) { try await client.check() }
        #expect(e.code == .timeout)
        #expect(await PluginTestKit.eventually { recorder.messages.contains("http answered cancelled") })
        #expect(calls.withLock { $0 } > 0)
        await client.close()
    }

    @Test(arguments: PluginIsolation.allCases)
    func cancellingTheCallersTaskCancelsTheCall(isolation: PluginIsolation) async throws {
        let (logger, recorder) = PluginTestKit.recordingLogger()
        let plugin = try bad(PluginTestKit.configuration(isolation, cancelGrace: .seconds(5)))
        let client = try await instance(plugin, ["check": "cooperative"], logger: logger)
        let task = Task { try await client.check() }
        // Cancel once the call is inside the plugin (waiting in crosswalk.cancel/1's sleep).
        #expect(await PluginTestKit.eventually { recorder.messages.contains("cooperative check started") })
        task.cancel()
        let e = try await #require(throws: CrosswalkError.self) { try await task.value }
        #expect(e.code == .cancelled)
        #expect(e.message == "com.example.bad: check was cancelled by the caller")
        #expect(await PluginTestKit.eventually { recorder.messages.contains("cooperative check saw the cancellation") })
        await client.close()
    }

    @Test func theDeadlineReachesThePluginAsDeadlineMS() async throws {
        let plugin = try bad(PluginTestKit.configuration(.process))
        let client = try await instance(plugin, ["read": "echo_deadline"])
        #expect(try await client.read(ReadRequest(object: "Thing"), deadline: .seconds(7)).nextCursor == 7000)
        #expect(try await client.read(ReadRequest(object: "Thing")).nextCursor == 120_000)
        await client.close()
    }

    // MARK: host services after destroy

    @Test(arguments: PluginIsolation.allCases)
    func hostServicesAfterDestroyOrWithAForeignTableAnswerInvalidArgument(isolation: PluginIsolation) async throws {
        let plugin = try bad(PluginTestKit.configuration(isolation))
        let services = HostServices(http: { _ in HTTPResponse(status: 200) }, state: HostExtensionTests.MemoryState())
        let first = try await instance(plugin, ["remember_host": true], services: services)
        // Created first, so that the plugin (and, isolated, its worker) outlives the destroyed instance.
        let second = try await instance(plugin, ["check": "stale"], services: services)
        await first.close()
        let stale = try await second.check().message
        #expect(stale == "stale http=1 ext=null state=1 foreign http=1")
        await second.close()
        let good = try await memory(isolation)
        try await expectGood(good)
        await good.close()
    }

    @Test(arguments: PluginIsolation.allCases)
    func connectionFactsComeFromTheHostEachTimeThePluginAsks(isolation: PluginIsolation) async throws {
        let plugin = try bad(PluginTestKit.configuration(isolation))
        let instanceURL = LockedValue("https://na1.example.com")
        let services = HostServices(facts: {
            ConnectionFacts(connection: "sf", baseURL: "https://login.example.com", instanceURL: instanceURL.withLock { $0 }, accountID: "00D1")
        })
        let client = try await instance(plugin, ["check": "facts"], services: services)
        let first = try await client.check()
        #expect(first.message == "facts 0")
        #expect(first.details?["instance_url"] == "https://na1.example.com")
        #expect(first.details?["account_id"] == "00D1")
        #expect(first.details?["version"] == 1)
        instanceURL.withLock { $0 = "https://na2.example.com" }
        #expect(try await client.check().details?["instance_url"] == "https://na2.example.com")
        // Without facts the extension is absent.
        let bare = try await instance(plugin, ["check": "facts"])
        #expect(try await bare.check().message == "no connection facts")
        await client.close()
        await bare.close()
    }

    // MARK: what a plugin hands back

    @Test(arguments: PluginIsolation.allCases)
    func unusableResultsAreClearErrorsNamingThePluginAndTheOperation(isolation: PluginIsolation) async throws {
        let plugin = try bad(PluginTestKit.configuration(isolation))
        let good = try await memory(isolation)
        func readError(_ mode: String) async throws -> CrosswalkError {
            let client = try await instance(plugin, ["read": mode])
            defer { Task { await client.close() } }
            return try await #require(throws: CrosswalkError.self) { try await client.read(ReadRequest(object: "Thing")) }
        }
        let huge = try await readError("huge")
        #expect(huge.message == "com.example.bad: read answered 104857600 bytes, more than the 67108864 bytes this host accepts (plugins.max_result_bytes)")
        #expect(huge.context["operation"] == "read")
        #expect(try await readError("null_data").message == "com.example.bad: read answered a buffer with no data but a length of 12 bytes (data == NULL, len > 0)")
        let utf8 = try await readError("bad_utf8").message
        #expect(utf8.hasPrefix("com.example.bad: read answered a result that is not valid JSON (invalid JSON at byte "))
        #expect(utf8.hasSuffix("a string is not valid UTF-8)"))
        #expect(try await readError("bad_json").message
                == "com.example.bad: read answered a result that is not valid JSON (invalid JSON at byte 24: unexpected end of input)")

        let odd = try await instance(plugin, ["check": "status42"])
        let e42 = try await #require(throws: CrosswalkError.self) { try await odd.check() }
        #expect(e42.code == .internalError)
        #expect(e42.message == "com.example.bad: check answered status 42, which is not a Crosswalk status: odd status")
        let busy = try await instance(plugin, ["check": "status150"])
        let e150 = try await #require(throws: CrosswalkError.self) { try await busy.check() }
        #expect(e150.code.isRetryable)
        #expect(e150.message == "com.example.bad: check answered status 150, which is not a Crosswalk status (100..199: treated as retryable): try later")
        try await expectGood(good)
        for c in [odd, busy, good] { await c.close() }
    }

    @Test func aLowerMaxResultBytesApplies() async throws {
        let plugin = try bad(PluginTestKit.configuration(.process, maxResultBytes: 64))
        let client = try await instance(plugin, [:])
        let e = try await #require(throws: CrosswalkError.self) { try await client.read(ReadRequest(object: "Thing")) }
        #expect(e.message.hasPrefix("com.example.bad: read answered "))
        #expect(e.message.hasSuffix(" bytes, more than the 64 bytes this host accepts (plugins.max_result_bytes)"))
        await client.close()
    }
}
