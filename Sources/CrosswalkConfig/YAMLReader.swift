import Yams

/// A YAML node with the line to blame for it (its key's line, or its own for list items) and its key path.
struct Located {
    var node: Node
    var line: Int
    var path: String

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    var isNull: Bool { YAMLReader.Kind(of: node) == .null }
}

/// Typed reads over a composed YAML tree that record every problem instead of stopping at the first.
struct YAMLReader {
    let file: String
    private(set) var issues: [ConfigIssue] = []

    init(file: String) { self.file = file }

    mutating func report(_ line: Int, _ path: String, _ message: String) {
        issues.append(ConfigIssue(file: file, line: line, path: path, message: message))
    }

    /// The document's root node, or `nil` after reporting a syntax error. An empty document is an empty mapping.
    mutating func root(of yaml: String) -> Located? {
        do {
            let node = try Yams.compose(yaml: yaml) ?? Node([(Node, Node)]())
            return Located(node: node, line: node.mark?.line ?? 1, path: "")
        } catch let YamlError.scanner(context, problem, mark, _),
                let YamlError.parser(context, problem, mark, _),
                let YamlError.composer(context, problem, mark, _) {
            let during = context.map { " (\($0.text) on line \($0.mark.line))" } ?? ""
            report(mark.line, "", "invalid YAML: \(problem)\(during)")
        } catch let YamlError.reader(problem, offset, _, _) {
            report(yaml.utf8.prefix(offset ?? 0).count { $0 == UInt8(ascii: "\n") } + 1, "", "invalid YAML: \(problem)")
        } catch {
            report(1, "", "invalid YAML: \(error)")
        }
        return nil
    }

    /// The entries of a mapping in file order, reporting duplicate keys and keys not in `allowed`.
    mutating func entries(_ value: Located, allowed: [String]? = nil) -> [(key: String, value: Located)]? {
        guard case .mapping(let mapping) = value.node else { return mismatch(value, expected: "a mapping") }
        var firstLine: [String: Int] = [:]
        var result: [(key: String, value: Located)] = []
        for (keyNode, child) in mapping {
            let line = keyNode.mark?.line ?? value.line
            guard let key = keyNode.scalar?.string else {
                report(line, value.path, "keys must be strings, found \(Kind(of: keyNode).rawValue)")
                continue
            }
            let path = value.child(key)
            if let first = firstLine[key] {
                report(line, path, "duplicate key (first set on line \(first))")
            } else if let allowed, !allowed.contains(key) {
                report(line, path, "unknown key (\(Self.hint(for: key, among: allowed)))")
            } else {
                firstLine[key] = line
                result.append((key, Located(node: child, line: line, path: path)))
            }
        }
        return result
    }

    /// A mapping's known fields by key, reporting unknown, duplicate and missing required keys.
    mutating func fields(_ value: Located, allowed: [String], required: [String] = []) -> [String: Located]? {
        guard let list = entries(value, allowed: allowed) else { return nil }
        let fields = Dictionary(list, uniquingKeysWith: { first, _ in first })
        for key in required where fields[key] == nil {
            report(value.line, value.child(key), "missing required key")
        }
        return fields
    }

    mutating func string(_ value: Located) -> String? {
        guard case .scalar(let s) = value.node, Kind(of: value.node) == .string else {
            return mismatch(value, expected: "a string")
        }
        return s.string
    }

    mutating func int(_ value: Located) -> Int? {
        guard Kind(of: value.node) == .int else { return mismatch(value, expected: "an integer") }
        guard let int = value.node.int else {
            report(value.line, value.path, "integer out of range")
            return nil
        }
        return int
    }

    mutating func strings(_ value: Located) -> [String]? {
        guard case .sequence(let items) = value.node else { return mismatch(value, expected: "a list of strings") }
        let read = items.enumerated().map { index, item in
            string(Located(node: item, line: item.mark?.line ?? value.line, path: "\(value.path)[\(index)]"))
        }
        return read.contains(nil) ? nil : read.compactMap { $0 }
    }

    /// Any YAML value as JSON: scalars by their resolved type, lists and mappings recursively.
    mutating func json(_ value: Located) -> ConfigValue? {
        switch value.node {
        case .mapping:
            guard let list = entries(value) else { return nil }
            let read = list.map { ($0.key, json($0.value)) }
            guard !read.contains(where: { $0.1 == nil }) else { return nil }
            return .object(Dictionary(read.map { ($0.0, $0.1!) }, uniquingKeysWith: { first, _ in first }))
        case .sequence(let items):
            let read = items.enumerated().map { index, item in
                json(Located(node: item, line: item.mark?.line ?? value.line, path: "\(value.path)[\(index)]"))
            }
            return read.contains(nil) ? nil : .array(read.compactMap { $0 })
        case .scalar(let scalar):
            switch Kind(of: value.node) {
            case .null: return .null
            case .bool: return value.node.bool.map(ConfigValue.bool)
            case .int: return int(value).map(ConfigValue.int)
            case .number:
                guard let double = value.node.float, double.isFinite else {
                    report(value.line, value.path, "expected a finite number (JSON has no infinity or NaN)")
                    return nil
                }
                return .double(double)
            default: return .string(scalar.string)
            }
        }
    }

    /// A mapping read as a JSON object.
    mutating func object(_ value: Located) -> [String: ConfigValue]? {
        guard case .mapping = value.node else { return mismatch(value, expected: "a mapping") }
        guard case .object(let fields)? = json(value) else { return nil }
        return fields
    }

    /// Reports "expected X, found Y" and returns `nil`.
    mutating func mismatch<T>(_ value: Located, expected: String) -> T? {
        report(value.line, value.path, "expected \(expected), found \(Kind(of: value.node).rawValue)")
        return nil
    }

    /// What a node is, by its resolved YAML tag; the raw value names it in messages.
    /// Timestamps, binary and custom tags count as strings.
    enum Kind: String {
        case mapping = "a mapping", list = "a list", null = "null", bool = "a boolean"
        case int = "an integer", number = "a number", string = "a string"

        init(of node: Node) {
            switch (node, node.tag) {
            case (.mapping, _): self = .mapping
            case (.sequence, _): self = .list
            case (_, Tag(.null)): self = .null
            case (_, Tag(.bool)): self = .bool
            case (_, Tag(.int)): self = .int
            case (_, Tag(.float)): self = .number
            default: self = .string
            }
        }
    }

    /// "did you mean 'x'?" for a near miss (edit distance at most 2), else the keys that are allowed.
    static func hint(for key: String, among allowed: [String]) -> String {
        let scored = allowed.map { ($0, editDistance(key, $0)) }.min { $0.1 < $1.1 }
        if let (best, distance) = scored, distance <= 2, distance < key.count { return "did you mean '\(best)'?" }
        return "expected one of: \(allowed.joined(separator: ", "))"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let substitution = previous + (a[i - 1] == b[j - 1] ? 0 : 1)
                previous = row[j]
                row[j] = min(substitution, row[j] + 1, row[j - 1] + 1)
            }
        }
        return row[b.count]
    }
}
