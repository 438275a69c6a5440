import ArgumentParser
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkRuntime
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

            Exit status: 0 on success, 1 when the operation failed (an app, a plugin, a record), \
            2 for a problem with the config, the arguments or the input.
            """,
        version: CrosswalkVersion.current,
        subcommands: [PluginsCommand.self, ConfigCommand.self, ConnectionsCommand.self, ConnectCommand.self,
                      DiscoverCommand.self, ReadCommand.self, WriteCommand.self,
                      FlowsCommand.self, RunCommand.self, SyncCommand.self, RunsCommand.self, ErrorsCommand.self, RetryCommand.self,
                      ReconcileCommand.self, IDMapCommand.self, WebhooksCommand.self,
                      VaultCommand.self, StoreCommand.self, SandboxCommand.self, ServeCommand.self, DemoCommand.self, InitCommand.self, PluginWorkerCommand.self])

    /// Runs the command and turns a `CrosswalkError` into its message and exit status, here and
    /// nowhere else.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if !(command is SandboxCommand), !(command is PluginWorkerCommand), !(command is ServeCommand) {
                Interruption.report(for: Interruption.commandName(Array(CommandLine.arguments.dropFirst())))
            }
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as CrosswalkError {
            Console.error(error.message)
            Foundation.exit(ExitStatus.code(for: error))
        } catch {
            exit(withError: error)
        }
    }
}

/// The exit status of each error code.
enum ExitStatus {
    /// 2 for what the user can fix in the config, the arguments or the input; 1 otherwise.
    static func code(for error: CrosswalkError) -> Int32 {
        switch error.code {
        case .config, .invalidArgument, .vault: return 2
        default: return 1
        }
    }
}

/// Options every command that touches the deployment shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "Deployment config (YAML). Default: ./crosswalk.yaml when it exists.")
    var configPath: String?

    @Option(name: .customLong("plugin-path"), help: "A folder with plugin .so files (repeatable); added to the config's and CROSSWALK_PLUGIN_PATH.")
    var pluginPaths: [String] = []

    @Option(name: .customLong("isolation"), help: "Where plugin code runs: process (a worker per plugin, the default) or none (inside crosswalk); overrides plugins.isolation.")
    var isolation: PluginIsolation?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, warning, error (default: warning; env CROSSWALK_LOG_LEVEL).")
    var logLevel: String?

    /// A logger writing to standard error; the executable is the only place logging is bootstrapped.
    func makeLogger(_ label: String = "crosswalk") -> Logger {
        let level = Logger.Level(rawValue: logLevel ?? ProcessInfo.processInfo.environment["CROSSWALK_LOG_LEVEL"] ?? "warning") ?? .warning
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = level
        return logger
    }

    var runtimeOptions: RuntimeOptions { RuntimeOptions(configPath: configPath, pluginPaths: pluginPaths, isolation: isolation) }

    /// The deployment, its warnings printed on standard error.
    func deployment() throws -> Deployment {
        let deployment = try Deployment.load(runtimeOptions)
        for warning in deployment.warnings { Console.error("warning: \(warning)") }
        return deployment
    }

    /// Opens the host runtime, runs `body`, and closes it whatever happens.
    func withRuntime<T>(_ body: (HostRuntime) async throws -> T) async throws -> T {
        let runtime = try await HostRuntime.open(try deployment(), logger: makeLogger())
        do {
            let result = try await body(runtime)
            await runtime.close()
            return result
        } catch {
            await runtime.close()
            throw error
        }
    }
}

/// Lines for a person: written at once, even when the stream is a pipe.
enum Console {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// Fixed-width text tables for terminal output.
enum Table {
    static func render(headers: [String], rows: [[String]]) -> String {
        let widths = headers.indices.map { i in ([headers[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}

extension PluginIsolation: ExpressibleByArgument {}
