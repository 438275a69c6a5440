import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnections
import CrosswalkCore
import CrosswalkHTTP
import CrosswalkPlugins
import CrosswalkStore
import CrosswalkStoreSQLite
import Foundation
import Logging

/// The parts of a running host the commands share: store, vault, transport, plugins.
struct HostRuntime {
    let deployment: Deployment
    let store: any Store
    let vault: Vault
    let transport: CurlTransport
    let logger: Logger
    let scan: PluginScan

    var connections: ConnectionHost { ConnectionHost(transport: transport, vault: vault, store: store, logger: logger) }

    /// Opens the runtime, runs `body`, and closes the runtime whatever happens.
    static func with<T>(_ options: GlobalOptions, _ body: (HostRuntime) async throws -> T) async throws -> T {
        let runtime = try await open(options)
        do {
            let result = try await body(runtime)
            await runtime.close()
            return result
        } catch {
            await runtime.close()
            throw error
        }
    }

    /// Opens the store and the vault named by the deployment config and loads the plugins.
    static func open(_ options: GlobalOptions) async throws -> HostRuntime {
        let deployment = try Deployment.load(options)
        let logger = options.makeLogger()
        let store: any Store
        switch deployment.config.store {
        case .sqlite(let path): store = try await SQLiteStore.open(path: path, logger: logger)
        case .postgres:
            throw CleanExit.message("store: PostgreSQL is not available in this build yet; use sqlite", code: 2)
        }
        let key = try VaultKeys.load(deployment.config.vault)
        let transport = try CurlTransport(configuration: CurlTransportConfiguration(
            caBundlePath: ProcessInfo.processInfo.environment["CROSSWALK_CA_BUNDLE"], userAgent: "Crosswalk/\(CrosswalkVersion.current)"))
        let scan = PluginLoader(logger: logger).scan(folders: deployment.pluginFolders)
        return HostRuntime(deployment: deployment, store: store, vault: Vault(key: key, storage: StoreSealedStorage(store: store)),
                           transport: transport, logger: logger, scan: scan)
    }

    /// The connection named `name` in the config, with a clear error otherwise.
    func connection(_ name: String) throws -> ConnectionConfig {
        guard let c = deployment.config.connections[name] else {
            let known = deployment.config.connections.keys.sorted()
            throw CleanExit.message("no connection \"\(name)\" in \(deployment.file ?? "the default config")" +
                (known.isEmpty ? " (it defines none)" : "; known: \(known.joined(separator: ", "))"), code: 2)
        }
        return c
    }

    /// The enabled, loaded plugin for a connection.
    func plugin(for connection: ConnectionConfig) throws -> LoadedPlugin {
        guard deployment.enabled.contains(connection.connector) else {
            throw CleanExit.message("connection \(connection.name) uses \(connection.connector), which is not in plugins.enabled", code: 2)
        }
        guard let plugin = scan.plugin(connection.connector) else {
            let refusal = scan.refused.map(\.description).joined(separator: "\n")
            throw CleanExit.message("no loaded plugin with id \(connection.connector)" + (refusal.isEmpty ? "" : "\n\(refusal)"), code: 2)
        }
        return plugin
    }

    func close() async {
        try? await store.close()
        transport.shutdown()
    }
}

/// Finding the vault key the config names.
enum VaultKeys {
    static func load(_ config: VaultConfig) throws -> VaultKey {
        do {
            switch config {
            case .keyEnvironment(let name):
                guard let key = try VaultKey.fromEnvironment(name) else {
                    throw CrosswalkError(.vault, "the vault key is not set: export \(name)=<base64 key> (make one with `crosswalk vault init --print`) or set vault.key_file in the config")
                }
                return key
            case .keyFile(let path): return try VaultKey.fromFile(path)
            }
        } catch let e as CrosswalkError {
            throw CleanExit.message(e.message, code: 2)
        }
    }
}
