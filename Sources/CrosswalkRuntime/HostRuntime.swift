import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkHTTP
import CrosswalkPlugins
import CrosswalkStore
import CrosswalkStoreSQLite
import CrosswalkStorePostgres
import Foundation
import Logging

/// The composition root of a host: config → store → vault → transport → one
/// ``ConnectionContext`` per connection → plugin instances as ``ConnectorClient``s.
///
/// The CLI, `crosswalk serve` and the tests build a host through this type and nothing else, so
/// every caller gets the same wiring: one credential broker, rate limiter and concurrency cap per
/// connection however many instances and flows use it.
///
/// ```swift
/// try await HostRuntime.with(RuntimeOptions(configPath: "crosswalk.yaml"), logger: logger) { runtime in
///     let client = try await runtime.client(for: "hubspot")
///     defer { Task { await client.close() } }
///     let page = try await client.read(ReadRequest(object: "contacts"))
/// }
/// ```
public final class HostRuntime: Sendable {
    /// The deployment as the host works on it: the config file's, with the connections created
    /// through the admin API merged in (the file's win on a name clash).
    public var deployment: Deployment { overlayState.withLock { $0.merged } }
    /// The config file's deployment and what the admin API keeps beside it.
    public var overlay: AdminOverlay { overlayState.withLock { $0 } }
    private let overlayState: LockedValue<AdminOverlay>
    public let store: any Store
    public let vault: Vault
    public let transport: CurlTransport
    public let logger: Logger
    public let scan: PluginScan
    private let contexts = ContextRegistry()

    init(deployment: Deployment, store: any Store, vault: Vault, transport: CurlTransport, logger: Logger, scan: PluginScan) {
        overlayState = LockedValue(AdminOverlay(file: deployment))
        self.store = store
        self.vault = vault
        self.transport = transport
        self.logger = logger
        self.scan = scan
    }

    /// Opens the store and the vault the deployment names, and loads the plugins.
    /// - Throws: `.config` for a config with problems or an unavailable store, `.vault` when the
    ///   vault key cannot be had, `.store` when the database cannot be opened.
    public static func open(_ options: RuntimeOptions, logger: Logger) async throws -> HostRuntime {
        try await open(Deployment.load(options), logger: logger)
    }

    /// Opens a host over an already loaded deployment.
    public static func open(_ deployment: Deployment, logger: Logger) async throws -> HostRuntime {
        let key = try VaultKeys.load(deployment.config.vault, environment: deployment.options.environment)
        let store: any Store
        switch deployment.config.store {
        case .sqlite(let path): store = try await SQLiteStore.open(path: path, logger: logger)
        case .postgres(let url, let passwordSource):
            var configuration = try postgresConfiguration(url: url, password: passwordSource, environment: deployment.options.environment)
            // A host paused inside a commit loses its session (and the lease row's lock) once its lease has lapsed.
            configuration.idleInTransactionTimeout = deployment.config.service.leaseTTL
            store = try await PostgresStore.open(configuration, logger: logger)
        }
        let transport: CurlTransport
        do {
            transport = try CurlTransport(configuration: CurlTransportConfiguration(
                caBundlePath: deployment.options.environment["CROSSWALK_CA_BUNDLE"], userAgent: "Crosswalk/\(CrosswalkVersion.current)"))
        } catch {
            try? await store.close()
            throw error
        }
        let scan = deployment.pluginLoader(logger: logger).scan(folders: deployment.pluginFolders)
        let runtime = HostRuntime(deployment: deployment, store: store, vault: Vault(key: key, storage: StoreSealedStorage(store: store)),
                                  transport: transport, logger: logger, scan: scan)
        do { try await runtime.loadAdminDocuments() } catch {
            await runtime.close()
            throw error
        }
        return runtime
    }

    /// Changes what the admin API keeps (a connection, model or flow created or removed, or the
    /// config file read again); the connection contexts of `changed` connections are dropped so
    /// their next use is made from the new definition.
    public func updateOverlay(changed: Set<String> = [], _ body: (inout AdminOverlay) -> Void) async {
        overlayState.withLock { body(&$0) }
        for name in changed { await contexts.drop(name) }
    }

    /// Reads the connections, models and flows the admin API stored.
    public func loadAdminDocuments() async throws {
        var connections: [String: APIConnection] = [:]
        var models: [String: APIModel] = [:]
        var flows: [String: StoredFlow] = [:]
        for d in try await store.documents(kind: .connection) {
            do { connections[d.name] = try JSONDecoder().decode(APIConnection.self, from: Data(d.json.utf8)) } catch {
                logger.error("a stored connection cannot be read; it is left out", metadata: ["connection": "\(d.name)"])
            }
        }
        for d in try await store.documents(kind: .model) {
            do { models[d.name] = try JSONDecoder().decode(APIModel.self, from: Data(d.json.utf8)) } catch {
                logger.error("a stored model cannot be read; it is left out", metadata: ["model": "\(d.name)"])
            }
        }
        for f in try await store.flows() { flows[f.name] = f }
        await updateOverlay { overlay in
            overlay.connections = connections
            overlay.models = models
            overlay.flows = flows
        }
    }

    /// Opens a host, runs `body`, and closes the host whatever happens.
    public static func with<T>(_ options: RuntimeOptions, logger: Logger, _ body: (HostRuntime) async throws -> T) async throws -> T {
        let runtime = try await open(options, logger: logger)
        do {
            let result = try await body(runtime)
            await runtime.close()
            return result
        } catch {
            await runtime.close()
            throw error
        }
    }

    /// The connection named `name` in the config.
    public func connection(_ name: String) throws -> ConnectionConfig { try deployment.connection(name) }

    /// The enabled, loaded plugin for a connection.
    /// - Throws: `.config` when it is not enabled, `.pluginRefused` when it was refused or not found.
    public func plugin(for connection: ConnectionConfig) throws -> LoadedPlugin {
        guard deployment.enabled.contains(connection.connector) else {
            throw CrosswalkError(.config, "connection \(connection.name) uses \(connection.connector), which is not in plugins.enabled",
                                 context: ["connection": connection.name])
        }
        guard let plugin = scan.plugin(connection.connector) else {
            let refusal = scan.refused.map(\.description).joined(separator: "\n")
            throw CrosswalkError(.pluginRefused, "no loaded plugin with id \(connection.connector)" + (refusal.isEmpty ? "" : "\n\(refusal)"),
                                 context: ["connection": connection.name, "plugin": connection.connector])
        }
        return plugin
    }

    /// The connection's one context in this process, made on first use.
    public func context(for name: String) async throws -> ConnectionContext {
        let connection = try connection(name)
        return try await context(for: connection, plugin: try plugin(for: connection))
    }

    /// The context of `connection` served by `plugin` (which need not be enabled: `plugins check`).
    public func context(for connection: ConnectionConfig, plugin: LoadedPlugin) async throws -> ConnectionContext {
        try await contexts.context(for: connection.name, plugin: plugin.id) { [self] in
            try await ConnectionContext.make(connection: connection, pluginID: plugin.id, manifest: plugin.manifest, transport: transport,
                                             vault: vault, store: store, logger: logger)
        }
    }

    /// The connection's context when this process has made it already, else `nil` (none is made):
    /// what the dashboard reads the rate limiter of.
    public func existingContext(for name: String) async -> ConnectionContext? {
        guard let connection = try? connection(name) else { return nil }
        return await contexts.existing(for: name, plugin: connection.connector)
    }

    /// A new plugin instance of the connection named `name`, over its shared context.
    public func client(for name: String) async throws -> any ConnectorClient {
        let connection = try connection(name)
        return try await client(for: connection, plugin: try plugin(for: connection))
    }

    /// A new instance of `plugin` for `connection`. Every plugin instance of the host is made here
    /// (the one factory `plugins check`, the CLI and the engine share).
    public func client(for connection: ConnectionConfig, plugin: LoadedPlugin) async throws -> PluginConnectorClient {
        let context = try await context(for: connection, plugin: plugin)
        let instance = try await plugin.instantiate(connection: connection.name, settings: Data(connection.settings.jsonData()),
                                                    services: context.services(), logger: logger)
        return PluginConnectorClient(instance: instance)
    }

    /// The integration user's id in the app, when the connection's credentials say it (Salesforce's
    /// identity URL): records last modified by it are recognised as echoes of Crosswalk's own writes.
    public func integrationUser(for name: String) async -> String? {
        guard let connection = try? connection(name), let plugin = try? plugin(for: connection),
              let context = try? await context(for: connection, plugin: plugin) else { return nil }
        return await context.facts().userID
    }

    /// Closes the store and stops the transport.
    public func close() async {
        try? await store.close()
        transport.shutdown()
    }
}

/// One context per connection name; made once even when two callers ask at the same moment.
actor ContextRegistry {
    private var contexts: [String: Task<ConnectionContext, any Error>] = [:]

    /// The context made for `name` and `plugin`, if any (a failed one counts as none).
    func existing(for name: String, plugin: String) async -> ConnectionContext? {
        guard let task = contexts[name + "\u{0}" + plugin] else { return nil }
        return try? await task.value
    }

    /// Forgets the contexts of connection `name` (it was changed or removed).
    func drop(_ name: String) {
        for key in contexts.keys where key.hasPrefix(name + "\u{0}") { contexts[key] = nil }
    }

    func context(for name: String, plugin: String, make: @escaping @Sendable () async throws -> ConnectionContext) async throws -> ConnectionContext {
        let key = name + "\u{0}" + plugin
        if let existing = contexts[key] { return try await existing.value }
        let task = Task { try await make() }
        contexts[key] = task
        do { return try await task.value } catch {
            contexts[key] = nil
            throw error
        }
    }
}

/// Finding the vault key the config names.
public enum VaultKeys {
    /// - Throws: `.vault` saying how to provide the key.
    public static func load(_ config: VaultConfig, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> VaultKey {
        switch config {
        case .keyEnvironment(let name):
            guard let key = try VaultKey.fromEnvironment(name, environment: environment) else {
                throw CrosswalkError(.vault, "the vault key is not set: export \(name)=<base64 key> (make one with `crosswalk vault init --print`) or set vault.key_file in the config")
            }
            return key
        case .keyFile(let path): return try VaultKey.fromFile(path)
        }
    }

    /// A new random key, base64, for `CROSSWALK_VAULT_KEY`.
    public static func newKeyBase64() -> String { VaultKey.generate().base64 }

    /// Writes a new random key to `path` (mode 0600).
    /// - Throws: `.vault` when the file exists or cannot be written.
    public static func writeNewKey(toFile path: String) throws { try VaultKey.generate().write(toFile: path) }
}

/// The PostgreSQL store's settings from the config: the URL, and the password from its environment
/// variable (a variable that is named but not set is a config error naming it, never its value).
func postgresConfiguration(url: URL, password source: SecretSource?, environment: [String: String]) throws -> PostgresStoreConfiguration {
    var password: String?
    switch source {
    case .environment(let name)?:
        guard let value = environment[name], !value.isEmpty else {
            throw CrosswalkError(.config, "store.postgres.password names the environment variable \(name), which is not set", context: ["variable": name])
        }
        password = value
    case .vault?:
        throw CrosswalkError(.config, "the store's password cannot come from the vault, which is kept in the store")
    case nil:
        password = nil
    }
    return try PostgresStoreConfiguration(url: url.absoluteString, password: password)
}
