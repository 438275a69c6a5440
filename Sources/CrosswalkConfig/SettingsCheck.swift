import Foundation

/// One setting a connector declares in its manifest (`settings`), as the config checks it.
public struct SettingRule: Sendable, Hashable {
    /// The types a setting may declare.
    public static let knownTypes: Set<String> = ["string", "url", "integer", "number", "boolean", "object", "array"]
    /// Settings the host itself reads for every connection, whatever the plugin declares.
    public static let hostSettings: Set<String> = ["base_url", "allowed_origins", "max_concurrency"]

    public var name: String
    /// One of ``knownTypes``; `nil` (or an unknown type) is not checked.
    public var type: String?
    public var required: Bool
    /// A required setting with a default may be left out.
    public var hasDefault: Bool

    public init(name: String, type: String? = nil, required: Bool = false, hasDefault: Bool = false) {
        self.name = name
        self.type = type
        self.required = required
        self.hasDefault = hasDefault
    }
}

extension ConnectionConfig {
    /// Problems of this connection's `settings` against its plugin's declared settings: a required
    /// setting missing, a value of the wrong type, a setting the plugin does not declare.
    /// - Parameters:
    ///   - plugin: the plugin's id, for messages.
    ///   - file: the config's name as messages give it.
    ///   - lines: where each key of the file is.
    public func settingIssues(against rules: [SettingRule], plugin: String, file: String, lines: ConfigSourceMap) -> [ConfigIssue] {
        let base = "connections.\(name).settings"
        let given = settings.objectMembers
        var issues: [ConfigIssue] = []
        for rule in rules {
            let path = "\(base).\(rule.name)"
            guard let value = given[rule.name], value != .null else {
                if rule.required && !rule.hasDefault {
                    let at = lines.lines[base] != nil ? base : "connections.\(name)"
                    issues.append(ConfigIssue(file: file, line: lines.line(at), path: path,
                                              message: "missing: \(plugin) requires this setting" + (rule.type.map { " (\($0))" } ?? "")))
                }
                continue
            }
            if let type = rule.type, let problem = Self.typeProblem(value, type: type) {
                issues.append(ConfigIssue(file: file, line: lines.line(path), path: path, message: problem))
            }
        }
        let declared = Set(rules.map(\.name))
        if !rules.isEmpty {
            for key in given.keys.sorted() where !declared.contains(key) && !SettingRule.hostSettings.contains(key) {
                let path = "\(base).\(key)"
                let names = declared.union(SettingRule.hostSettings).sorted()
                let near = names.map { ($0, YAMLReader.editDistance(key, $0)) }.min { $0.1 < $1.1 }
                let hint = near.flatMap { $0.1 <= 2 && $0.1 < key.count ? "did you mean '\($0.0)'?" : nil }
                    ?? "\(plugin) declares: \(names.joined(separator: ", "))"
                issues.append(ConfigIssue(file: file, line: lines.line(path), path: path, message: "unknown setting (\(hint))"))
            }
        }
        return issues.sorted { ($0.line, $0.path) < ($1.line, $1.path) }
    }

    /// Why `value` is not of `type`, or `nil` when it is (or the type is not one the host knows).
    static func typeProblem(_ value: ConfigValue, type: String) -> String? {
        func expected(_ what: String) -> String { "expected \(what), found \(value.kindName)" }
        switch (type, value) {
        case ("string", .string), ("integer", .int), ("number", .int), ("number", .double), ("boolean", .bool),
             ("object", .object), ("array", .array):
            return nil
        case ("url", .string(let text)):
            guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  let host = url.host, !host.isEmpty else {
                return "expected an http(s) URL with a host, found \"\(text)\""
            }
            return nil
        case ("string", _): return expected("a string")
        case ("url", _): return expected("a URL (a string)")
        case ("integer", _): return expected("an integer")
        case ("number", _): return expected("a number")
        case ("boolean", _): return expected("a boolean")
        case ("object", _): return expected("a mapping")
        case ("array", _): return expected("a list")
        default: return nil
        }
    }
}

extension ConfigValue {
    /// The members of an object; empty for anything else.
    public var objectMembers: [String: ConfigValue] {
        if case .object(let members) = self { return members }
        return [:]
    }

    /// "a string", "an integer"… for messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "a mapping"
        }
    }
}
