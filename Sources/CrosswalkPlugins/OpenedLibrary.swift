@preconcurrency import CrosswalkABI
import CrosswalkConnectors
import CrosswalkCore
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// What the host knows of a plugin: its descriptor, its manifest and which optional entry points
/// it has. Read by opening the library in this process, or reported by a probe in a child.
struct PluginInfo: Sendable, Hashable {
    var path: String
    var id: String
    var name: String
    var version: String
    var vendor: String
    var abiMajor: Int
    var abiMinor: Int
    var swiftVersion: UInt32
    var manifestJSON: String
    var hasParseWebhook: Bool
    var hasDiscoverV2: Bool

    /// The probe's JSON for it.
    var json: JSONValue {
        ["path": .string(path), "id": .string(id), "name": .string(name), "version": .string(version), "vendor": .string(vendor),
         "abi_major": .number(JSONNumber(abiMajor)), "abi_minor": .number(JSONNumber(abiMinor)),
         "swift_version": .number(JSONNumber(Int(swiftVersion))), "manifest": .string(manifestJSON),
         "parse_webhook": .bool(hasParseWebhook), "discover_v2": .bool(hasDiscoverV2)]
    }

    init(path: String, id: String, name: String, version: String, vendor: String, abiMajor: Int, abiMinor: Int,
         swiftVersion: UInt32, manifestJSON: String, hasParseWebhook: Bool, hasDiscoverV2: Bool) {
        self.path = path
        self.id = id
        self.name = name
        self.version = version
        self.vendor = vendor
        self.abiMajor = abiMajor
        self.abiMinor = abiMinor
        self.swiftVersion = swiftVersion
        self.manifestJSON = manifestJSON
        self.hasParseWebhook = hasParseWebhook
        self.hasDiscoverV2 = hasDiscoverV2
    }

    /// Reads the probe's JSON.
    init?(json: JSONValue) {
        guard let path = json["path"]?.stringValue, let id = json["id"]?.stringValue, let manifest = json["manifest"]?.stringValue,
              let major = json["abi_major"]?.intValue, let minor = json["abi_minor"]?.intValue else { return nil }
        self.init(path: path, id: id, name: json["name"]?.stringValue ?? id, version: json["version"]?.stringValue ?? "?",
                  vendor: json["vendor"]?.stringValue ?? "?", abiMajor: major, abiMinor: minor,
                  swiftVersion: UInt32(json["swift_version"]?.intValue ?? 0), manifestJSON: manifest,
                  hasParseWebhook: json["parse_webhook"]?.boolValue ?? false, hasDiscoverV2: json["discover_v2"]?.boolValue ?? false)
    }
}

/// A plugin library opened in this process (the host's, with `isolation: none`, or a worker's):
/// its handle, the descriptor copied up to its `struct_size`, its extension and its mapping
/// functions prepared for libffi. Never closed: see ``PluginLoader``.
final class OpenedLibrary: @unchecked Sendable {
    let info: PluginInfo
    let manifest: PluginManifest
    let table: crosswalk_plugin_v1
    let discoverV2: crosswalk_plugin_discover_v2?
    /// By function name.
    let functions: [String: FFIFunction]

    private init(info: PluginInfo, manifest: PluginManifest, table: crosswalk_plugin_v1, discoverV2: crosswalk_plugin_discover_v2?,
                 functions: [String: FFIFunction]) {
        self.info = info
        self.manifest = manifest
        self.table = table
        self.discoverV2 = discoverV2
        self.functions = functions
    }

    /// The steps of opening a library, reported before each one runs (a probe names the step a
    /// plugin crashed or hung in).
    enum Phase: String, Sendable {
        case dlopen, entry, extensions
        /// How a refusal names the step: "crashed in crosswalk_plugin_entry".
        var spoken: String {
            switch self {
            case .dlopen: "while loading the library (dlopen, its constructors)"
            case .entry: "in \(CROSSWALK_ENTRY_SYMBOL)"
            case .extensions: "in its get_extension"
            }
        }
    }

    /// Opens `path`, calls its entry with a process-wide table whose log lines go to `log`, and
    /// checks the descriptor, the manifest and the capabilities against the entry points.
    /// - Throws: `PluginRefusal` saying what is wrong.
    static func open(path: String, phase: (Phase) -> Void = { _ in },
                     log: @escaping @Sendable (Logger.Level, String) -> Void) throws -> OpenedLibrary {
        func refuse(_ reason: String) -> PluginRefusal { PluginRefusal(path: path, reason: reason) }
        guard FileManager.default.fileExists(atPath: path) else { throw refuse("no such file") }
        phase(.dlopen)
        _ = dlerror()
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            let detail = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw refuse("not a loadable shared object (\(shortDLError(detail, path: path)))")
        }
        // Never dlclose: see PluginLoader.
        guard let symbol = dlsym(handle, CROSSWALK_ENTRY_SYMBOL) else {
            throw refuse("no \(CROSSWALK_ENTRY_SYMBOL) symbol: not a Crosswalk plugin, or the entry is not exported (CROSSWALK_EXPORT / @_cdecl)")
        }
        let entry = unsafeBitCast(symbol, to: crosswalk_plugin_entry_fn.self)
        let host = entryTable(log: log)
        phase(.entry)
        guard let descriptor = entry(UnsafePointer(host.pointer)) else {
            throw refuse("\(CROSSWALK_ENTRY_SYMBOL) returned no descriptor (see the plugin's log lines above)")
        }
        let table = try readDescriptor(descriptor, refuse: refuse)
        let manifestText = String(cString: table.manifest_json)
        let manifest: PluginManifest
        do { manifest = try PluginManifest.parse(manifestText) } catch let e as CrosswalkError {
            throw refuse(e.message)
        }
        let id = String(cString: table.id)
        if manifest.has("crosswalk.webhooks/1") && table.parse_webhook == nil {
            throw refuse("the manifest lists crosswalk.webhooks/1 but the descriptor has no parse_webhook")
        }
        phase(.extensions)
        let discoverV2 = discoverExtension(table)
        if manifest.has(CROSSWALK_PLUGIN_EXT_DISCOVER_V2) && discoverV2 == nil {
            throw refuse("the manifest lists \(CROSSWALK_PLUGIN_EXT_DISCOVER_V2) but get_extension(\"\(CROSSWALK_PLUGIN_EXT_DISCOVER_V2)\") gives no discover")
        }
        let functions = try resolveFunctions(manifest, plugin: id, handle: handle, refuse: refuse)
        let info = PluginInfo(
            path: path, id: id, name: table.name.map { String(cString: $0) } ?? id,
            version: table.version.map { String(cString: $0) } ?? "?", vendor: table.vendor.map { String(cString: $0) } ?? "?",
            abiMajor: Int(table.abi_major), abiMinor: Int(table.abi_minor), swiftVersion: table.swift_version,
            manifestJSON: manifestText, hasParseWebhook: table.parse_webhook != nil, hasDiscoverV2: discoverV2 != nil)
        return OpenedLibrary(info: info, manifest: manifest, table: table, discoverV2: discoverV2, functions: functions)
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

    /// `crosswalk.discover/2`, copied, when the plugin offers it with a `discover`.
    private static func discoverExtension(_ table: crosswalk_plugin_v1) -> crosswalk_plugin_discover_v2? {
        guard let get = table.get_extension, let raw = get(CROSSWALK_PLUGIN_EXT_DISCOVER_V2) else { return nil }
        let size = Int(raw.load(as: UInt32.self))
        let needed = MemoryLayout<crosswalk_plugin_discover_v2>.offset(of: \.discover)! + MemoryLayout<UnsafeRawPointer>.size
        guard size >= needed else { return nil }
        let ext = raw.load(as: crosswalk_plugin_discover_v2.self)
        return ext.discover == nil ? nil : ext
    }

    /// Resolves every mapping function and support symbol of the manifest and prepares each call.
    private static func resolveFunctions(_ manifest: PluginManifest, plugin: String, handle: UnsafeMutableRawPointer,
                                         refuse: (String) -> PluginRefusal) throws -> [String: FFIFunction] {
        guard !manifest.functions.isEmpty, let support = manifest.functionSupport else { return [:] }
        func symbol(_ name: String, for what: String) throws -> UnsafeMutableRawPointer {
            guard let p = dlsym(handle, name) else {
                throw refuse("\(what): symbol \(name) does not resolve (is it exported with default visibility?)")
            }
            return p
        }
        let release = try symbol(support.release, for: "function_support.release")
        let lastError = try support.lastError.map { try symbol($0, for: "function_support.last_error") }
        let symbols = FunctionSupportSymbols(
            release: unsafeBitCast(release, to: (@convention(c) (UnsafeMutablePointer<CChar>?) -> Void).self),
            lastError: lastError.map { unsafeBitCast($0, to: (@convention(c) () -> UnsafePointer<CChar>?).self) })
        var functions: [String: FFIFunction] = [:]
        for f in manifest.functions {
            let address = try symbol(f.symbol, for: "function \(f.name)")
            let signature: FunctionSignature
            do { signature = try FunctionSignature(parsing: f.signature) } catch let e as CrosswalkError { throw refuse("function \(f.name): \(e.message)") }
            do {
                functions[f.name] = try FFIFunction(plugin: plugin, name: f.name, signature: signature, address: address, support: symbols)
            } catch let e as CrosswalkError { throw refuse(e.message) }
        }
        return functions
    }

    /// dlerror repeats the path; keep the reason.
    static func shortDLError(_ detail: String, path: String) -> String {
        detail.hasPrefix(path + ": ") ? String(detail.dropFirst(path.count + 2)) : detail
    }

    /// The process-wide host table handed to one library's entry: logging only (no connection).
    /// Kept for the life of the process, as the ABI promises.
    private static func entryTable(log: @escaping @Sendable (Logger.Level, String) -> Void) -> HostTable {
        let table = HostTable(backend: EntryHostServices(log: log))
        entryTables.withLock { $0.append(table) }
        return table
    }
    private static let entryTables = LockedValue<[HostTable]>([])
}
