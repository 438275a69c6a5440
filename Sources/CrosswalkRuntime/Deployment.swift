import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import Foundation

/// Where a host finds its deployment: the config file, extra plugin folders, the environment.
///
/// The CLI fills this from its arguments; `serve` and tests fill it themselves.
public struct RuntimeOptions: Sendable {
    /// `--config`; `nil` means `./crosswalk.yaml` when it exists, else the built-in default.
    public var configPath: String?
    /// `--plugin-path` folders, searched before the config's.
    public var pluginPaths: [String]
    /// The folder relative paths resolve against.
    public var workingDirectory: String
    /// The process environment (`CROSSWALK_PLUGIN_PATH`, `CROSSWALK_CA_BUNDLE`, vault keys).
    public var environment: [String: String]
    /// The folder of the running executable, searched last (`swift build` puts plugins beside it).
    public var executableFolder: String?
    /// `--isolation`: where plugin code runs, over the config's `plugins.isolation`; `nil`: the config's.
    public var isolation: PluginIsolation?

    public init(configPath: String? = nil, pluginPaths: [String] = [],
                workingDirectory: String = FileManager.default.currentDirectoryPath,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                executableFolder: String? = RuntimeOptions.runningExecutableFolder(), isolation: PluginIsolation? = nil) {
        self.configPath = configPath
        self.pluginPaths = pluginPaths
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.executableFolder = executableFolder
        self.isolation = isolation
    }

    /// The folder holding the running executable.
    public static func runningExecutableFolder() -> String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
    }
}

/// The deployment a host works on: the config (or the default one) and the plugin folders from
/// the options, the config, `CROSSWALK_PLUGIN_PATH` and the executable's own folder.
public struct Deployment: Sendable {
    public var config: DeploymentConfig
    /// The file it came from; `nil` for the built-in default.
    public var file: String?
    /// Folders scanned for plugins, in order, without repeats.
    public var pluginFolders: [String]
    /// Things worth telling the user that do not stop the command (a `--plugin-path` that does not exist).
    public var warnings: [String]
    public var options: RuntimeOptions

    /// Plugin ids listed in `plugins.enabled`.
    public var enabled: Set<String> { Set(config.plugins.enabled) }

    /// The config's name in messages.
    public var name: String { file ?? "the default config" }

    /// Reads the config the options name.
    /// - Throws: `CrosswalkError(.config)` listing every problem of the file as `file:line: key: message`.
    public static func load(_ options: RuntimeOptions) throws -> Deployment {
        var file = options.configPath
        let defaultFile = URL(fileURLWithPath: options.workingDirectory).appendingPathComponent("crosswalk.yaml").path
        if file == nil, FileManager.default.fileExists(atPath: defaultFile) { file = "crosswalk.yaml" }
        let config = try file.map { try DeploymentConfig.load(path: $0) } ?? .default(baseDirectory: options.workingDirectory)
        return Deployment(config: config, file: file, options: options)
    }

    /// A deployment over a config built in code (the demo, tests); `file` names it in messages.
    public init(config: DeploymentConfig, file: String?, options: RuntimeOptions) {
        var warnings: [String] = []
        let cwd = URL(fileURLWithPath: options.workingDirectory)
        let explicit = options.pluginPaths.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL.path }
        for (given, folder) in zip(options.pluginPaths, explicit) where !Self.isFolder(folder) {
            warnings.append("--plugin-path \(given): no such folder")
        }
        var seen = Set<String>()
        self.config = config
        self.file = file
        pluginFolders = (explicit + config.pluginSearchPaths(environment: options.environment) + [options.executableFolder].compactMap { $0 })
            .filter { seen.insert($0).inserted }
        self.warnings = warnings
        self.options = options
    }

    /// The connection named `name`.
    /// - Throws: `.config` naming the connections the config does define.
    public func connection(_ name: String) throws -> ConnectionConfig {
        guard let c = config.connections[name] else {
            let known = config.connections.keys.sorted()
            throw CrosswalkError(.config, "no connection \"\(name)\" in \(self.name)" +
                                 (known.isEmpty ? " (it defines none)" : "; known: \(known.joined(separator: ", "))"),
                                 context: ["connection": name])
        }
        return c
    }

    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
