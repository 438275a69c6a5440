import ArgumentParser
import CrosswalkConfig
import CrosswalkCore
import CrosswalkPlugins
import Foundation

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Validate deployment configs.",
        subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a deployment config: syntax, keys, types, and that enabled connectors exist.",
            discussion: "Exits 0 when the file is valid, 2 with one line per problem (file:line: key: message) otherwise.")
        @Argument(help: "The YAML file to check.") var file: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let config: DeploymentConfig
            do { config = try DeploymentConfig.load(path: file) } catch let error as CrosswalkError {
                throw CleanExit.message(error.message, code: 2)
            }
            var problems: [String] = []
            let folders = Deployment.pluginFolders(options, config: config)
            let host = try PluginHostConfiguration.from(config.plugins, isolation: options.isolation)
            let scan = PluginLoader(logger: options.makeLogger(), configuration: host).scan(folders: folders)
            for id in config.plugins.enabled where scan.plugin(id) == nil {
                problems.append("\(file): plugins.enabled: no plugin with id \(id) in \(folders.joined(separator: ", "))")
            }
            for (name, connection) in config.connections.sorted(by: { $0.key < $1.key }) where !config.plugins.enabled.contains(connection.connector) {
                problems.append("\(file): connections.\(name).connector: \(connection.connector) is not in plugins.enabled")
            }
            guard problems.isEmpty else { throw CleanExit.message(problems.joined(separator: "\n"), code: 2) }
            print("\(file): OK (\(config.connections.count) connections, \(config.plugins.enabled.count) enabled plugins, \(config.flows.count) flows)")
        }
    }
}
