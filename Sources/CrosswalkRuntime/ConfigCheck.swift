import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import Foundation
import Logging

/// `crosswalk config check`: the file's syntax, keys and types (the parser's), that every enabled
/// plugin is found, that every connection's connector is enabled, and each connection's settings
/// against its plugin's manifest (`required`, types), all as `file:line: key: message`.
public enum ConfigCheck {
    /// What the check found.
    public struct Report: Sendable {
        public var problems: [String]
        public var warnings: [String]
        public var config: DeploymentConfig?
    }

    /// Checks `file`.
    public static func run(file: String, options: RuntimeOptions, logger: Logger) -> Report {
        var options = options
        options.configPath = file
        let deployment: Deployment
        do { deployment = try Deployment.load(options) } catch let e as CrosswalkError {
            return Report(problems: [e.message], warnings: [], config: nil)
        } catch {
            return Report(problems: ["\(file): \(error)"], warnings: [], config: nil)
        }
        let config = deployment.config
        let text = FileManager.default.contents(atPath: URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: options.workingDirectory)).path)
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        let lines = ConfigSourceMap(yaml: text)
        var problems: [String] = []
        let scan = deployment.pluginLoader(logger: logger).scan(folders: deployment.pluginFolders)
        for (index, id) in config.plugins.enabled.enumerated() where scan.plugin(id) == nil {
            let path = "plugins.enabled[\(index)]"
            let refused = scan.refused.map(\.description)
            problems.append("\(file):\(lines.line(path)): plugins.enabled: no plugin with id \(id) in \(deployment.pluginFolders.joined(separator: ", "))"
                + (refused.isEmpty ? "" : " (refused: \(refused.joined(separator: "; ")))"))
        }
        for (name, connection) in config.connections.sorted(by: { $0.key < $1.key }) {
            let path = "connections.\(name).connector"
            guard config.plugins.enabled.contains(connection.connector) else {
                problems.append("\(file):\(lines.line(path)): \(path): \(connection.connector) is not in plugins.enabled")
                continue
            }
            guard let plugin = scan.plugin(connection.connector) else { continue }
            let rules = plugin.manifest.settings.map {
                SettingRule(name: $0.name, type: $0.type, required: $0.required ?? false, hasDefault: $0.default.map { !$0.isNull } ?? false)
            }
            problems += connection.settingIssues(against: rules, plugin: plugin.id, file: file, lines: lines).map(\.description)
        }
        return Report(problems: problems, warnings: deployment.warnings, config: config)
    }
}
