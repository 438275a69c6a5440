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

/// The Aritic PinPoint connector against the Aritic emulator: a full read of seeded contacts (keyset pages of 200),
/// batch creates and updates through `/batch/new` and `/batch/edit` (200 a call), with the emulator's own call counters.
enum AriticBenchmark: ConnectorBenchmark {
    static let name = "aritic"

    static func run(records: Int) async throws {
        var logger = Logger(label: "connector-benchmark")
        logger.logLevel = .critical
        let webhooks = SandboxWebhookDispatcher(logger: logger, maxAttempts: 1, firstRetryDelay: .milliseconds(50))
        let app = AriticApp(environment: webhooks.environment(for: "aritic"))
        // The seed makes 1–4 contacts per company (about 2.5).
        let server = try SandboxServer(configuration: SandboxConfiguration(basePort: 0, tlsApps: [], seedCount: max(1, records * 2 / 5), handlesSignals: false),
                                       apps: [app], webhooks: webhooks, logger: logger)
        let (readiness, ready) = AsyncStream.makeStream(of: SandboxReadiness.self)
        let serving = Task {
            defer { ready.finish() }
            try await server.run { ready.yield($0) }
        }
        defer { serving.cancel() }
        var baseURL: String?
        for await r in readiness {
            baseURL = r.urls["aritic"]?.absoluteString
            break
        }
        guard let base = baseURL else { throw Failure("the sandbox did not start") }

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("connector-benchmark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("vault.key").path
        try VaultKeys.writeNewKey(toFile: key)
        let config = DeploymentConfig(plugins: PluginsConfig(paths: [], enabled: ["com.aritic"]),
                                      store: .sqlite(path: dir.appendingPathComponent("crosswalk.db").path), vault: .keyFile(key), connections: [:])
        let runtime = try await HostRuntime.open(Deployment(config: config, file: nil, options: RuntimeOptions()), logger: logger)
        defer { Task { await runtime.close() } }
        guard let plugin = runtime.scan.plugin("com.aritic") else {
            throw Failure("libCrosswalkAritic.so is not beside connector-benchmark: build it (swift build -c release)")
        }
        let demo = AriticApp.demoCredentials.dictionary
        try await runtime.vault.store(.basic(BasicCredentials(username: demo["username"] ?? "", password: demo["password"] ?? "")), name: "aritic")
        let aritic = try await runtime.client(for: ConnectionConfig(name: "aritic", connector: plugin.id,
                                                                    settings: .object(["base_url": .string(base)])), plugin: plugin)
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
        _ = try await aritic.check()

        // Full read: keyset pages of 200 (dateAdded, then dateModified, with id).
        _ = try await control("counters/reset", [:])
        var read = 0
        var started = ContinuousClock.now
        _ = try await PagedRead(request: ReadRequest(object: "contacts", limit: 200), all: true).run(aritic) { _, page in read += page.records.count }
        var elapsed = seconds(ContinuousClock.now - started)
        let readCalls = try await calls()
        report("full_read_contacts", Double(read), "records")
        report("full_read", Double(read) / elapsed, "records/s")
        report("full_read_calls_per_1000", Double(readCalls) * 1000 / Double(max(read, 1)), "calls")

        // Batch creates, then updates, 200 a call.
        let writes = min(records, 20_000)
        let items = (0..<writes).map { WriteItem(ref: "r\($0)", fields: ["firstname": .string("Bench \($0)"), "email": .string("bench\($0)@bench.example.com")]) }
        _ = try await control("counters/reset", [:])
        started = ContinuousClock.now
        var ids: [String] = []
        let created = try await BatchedWrite(object: "contacts", operation: .create, items: items).run(aritic) { result in
            if let id = result.id { ids.append(id) }
        }
        elapsed = seconds(ContinuousClock.now - started)
        guard created.outcomes[.created] == writes else { throw Failure("only \(created.outcomes[.created] ?? 0) of \(writes) created") }
        report("batch_create", Double(writes) / elapsed, "records/s")
        report("batch_create_calls_per_1000", Double(try await calls()) * 1000 / Double(writes), "calls")

        let updates = ids.enumerated().map { WriteItem(ref: "u\($0.offset)", id: $0.element, fields: ["position": "Benchmarked"]) }
        _ = try await control("counters/reset", [:])
        started = ContinuousClock.now
        let updated = try await BatchedWrite(object: "contacts", operation: .update, items: updates).run(aritic) { _ in }
        elapsed = seconds(ContinuousClock.now - started)
        guard updated.outcomes[.updated] == updates.count else { throw Failure("only \(updated.outcomes[.updated] ?? 0) updated") }
        report("batch_update", Double(updates.count) / elapsed, "records/s")
        report("batch_update_calls_per_1000", Double(try await calls()) * 1000 / Double(max(updates.count, 1)), "calls")
        await aritic.close()
    }

    static func report(_ metric: String, _ value: Double, _ unit: String) {
        let figure = value >= 100 ? String(format: "%.0f", value) : String(format: "%.3g", value)
        print("aritic      \(metric.padding(toLength: 34, withPad: " ", startingAt: 0))  \(String(repeating: " ", count: max(0, 10 - figure.count)))\(figure) \(unit)")
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
