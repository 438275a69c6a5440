import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkRuntime
import CrosswalkSandbox
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging

/// The Salesforce connector against the Salesforce emulator: a full read through REST query pages
/// (2,000 a call), the same through a Bulk API 2.0 query job, batch creates through sObject
/// Collections (200 a call), with the emulator's own call counters.
enum SalesforceBenchmark: ConnectorBenchmark {
    static let name = "salesforce"

    static func run(records: Int) async throws {
        var logger = Logger(label: "connector-benchmark")
        logger.logLevel = .critical
        let webhooks = SandboxWebhookDispatcher(logger: logger, maxAttempts: 1, firstRetryDelay: .milliseconds(50))
        let app = SalesforceApp(environment: webhooks.environment(for: "salesforce"))
        let server = try SandboxServer(configuration: SandboxConfiguration(basePort: 0, tlsApps: [], seedCount: 0, handlesSignals: false),
                                       apps: [app], webhooks: webhooks, logger: logger)
        let (readiness, ready) = AsyncStream.makeStream(of: SandboxReadiness.self)
        let serving = Task {
            defer { ready.finish() }
            try await server.run { ready.yield($0) }
        }
        defer { serving.cancel() }
        var baseURL: String?
        for await r in readiness {
            baseURL = r.urls["salesforce"]?.absoluteString
            break
        }
        guard let base = baseURL else { throw BenchmarkFailure("the sandbox did not start") }

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("connector-benchmark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("vault.key").path
        try VaultKeys.writeNewKey(toFile: key)
        let config = DeploymentConfig(plugins: PluginsConfig(paths: [], enabled: ["com.salesforce"]),
                                      store: .sqlite(path: dir.appendingPathComponent("crosswalk.db").path), vault: .keyFile(key), connections: [:])
        let runtime = try await HostRuntime.open(Deployment(config: config, file: nil, options: RuntimeOptions()), logger: logger)
        defer { Task { await runtime.close() } }
        guard let plugin = runtime.scan.plugin("com.salesforce") else {
            throw BenchmarkFailure("libCrosswalkSalesforce.so is not beside connector-benchmark: build it (swift build -c release)")
        }
        let demo = SalesforceApp.demoCredentials
        try await runtime.vault.store(.oauth2(OAuth2Credentials(flow: .clientCredentials, clientID: demo.clientID, clientSecret: demo.clientSecret,
                                                                clientAuthentication: .basic, tokenURL: base + "/services/oauth2/token")), name: "sf")
        func connector(_ name: String, _ settings: [String: ConfigValue]) async throws -> PluginConnectorClient {
            try await runtime.vault.store(try await runtime.vault.credentials(name: "sf")!, name: name)
            var all: [String: ConfigValue] = ["base_url": .string(base)]
            for (k, v) in settings { all[k] = v }
            return try await runtime.client(for: ConnectionConfig(name: name, connector: plugin.id, settings: .object(all)), plugin: plugin)
        }
        // The sandbox's controls and counters (plain HTTP, outside the host).
        func control(_ path: String, _ body: [String: Any]?) async throws -> [String: Any] {
            var request = URLRequest(url: URL(string: base + "/__sandbox/" + path)!)
            if let body {
                request.httpMethod = "POST"
                request.httpBody = try JSONSerialization.data(withJSONObject: body)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, _) = try await URLSession.shared.data(for: request)
            return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        }
        func calls(_ prefix: String) async throws -> Int {
            let routes = try await control("counters", nil)["by_route"] as? [String: Int] ?? [:]
            return routes.filter { $0.key.hasPrefix(prefix) }.values.reduce(0, +)
        }
        let stamp = Date().addingTimeInterval(-3600).formatted(.iso8601)
        _ = try await control("app/bulk_create", ["object": "Contact", "count": records, "systemModstamp": stamp])
        report("seeded_contacts", Double(records), "records")

        // Full read through REST query pages.
        let rest = try await connector("sf-rest", [:])
        _ = try await rest.check()
        _ = try await control("counters/reset", [:])
        var read = 0
        var started = ContinuousClock.now
        _ = try await PagedRead(request: ReadRequest(object: "Contact", limit: 2000), all: true).run(rest) { _, page in read += page.records.count }
        var elapsed = seconds(ContinuousClock.now - started)
        let restCalls = try await calls("GET ")
        report("full_read_rest", Double(read) / elapsed, "records/s")
        report("full_read_rest_calls_per_1000", Double(restCalls) * 1000 / Double(read), "calls")

        // Full read through a Bulk API 2.0 query job (bulk_threshold 0: after the first REST page).
        let bulk = try await connector("sf-bulk", ["bulk_threshold": 0, "bulk_poll_ms": 20, "bulk_result_set_size": 50_000])
        _ = try await bulk.check()
        _ = try await control("counters/reset", [:])
        read = 0
        started = ContinuousClock.now
        _ = try await PagedRead(request: ReadRequest(object: "Contact", limit: 2000), all: true).run(bulk) { _, page in read += page.records.count }
        elapsed = seconds(ContinuousClock.now - started)
        let bulkCalls = try await calls("")
        report("full_read_bulk", Double(read) / elapsed, "records/s")
        report("full_read_bulk_calls_per_1000", Double(bulkCalls) * 1000 / Double(read), "calls")

        // Batch creates through sObject Collections.
        let writes = min(records, 20_000)
        let items = (0..<writes).map { WriteItem(ref: "r\($0)", fields: ["LastName": .string("Bench \($0)"), "Company": "Crosswalk",
                                                                          "Email": .string("bench\($0)@example.com"), "LeadSource": "Web"]) }
        _ = try await rest.write(WriteRequest(object: "Lead", operation: .create, records: [WriteItem(ref: "warm", fields: ["LastName": "Warm", "Company": "C"])]))
        _ = try await control("counters/reset", [:])
        started = ContinuousClock.now
        let summary = try await BatchedWrite(object: "Lead", operation: .create, items: items).run(rest) { _ in }
        elapsed = seconds(ContinuousClock.now - started)
        let writeCalls = try await calls("POST /services/data/v60.0/composite/sobjects")
        guard summary.outcomes[.created] == writes else { throw BenchmarkFailure("only \(summary.outcomes[.created] ?? 0) of \(writes) created") }
        report("batch_create", Double(writes) / elapsed, "records/s")
        report("batch_create_calls_per_1000", Double(writeCalls) * 1000 / Double(writes), "calls")
        await rest.close()
        await bulk.close()
    }

    static func report(_ metric: String, _ value: Double, _ unit: String) {
        let figure = value >= 100 ? String(format: "%.0f", value) : String(format: "%.3g", value)
        print("salesforce  \(metric.padding(toLength: 34, withPad: " ", startingAt: 0))  \(String(repeating: " ", count: max(0, 10 - figure.count)))\(figure) \(unit)")
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    struct BenchmarkFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
