import CrosswalkCore

/// One problem found in a config file, e.g. `crosswalk.yaml:3: plugins.enable: unknown key (did you mean 'enabled'?)`.
public struct ConfigIssue: Sendable, Hashable, CustomStringConvertible {
    /// The file name as given to the parser.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// Dotted key path (`connections.sf-prod.connector`, `plugins.paths[1]`); empty for the whole file.
    public var path: String
    public var message: String

    public init(file: String, line: Int, path: String, message: String) {
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "\(file):\(line): \(message)" : "\(file):\(line): \(path): \(message)"
    }
}

/// Every problem found in a config file, in file order.
public struct ConfigErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public var issues: [ConfigIssue]

    public init(issues: [ConfigIssue]) { self.issues = issues }

    /// One issue per line.
    public var description: String { issues.map(\.description).joined(separator: "\n") }

    /// The `CrosswalkError(.config, …)` that ``DeploymentConfig/parse(yaml:file:baseDirectory:)`` throws.
    public var crosswalkError: CrosswalkError {
        var context = ["errors": String(issues.count)]
        context["file"] = issues.first?.file
        return CrosswalkError(.config, description, context: context)
    }
}
