import Yams

/// The line of every key in a config file, by dotted key path (`connections.sf.settings.base_url`,
/// `plugins.paths[1]`), so checks made after parsing (a connection's settings against its
/// plugin's manifest) can blame a line as the parser does.
public struct ConfigSourceMap: Sendable, Equatable {
    public private(set) var lines: [String: Int] = [:]
    /// Where each scalar value's text starts, by key path, so an error inside a value (a flow's
    /// mapping) can point at its line and column in the file.
    public private(set) var scalars: [String: ScalarPlace] = [:]

    /// Where a scalar's text starts in the file (1-based), and how its lines are indented.
    public struct ScalarPlace: Sendable, Equatable {
        /// The line of the text's first character (for a `|` or `>` block, the line after the indicator).
        public var line: Int
        /// The column of that character.
        public var column: Int
        /// A block scalar: every line of the text starts at ``column``.
        public var block: Bool
    }

    /// Maps `yaml`; a file that does not parse maps nothing.
    public init(yaml: String) {
        guard let root = try? Yams.compose(yaml: yaml) else { return }
        let fileLines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        visit(root, path: "", fileLines: fileLines)
    }

    /// The line of `path`, else of its nearest ancestor that has one, else 1.
    public func line(_ path: String) -> Int {
        var current = path
        while !current.isEmpty {
            if let line = lines[current] { return line }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            current = String(current[..<cut])
        }
        return 1
    }

    private mutating func visit(_ node: Node, path: String, fileLines: [Substring]) {
        switch node {
        case .scalar(let scalar):
            guard let mark = scalar.mark else { break }
            switch scalar.style {
            case .literal, .folded:
                // The text starts on the first non-blank line after the indicator, at its indentation.
                var line = mark.line + 1
                while line <= fileLines.count, fileLines[line - 1].allSatisfy({ $0 == " " }) { line += 1 }
                let indent = line <= fileLines.count ? fileLines[line - 1].prefix { $0 == " " }.count : 0
                scalars[path] = ScalarPlace(line: line, column: indent + 1, block: true)
            case .singleQuoted, .doubleQuoted:
                scalars[path] = ScalarPlace(line: mark.line, column: mark.column + 1, block: false)
            default:
                scalars[path] = ScalarPlace(line: mark.line, column: mark.column, block: false)
            }
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard let name = key.scalar?.string else { continue }
                let child = path.isEmpty ? name : "\(path).\(name)"
                if lines[child] == nil { lines[child] = key.mark?.line ?? 1 }
                visit(value, path: child, fileLines: fileLines)
            }
        case .sequence(let items):
            for (index, item) in items.enumerated() {
                let child = "\(path)[\(index)]"
                lines[child] = item.mark?.line ?? lines[path] ?? 1
                visit(item, path: child, fileLines: fileLines)
            }
        default:
            break
        }
    }
}
