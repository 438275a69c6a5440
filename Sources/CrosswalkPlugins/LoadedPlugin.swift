@preconcurrency import CrosswalkABI
import CrosswalkConnectors
import CrosswalkCore
import Foundation
import Logging

/// A plugin that passed every check: its descriptor, read once, and the C table behind it.
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

    /// The descriptor as the plugin filled it, copied up to its `struct_size`.
    let table: crosswalk_plugin_v1
    let supportsWebhooks: Bool

    init(path: String, table: crosswalk_plugin_v1, manifest: PluginManifest) {
        self.path = path
        self.table = table
        self.manifest = manifest
        id = String(cString: table.id)
        name = table.name.map { String(cString: $0) } ?? String(cString: table.id)
        version = table.version.map { String(cString: $0) } ?? "?"
        vendor = table.vendor.map { String(cString: $0) } ?? "?"
        abiMajor = Int(table.abi_major)
        abiMinor = Int(table.abi_minor)
        swiftVersion = table.swift_version
        supportsWebhooks = table.parse_webhook != nil
    }

    /// "ABI 1.0".
    public var abiDescription: String { "\(abiMajor).\(abiMinor)" }

    /// "Swift 6.3.1" or "C".
    public var languageDescription: String { swiftVersion == 0 ? "C" : "Swift \(SwiftVersion.describe(swiftVersion))" }

    /// Creates an instance for one connection.
    /// - Parameters:
    ///   - connection: the connection's name, for logs.
    ///   - settings: the connection's settings as JSON (no secrets).
    ///   - services: the host services this instance may use.
    ///   - logger: where the plugin's log lines go (metadata `plugin` and `connection` are added).
    /// - Throws: `CrosswalkError` with the plugin's code and message when it refuses.
    public func instantiate(connection: String, settings: Data, services: HostServices, logger: Logger) async throws -> PluginInstance {
        var logger = logger
        logger[metadataKey: "plugin"] = "\(id)"
        logger[metadataKey: "connection"] = "\(connection)"
        return try await PluginInstance.create(plugin: self, connection: connection, settings: settings, services: services, logger: logger)
    }
}

/// Swift compiler versions as the ABI carries them (`__swift__`: MMmmpp).
public enum SwiftVersion {
    /// The compiler that built this host.
    public static var host: UInt32 { crosswalk_swift_version() }
    /// 60301 → "6.3.1".
    public static func describe(_ v: UInt32) -> String { "\(v / 10000).\(v / 100 % 100).\(v % 100)" }
}
