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

/// The HubSpot connector against the HubSpot emulator (search-index lag 1 s): a full read of seeded contacts (list
/// pages of 100, every property), batch creates and updates (100 a call), then an incremental read of the updated
/// records (search pages of 200, paced at 4 searches a second), with the emulator's own call counters.
enum HubSpotBenchmark: ConnectorBenchmark {
    static let name = "hubspot"

    static func run(records: Int) async throws {
        var logger = Logger(label: "connector-benchmark")
        logger.logLevel = .critical
        let webhooks = SandboxWebhookDispatcher(logger: logger, maxAttempts: 1, firstRetryDelay: .milliseconds(50))
        let app = HubSpotApp(environment: webhooks.environment(for: "hubspot"))
        // The seed makes 3 contacts per company.
        let server = try SandboxServer(configuration: SandboxConfiguration(basePort: 0, tlsApps: [], seedCount: max(1, records / 3), handlesSignals: false),
                                       apps: [app], webhooks: webhooks, logger: logger)
        let (readiness, ready) = AsyncStream.makeStream(of: SandboxReadiness.self)
        let serving = Task {
            defer { ready.finish() }
            try await server.run { ready.yield($0) }
        }
        defer { serving.cancel() }
        var baseURL: String?
        for await r in readiness {
            baseURL = r.urls["hubspot"]?.absoluteString
            break
        }
        guard let base = baseURL else { throw Failure("the sandbox did not start") }

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("connector-benchmark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("vault.key").path
        try VaultKeys.writeNewKey(toFile: key)
        let config = DeploymentConfig(plugins: PluginsConfig(paths: [], enabled: ["com.hubspot"]),
                                      store: .sqlite(path: dir.appendingPathComponent("crosswalk.db").path), vault: .keyFile(key), connections: [:])
        let runtime = try await HostRuntime.open(Deployment(config: config, file: nil, options: RuntimeOptions()), logger: logger)
        defer { Task { await runtime.close() } }
        guard let plugin = runtime.scan.plugin("com.hubspot") else {
            throw Failure("libCrosswalkHubSpot.so is not beside connector-benchmark: build it (swift build -c release)")
        }
        try await runtime.vault.store(.apiKey(.bearer(HubSpotDemoCredentials.privateAppToken)), name: "hubspot")
        let hubspot = try await runtime.client(for: ConnectionConfig(name: "hubspot", connector: plugin.id,
                                                                     settings: .object(["base_url": .string(base), "settle_ms": 1500, "lookback_ms": 5000])),
                                               plugin: plugin)
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
        func calls() async throws -> Int {
            let routes = try await control("counters", nil)["by_route"] as? [String: Int] ?? [:]
            return routes.filter { !$0.key.contains("/__sandbox") }.values.reduce(0, +)
        }
        _ = try await control("app/search_lag", ["ms": 1000])
        _ = try await hubspot.check()

        // Full read: list pages of 100, every property of the portal.
        _ = try await control("counters/reset", [:])
        var read = 0
        var cursor: JSONValue?
        var started = ContinuousClock.now
        _ = try await PagedRead(request: ReadRequest(object: "contacts", limit: 100), all: true).run(hubspot) { _, page in
            read += page.records.count
            cursor = page.nextCursor
        }
        var elapsed = seconds(ContinuousClock.now - started)
        let readCalls = try await calls()
        report("full_read_contacts", Double(read), "records")
        report("full_read", Double(read) / elapsed, "records/s")
        report("full_read_calls_per_1000", Double(readCalls) * 1000 / Double(max(read, 1)), "calls")

        // Batch creates, then updates, 100 a call.
        let writes = min(records, 20_000)
        let items = (0..<writes).map { WriteItem(ref: "r\($0)", fields: ["firstname": .string("Bench \($0)"), "email": .string("bench\($0)@bench.example.com")]) }
        _ = try await control("counters/reset", [:])
        started = ContinuousClock.now
        var ids: [String] = []
        let created = try await BatchedWrite(object: "contacts", operation: .create, items: items).run(hubspot) { result in
            if let id = result.id { ids.append(id) }
        }
        elapsed = seconds(ContinuousClock.now - started)
        guard created.outcomes[.created] == writes else { throw Failure("only \(created.outcomes[.created] ?? 0) of \(writes) created") }
        report("batch_create", Double(writes) / elapsed, "records/s")
        report("batch_create_calls_per_1000", Double(try await calls()) * 1000 / Double(writes), "calls")

        let updates = ids.enumerated().map { WriteItem(ref: "u\($0.offset)", id: $0.element, fields: ["jobtitle": "Benchmarked"]) }
        _ = try await control("counters/reset", [:])
        started = ContinuousClock.now
        let updated = try await BatchedWrite(object: "contacts", operation: .update, items: updates).run(hubspot) { _ in }
        elapsed = seconds(ContinuousClock.now - started)
        guard updated.outcomes[.updated] == updates.count else { throw Failure("only \(updated.outcomes[.updated] ?? 0) updated") }
        report("batch_update", Double(updates.count) / elapsed, "records/s")
        report("batch_update_calls_per_1000", Double(try await calls()) * 1000 / Double(max(updates.count, 1)), "calls")

        // Incremental read of what changed since the full read (the creates and updates), once search has indexed it.
        let settled = Date().addingTimeInterval(1.6)
        while Date() < settled { try await Task.sleep(for: .milliseconds(50)) }
        _ = try await control("counters/reset", [:])
        var changed = 0
        started = ContinuousClock.now
        _ = try await PagedRead(request: ReadRequest(object: "contacts", cursor: cursor, limit: 200), all: true).run(hubspot) { _, page in
            changed += page.records.count
        }
        elapsed = seconds(ContinuousClock.now - started)
        report("incremental_read_records", Double(changed), "records")
        report("incremental_read", Double(changed) / elapsed, "records/s")
        report("incremental_read_calls_per_1000", Double(try await calls()) * 1000 / Double(max(changed, 1)), "calls")
        await hubspot.close()
    }

    static func report(_ metric: String, _ value: Double, _ unit: String) {
        let figure = value >= 100 ? String(format: "%.0f", value) : String(format: "%.3g", value)
        print("hubspot     \(metric.padding(toLength: 34, withPad: " ", startingAt: 0))  \(String(repeating: " ", count: max(0, 10 - figure.count)))\(figure) \(unit)")
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
