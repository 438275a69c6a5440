import Yams

/// The line of every key in a config file, by dotted key path (`connections.sf.settings.base_url`,
/// `plugins.paths[1]`), so checks made after parsing (a connection's settings against its
/// plugin's manifest) can blame a line as the parser does.
public struct ConfigSourceMap: Sendable, Equatable {
    public private(set) var lines: [String: Int] = [:]

    /// Maps `yaml`; a file that does not parse maps nothing.
    public init(yaml: String) {
        guard let root = try? Yams.compose(yaml: yaml) else { return }
        visit(root, path: "")
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

    private mutating func visit(_ node: Node, path: String) {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard let name = key.scalar?.string else { continue }
                let child = path.isEmpty ? name : "\(path).\(name)"
                if lines[child] == nil { lines[child] = key.mark?.line ?? 1 }
                visit(value, path: child)
            }
        case .sequence(let items):
            for (index, item) in items.enumerated() {
                let child = "\(path)[\(index)]"
                lines[child] = item.mark?.line ?? lines[path] ?? 1
                visit(item, path: child)
            }
        default:
            break
        }
    }
}
