import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkHTTP
import CrosswalkPlugins
import CrosswalkRuntime
import CrosswalkSandbox
import Foundation
import Logging

/// The NetSuite connector against the emulator: a full SuiteQL read of contacts, writes one record per call from
/// one instance and from several (the account's concurrency), and the same writes with NetSuite-like latency.
enum NetSuiteBenchmark: ConnectorBenchmark {
    static let name = "netsuite"

    static func run(records: Int) async throws {
        var logger = Logger(label: "connector-benchmark")
        logger.logLevel = .critical
        let webhooks = SandboxWebhookDispatcher(logger: logger, maxAttempts: 1, firstRetryDelay: .milliseconds(50))
        let app = NetSuiteApp(environment: webhooks.environment(for: "netsuite"))
        // About 2.5 contacts per seeded customer.
        let customers = max(1, records * 2 / 5)
        let seeding = ContinuousClock.now
        let server = try SandboxServer(configuration: SandboxConfiguration(basePort: 0, tlsApps: [], seedCount: customers, handlesSignals: false),
                                       apps: [app], webhooks: webhooks, logger: logger)
        let (readiness, ready) = AsyncStream.makeStream(of: SandboxReadiness.self)
        let task = Task {
            defer { ready.finish() }
            try await server.run { ready.yield($0) }
        }
        defer { task.cancel() }
        var base: URL?
        for await r in readiness { base = r.urls["netsuite"]; break }
        guard let base else { throw CrosswalkError(.internalError, "the sandbox did not start") }
        print("netsuite  seed  \(customers) customers in \(seconds(ContinuousClock.now - seeding)) s")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("connector-benchmark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("vault.key").path
        try VaultKeys.writeNewKey(toFile: key)
        let config = DeploymentConfig(plugins: PluginsConfig(paths: [], enabled: ["com.netsuite"]),
                                      store: .sqlite(path: dir.appendingPathComponent("crosswalk.db").path), vault: .keyFile(key))
        let runtime = try await HostRuntime.open(Deployment(config: config, file: "benchmark", options: RuntimeOptions()), logger: logger)
        typealias NS = NetSuiteDemoCredentials
        let connection = ConnectionConfig(name: "netsuite", connector: "com.netsuite",
                                          settings: .object(["base_url": .string(base.absoluteString), "account_id": .string(NS.accountId)]))
        try await runtime.vault.store(.netsuiteTBA(NetSuiteTBACredentials(accountID: NS.accountId, consumerKey: NS.consumerKey, consumerSecret: NS.consumerSecret,
                                                                          tokenID: NS.tokenId, tokenSecret: NS.tokenSecret)), name: "netsuite")
        let plugin = try runtime.plugin(for: connection)
        func client() async throws -> PluginConnectorClient { try await runtime.client(for: connection, plugin: plugin) }
        func control(_ method: String, _ path: String, _ body: String? = nil) async throws -> Data {
            let request = HTTPRequest(method: method, url: base.absoluteString + "/__sandbox/" + path,
                                      headers: body == nil ? [:] : ["Content-Type": "application/json"], body: Data((body ?? "").utf8))
            return try await runtime.transport.send(request).body
        }
        func calls() async throws -> Int {
            (try JSONSerialization.jsonObject(with: try await control("GET", "counters")) as? [String: Any])?["total"] as? Int ?? 0
        }
        func measure(_ metric: String, _ body: () async throws -> Int) async throws {
            _ = try await control("POST", "counters/reset")
            let start = ContinuousClock.now
            let n = try await body()
            let elapsed = ContinuousClock.now - start
            let c = try await calls()
            let rate = Double(n) / max(1e-9, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            print("netsuite  \(metric)  \(Int(rate.rounded())) records/s  (\(n) records in \(seconds(elapsed)) s, "
                  + String(format: "%.1f", Double(c) * 1000 / Double(max(1, n))) + " API calls per 1,000 records)")
        }

        let reader = try await client()
        _ = try await reader.discover(DiscoverRequest(objects: ["contact"]))
        try await measure("full_read_contacts") {
            var request = ReadRequest(object: "contact", limit: 1000)
            var n = 0
            while true {
                let page = try await reader.read(request)
                n += page.records.count
                guard page.hasMore else { return n }
                request.cursor = page.nextCursor
            }
        }

        let writes = min(records, 2000)
        func items(_ tag: String, _ count: Int) -> [WriteItem] {
            (0..<count).map { WriteItem(ref: "\(tag)\($0)", fields: ["firstName": .string("Bench\($0)"), "lastName": .string(tag), "email": .string("\(tag)\($0)@example.com")]) }
        }
        func write(_ clients: [PluginConnectorClient], _ tag: String, _ count: Int) async throws -> Int {
            let per = count / clients.count
            return try await withThrowingTaskGroup(of: Int.self) { group in
                for (i, c) in clients.enumerated() {
                    group.addTask {
                        var done = 0
                        let all = items("\(tag)\(i)x", per)
                        var start = 0
                        while start < all.count {
                            let batch = Array(all[start..<min(all.count, start + c.writeBatchLimit)])
                            start += batch.count
                            done += try await c.write(WriteRequest(object: "contact", operation: .create, records: batch)).results.filter(\.ok).count
                        }
                        return done
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        let one = [try await client()]
        let four = try await [client(), client(), client(), client()]
        try await measure("write_create_1_instance") { try await write(one, "a", writes) }
        try await measure("write_create_4_instances") { try await write(four, "b", writes) }
        // NetSuite takes hundreds of milliseconds per record; with 50 ms per request the account's concurrency matters.
        _ = try await control("POST", "faults", #"{"latency_ms":50}"#)
        let slow = min(writes, 200)
        try await measure("write_create_1_instance_50ms") { try await write(one, "c", slow) }
        try await measure("write_create_4_instances_50ms") { try await write(four, "d", slow) }
        _ = try await control("DELETE", "faults")
        for c in one + four { await c.close() }
        await reader.close()
        await runtime.close()
    }

    static func seconds(_ d: Duration) -> String {
        String(format: "%.2f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}
