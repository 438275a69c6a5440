import CrosswalkAuth
import CrosswalkCore
import CrosswalkSandbox
import Foundation

/// `crosswalk init --template NAME`: writes a template's deployment into a folder, against a
/// `crosswalk sandbox --port P --no-tls` on this machine (each app on its port in
/// ``SandboxConfiguration/appOrder`` from `P`), with each connection's sandbox credentials as a
/// JSON file (mode 0600) for `connections add`. The CLI prints what it wrote and the next steps.
public enum TemplateInit {
    /// What `write` produced.
    public struct Result: Sendable {
        /// The crosswalk.yaml written.
        public var config: URL
        /// The credentials file of each connection, by connection name.
        public var credentials: [(connection: String, file: URL)]
        /// Shell lines that store the credentials and run the flows, in order.
        public var nextSteps: [String]
    }

    /// The sandbox URL of each app when its first port is `port` (Salesforce over http: `--no-tls`).
    public static func sandboxURLs(port: Int) -> [String: URL] {
        var urls: [String: URL] = [:]
        for (i, app) in SandboxConfiguration.appOrder.enumerated() { urls[app] = URL(string: "http://127.0.0.1:\(port + i)")! }
        return urls
    }

    /// One line per template: its name and summary.
    public static func list() -> [String] {
        let width = FlowTemplate.all.map(\.name.count).max() ?? 0
        return FlowTemplate.all.map { $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.summary }
    }

    /// Writes the template named `name` into `folder` (created if needed).
    /// - Throws: `.invalidArgument` for an unknown template (naming the known ones), `.conflict` when
    ///   `folder` already holds a crosswalk.yaml and `overwrite` is false.
    public static func write(template name: String, into folder: URL, sandboxPort: Int = 8400, overwrite: Bool = false) throws -> Result {
        guard let template = FlowTemplate.named(name) else {
            throw CrosswalkError(.invalidArgument, "no template \"\(name)\"; known: \(FlowTemplate.all.map(\.name).joined(separator: ", "))")
        }
        let fm = FileManager.default
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("crosswalk.yaml")
        if fm.fileExists(atPath: config.path) && !overwrite {
            throw CrosswalkError(.conflict, "\(config.path) exists; pass --force to replace it")
        }
        let urls = sandboxURLs(port: sandboxPort)
        try Data(FlowTemplate.deployment([template], urls: urls).utf8).write(to: config)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let folderOfSecrets = folder.appendingPathComponent("credentials")
        try fm.createDirectory(at: folderOfSecrets, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var files: [(String, URL)] = []
        for (connection, credentials) in template.credentials(urls: urls).sorted(by: { $0.key < $1.key }) {
            let file = folderOfSecrets.appendingPathComponent("\(connection).json")
            fm.createFile(atPath: file.path, contents: try encoder.encode(credentials), attributes: [.posixPermissions: 0o600])
            files.append((connection, file))
        }
        let c = "--config \(config.path)"
        var steps = ["crosswalk sandbox --port \(sandboxPort) --no-tls &", "crosswalk vault init \(c)"]
        steps += files.map { "crosswalk connections add \($0.0) \(c) < \($0.1.path)" }
        steps += template.flows.map { "crosswalk run \($0) \(c)" }
        return Result(config: config, credentials: files, nextSteps: steps)
    }
}
