import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnections
import CrosswalkCore
import CrosswalkHTTP
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkStore
import CrosswalkStoreSQLite
import CrosswalkTestKit
import Foundation
import Logging

/// A host as `crosswalk` assembles it — real SQLite store, real vault, real libcurl transport,
/// the real HTTP-probe plugin `.so` — pointed at a sandbox running in this process.
struct HostUnderTest {
    let sandbox: RunningSandbox
    let store: SQLiteStore
    let vault: Vault
    let host: ConnectionHost
    let logs: LogRecorder
    let probe: LoadedPlugin
    let transport: CurlTransport
    /// Where the SQLite files live.
    let databaseFolder: URL

    static func with<T>(apps: @escaping (SandboxWebhookDispatcher) -> [any SandboxApp] = { SandboxApps.all(webhooks: $0) },
                        _ body: (HostUnderTest) async throws -> T) async throws -> T {
        try await RunningSandbox.with(apps, configure: { $0.seedCount = 20 }) { sandbox in
            let dir = try TestFiles.temporaryFolder("connections")
            let (logger, logs) = LogRecorder.logger()
            let store = try await SQLiteStore.open(path: dir.appendingPathComponent("crosswalk.db").path, logger: logger)
            let vault = Vault(key: VaultKey.generate(), storage: StoreSealedStorage(store: store))
            let transport = try CurlTransport()
            let probe = try PluginLoader(logger: logger).load(path: TestFiles.builtPlugin("CrosswalkHTTPProbe"))
            let h = HostUnderTest(sandbox: sandbox, store: store, vault: vault,
                                  host: ConnectionHost(transport: transport, vault: vault, store: store, logger: logger),
                                  logs: logs, probe: probe, transport: transport, databaseFolder: dir)
            defer { transport.shutdown() }
            let result = try await body(h)
            await store.close()
            return result
        }
    }

    /// A probe instance for `app` with `credentials` stored in the vault under the connection's name.
    func probe(_ app: String, credentials: Credentials?, checkPath: String, objects: [String: String] = [:]) async throws -> PluginInstance {
        let name = "\(app)-conn"
        if let credentials { try await vault.store(credentials, name: name) }
        let settings: ConfigValue = .object([
            "base_url": .string(sandbox.urls[app]!.absoluteString), "check_path": .string(checkPath),
            "objects": .object(objects.mapValues { .string($0) }),
        ])
        return try await host.instantiate(connection: ConnectionConfig(name: name, connector: probe.id, settings: settings), plugin: probe)
    }

    /// Calls a sandbox control of `app`.
    func control(_ app: String, _ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        try await TestHTTP.send(method, sandbox.url(app, "/__sandbox/" + path), json: body).object
    }

    /// How often `app` saw `route` ("POST /services/oauth2/token").
    func count(_ app: String, _ route: String) async throws -> Int {
        let counters = try await control(app, "GET", "counters")
        return (counters["by_route"] as? [String: Int])?[route] ?? 0
    }

    /// The sandbox's request log for `app`.
    func requests(_ app: String) async throws -> [[String: Any]] {
        try await control(app, "GET", "requests")["requests"] as? [[String: Any]] ?? []
    }
}

/// The plugin's `check` result as a dictionary.
func check(_ instance: PluginInstance) async throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: try await instance.check()) as? [String: Any] ?? [:]
}
