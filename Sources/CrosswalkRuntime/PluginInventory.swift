import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import Logging

/// `crosswalk plugins list`: every plugin file in the deployment's folders, loaded or refused,
/// and what is wrong with the enabled ones.
public struct PluginInventory: Sendable {
    /// One row of the listing.
    public struct Row: Sendable {
        public var id: String
        public var version: String
        public var abi: String
        public var language: String
        public var enabled: String
        public var status: String
        public var path: String
    }

    public var rows: [Row]
    /// An enabled plugin that was refused or not found: the listing then fails.
    public var problems: [String]
    public var folders: [String]

    /// Scans `deployment`'s plugin folders.
    public init(deployment: Deployment, logger: Logger) {
        let scan = deployment.pluginLoader(logger: logger).scan(folders: deployment.pluginFolders)
        let enabled = deployment.enabled
        rows = scan.loaded.map { p in
            Row(id: p.id, version: p.version, abi: p.abiDescription, language: p.languageDescription,
                enabled: enabled.contains(p.id) ? "yes" : "no", status: "loaded", path: p.path)
        } + scan.refused.map { r in
            Row(id: "-", version: "-", abi: "-", language: "-", enabled: "-", status: "refused: \(r.reason)", path: r.path)
        }
        problems = deployment.config.plugins.enabled.filter { scan.plugin($0) == nil }.map { id in
            "enabled plugin \(id) was not found in any plugin folder" + (scan.refused.isEmpty ? "" : " (a refused file may be it)")
        }
        folders = deployment.pluginFolders
    }
}
