import CrosswalkCore
import Foundation

extension DeploymentConfig {
    /// Reads and checks a config file; relative paths in it resolve against the file's folder.
    ///
    /// - Parameter path: The file, absolute or relative to the current directory. Messages name it as given.
    /// - Throws: `CrosswalkError(.config, …)` if the file cannot be read, or listing every problem in it,
    ///   one per line, as `file:line: key.path: message`.
    public static func load(path: String) throws -> DeploymentConfig {
        let absolute = resolve(path, against: FileManager.default.currentDirectoryPath)
        guard let data = FileManager.default.contents(atPath: absolute) else {
            let reason = FileManager.default.fileExists(atPath: absolute) ? "cannot be read" : "does not exist"
            throw CrosswalkError(.config, "config file \(path) \(reason)", context: ["file": path])
        }
        guard let yaml = String(data: data, encoding: .utf8) else {
            throw CrosswalkError(.config, "config file \(path) is not UTF-8 text", context: ["file": path])
        }
        let folder = URL(fileURLWithPath: absolute).deletingLastPathComponent().path
        return try parse(yaml: yaml, file: path, baseDirectory: folder)
    }

    /// Parses and checks config text.
    ///
    /// - Parameters:
    ///   - yaml: The file's contents.
    ///   - file: The name used in messages, e.g. `crosswalk.yaml`.
    ///   - baseDirectory: The folder relative paths resolve against.
    /// - Throws: `CrosswalkError(.config, …)` whose message lists every problem, one per line;
    ///   use ``validate(yaml:file:baseDirectory:)`` for the structured list.
    public static func parse(yaml: String, file: String, baseDirectory: String) throws -> DeploymentConfig {
        try validate(yaml: yaml, file: file, baseDirectory: baseDirectory).mapError(\.crosswalkError).get()
    }

    /// Parses and checks config text, returning every problem found (in line order) as a failure.
    public static func validate(yaml: String, file: String, baseDirectory: String) -> Result<DeploymentConfig, ConfigErrors> {
        var reader = YAMLReader(file: file)
        if let root = reader.root(of: yaml), let config = reader.deployment(root, baseDirectory: baseDirectory) {
            return .success(config)
        }
        let ordered = reader.issues.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
        return .failure(ConfigErrors(issues: ordered.map(\.element)))
    }
}
