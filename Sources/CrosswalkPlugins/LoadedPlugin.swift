@preconcurrency import CrosswalkABI
import CrosswalkConnectors
import CrosswalkCore
import Foundation
import Logging

/// A plugin that passed every check: its descriptor and manifest, and where its code runs
/// (its own worker process, or this process with `isolation: none`).
public final class LoadedPlugin: @unchecked Sendable {
    public let path: String
    public let id: String
    public let name: String
    public let version: String
    public let vendor: String
    public let abiMajor: Int
    public let abiMinor: Int
    /// The Swift compiler that built it (60301 = 6.3.1), or 0 for plugins not written in Swift.
    public let swiftVersion: UInt32
    public let manifest: PluginManifest
    /// Isolation, deadlines and limits its instances run with.
    public let configuration: PluginHostConfiguration
    /// Whether it has `parse_webhook`.
    public let supportsWebhooks: Bool
    /// Whether it offers `crosswalk.discover/2` (discover chosen objects only).
    public let offersDiscoverV2: Bool

    /// With `isolation: none`: the library, opened in this process.
    let library: OpenedLibrary?
    /// With process isolation: the supervisor of the plugin's worker.
    let worker: WorkerSupervisor?

    init(info: PluginInfo, configuration: PluginHostConfiguration, library: OpenedLibrary?, logger: Logger) {
        path = info.path
        id = info.id
        name = info.name
        version = info.version
        vendor = info.vendor
        abiMajor = info.abiMajor
        abiMinor = info.abiMinor
        swiftVersion = info.swiftVersion
        // Checked before a plugin is made (in this process, or by the probe and again by the loader).
        manifest = library?.manifest ?? (try! PluginManifest.parse(info.manifestJSON))
        self.configuration = configuration
        supportsWebhooks = info.hasParseWebhook
        offersDiscoverV2 = info.hasDiscoverV2
        self.library = library
        var logger = logger
        logger[metadataKey: "plugin"] = "\(info.id)"
        worker = library == nil ? WorkerSupervisor(info: info, configuration: configuration, logger: logger) : nil
    }

    /// Where its code runs.
    public var isolation: PluginIsolation { library == nil ? .process : .none }

    /// "ABI 1.0".
    public var abiDescription: String { "\(abiMajor).\(abiMinor)" }

    /// "Swift 6.3.1" or "C".
    public var languageDescription: String { swiftVersion == 0 ? "C" : "Swift \(SwiftVersion.describe(swiftVersion))" }

    /// The mapping functions the manifest names (resolved when the plugin was loaded).
    public var functions: [LoadedFunction] {
        manifest.functions.compactMap { f in
            (try? FunctionSignature(parsing: f.signature)).map { LoadedFunction(plugin: id, name: f.name, signature: $0, pure: f.pure ?? true) }
        }
    }

    /// Creates an instance for one connection.
    /// - Parameters:
    ///   - connection: the connection's name, for logs.
    ///   - settings: the connection's settings as JSON (no secrets).
    ///   - services: the host services this instance may use (served by this process whatever
    ///     the isolation: secrets, the rate limiter and the store never enter a worker).
    ///   - logger: where the plugin's log lines go (metadata `plugin` and `connection` are added).
    ///   - deadline: how long `create` may take (default: the configuration's).
    /// - Throws: `CrosswalkError` with the plugin's code and message when it refuses.
    public func instantiate(connection: String, settings: Data, services: HostServices, logger: Logger,
                            deadline: Duration? = nil) async throws -> PluginInstance {
        var logger = logger
        logger[metadataKey: "plugin"] = "\(id)"
        logger[metadataKey: "connection"] = "\(connection)"
        let deadline = deadline ?? configuration.deadlines.create
        let backend: any InstanceBackend
        if let library {
            backend = try await InProcessBackend.create(library: library, connection: connection, settings: settings, services: services,
                                                         logger: logger, configuration: configuration, deadline: deadline)
        } else {
            backend = try await worker!.createInstance(connection: connection, settings: settings, services: services, logger: logger,
                                                       deadline: deadline)
        }
        return PluginInstance(plugin: self, connection: connection, backend: backend)
    }

    /// Stops the plugin's worker process once its instances are destroyed (process isolation);
    /// a later instance or function call starts a new one.
    public func stopWorker() { worker?.stopWhenIdle() }

    /// The process id of the plugin's worker while one runs (process isolation), for tests and
    /// diagnostics.
    public var workerProcessID: Int32? { worker?.processID }

    /// How many times the plugin's worker ended unasked and was restarted (also the metric
    /// `crosswalk_plugin_worker_restarts_total{plugin}`).
    public var workerRestarts: Int { worker?.restarts ?? 0 }
}

/// A mapping function a plugin exports: `(plugin, name, signature)`.
public struct LoadedFunction: Sendable, Hashable, CustomStringConvertible {
    public var plugin: String
    public var name: String
    public var signature: FunctionSignature
    /// `false`: the host must not cache results.
    public var pure: Bool

    public init(plugin: String, name: String, signature: FunctionSignature, pure: Bool = true) {
        self.plugin = plugin
        self.name = name
        self.signature = signature
        self.pure = pure
    }

    /// `dev.crosswalk.memory.upper`.
    public var qualifiedName: String { "\(plugin).\(name)" }
    public var description: String { "\(qualifiedName): \(signature)" }
}

/// Swift compiler versions as the ABI carries them (`__swift__`: MMmmpp).
public enum SwiftVersion {
    /// The compiler that built this host.
    public static var host: UInt32 { crosswalk_swift_version() }
    /// 60301 → "6.3.1".
    public static func describe(_ v: UInt32) -> String { "\(v / 10000).\(v / 100 % 100).\(v % 100)" }
}
