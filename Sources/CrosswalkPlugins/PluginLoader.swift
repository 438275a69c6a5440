@preconcurrency import CrosswalkABI
import CrosswalkConnectors
import CrosswalkCore
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a plugin file was not loaded: one line naming the file and the reason.
public struct PluginRefusal: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "refused \(path): \(reason)" }
}

/// What a scan of the plugin folders found.
public struct PluginScan: Sendable {
    public var loaded: [LoadedPlugin]
    public var refused: [PluginRefusal]
    /// The plugin with `id`, if one loaded.
    public func plugin(_ id: String) -> LoadedPlugin? { loaded.first { $0.id == id } }
}

/// Finds, opens and checks connector plugins.
///
/// A library is opened with `dlopen(RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE)` and never closed:
/// a Swift plugin registers type metadata process-wide that cannot be taken back. Its entry is
/// called once per process; loading the same file again returns the same plugin.
public struct PluginLoader: Sendable {
    private let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    /// Every `*.so` in `folders` (not recursive), in a stable order. Missing folders are skipped
    /// with a warning.
    public func candidates(in folders: [String]) -> [String] {
        var seen = Set<String>()
        var paths: [String] = []
        for folder in folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
                logger.info("plugin folder not found", metadata: ["folder": "\(folder)"])
                continue
            }
            for name in names.sorted() where name.hasSuffix(".so") {
                let path = URL(fileURLWithPath: folder).appendingPathComponent(name).standardizedFileURL.path
                let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
                if seen.insert(real).inserted { paths.append(path) }
            }
        }
        return paths
    }

    /// Loads every plugin in `folders`. A broken plugin is refused with one clear line and the
    /// rest keep loading; a second plugin with an id already loaded is refused.
    public func scan(folders: [String]) -> PluginScan {
        var scan = PluginScan(loaded: [], refused: [])
        for path in candidates(in: folders) {
            do {
                let plugin = try load(path: path)
                if let first = scan.plugin(plugin.id) {
                    throw PluginRefusal(path: path, reason: "plugin id \(plugin.id) is already provided by \(first.path)")
                }
                scan.loaded.append(plugin)
                logger.debug("plugin loaded", metadata: ["plugin": "\(plugin.id)", "path": "\(path)"])
            } catch let refusal as PluginRefusal {
                scan.refused.append(refusal)
                logger.error("\(refusal.description)")
            } catch {
                scan.refused.append(PluginRefusal(path: path, reason: "\(error)"))
            }
        }
        return scan
    }

    /// Opens one plugin file and checks it.
    /// - Throws: `PluginRefusal` saying what is wrong.
    public func load(path: String) throws -> LoadedPlugin {
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return try Self.cache.withLock { cache in
            if let cached = cache[real] { return try cached.get() }
            let result = Result { try open(path: path) }.mapError { ($0 as? PluginRefusal) ?? PluginRefusal(path: path, reason: "\($0)") }
            cache[real] = result
            return try result.get()
        }
    }

    /// Outcome of opening each file, by real path: a library's entry runs once per process.
    private static let cache = LockedValue<[String: Result<LoadedPlugin, PluginRefusal>]>([:])

    private func open(path: String) throws -> LoadedPlugin {
        func refuse(_ reason: String) -> PluginRefusal { PluginRefusal(path: path, reason: reason) }
        guard FileManager.default.fileExists(atPath: path) else { throw refuse("no such file") }
        _ = dlerror()
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            let detail = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw refuse("not a loadable shared object (\(Self.shortDLError(detail, path: path)))")
        }
        // Never dlclose: see the type's documentation.
        guard let symbol = dlsym(handle, CROSSWALK_ENTRY_SYMBOL) else {
            throw refuse("no \(CROSSWALK_ENTRY_SYMBOL) symbol: not a Crosswalk plugin, or the entry is not exported (CROSSWALK_EXPORT / @_cdecl)")
        }
        let entry = unsafeBitCast(symbol, to: crosswalk_plugin_entry_fn.self)
        let host = Self.entryTable(logger: logger, path: path)
        guard let descriptor = entry(UnsafePointer(host.pointer)) else {
            throw refuse("\(CROSSWALK_ENTRY_SYMBOL) returned no descriptor (see the plugin's log lines above)")
        }
        let table = try Self.readDescriptor(descriptor, refuse: refuse)
        let manifest: PluginManifest
        do { manifest = try PluginManifest.parse(String(cString: table.manifest_json)) } catch let e as CrosswalkError {
            throw refuse(e.message)
        }
        return LoadedPlugin(path: path, table: table, manifest: manifest)
    }

    /// Copies the descriptor up to its `struct_size` and checks versions and required fields.
    static func readDescriptor(_ p: UnsafePointer<crosswalk_plugin_v1>, refuse: (String) -> PluginRefusal) throws -> crosswalk_plugin_v1 {
        let header = UnsafeRawPointer(p)
        let size = Int(header.load(as: UInt32.self))
        let major = Int(header.load(fromByteOffset: MemoryLayout<crosswalk_plugin_v1>.offset(of: \.abi_major)!, as: UInt16.self))
        let minor = Int(header.load(fromByteOffset: MemoryLayout<crosswalk_plugin_v1>.offset(of: \.abi_minor)!, as: UInt16.self))
        guard major == Int(CROSSWALK_ABI_MAJOR) else {
            throw refuse("built for Crosswalk ABI \(major).\(minor), this host speaks ABI \(CROSSWALK_ABI_MAJOR).\(CROSSWALK_ABI_MINOR); rebuild it against this host's sdk/include/crosswalk.h")
        }
        // ABI 1.0 requires everything up to `write`; later fields are optional.
        let required = MemoryLayout<crosswalk_plugin_v1>.offset(of: \.write)! + MemoryLayout<UnsafeRawPointer>.size
        guard size >= required else {
            throw refuse("descriptor is \(size) bytes, smaller than the \(required) bytes ABI \(CROSSWALK_ABI_MAJOR).0 requires (struct_size not set?)")
        }
        var table = crosswalk_plugin_v1()
        withUnsafeMutableBytes(of: &table) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(start: header, count: min(size, MemoryLayout<crosswalk_plugin_v1>.size)))
        }
        guard let id = table.id.map({ String(cString: $0) }), !id.isEmpty else { throw refuse("descriptor has no id") }
        guard PluginLoader.isValidID(id) else {
            throw refuse("id \"\(id)\" is not reverse-DNS (lower-case letters, digits, '-' and '.', at least two parts, e.g. com.salesforce)")
        }
        if table.swift_version != 0 && table.swift_version != SwiftVersion.host {
            throw refuse("built with Swift \(SwiftVersion.describe(table.swift_version)), this host with Swift \(SwiftVersion.describe(SwiftVersion.host)); Swift has no stable ABI on Linux: rebuild the plugin with the host's toolchain")
        }
        let missing = [("create", table.create == nil), ("check", table.check == nil),
                       ("discover", table.discover == nil), ("read", table.read == nil), ("write", table.write == nil)]
            .filter(\.1).map(\.0)
        guard missing.isEmpty else { throw refuse("descriptor lacks \(missing.joined(separator: ", "))") }
        guard table.manifest_json != nil else { throw refuse("descriptor has no manifest") }
        return table
    }

    /// Reverse-DNS ids: `com.salesforce`, `dev.crosswalk.example.c`.
    static func isValidID(_ id: String) -> Bool {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
        }
    }

    /// dlerror repeats the path; keep the reason.
    static func shortDLError(_ detail: String, path: String) -> String {
        detail.hasPrefix(path + ": ") ? String(detail.dropFirst(path.count + 2)) : detail
    }

    /// The process-wide host table handed to one library's entry: logging only (no connection).
    /// Kept for the life of the process, as the ABI promises.
    private static func entryTable(logger: Logger, path: String) -> HostTable {
        var logger = logger
        logger[metadataKey: "plugin_file"] = "\(path)"
        let table = HostTable(logger: logger, services: HostServices())
        table.register()
        entryTables.withLock { $0.append(table) }
        return table
    }
    private static let entryTables = LockedValue<[HostTable]>([])
}

extension PluginRefusal: Error {}
