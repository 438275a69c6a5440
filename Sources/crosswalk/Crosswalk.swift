import ArgumentParser
import CrosswalkCore
import Foundation
import Logging

@main
struct Crosswalk: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crosswalk",
        abstract: "Keep CRM, ERP and field-sales apps in step through connector plugins.",
        discussion: """
            Crosswalk loads one connector plugin (.so) per app and syncs records between them. \
            Start with `crosswalk plugins list` to see the connectors it finds, and \
            `crosswalk config check crosswalk.yaml` to validate a deployment config.
            """,
        version: CrosswalkVersion.current,
        subcommands: [PluginsCommand.self, ConfigCommand.self, ConnectionsCommand.self, ConnectCommand.self, VaultCommand.self, SandboxCommand.self, DemoCommand.self, PluginWorkerCommand.self])
}

/// Options every command that touches plugins shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "Deployment config (YAML). Default: ./crosswalk.yaml when it exists.")
    var configPath: String?

    @Option(name: .customLong("plugin-path"), help: "A folder with plugin .so files (repeatable); added to the config's and CROSSWALK_PLUGIN_PATH.")
    var pluginPaths: [String] = []

    @Option(name: .customLong("isolation"), help: "Where plugin code runs: process (a worker per plugin, the default) or none (inside crosswalk); overrides plugins.isolation.")
    var isolation: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, warning, error (default: warning; env CROSSWALK_LOG_LEVEL).")
    var logLevel: String?

    /// A logger writing to standard error; the executable is the only place logging is bootstrapped.
    func makeLogger(_ label: String = "crosswalk") -> Logger {
        let level = Logger.Level(rawValue: logLevel ?? ProcessInfo.processInfo.environment["CROSSWALK_LOG_LEVEL"] ?? "warning") ?? .warning
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = level
        return logger
    }
}
