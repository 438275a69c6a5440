import ArgumentParser
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkRuntime
import Foundation

struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List, inspect and check connector plugins.",
        subcommands: [List.self, Inspect.self, Check.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the plugins found in the plugin folders, loaded or refused.",
            discussion: """
                Folders searched, in order: --plugin-path, the config's plugins.paths, \
                CROSSWALK_PLUGIN_PATH (colon-separated), and the folder of the crosswalk executable. \
                Exits 1 when a plugin listed in plugins.enabled was refused or not found.
                """)
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            let inventory = PluginInventory(deployment: try options.deployment(), logger: options.makeLogger())
            if json {
                let rows: [JSONValue] = inventory.rows.map {
                    ["id": .string($0.id), "version": .string($0.version), "abi": .string($0.abi), "language": .string($0.language),
                     "enabled": .string($0.enabled), "status": .string($0.status), "path": .string($0.path)]
                }
                print(JSONValue.array(rows).text)
            } else if inventory.rows.isEmpty {
                print("No plugins found in: \(inventory.folders.joined(separator: ", "))")
            } else {
                print(Table.render(headers: ["ID", "VERSION", "ABI", "LANGUAGE", "ENABLED", "STATUS", "PATH"],
                                   rows: inventory.rows.map { [$0.id, $0.version, $0.abi, $0.language, $0.enabled, $0.status, $0.path] }))
            }
            for problem in inventory.problems { Console.error("error: \(problem)") }
            if !inventory.problems.isEmpty { throw ExitCode(1) }
        }
    }

    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the descriptor and manifest of one plugin file without enabling it.",
            discussion: "Exits 1 with the reason when the file is refused.")
        @Argument(help: "Path to the plugin's .so file.") var path: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let plugin: LoadedPlugin
            do { plugin = try PluginLoader(logger: options.makeLogger(), configuration: PluginHostConfiguration(isolation: options.isolation ?? .process)).load(path: path) } catch let refusal as PluginRefusal {
                throw CrosswalkError(.pluginRefused, refusal.description)
            }
            print("""
                id:        \(plugin.id)
                name:      \(plugin.name)
                version:   \(plugin.version)
                vendor:    \(plugin.vendor)
                abi:       \(plugin.abiDescription)
                language:  \(plugin.languageDescription)
                path:      \(plugin.path)
                auth:      \(plugin.manifest.auth.scheme)
                objects:   \(plugin.manifest.objects.map(\.name).joined(separator: ", "))
                capabilities: \(plugin.manifest.capabilities.joined(separator: ", "))
                manifest:
                """)
            print(JSONPretty.text(try JSONValue(parsing: plugin.manifest.json)))
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the conformance checks of a plugin: descriptor, manifest and, against a connection, every operation.",
            discussion: """
                PATH_OR_ID is a .so file or the id of a plugin in the plugin folders. Without --connection only the \
                descriptor and the manifest are checked. With it, the plugin is instantiated for that connection \
                (through the host: auth, retries, limits) and check, discover, a full read, an incremental read, \
                start:"now", a read by ids and, with --write-object, a write are run, each answer validated \
                against the ABI's rules. One line per rule: PASS, FAIL or SKIP with the reason. Exits 1 on any FAIL.
                """)
        @Argument(help: "A plugin file, or a plugin id.") var plugin: String
        @Option(help: "The connection to run the operations against.") var connection: String?
        @Option(help: "The object to read (default: the manifest's first readable object).") var object: String?
        @Option(help: "An object to write two records to (created records are real: use a sandbox).") var writeObject: String?
        @Option(help: "Fields of the records to write, as a JSON object (default: made from discover's required fields).") var writeFields: String?
        @Option(help: "Records per page in the reads.") var limit = 2
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let deployment = try options.deployment()
            var settings = ConformanceRun.Settings(object: object, writeObject: writeObject, limit: limit)
            if let writeFields {
                guard case .object(let fields) = try JSONValue(parsing: writeFields) else {
                    throw CrosswalkError(.invalidArgument, "--write-fields must be a JSON object")
                }
                settings.writeFields = fields
            }
            let run = ConformanceRun(plugin: plugin, connection: connection, settings: settings)
            let results = try await run.run(deployment: deployment, logger: options.makeLogger()) { result in
                Console.line(result.line)
            }
            let failed = results.filter { $0.status == .fail }.count
            let passed = results.filter { $0.status == .pass }.count
            Console.line("summary: \(passed) PASS, \(failed) FAIL, \(results.count - passed - failed) SKIP")
            if failed > 0 { throw ExitCode(1) }
        }
    }
}

/// Indented JSON for people.
enum JSONPretty {
    static func text(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + text($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let members) where !members.isEmpty:
            return "{\n" + members.keys.sorted(by: JSONWriter.utf8Less).map { key in
                inner + JSONValue.string(key).text + ": " + text(members[key]!, indent: inner)
            }.joined(separator: ",\n") + "\n\(indent)}"
        default:
            return value.text
        }
    }
}
