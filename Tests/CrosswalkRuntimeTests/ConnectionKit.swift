import CrosswalkAuth
import CrosswalkConfig
import CrosswalkCore
import CrosswalkHTTP
import CrosswalkPlugins
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkStore
import CrosswalkStoreSQLite
import CrosswalkTestKit
import Foundation
import Logging

/// A host as `crosswalk` assembles it — a ``HostRuntime`` over a real SQLite store, a real vault
/// and the real libcurl transport, with the real HTTP-probe plugin `.so` — pointed at a sandbox
/// running in this process.
struct HostUnderTest {
    let sandbox: RunningSandbox
    let runtime: HostRuntime
    let logs: LogRecorder
    let probe: LoadedPlugin
    /// Where the SQLite files live.
    let databaseFolder: URL

    var store: any Store { runtime.store }
    var vault: Vault { runtime.vault }
    var transport: CurlTransport { runtime.transport }

    static func with<T>(apps: @escaping (SandboxWebhookDispatcher) -> [any SandboxApp] = { SandboxApps.all(webhooks: $0) },
                        _ body: (HostUnderTest) async throws -> T) async throws -> T {
        try await RunningSandbox.with(apps, configure: { $0.seedCount = 20 }) { sandbox in
            let dir = try TestFiles.temporaryFolder("connections")
            let (logger, logs) = LogRecorder.logger()
            let runtime = try await openRuntime(in: dir, logger: logger)
            let probe = try PluginLoader(logger: logger).load(path: TestFiles.builtPlugin("CrosswalkHTTPProbe"))
            let h = HostUnderTest(sandbox: sandbox, runtime: runtime, logs: logs, probe: probe, databaseFolder: dir)
            do {
                let result = try await body(h)
                await runtime.close()
                return result
            } catch {
                await runtime.close()
                throw error
            }
        }
    }

    /// A runtime over `dir`/crosswalk.db with a vault key file in `dir` (made when missing).
    static func openRuntime(in dir: URL, connections: [String: ConnectionConfig] = [:], logger: Logger) async throws -> HostRuntime {
        let key = dir.appendingPathComponent("vault.key").path
        if !FileManager.default.fileExists(atPath: key) { try VaultKeys.writeNewKey(toFile: key) }
        let config = DeploymentConfig(plugins: PluginsConfig(paths: [], enabled: ["dev.crosswalk.httpprobe"]),
                                      store: .sqlite(path: dir.appendingPathComponent("crosswalk.db").path), vault: .keyFile(key),
                                      connections: connections)
        return try await HostRuntime.open(Deployment(config: config, file: "test", options: RuntimeOptions(executableFolder: TestFiles.binFolder.path)),
                                          logger: logger)
    }

    /// A plugin instance for `connection` through the runtime (its connection context is made once per name).
    func instantiate(_ connection: ConnectionConfig, plugin: LoadedPlugin? = nil) async throws -> PluginInstance {
        try await runtime.client(for: connection, plugin: plugin ?? probe).instance
    }

    /// A probe instance for `app` with `credentials` stored in the vault under the connection's name.
    func probe(_ app: String, credentials: Credentials?, checkPath: String, objects: [String: String] = [:], name: String? = nil) async throws -> PluginInstance {
        let name = name ?? "\(app)-conn"
        if let credentials { try await vault.store(credentials, name: name) }
        let settings: ConfigValue = .object([
            "base_url": .string(sandbox.urls[app]!.absoluteString), "check_path": .string(checkPath),
            "objects": .object(objects.mapValues { .string($0) }),
        ])
        return try await instantiate(ConnectionConfig(name: name, connector: probe.id, settings: settings))
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
