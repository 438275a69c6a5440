import ArgumentParser
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import Foundation

struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List and inspect connector plugins.",
        subcommands: [List.self, Inspect.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the plugins found in the plugin folders, loaded or refused.",
            discussion: """
                Folders searched, in order: --plugin-path, the config's plugins.paths, \
                CROSSWALK_PLUGIN_PATH (colon-separated), and the folder of the crosswalk executable.
                """)
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            let deployment = try Deployment.load(options)
            let scan = PluginLoader(logger: options.makeLogger()).scan(folders: deployment.pluginFolders)
            let rows: [[String: String]] = scan.loaded.map { p in
                ["id": p.id, "version": p.version, "abi": p.abiDescription, "language": p.languageDescription,
                 "enabled": deployment.enabled.contains(p.id) ? "yes" : "no", "status": "loaded", "path": p.path]
            } + scan.refused.map { r in
                ["id": "-", "version": "-", "abi": "-", "language": "-", "enabled": "-", "status": "refused: \(r.reason)", "path": r.path]
            }
            if json {
                let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            if rows.isEmpty {
                print("No plugins found in: \(deployment.pluginFolders.joined(separator: ", "))")
                return
            }
            print(Table.render(headers: ["ID", "VERSION", "ABI", "LANGUAGE", "ENABLED", "STATUS", "PATH"],
                               rows: rows.map { [$0["id"]!, $0["version"]!, $0["abi"]!, $0["language"]!, $0["enabled"]!, $0["status"]!, $0["path"]!] }))
            for id in deployment.enabled where scan.plugin(id) == nil {
                print("warning: enabled plugin \(id) was not found in any plugin folder")
            }
        }
    }

    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the descriptor and manifest of one plugin file without enabling it.")
        @Argument(help: "Path to the plugin's .so file.") var path: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let loader = PluginLoader(logger: options.makeLogger())
            let plugin: LoadedPlugin
            do { plugin = try loader.load(path: path) } catch let refusal as PluginRefusal {
                throw ValidationError(refusal.description)
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
            let object = try JSONSerialization.jsonObject(with: Data(plugin.manifest.json.utf8))
            let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: pretty, as: UTF8.self))
        }
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
