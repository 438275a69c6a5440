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

/// Finds, checks and loads connector plugins.
///
/// With process isolation (the default) the host never opens a plugin itself: each file's entry
/// runs first in a child (`plugin-worker --probe`), so a plugin that crashes or hangs in it is
/// refused with one line and the others load; probe results are cached by (path, size, mtime)
/// for the process. The plugin's code later runs in its own worker process.
///
/// With `isolation: none` a library is opened here with `dlopen(RTLD_NOW | RTLD_LOCAL |
/// RTLD_NODELETE)` and never closed: a Swift plugin registers type metadata process-wide that
/// cannot be taken back. Its entry is called once per process.
///
/// Loading the same file again (with the same configuration) returns the same plugin.
public struct PluginLoader: Sendable {
    private let logger: Logger
    /// Isolation, deadlines and limits of the plugins this loader loads.
    public let configuration: PluginHostConfiguration

    public init(logger: Logger, configuration: PluginHostConfiguration = .default) {
        self.logger = logger
        self.configuration = configuration
    }

    /// Every `*.so` in `folders` (not recursive), in a stable order. Missing folders are skipped
    /// with a note in the log.
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
        for (path, outcome) in loadAll(candidates(in: folders)) {
            switch outcome {
            case .success(let plugin):
                if let first = scan.plugin(plugin.id) {
                    let refusal = PluginRefusal(path: path, reason: "plugin id \(plugin.id) is already provided by \(first.path)")
                    scan.refused.append(refusal)
                    logger.error("\(refusal.description)")
                    continue
                }
                scan.loaded.append(plugin)
                logger.debug("plugin loaded", metadata: ["plugin": "\(plugin.id)", "path": "\(path)", "isolation": "\(configuration.isolation)"])
            case .failure(let refusal):
                scan.refused.append(refusal)
                logger.error("\(refusal.description)")
            }
        }
        return scan
    }

    /// Loads one plugin file.
    /// - Throws: `PluginRefusal` saying what is wrong.
    public func load(path: String) throws -> LoadedPlugin {
        try loadAll([path])[0].1.get()
    }

    /// Loads `paths` (probing every file not probed yet in one child), in order.
    func loadAll(_ paths: [String]) -> [(String, Result<LoadedPlugin, PluginRefusal>)] {
        let infos: [Result<(PluginInfo, OpenedLibrary?), PluginRefusal>]
        switch configuration.isolation {
        case .none: infos = paths.map { path in openHere(path).map { ($0.info, $0) } }
        case .process:
            let probed = Self.probe(paths, configuration: configuration, logger: logger)
            infos = probed.map { result in
                result.flatMap { info in
                    // The probe checked the manifest in the child; read it here too.
                    do { _ = try PluginManifest.parse(info.manifestJSON) } catch let e as CrosswalkError {
                        return .failure(PluginRefusal(path: info.path, reason: e.message))
                    } catch { return .failure(PluginRefusal(path: info.path, reason: "\(error)")) }
                    return .success((info, nil))
                }
            }
        }
        return zip(paths, infos).map { path, info in
            (path, info.map { info, library in plugin(path: path, info: info, library: library) }
                .mapError { PluginRefusal(path: path, reason: $0.reason) })
        }
    }

    // MARK: - caches (per process)

    /// One `LoadedPlugin` per file and configuration, so that its worker is shared.
    private struct PluginKey: Hashable {
        var file: FileKey
        var configuration: PluginHostConfiguration
    }

    /// A file by its real path, size and modification time.
    struct FileKey: Hashable {
        var realPath: String
        var size: Int
        var modified: Double

        init(_ path: String) {
            realPath = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            var st = stat()
            if stat(realPath, &st) == 0 {
                size = Int(st.st_size)
                modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
            } else {
                size = -1
                modified = 0
            }
        }
    }

    private static let plugins = LockedValue<[PluginKey: LoadedPlugin]>([:])
    private static let opened = LockedValue<[String: Result<OpenedLibrary, PluginRefusal>]>([:])
    private static let probes = LockedValue<[FileKey: Result<PluginInfo, PluginRefusal>]>([:])

    private func plugin(path: String, info: PluginInfo, library: OpenedLibrary?) -> LoadedPlugin {
        let key = PluginKey(file: FileKey(path), configuration: configuration)
        return Self.plugins.withLock { plugins in
            if let existing = plugins[key] { return existing }
            var info = info
            info.path = path
            let plugin = LoadedPlugin(info: info, configuration: configuration, library: library, logger: logger)
            plugins[key] = plugin
            return plugin
        }
    }

    /// Opens `path` in this process, once per process (by real path).
    private func openHere(_ path: String) -> Result<OpenedLibrary, PluginRefusal> {
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var logger = self.logger
        logger[metadataKey: "plugin_file"] = "\(path)"
        return Self.opened.withLock { opened in
            if let cached = opened[real] { return cached }
            let result = Result { try OpenedLibrary.open(path: path, log: { [logger] level, text in logger.log(level: level, "\(text)") }) }
                .mapError { ($0 as? PluginRefusal) ?? PluginRefusal(path: path, reason: "\($0)") }
            opened[real] = result
            return result
        }
    }

    /// Probe results for `paths`, running one probe child for the files not probed yet.
    private static func probe(_ paths: [String], configuration: PluginHostConfiguration, logger: Logger) -> [Result<PluginInfo, PluginRefusal>] {
        let keys = paths.map(FileKey.init)
        var missing: [String] = []
        for (path, key) in zip(paths, keys) where probes.withLock({ $0[key] == nil }) && !missing.contains(path) { missing.append(path) }
        if !missing.isEmpty {
            let fresh = PluginProbe(configuration: configuration, logger: logger).run(missing)
            probes.withLock { cache in
                for path in missing { cache[FileKey(path)] = fresh[path] ?? .failure(PluginRefusal(path: path, reason: "was not probed")) }
            }
        }
        return keys.map { key in probes.withLock { $0[key] } ?? .failure(PluginRefusal(path: key.realPath, reason: "was not probed")) }
    }

    /// Reverse-DNS ids: `com.salesforce`, `dev.crosswalk.example.c`.
    static func isValidID(_ id: String) -> Bool {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
        }
    }
}

extension PluginRefusal: Error {}
