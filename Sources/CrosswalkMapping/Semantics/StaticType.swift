import CrosswalkConnectors
import CrosswalkCore

/// What the compiler knows of an expression's value. `dyn` is "any JSON value" (fields without
/// a schema); every type also admits null (missing fields, failed lookups).
enum StaticType: Sendable, Equatable, CustomStringConvertible {
    case dyn, null, bool, number, string, list, object

    var description: String {
        switch self {
        case .dyn: "any"
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .list: "list"
        case .object: "object"
        }
    }

    /// Whether a value of this type might be of type `other` at run time.
    func admits(_ other: StaticType) -> Bool { self == .dyn || other == .dyn || self == .null || other == .null || self == other }

    /// Whether the type is known and concrete (not `dyn`, not `null`).
    var isKnown: Bool { self != .dyn && self != .null }

    /// The type two branches (`?:`, `??`) may produce.
    func join(_ other: StaticType) -> StaticType {
        if self == other { return self }
        if self == .null { return other }
        if other == .null { return self }
        return .dyn
    }

    static func of(_ value: JSONValue) -> StaticType {
        switch value {
        case .null: .null
        case .bool: .bool
        case .number: .number
        case .string: .string
        case .array: .list
        case .object: .object
        }
    }

    /// The type of a discovered field's values.
    init(_ field: FieldType) {
        switch field {
        case .string, .text, .email, .phone, .url, .id, .reference, .picklist, .multipicklist, .date, .datetime, .time, .binary: self = .string
        case .boolean: self = .bool
        case .integer, .number, .decimal, .currency, .percent: self = .number
        case .address: self = .object
        case .json, .other: self = .dyn
        }
    }
}

/// Which types a function parameter accepts.
struct Accepts: OptionSet, Sendable {
    let rawValue: UInt8
    static let bool = Accepts(rawValue: 1)
    static let number = Accepts(rawValue: 2)
    static let string = Accepts(rawValue: 4)
    static let list = Accepts(rawValue: 8)
    static let object = Accepts(rawValue: 16)
    static let any: Accepts = [.bool, .number, .string, .list, .object]

    func admits(_ t: StaticType) -> Bool {
        switch t {
        case .dyn, .null: true
        case .bool: contains(.bool)
        case .number: contains(.number)
        case .string: contains(.string)
        case .list: contains(.list)
        case .object: contains(.object)
        }
    }

    func admits(_ v: JSONValue) -> Bool { admits(StaticType.of(v)) }

    var description: String {
        if self == .any { return "any value" }
        var names: [String] = []
        if contains(.string) { names.append("a string") }
        if contains(.number) { names.append("a number") }
        if contains(.bool) { names.append("a boolean") }
        if contains(.list) { names.append("a list") }
        if contains(.object) { names.append("an object") }
        if names.count <= 1 { return names.first ?? "nothing" }
        return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }
}
