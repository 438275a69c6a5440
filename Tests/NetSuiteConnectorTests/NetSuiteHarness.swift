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

/// The server's clock for the NetSuite emulator, which a test may hold at one second (so that many records
/// share one `lastModifiedDate`) and release; webhooks go through the server's dispatcher.
final class HeldClock: SandboxEnvironment {
    private let inner: any SandboxEnvironment
    private let held = Mutex<Date?>(nil)

    init(_ inner: any SandboxEnvironment) { self.inner = inner }

    func now() -> Date { held.withLock { $0 } ?? inner.now() }
    func deliver(_ webhook: SandboxWebhook) { inner.deliver(webhook) }

    /// Holds the clock at `date` until `release()`.
    func hold(at date: Date) { held.withLock { $0 = date } }
    func release() { held.withLock { $0 = nil } }
}

/// A host as `crosswalk` assembles it (SQLite store, vault, libcurl, the loader) with the built
/// `libCrosswalkNetSuite.so`, against the NetSuite emulator served on loopback; the host signs with
/// token-based auth and the emulator verifies each signature with its own implementation.
struct NetSuiteHarness {
    let sandbox: RunningSandbox
    let app: NetSuiteApp
    let clock: HeldClock
    let runtime: HostRuntime
    let plugin: LoadedPlugin
    let logs: LogRecorder

    var baseURL: String { sandbox.urls["netsuite"]!.absoluteString }

    typealias NS = NetSuiteDemoCredentials
    static let tba = Credentials.netsuiteTBA(NetSuiteTBACredentials(accountID: NS.accountId, consumerKey: NS.consumerKey,
                                                                    consumerSecret: NS.consumerSecret, tokenID: NS.tokenId,
                                                                    tokenSecret: NS.tokenSecret))

    /// Runs `body` against a fresh emulator seeded with `seed` customers (each with contacts and invoices).
    static func with<T>(seed: Int = 0, _ body: (NetSuiteHarness) async throws -> T) async throws -> T {
        let box = Mutex<(NetSuiteApp, HeldClock)?>(nil)
        return try await RunningSandbox.with({ webhooks in
            let clock = HeldClock(webhooks.environment(for: "netsuite"))
            // Token timestamps are checked against the emulator's clock, which a test may hold in the past.
            let app = NetSuiteApp(environment: clock, configuration: .init(timestampWindow: 400 * 86_400))
            box.withLock { $0 = (app, clock) }
            return [app]
        }, configure: { $0.seedCount = seed }) { sandbox in
            guard let (app, clock) = box.withLock({ $0 }) else { throw TestKitError(description: "no NetSuite app") }
            let dir = try TestFiles.temporaryFolder("netsuite-connector")
            let (logger, logs) = LogRecorder.logger()
            let key = dir.appendingPathComponent("vault.key").path
            try VaultKeys.writeNewKey(toFile: key)
            let config = DeploymentConfig(plugins: PluginsConfig(paths: [], enabled: ["com.netsuite"]),
                                          store: .sqlite(path: dir.appendingPathComponent("crosswalk.db").path), vault: .keyFile(key))
            let runtime = try await HostRuntime.open(Deployment(config: config, file: "test", options: RuntimeOptions(executableFolder: TestFiles.binFolder.path)),
                                                     logger: logger)
            do {
                let plugin = try PluginLoader(logger: logger).load(path: TestFiles.builtPlugin("CrosswalkNetSuite"))
                let h = NetSuiteHarness(sandbox: sandbox, app: app, clock: clock, runtime: runtime, plugin: plugin, logs: logs)
                let result = try await body(h)
                await runtime.close()
                return result
            } catch {
                await runtime.close()
                throw error
            }
        }
    }

    /// A new connector instance of connection `name` (one host context per name: its settings and limits).
    func client(_ name: String = "netsuite", settings: [String: ConfigValue] = [:], credentials: Credentials? = NetSuiteHarness.tba) async throws -> PluginConnectorClient {
        if let credentials { try await runtime.vault.store(credentials, name: name) }
        var all: [String: ConfigValue] = ["base_url": .string(baseURL), "account_id": .string(NS.accountId)]
        for (k, v) in settings { all[k] = v }
        return try await runtime.client(for: ConnectionConfig(name: name, connector: plugin.id, settings: .object(all)), plugin: plugin)
    }

    /// Waits until NetSuite's clock, as its `Date` header shows it, is in a later second than this machine's now:
    /// a read's upper bound is that clock less a second (its times are whole seconds), so a change becomes
    /// readable once its second has passed there. The header, not the wall clock: a server may cache it for up
    /// to a second (Hummingbird's DateCache does).
    func untilNextSecond() async throws {
        let next = floor(Date().timeIntervalSince1970) + 1
        let url = sandbox.url("netsuite", "/__sandbox/counters")
        try await eventually("NetSuite's Date header passed the changes' second", within: 30) {
            let answer = try await TestHTTP.send("GET", url)
            guard let date = answer.headers["date"].flatMap(Self.httpDate) else { return false }
            return date.timeIntervalSince1970 >= next
        }
    }

    /// `Wed, 02 Dec 2026 22:14:02 GMT`.
    static func httpDate(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: text)
    }

    /// A sandbox control (`/__sandbox/<path>` on the NetSuite port).
    @discardableResult
    func control(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        try await TestHTTP.send(method, sandbox.url("netsuite", "/__sandbox/" + path), json: body).object
    }

    /// Calls per route since the last `resetCounters()` ("POST /services/rest/record/v1/customer").
    func counters() async throws -> (total: Int, byRoute: [String: Int]) {
        let c = try await control("GET", "counters")
        return (c["total"] as? Int ?? 0, c["by_route"] as? [String: Int] ?? [:])
    }

    func resetCounters() async throws { try await control("POST", "counters/reset") }

    /// Every page from `cursor` until caught up: the records in order, the caught-up cursor, the pages.
    func readAll(_ client: any ConnectorClient, _ object: String, from cursor: JSONValue? = nil, limit: Int? = nil,
                 filter: Filter? = nil, fields: [String]? = nil, between: (Int) async throws -> Void = { _ in }) async throws
        -> (records: [ConnectorRecord], cursor: JSONValue?, pages: Int) {
        var records: [ConnectorRecord] = []
        var request = ReadRequest(object: object, cursor: cursor, limit: limit, fields: fields, filter: filter)
        var pages = 0
        while true {
            let page = try await client.read(request)
            pages += 1
            records += page.records
            guard page.hasMore else { return (records, page.nextCursor, pages) }
            guard pages < 10_000 else { throw TestKitError(description: "read never caught up") }
            try await between(pages)
            request.cursor = page.nextCursor
        }
    }

    /// Writes `items` in the connector's batch size and returns every result.
    func write(_ client: any ConnectorClient, _ object: String, _ operation: CrosswalkConnectors.WriteOperation, _ items: [WriteItem],
               matchKey: String? = nil) async throws -> [WriteItemResult] {
        var results: [WriteItemResult] = []
        var start = 0
        while start < items.count {
            let batch = Array(items[start..<min(items.count, start + client.writeBatchLimit)])
            start += batch.count
            results += try await client.write(WriteRequest(object: object, operation: operation, matchKey: matchKey, records: batch)).results
        }
        return results
    }

    /// Creates `count` contacts (`Test<n>`, `test<n>@example.com`) and returns their ids in order.
    func createContacts(_ client: any ConnectorClient, _ count: Int, prefix: String = "Test") async throws -> [String] {
        let items = (0..<count).map { n in
            WriteItem(ref: "c\(n)", fields: ["firstName": .string("\(prefix)\(n)"), "lastName": "Example",
                                             "email": .string("\(prefix.lowercased())\(n)@example.com")])
        }
        let results = try await write(client, "contact", .create, items)
        guard results.allSatisfy(\.ok) else { throw TestKitError(description: "creates failed: \(results.filter { !$0.ok })") }
        let byRef = Dictionary(uniqueKeysWithValues: results.map { ($0.ref, $0.id ?? "") })
        return items.map { byRef[$0.ref] ?? "" }
    }
}

extension JSONValue {
    /// The cursor as a dictionary, for assertions.
    var cursorMembers: [String: JSONValue] { objectValue ?? [:] }
}
