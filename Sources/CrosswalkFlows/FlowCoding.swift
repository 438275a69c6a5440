import CrosswalkCore
import Foundation

// The JSON (and YAML) form of flows: snake_case members, defaults for what is left out, and enums
// with values written as one-member objects (`{"archive": {"Status": "Archived"}}`).

extension Flow: Codable {
    enum CodingKeys: String, CodingKey {
        case name, description, enabled, source, targets, triggers, direction, criteria, start, dependencies, link
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        source = try c.decode(FlowSource.self, forKey: .source)
        targets = try c.decode([FlowTarget].self, forKey: .targets)
        triggers = try c.decodeIfPresent([FlowTrigger].self, forKey: .triggers) ?? [.manual]
        direction = try c.decodeIfPresent(FlowDirection.self, forKey: .direction) ?? .oneWay
        criteria = try c.decodeIfPresent(String.self, forKey: .criteria)
        start = try c.decodeIfPresent(FlowStart.self, forKey: .start) ?? .beginning
        dependencies = try c.decodeIfPresent([DependencyRule].self, forKey: .dependencies) ?? []
        link = try c.decodeIfPresent(String.self, forKey: .link)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encode(enabled, forKey: .enabled)
        try c.encode(source, forKey: .source)
        try c.encode(targets, forKey: .targets)
        try c.encode(triggers, forKey: .triggers)
        try c.encode(direction, forKey: .direction)
        try c.encodeIfPresent(criteria, forKey: .criteria)
        try c.encode(start, forKey: .start)
        if !dependencies.isEmpty { try c.encode(dependencies, forKey: .dependencies) }
        try c.encodeIfPresent(link, forKey: .link)
    }

    /// The flow as exact JSON (keys sorted), as the store keeps it.
    public func json() throws -> String {
        String(decoding: try JSONValueEncoder().encode(self, sortedKeys: true), as: UTF8.self)
    }

    /// A flow from its JSON.
    /// - Throws: `.invalidFlow` naming what is wrong.
    public static func decode(json: String) throws -> Flow {
        do { return try JSONValueDecoder().decode(Flow.self, from: Data(json.utf8)) } catch let error as DecodingError {
            // Flow definitions hold no secrets: the decoder's own explanation ("unknown delete policy …") is shown.
            if case .dataCorrupted(let context) = error, !context.codingPath.isEmpty {
                let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
                throw CrosswalkError(.invalidFlow, "the flow definition is not valid: \(path): \(context.debugDescription)")
            }
            throw CrosswalkError(.invalidFlow, "the flow definition is not valid: \(error.crosswalkDescription)")
        } catch let error as JSONParseError {
            throw CrosswalkError(.invalidFlow, "the flow definition is not JSON: \(error)")
        }
    }
}

extension FlowTarget: Codable {
    enum CodingKeys: String, CodingKey {
        case name, connection, object, mode, mapping, criteria, links
        case deletePolicy = "delete_policy"
        case matchKeys = "match_keys"
        case writeBack = "write_back"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        connection = try c.decode(String.self, forKey: .connection)
        object = try c.decode(String.self, forKey: .object)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? object
        mode = try c.decodeIfPresent(WriteMode.self, forKey: .mode) ?? .upsert
        deletePolicy = try c.decodeIfPresent(DeletePolicy.self, forKey: .deletePolicy) ?? .nothing
        matchKeys = try c.decodeIfPresent([MatchKey].self, forKey: .matchKeys) ?? []
        mapping = try c.decode(String.self, forKey: .mapping)
        criteria = try c.decodeIfPresent(String.self, forKey: .criteria)
        links = try c.decodeIfPresent([StepLink].self, forKey: .links) ?? []
        writeBack = try c.decodeIfPresent(String.self, forKey: .writeBack)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(connection, forKey: .connection)
        try c.encode(object, forKey: .object)
        try c.encode(mode, forKey: .mode)
        try c.encode(deletePolicy, forKey: .deletePolicy)
        if !matchKeys.isEmpty { try c.encode(matchKeys, forKey: .matchKeys) }
        try c.encode(mapping, forKey: .mapping)
        try c.encodeIfPresent(criteria, forKey: .criteria)
        if !links.isEmpty { try c.encode(links, forKey: .links) }
        try c.encodeIfPresent(writeBack, forKey: .writeBack)
    }
}

/// A key for one-member objects: `{"archive": …}`.
struct NamedKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Reads a value that is either a bare name or a one-member object `{name: payload}`.
enum NamedValue {
    /// The name, and a container holding its payload when the value was an object.
    static func read(_ decoder: any Decoder, what: String) throws -> (String, KeyedDecodingContainer<NamedKey>?) {
        if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) { return (name, nil) }
        let c = try decoder.container(keyedBy: NamedKey.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "\(what) is a name or an object with exactly one member"))
        }
        return (key.stringValue, c)
    }

    static func unknown(_ name: String, _ what: String, known: [String], _ decoder: any Decoder) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                          debugDescription: "unknown \(what) \"\(name)\" (known: \(known.joined(separator: ", ")))"))
    }
}

extension DeletePolicy: Codable {
    public init(from decoder: any Decoder) throws {
        let (name, payload) = try NamedValue.read(decoder, what: "a delete policy")
        switch name {
        case "nothing": self = .nothing
        case "delete": self = .delete
        case "archive": self = .archive(try payload?.decode([String: JSONValue].self, forKey: NamedKey("archive")) ?? [:])
        default: throw NamedValue.unknown(name, "delete policy", known: ["nothing", "archive", "delete"], decoder)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .nothing:
            var c = encoder.singleValueContainer()
            try c.encode("nothing")
        case .delete:
            var c = encoder.singleValueContainer()
            try c.encode("delete")
        case .archive(let fields):
            var c = encoder.container(keyedBy: NamedKey.self)
            try c.encode(fields, forKey: NamedKey("archive"))
        }
    }
}

extension MatchKey: Codable {
    public init(from decoder: any Decoder) throws {
        let (name, payload) = try NamedValue.read(decoder, what: "a match key")
        guard let payload else {
            // A bare name is a field: `match_keys: [Email]`.
            self = .field(name)
            return
        }
        let field = try payload.decode(String.self, forKey: NamedKey(name))
        switch name {
        case "external_id": self = .externalID(field)
        case "field": self = .field(field)
        default: throw NamedValue.unknown(name, "match key", known: ["external_id", "field"], decoder)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: NamedKey.self)
        switch self {
        case .externalID(let f): try c.encode(f, forKey: NamedKey("external_id"))
        case .field(let f): try c.encode(f, forKey: NamedKey("field"))
        }
    }
}

extension FlowTrigger: Codable {
    public init(from decoder: any Decoder) throws {
        let (name, payload) = try NamedValue.read(decoder, what: "a trigger")
        switch (name, payload) {
        case ("webhook", nil): self = .webhook
        case ("manual", nil): self = .manual
        case ("initial_import", nil): self = .initialImport
        case ("every_s", let c?): self = .every(seconds: try c.decode(Int.self, forKey: NamedKey("every_s")))
        case ("cron", let c?): self = .cron(try c.decode(String.self, forKey: NamedKey("cron")))
        default: throw NamedValue.unknown(name, "trigger", known: ["webhook", "manual", "initial_import", "{every_s: N}", "{cron: …}"], decoder)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .every(let seconds):
            var c = encoder.container(keyedBy: NamedKey.self)
            try c.encode(seconds, forKey: NamedKey("every_s"))
        case .cron(let text):
            var c = encoder.container(keyedBy: NamedKey.self)
            try c.encode(text, forKey: NamedKey("cron"))
        case .webhook, .manual, .initialImport:
            var c = encoder.singleValueContainer()
            try c.encode(self == .webhook ? "webhook" : self == .manual ? "manual" : "initial_import")
        }
    }
}

extension FlowDirection: Codable {
    public init(from decoder: any Decoder) throws {
        let (name, payload) = try NamedValue.read(decoder, what: "a direction")
        switch (name, payload) {
        case ("one_way", nil): self = .oneWay
        case ("two_way", let c?): self = .twoWay(try c.decode(TwoWaySync.self, forKey: NamedKey("two_way")))
        default: throw NamedValue.unknown(name, "direction", known: ["one_way", "{two_way: …}"], decoder)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .oneWay:
            var c = encoder.singleValueContainer()
            try c.encode("one_way")
        case .twoWay(let settings):
            var c = encoder.container(keyedBy: NamedKey.self)
            try c.encode(settings, forKey: NamedKey("two_way"))
        }
    }
}

extension DependencyRule: Codable {
    enum CodingKeys: String, CodingKey {
        case field, object, required, flow
        case linkType = "link_type"
        case targetObject = "target_object"
        case whenMissing = "when_missing"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        field = try c.decodeIfPresent(String.self, forKey: .field)
        linkType = try c.decodeIfPresent(String.self, forKey: .linkType)
        object = try c.decode(String.self, forKey: .object)
        targetObject = try c.decodeIfPresent(String.self, forKey: .targetObject)
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
        whenMissing = try c.decodeIfPresent(DependencyAction.self, forKey: .whenMissing) ?? .wait
        flow = try c.decodeIfPresent(String.self, forKey: .flow)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(field, forKey: .field)
        try c.encodeIfPresent(linkType, forKey: .linkType)
        try c.encode(object, forKey: .object)
        try c.encodeIfPresent(targetObject, forKey: .targetObject)
        try c.encode(required, forKey: .required)
        try c.encode(whenMissing, forKey: .whenMissing)
        try c.encodeIfPresent(flow, forKey: .flow)
    }
}

extension CrosswalkError.Code {
    /// A flow definition that cannot run: a missing target, a link to an unknown step…
    public static let invalidFlow = CrosswalkError.Code("invalid_flow")
}
