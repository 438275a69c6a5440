import ArgumentParser
import CrosswalkConfig
import CrosswalkCore
import CrosswalkRuntime
import Foundation

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Validate deployment configs.",
        subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a deployment config: syntax, keys, types, enabled connectors, and each connection's settings against its connector.",
            discussion: "Exits 0 when the file is valid, 2 with one line per problem (file:line: key: message) otherwise.")
        @Argument(help: "The YAML file to check.") var file: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let report = ConfigCheck.run(file: file, options: options.runtimeOptions, logger: options.makeLogger())
            for warning in report.warnings { Console.error("warning: \(warning)") }
            guard report.problems.isEmpty, let config = report.config else {
                throw CrosswalkError(.config, report.problems.joined(separator: "\n"))
            }
            print("\(file): OK (\(config.connections.count) connections, \(config.plugins.enabled.count) enabled plugins, \(config.flows.count) flows)")
        }
    }
}
