import ArgumentParser
import CrosswalkConfig
import CrosswalkCore
import Foundation

/// The deployment the commands work on: the config file (or the default one) plus the plugin
/// folders from the options, the environment and the executable's own folder.
struct Deployment {
    var config: DeploymentConfig
    /// The file it came from; nil for the built-in default.
    var file: String?
    var pluginFolders: [String]
    var enabled: Set<String> { Set(config.plugins.enabled) }

    /// Reads `--config`, else `./crosswalk.yaml` when it exists, else the default config.
    static func load(_ options: GlobalOptions) throws -> Deployment {
        let cwd = FileManager.default.currentDirectoryPath
        var file = options.configPath
        if file == nil, FileManager.default.fileExists(atPath: "crosswalk.yaml") { file = "crosswalk.yaml" }
        let config: DeploymentConfig
        do {
            config = try file.map { try DeploymentConfig.load(path: $0) } ?? .default(baseDirectory: cwd)
        } catch let error as CrosswalkError {
            throw CleanExit.message(error.message, code: 2)
        }
        return Deployment(config: config, file: file, pluginFolders: pluginFolders(options, config: config))
    }

    /// `--plugin-path` folders, the config's (with CROSSWALK_PLUGIN_PATH), and the executable's folder.
    static func pluginFolders(_ options: GlobalOptions, config: DeploymentConfig) -> [String] {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return options.pluginPaths.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL.path }
            + config.pluginSearchPaths() + [executableFolder()]
    }

    /// The folder holding the running executable: `swift build` puts the plugins beside it.
    static func executableFolder() -> String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
    }
}

/// An exit with a message on standard error and a status, without ArgumentParser's usage text.
enum CleanExit {
    static func message(_ text: String, code: Int32) -> ExitCode {
        FileHandle.standardError.write(Data((text + "\n").utf8))
        return ExitCode(code)
    }
}
