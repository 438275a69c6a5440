import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Logging
import Synchronization
import Testing

/// The sandbox's environment with a clock a test can hold still (records written meanwhile share one time).
final class HoldableClock: SandboxEnvironment {
    let inner: any SandboxEnvironment
    private let held = Mutex<Date?>(nil)

    init(_ inner: any SandboxEnvironment) { self.inner = inner }

    func now() -> Date { held.withLock { $0 } ?? inner.now() }
    func deliver(_ webhook: SandboxWebhook) { inner.deliver(webhook) }
    func hold(at date: Date?) { held.withLock { $0 = date } }
}

/// A host as `crosswalk` assembles it (``HostRuntime``: real SQLite store, vault, libcurl transport) with the BUILT
/// `libCrosswalkHubSpot.so` loaded through the real loader, connected with the demo private-app token to a HubSpot
/// emulator running in this process, its search index lagging writes by `lag` ms (on by default, as real HubSpot).
struct HubSpotHarness {
    let sandbox: RunningSandbox
    let runtime: HostRuntime
    let plugin: LoadedPlugin
    let clock: HoldableClock
    let token = HubSpotDemoCredentials.privateAppToken
    /// The search index lag and the connector's settle time (a little more).
    static let lagMilliseconds = 2_000, settleMilliseconds = 2_500

    var baseURL: String { sandbox.urls["hubspot"]!.absoluteString }

    static func with<T>(seed: Int = 0, lag: Int = lagMilliseconds, _ body: (HubSpotHarness) async throws -> T) async throws -> T {
        let made = Mutex<HoldableClock?>(nil)
        return try await RunningSandbox.with({ dispatcher in
            let clock = HoldableClock(dispatcher.environment(for: "hubspot"))
            made.withLock { $0 = clock }
            return [HubSpotApp(environment: clock)]
        }, configure: { $0.seedCount = seed }) { sandbox in
            let dir = try TestFiles.temporaryFolder("hubspot-connector")
            defer { try? FileManager.default.removeItem(at: dir) }
            let (logger, _) = LogRecorder.logger()
            let key = dir.appendingPathComponent("vault.key").path
            try VaultKeys.writeNewKey(toFile: key)
            let config = DeploymentConfig(plugins: PluginsConfig(paths: [], enabled: ["com.hubspot"]),
                                          store: .sqlite(path: dir.appendingPathComponent("crosswalk.db").path), vault: .keyFile(key),
                                          connections: [:])
            let runtime = try await HostRuntime.open(
                Deployment(config: config, file: "test", options: RuntimeOptions(executableFolder: TestFiles.binFolder.path)), logger: logger)
            do {
                let plugin = try PluginLoader(logger: logger).load(path: TestFiles.builtPlugin("CrosswalkHubSpot"))
                guard let clock = made.withLock({ $0 }) else { throw TestKitError(description: "the sandbox did not make the HubSpot app") }
                let h = HubSpotHarness(sandbox: sandbox, runtime: runtime, plugin: plugin, clock: clock)
                if lag > 0 { _ = try await h.control("app/search_lag", ["ms": lag]) }
                let result = try await body(h)
                await runtime.close()
                return result
            } catch {
                await runtime.close()
                throw error
            }
        }
    }

    /// A connector instance of a connection named `name` (the private-app token in the vault).
    func connector(_ name: String = "hubspot", token: String? = nil, settings extra: [String: ConfigValue] = [:]) async throws -> PluginConnectorClient {
        try await runtime.vault.store(.apiKey(.bearer(token ?? self.token)), name: name)
        var settings: [String: ConfigValue] = ["base_url": .string(baseURL), "settle_ms": .int(Self.settleMilliseconds), "lookback_ms": 30_000]
        for (k, v) in extra { settings[k] = v }
        return try await runtime.client(for: ConnectionConfig(name: name, connector: plugin.id, settings: .object(settings)), plugin: plugin)
    }

    // MARK: the emulator, straight over HTTP

    @discardableResult
    func control(_ path: String, _ body: [String: Any]? = nil, method: String = "POST") async throws -> [String: Any] {
        let r = try await TestHTTP.send(method, sandbox.url("hubspot", "/__sandbox/" + path), json: body)
        guard (200..<300).contains(r.status) else { throw TestKitError(description: "control \(path) answered \(r.status): \(r.text)") }
        return r.object
    }

    /// Calls the emulator saw per route ("POST /crm/v3/objects/contacts/batch/create").
    func counters() async throws -> [String: Int] {
        try await control("counters", method: "GET")["by_route"] as? [String: Int] ?? [:]
    }

    func resetCounters() async throws { _ = try await control("counters/reset") }

    /// Calls to HubSpot's API (the sandbox's own routes left out).
    func apiCounters() async throws -> [String: Int] { try await counters().filter { !$0.key.contains("__sandbox") } }

    /// The statuses of the emulator's answers since the start (from the request log).
    func statuses() async throws -> [Int] {
        let r = try await TestHTTP.send("GET", sandbox.url("hubspot", "/__sandbox/requests"))
        let list = r.object["requests"] as? [[String: Any]] ?? []
        return list.filter { !(($0["path"] as? String) ?? "").contains("__sandbox") }.compactMap { $0["status"] as? Int }
    }

    /// A call to HubSpot's API as another client of the portal would make it.
    @discardableResult
    func api(_ method: String, _ path: String, _ body: Any? = nil) async throws -> TestResponse {
        try await TestHTTP.send(method, sandbox.url("hubspot", path), json: body, headers: ["Authorization": "Bearer \(token)"])
    }

    /// Creates a contact; its id.
    @discardableResult
    func createContact(email: String, firstname: String = "Ada") async throws -> String {
        let r = try await api("POST", "/crm/v3/objects/contacts", ["properties": ["email": email, "firstname": firstname]])
        guard r.status == 201, let id = r.object["id"] as? String else { throw TestKitError(description: "create contact: \(r.status) \(r.text)") }
        return id
    }

    /// Creates `count` contacts through the batch API (100 a call); their ids.
    func createContacts(_ count: Int, prefix: String = "c") async throws -> [String] {
        var ids: [String] = []
        var start = 0
        while start < count {
            let n = min(100, count - start)
            let inputs = (start..<(start + n)).map { ["properties": ["email": "\(prefix)\($0)@example.com", "firstname": "N\($0)"]] }
            let r = try await api("POST", "/crm/v3/objects/contacts/batch/create", ["inputs": inputs])
            guard r.status == 201, let list = r.object["results"] as? [[String: Any]] else {
                throw TestKitError(description: "batch create: \(r.status) \(r.text.prefix(300))")
            }
            ids += list.compactMap { $0["id"] as? String }
            start += n
        }
        return ids
    }

    /// Waits (a readiness check on the clock, not a fixed delay) until changes made now are older than the
    /// connector's settle time, and so inside its next run's bound and indexed for search.
    func waitUntilSettled() async throws {
        let target = Date().addingTimeInterval(Double(Self.settleMilliseconds) / 1000 + 0.05)
        try await eventually("the clock passing the run bound", within: 15) { Date() >= target }
    }
}

/// Reads every page from `cursor` (the host's paged read), returning the records and the last cursor.
func readAll(_ client: any ConnectorClient, _ request: ReadRequest) async throws -> (records: [ConnectorRecord], cursor: JSONValue?, pages: Int) {
    var records: [ConnectorRecord] = []
    let outcome = try await PagedRead(request: request, all: true).run(client) { _, page in records += page.records }
    return (records, outcome.nextCursor, outcome.pages)
}
