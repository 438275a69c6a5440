import Foundation

/// A Crosswalk deployment, as read from `crosswalk.yaml`: which plugins to load, where state
/// lives, how the vault gets its key, and the named connections and flows.
///
/// All paths are absolute: relative paths in the file are resolved against the file's folder.
public struct DeploymentConfig: Sendable, Equatable {
    /// The only format version this build reads.
    public static let currentVersion = 1

    public var version: Int
    public var plugins: PluginsConfig
    public var store: StoreConfig
    public var vault: VaultConfig
    /// Where the local emulators run; `nil` when the file has no `sandbox:` section.
    public var sandbox: SandboxConfig?
    /// Connections by name.
    public var connections: [String: ConnectionConfig]
    /// Flows by name, kept raw until the flow format is defined.
    public var flows: [String: FlowConfig]
    /// How `crosswalk serve` listens and finds its admin token; the defaults when the file has no
    /// `service:` section.
    public var service: ServiceConfig

    public init(version: Int = DeploymentConfig.currentVersion, plugins: PluginsConfig, store: StoreConfig,
                vault: VaultConfig = .default, sandbox: SandboxConfig? = nil,
                connections: [String: ConnectionConfig] = [:], flows: [String: FlowConfig] = [:], service: ServiceConfig = ServiceConfig()) {
        self.service = service
        self.version = version
        self.plugins = plugins
        self.store = store
        self.vault = vault
        self.sandbox = sandbox
        self.connections = connections
        self.flows = flows
    }

    /// The configuration used when no file is given: plugins from `<base>/plugins` (none enabled),
    /// SQLite at `<base>/crosswalk.db`, vault key from `CROSSWALK_VAULT_KEY`, no connections.
    public static func `default`(baseDirectory: String) -> DeploymentConfig {
        DeploymentConfig(plugins: PluginsConfig(paths: [resolve("./plugins", against: baseDirectory)]),
                         store: .sqlite(path: resolve("./crosswalk.db", against: baseDirectory)))
    }

    /// The folders to scan for plugins: `plugins.paths`, then each folder of `CROSSWALK_PLUGIN_PATH`
    /// (colon-separated; relative entries resolve against the current directory), without repeats.
    public func pluginSearchPaths(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let cwd = FileManager.default.currentDirectoryPath
        let extra = (environment["CROSSWALK_PLUGIN_PATH"] ?? "").split(separator: ":").map {
            resolve(String($0), against: cwd)
        }
        var seen = Set<String>()
        return (plugins.paths + extra).filter { seen.insert($0).inserted }
    }
}

/// Where plugins are found and which of them are instantiated, and how their code runs.
public struct PluginsConfig: Sendable, Equatable {
    /// Folders scanned for `*.so`, absolute.
    public var paths: [String]
    /// Plugin ids to instantiate; other plugins found are loaded and listed but not enabled.
    public var enabled: [String]
    /// `plugins.isolation`: where plugin code runs; `nil` for the default (process).
    public var isolation: PluginIsolationSetting?
    /// `plugins.deadlines`: per operation (`check`, `discover`, `read`, `write`, `parse_webhook`,
    /// `create`), replacing the defaults for the operations named.
    public var deadlines: [String: Duration]
    /// `plugins.max_result_bytes`: the largest result a plugin may hand back; `nil` for the default.
    public var maxResultBytes: Int?

    /// The operations `plugins.deadlines` names.
    public static let deadlineOperations = ["check", "discover", "read", "write", "parse_webhook", "create"]

    public init(paths: [String], enabled: [String] = [], isolation: PluginIsolationSetting? = nil,
                deadlines: [String: Duration] = [:], maxResultBytes: Int? = nil) {
        self.paths = paths
        self.enabled = enabled
        self.isolation = isolation
        self.deadlines = deadlines
        self.maxResultBytes = maxResultBytes
    }
}

/// `plugins.isolation`.
public enum PluginIsolationSetting: String, Sendable, Equatable, CaseIterable {
    /// Each plugin runs in a worker child process (the default).
    case process
    /// Plugins run inside the host's process (benchmarks, embedding).
    case none
}

/// Where Crosswalk keeps its state.
public enum StoreConfig: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite database file (absolute path).
    case sqlite(path: String)
    /// A PostgreSQL server: its URL (never with a password; the reader refuses one) and where the
    /// password comes from (`nil`: none, for `trust` or peer authentication).
    case postgres(url: URL, password: SecretSource?)

    /// A description without secrets.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url, _):
            guard var parts = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "postgres:***" }
            if parts.password != nil { parts.password = "***" }
            return "postgres:\(parts.string ?? "***")"
        }
    }
}

/// Where the vault's master key comes from. The vault itself checks the key file's mode.
public enum VaultConfig: Sendable, Equatable {
    /// The name of an environment variable holding the key.
    case keyEnvironment(String)
    /// The absolute path of a file holding the key (must be mode 0600).
    case keyFile(String)

    /// `CROSSWALK_VAULT_KEY`.
    public static let `default` = VaultConfig.keyEnvironment("CROSSWALK_VAULT_KEY")
}

/// `service:`: where `crosswalk serve` listens, the base URL apps call it at, and where its admin
/// API token comes from. The token itself is never in the file: it is read from an environment
/// variable (default `CROSSWALK_ADMIN_TOKEN`) or from a vault entry.
///
/// ```yaml
/// service:
///   listen: 127.0.0.1:8080
///   public_url: https://crosswalk.example.com   # what apps call; default http://<listen>
///   admin_token: {env: CROSSWALK_ADMIN_TOKEN}   # or {vault: admin-token}
///   notifications:                              # optional: failed runs posted to a chat webhook
///     webhook_url: {env: CROSSWALK_NOTIFY_URL}  # or {vault: slack-webhook}; the URL is a secret
///     failure_rate: 0.1                         # a run with more than 10% failed records alerts
///     min_records: 10                           # …when it handled at least this many
/// ```
public struct ServiceConfig: Sendable, Equatable {
    /// The default listen address: loopback only.
    public static let defaultListen = "127.0.0.1:8080"
    /// `host:port` (`[::1]:8080` for IPv6); `--listen` overrides it.
    public var listen: String
    /// The service's base URL as the apps call it (`https://crosswalk.example.com`, or with a path
    /// prefix behind a proxy), without a trailing slash; `nil` means the bound listen address over
    /// http. Webhook URLs are this joined with `/hooks/CONNECTION`: apps that sign the URL (HubSpot
    /// v3) signed that one, not the socket's.
    public var publicURL: String?
    public var adminToken: AdminTokenSource
    /// Where failed runs are announced; `nil`: nowhere.
    public var notifications: NotificationsConfig?
    /// With a shared (PostgreSQL) store: how long a host's lease on a flow lasts without renewal;
    /// a host that dies loses its flows to another after at most this long. Renewed every third of it.
    public var leaseTTL: Duration = .seconds(15)

    public init(listen: String = ServiceConfig.defaultListen, publicURL: String? = nil, adminToken: AdminTokenSource = .default,
                notifications: NotificationsConfig? = nil) {
        self.listen = listen
        self.publicURL = publicURL
        self.adminToken = adminToken
        self.notifications = notifications
    }
}

/// Where a secret the service needs (its admin token, a notification webhook URL) is read from;
/// never from the file itself.
public enum SecretSource: Sendable, Equatable {
    /// An environment variable holding the secret.
    case environment(String)
    /// A vault entry holding it as `api_key` credentials (its `key`).
    case vault(String)
}

/// Where the admin API's bearer token is read from.
public typealias AdminTokenSource = SecretSource

extension SecretSource {
    /// `CROSSWALK_ADMIN_TOKEN`.
    public static let `default` = SecretSource.environment("CROSSWALK_ADMIN_TOKEN")
}

/// `service.notifications`: a chat webhook (Slack's incoming webhooks, or anything that takes
/// Slack's `{"text": …}`) told once when a flow starts failing — a run that failed, or one whose
/// share of failed records passed `failureRate` — and once when it recovers; never once per record.
public struct NotificationsConfig: Sendable, Equatable {
    /// Where the webhook URL is read from (it carries its own credential, so it is a secret).
    public var webhookURL: SecretSource
    /// The share of a run's records that may fail before it alerts, 0…1 (default 0.1).
    public var failureRate: Double
    /// A run that handled fewer records alerts only when it failed as a whole (default 10).
    public var minRecords: Int

    public init(webhookURL: SecretSource, failureRate: Double = 0.1, minRecords: Int = 10) {
        self.webhookURL = webhookURL
        self.failureRate = failureRate
        self.minRecords = minRecords
    }
}

/// Where the local emulators listen.
public struct SandboxConfig: Sendable, Equatable {
    public static let defaultPort = 8400
    public var port: Int

    public init(port: Int = SandboxConfig.defaultPort) { self.port = port }
}

/// A named connection to one app through one connector plugin.
public struct ConnectionConfig: Sendable, Equatable {
    /// `[a-z0-9][a-z0-9_-]*`.
    public var name: String
    /// The plugin id, e.g. `com.salesforce`. Whether it is enabled is the loader's concern.
    public var connector: String
    /// Free-form settings handed to the plugin as JSON; always an object.
    public var settings: ConfigValue
    /// The vault entry holding this connection's secrets; defaults to the connection name.
    public var credentials: String

    public init(name: String, connector: String, settings: ConfigValue = [:], credentials: String? = nil) {
        self.name = name
        self.connector = connector
        self.settings = settings
        self.credentials = credentials ?? name
    }
}

/// A named flow, kept as raw values until the flow format is defined.
public struct FlowConfig: Sendable, Equatable {
    public var name: String
    public var fields: [String: ConfigValue]

    public init(name: String, fields: [String: ConfigValue]) {
        self.name = name
        self.fields = fields
    }
}

/// `path` made absolute against `base` and cleaned of `.` and `..` (lexically, no symlinks followed).
func resolve(_ path: String, against base: String) -> String {
    let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: base).appendingPathComponent(path)
    return url.standardized.path
}

extension ServiceConfig {
    /// `public_url` checked and normalised (no trailing slash), or why it is not one: an absolute
    /// `http` or `https` URL with a host, no user info, query or fragment.
    public static func parsePublicURL(_ text: String) -> Result<String, PublicURLProblem> {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            return .failure(PublicURLProblem(message: "expected an absolute URL such as https://crosswalk.example.com; found '\(text)'"))
        }
        guard scheme == "http" || scheme == "https" else {
            return .failure(PublicURLProblem(message: "expected an http or https URL; found the scheme '\(scheme)'"))
        }
        guard components.user == nil, components.password == nil else {
            return .failure(PublicURLProblem(message: "a public URL carries no user name or password"))
        }
        guard components.query == nil, components.fragment == nil else {
            return .failure(PublicURLProblem(message: "a public URL has no query or fragment; found '\(text)'"))
        }
        var normalised = text
        while normalised.hasSuffix("/") { normalised.removeLast() }
        return .success(normalised)
    }

    /// Why a `public_url` was refused.
    public struct PublicURLProblem: Error, Sendable, Equatable {
        public var message: String
    }

    /// `host:port` split, the host without brackets; `nil` when it is not one.
    public static func parseListen(_ text: String) -> (host: String, port: Int)? {
        let host: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            if host.contains(":") { return nil }
        }
        guard !host.isEmpty, let number = Int(port), (0...65535).contains(number) else { return nil }
        return (String(host), number)
    }
}
