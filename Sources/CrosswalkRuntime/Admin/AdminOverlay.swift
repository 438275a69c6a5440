import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkStore
import Foundation

/// A connection created through the admin API (`POST /api/v1/connections`), as the store keeps
/// it: its name, plugin and settings. Its credentials are sealed in the vault entry of its name
/// and never kept here.
public struct APIConnection: Sendable, Codable, Hashable {
    public var name: String
    /// The plugin id (`com.salesforce`).
    public var plugin: String
    /// The settings handed to the plugin (always a JSON object).
    public var settings: JSONValue

    public init(name: String, plugin: String, settings: JSONValue) {
        self.name = name
        self.plugin = plugin
        self.settings = settings
    }

    /// As the config's connections are.
    public var config: ConnectionConfig {
        ConnectionConfig(name: name, connector: plugin, settings: ConfigValue(json: settings))
    }
}

/// A model (seed 001): a named view of chosen fields of one object of a connection, usable as a
/// flow's source (`source: {model: NAME}`), where it becomes the flow model's ``FlowModel``.
public struct APIModel: Sendable, Codable, Hashable {
    public var name: String
    public var connection: String
    public var object: String
    public var fields: [String]
    public var description: String?

    public init(name: String, connection: String, object: String, fields: [String], description: String? = nil) {
        self.name = name
        self.connection = connection
        self.object = object
        self.fields = fields
        self.description = description
    }
}

/// A connection's discovered schema as the store caches it: `pending` while discovery runs,
/// `ready` with the objects and their fields, or `failed` with the reason.
public struct SchemaDocument: Sendable, Codable, Hashable {
    public enum Status: String, Sendable, Codable { case pending, ready, failed }
    public var status: Status
    public var reason: String?
    public var objects: [ObjectSchema]
    public var startedAt: Date
    public var finishedAt: Date?

    public init(status: Status, reason: String? = nil, objects: [ObjectSchema] = [], startedAt: Date = Date(), finishedAt: Date? = nil) {
        self.status = status
        self.reason = reason
        self.objects = objects
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    /// The object named `name`.
    public func object(_ name: String) -> ObjectSchema? { objects.first { $0.name == name } }
}

/// The config file's deployment and what the admin API keeps beside it in the store: connections,
/// models and flows. The file's connections and flows win on a name clash (the API refuses to
/// create one that clashes; a reload can make one clash, and then the file's is used).
public struct AdminOverlay: Sendable {
    /// The deployment read from the config file.
    public var file: Deployment
    /// The config file's text (for line numbers in flow problems).
    public var fileText: String
    public var connections: [String: APIConnection] = [:]
    public var models: [String: APIModel] = [:]
    /// Flows created through the admin API, as JSON (the flow model's shape; `source.model` may name a model).
    public var flows: [String: StoredFlow] = [:]

    public init(file: Deployment) {
        self.file = file
        fileText = Self.text(of: file)
    }

    /// The file's deployment with the API's connections added (the file's win on a clash).
    public var merged: Deployment {
        var d = file
        for (name, c) in connections where d.config.connections[name] == nil { d.config.connections[name] = c.config }
        return d
    }

    /// `config` for a connection of the file, `api` for one created through the API, `nil` for none.
    public func origin(ofConnection name: String) -> String? {
        file.config.connections[name] != nil ? "config" : connections[name] != nil ? "api" : nil
    }

    /// `config` for a flow of the file, `api` for one created through the API, `nil` for none.
    public func origin(ofFlow name: String) -> String? {
        file.config.flows[name] != nil ? "config" : flows[name] != nil ? "api" : nil
    }

    /// The API's flows as the config's raw flows, each model named by `source.model` resolved
    /// into the source's connection, object and fields; and the problems of those that cannot be
    /// (by flow: the key path and the message).
    public func apiFlowConfigs(_ only: [String: StoredFlow]? = nil) -> (flows: [String: FlowConfig], problems: [FlowIssue]) {
        var out: [String: FlowConfig] = [:]
        var problems: [FlowIssue] = []
        for (name, stored) in (only ?? flows) where file.config.flows[name] == nil || only != nil {
            guard let value = try? JSONValue(parsing: stored.json), case .object(var fields) = ConfigValue(json: value) else {
                problems.append(FlowIssue(flow: name, path: "", message: "the stored flow is not a JSON object"))
                continue
            }
            fields["name"] = nil
            if case .object(var source)? = fields["source"], case .string(let modelName)? = source["model"] {
                guard let model = models[modelName] else {
                    let known = models.keys.sorted().joined(separator: ", ")
                    problems.append(FlowIssue(flow: name, path: "source.model", message: "no model \"\(modelName)\"" + (known.isEmpty ? " (none is defined)" : "; known: \(known)")))
                    continue
                }
                for (key, value) in [("connection", model.connection), ("object", model.object)] {
                    if let given = source[key]?.stringValue, given != value {
                        problems.append(FlowIssue(flow: name, path: "source.\(key)", message: "model \(modelName) is over \(model.connection) \(model.object), not \(given)"))
                    }
                    source[key] = .string(value)
                }
                source["model"] = .object(["name": .string(model.name), "fields": .array(model.fields.map { .string($0) })])
                fields["source"] = .object(source)
            }
            out[name] = FlowConfig(name: name, fields: fields)
        }
        for issue in problems { out[issue.flow] = nil }
        return (out, problems)
    }

    /// The text of the deployment's config file (empty for the built-in default).
    public static func text(of deployment: Deployment) -> String {
        guard let file = deployment.file else { return "" }
        let url = URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: deployment.options.workingDirectory))
        return FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

extension ConfigValue {
    /// The config value of a JSON value (numbers: whole ones as integers, others as doubles).
    public init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = n.intValue.map { .int($0) } ?? .double(n.doubleValue)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(ConfigValue.init(json:)))
        case .object(let o): self = .object(o.mapValues(ConfigValue.init(json:)))
        }
    }

    /// This value as JSON.
    public var jsonValue: JSONValue { (try? JSONValue(parsing: jsonString)) ?? .null }
}
