import Foundation

/// Any JSON value: records' fields, cursors, manifests and every document that crosses the ABI.
///
/// Numbers are ``JSONNumber``s, exact decimal values: an 18-digit id or an amount of money comes
/// back as it went in. Objects are unordered (as JSON's are); ``JSONWriter`` sorts keys when it
/// needs canonical bytes.
///
/// ```swift
/// let v = try JSONValue(parsing: #"{"Id":"003A","Amount":1234567890123.45}"#)
/// v["Amount"]?.numberValue?.text   // "1234567890123.45"
/// ```
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses UTF-8 JSON text (see ``JSONParser``).
    public init(parsing text: String) throws { self = try JSONParser.parse(Data(text.utf8)) }

    /// Parses UTF-8 JSON bytes (see ``JSONParser``).
    public init(parsing data: Data) throws { self = try JSONParser.parse(data) }

    /// Compact JSON bytes; keys sorted when `sortedKeys`.
    public func data(sortedKeys: Bool = false) -> Data { JSONWriter.data(self, sortedKeys: sortedKeys) }

    /// Compact JSON text with sorted keys (stable, for logs, goldens and tests).
    public var text: String { String(decoding: JSONWriter.bytes(self, sortedKeys: true), as: UTF8.self) }

    // MARK: Accessors

    public var isNull: Bool { if case .null = self { true } else { false } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var numberValue: JSONNumber? { if case .number(let n) = self { n } else { nil } }
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
    /// A whole number that fits `Int`.
    public var intValue: Int? { numberValue?.intValue }
    /// A whole number that fits `Int64`.
    public var int64Value: Int64? { numberValue?.int64Value }
    /// The nearest `Double` of a number.
    public var doubleValue: Double? { numberValue?.doubleValue }

    /// Member of an object; `nil` for other values or a missing key.
    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// Element of an array; `nil` out of range or for other values.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let a) = self, a.indices.contains(index) else { return nil }
        return a[index]
    }

    /// The JSON type's name, for error messages: `"string"`, `"number"`, `"object"`…
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(floatLiteral value: Double) { self = JSONNumber(value).map(JSONValue.number) ?? .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { text }
}

extension JSONValue: Codable {
    /// Decodes any JSON value. Through ``JSONValueDecoder`` the value is taken as it is (numbers
    /// exact); through another decoder, numbers pass through `Int64` or `Double`.
    public init(from decoder: any Decoder) throws {
        if let direct = decoder as? any JSONValueDecoding {
            self = direct.currentValue
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .number(JSONNumber(i)) }
        else if let d = try? c.decode(Double.self) { self = JSONNumber(d).map(JSONValue.number) ?? .null }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        if let direct = encoder as? any JSONValueEncoding {
            direct.store(self)
            return
        }
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            if let i = n.int64Value { try c.encode(i) } else if let d = n.decimalValue { try c.encode(d) } else { try c.encode(n.doubleValue) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

extension JSONNumber: Codable {
    public init(from decoder: any Decoder) throws {
        if let direct = decoder as? any JSONValueDecoding {
            guard case .number(let n) = direct.currentValue else {
                throw DecodingError.typeMismatch(JSONNumber.self, .init(codingPath: decoder.codingPath,
                                                                        debugDescription: "expected a number, found \(direct.currentValue.typeName)"))
            }
            self = n
            return
        }
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int64.self) { self = JSONNumber(i) } else {
            let d = try c.decode(Double.self)
            guard let n = JSONNumber(d) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a finite number")
            }
            self = n
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if let direct = encoder as? any JSONValueEncoding {
            direct.store(.number(self))
            return
        }
        var c = encoder.singleValueContainer()
        if let i = int64Value { try c.encode(i) } else { try c.encode(doubleValue) }
    }
}
