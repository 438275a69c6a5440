import CrosswalkCore
import Foundation

/// Where a plugin's code runs.
public enum PluginIsolation: String, Sendable, Hashable, CaseIterable {
    /// Each plugin runs in a worker child process (`crosswalk plugin-worker`) that the host starts:
    /// a crash or a hang costs the call, never the host. The default.
    case process
    /// Plugins are `dlopen`ed into the host's own process: fastest, for benchmarks and embedding;
    /// a plugin that crashes takes the host down.
    case none
}

/// The operations of a plugin, as deadlines, errors and the worker protocol name them.
public enum PluginOperation: String, Sendable, Hashable, CaseIterable {
    case create, check, discover, read, write
    case parseWebhook = "parse_webhook"
    case destroy
    /// A batch of mapping-function calls.
    case functions
}

/// How long each kind of plugin call may take before the host gives up on it.
///
/// Past its deadline a call fails with `.timeout` naming the plugin and the operation; the plugin
/// learns the deadline as `deadline_ms` and through `crosswalk.cancel/1`.
public struct PluginDeadlines: Sendable, Hashable {
    public var check: Duration
    public var discover: Duration
    public var read: Duration
    public var write: Duration
    public var parseWebhook: Duration
    public var create: Duration
    /// `destroy` and mapping-function batches.
    public var other: Duration

    public init(check: Duration = .seconds(30), discover: Duration = .seconds(60), read: Duration = .seconds(120),
                write: Duration = .seconds(300), parseWebhook: Duration = .seconds(30), create: Duration = .seconds(30),
                other: Duration = .seconds(10)) {
        self.check = check
        self.discover = discover
        self.read = read
        self.write = write
        self.parseWebhook = parseWebhook
        self.create = create
        self.other = other
    }

    /// The defaults: check 30 s, discover 60 s, read 120 s, write 300 s, parse_webhook 30 s (it runs from the inbox, after the app was answered), create 30 s.
    public static let `default` = PluginDeadlines()

    /// The deadline of one kind of operation.
    public subscript(operation: PluginOperation) -> Duration {
        get {
            switch operation {
            case .check: check
            case .discover: discover
            case .read: read
            case .write: write
            case .parseWebhook: parseWebhook
            case .create: create
            case .destroy, .functions: other
            }
        }
        set {
            switch operation {
            case .check: check = newValue
            case .discover: discover = newValue
            case .read: read = newValue
            case .write: write = newValue
            case .parseWebhook: parseWebhook = newValue
            case .create: create = newValue
            case .destroy, .functions: other = newValue
            }
        }
    }

    /// The deadlines with the ones named in `overrides` (`"read": 5 s`) replaced.
    /// - Throws: `.config` for a name that is not an operation.
    public func overriding(_ overrides: [String: Duration]) throws -> PluginDeadlines {
        var result = self
        for (name, value) in overrides {
            guard let operation = PluginOperation(rawValue: name), operation != .destroy, operation != .functions else {
                throw CrosswalkError(.config, "plugins.deadlines: unknown operation \"\(name)\" (known: \(Self.configurable.joined(separator: ", ")))")
            }
            result[operation] = value
        }
        return result
    }

    /// The operation names `plugins.deadlines` accepts.
    public static let configurable = ["check", "discover", "read", "write", "parse_webhook", "create"]
}

/// How the host runs plugins: isolation, deadlines, limits on what plugins hand back, and the
/// worker executable. One value for the whole host, usually from the config's `plugins:` keys.
public struct PluginHostConfiguration: Sendable, Hashable {
    public var isolation: PluginIsolation
    public var deadlines: PluginDeadlines
    /// The largest result (or error) a plugin may hand back, in bytes (`plugins.max_result_bytes`).
    public var maxResultBytes: Int
    /// The command that starts a worker; by default this executable (`/proc/self/exe plugin-worker`).
    public var worker: WorkerCommand
    /// How long a plugin's entry may take when it is probed before it is refused.
    public var probeTimeout: Duration
    /// How long a call past its deadline (or cancelled) may take to come back before its worker
    /// is killed (process isolation) or its instance quarantined (in process).
    public var cancelGrace: Duration
    /// The wait before restarting a worker that died, doubled after each crash that follows
    /// quickly, up to `maxRestartBackoff`.
    public var restartBackoff: Duration
    public var maxRestartBackoff: Duration

    /// 64 MiB.
    public static let defaultMaxResultBytes = 64 << 20

    public init(isolation: PluginIsolation = .process, deadlines: PluginDeadlines = .default,
                maxResultBytes: Int = PluginHostConfiguration.defaultMaxResultBytes, worker: WorkerCommand = .current,
                probeTimeout: Duration = .seconds(10), cancelGrace: Duration = .seconds(1),
                restartBackoff: Duration = .milliseconds(100), maxRestartBackoff: Duration = .seconds(5)) {
        self.isolation = isolation
        self.deadlines = deadlines
        self.maxResultBytes = maxResultBytes
        self.worker = worker
        self.probeTimeout = probeTimeout
        self.cancelGrace = cancelGrace
        self.restartBackoff = restartBackoff
        self.maxRestartBackoff = maxRestartBackoff
    }

    /// Process isolation with the defaults.
    public static let `default` = PluginHostConfiguration()
}

/// The executable and leading arguments that start a plugin worker.
public struct WorkerCommand: Sendable, Hashable {
    public var executable: String
    /// Put before the worker's own arguments: `["plugin-worker"]` for the `crosswalk` binary.
    public var arguments: [String]

    public init(executable: String, arguments: [String] = ["plugin-worker"]) {
        self.executable = executable
        self.arguments = arguments
    }

    /// This executable re-executed (`/proc/self/exe plugin-worker`), or the one named by
    /// `CROSSWALK_PLUGIN_WORKER` (a program that embeds the host but is not `crosswalk`).
    public static var current: WorkerCommand {
        if let path = ProcessInfo.processInfo.environment["CROSSWALK_PLUGIN_WORKER"], !path.isEmpty {
            return WorkerCommand(executable: path)
        }
        return WorkerCommand(executable: "/proc/self/exe")
    }
}

extension Duration {
    /// Whole milliseconds (rounded down), for `deadline_ms`.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// "2 s", "250 ms": for messages.
    var spoken: String {
        let ms = milliseconds
        if ms % 1000 == 0 { return "\(ms / 1000) s" }
        return "\(ms) ms"
    }
}
