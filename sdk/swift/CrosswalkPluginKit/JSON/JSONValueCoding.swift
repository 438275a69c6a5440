import Foundation

/// Decodes `Decodable` types from a ``JSONValue`` tree, keeping numbers exact.
///
/// Together with ``JSONParser`` it replaces `JSONDecoder` on host paths: a `JSONValue` member
/// of a message is taken as it is, never through `Double`.
///
/// ```swift
/// let result = try JSONValueDecoder().decode(ReadResult.self, from: data)
/// ```
public struct JSONValueDecoder: Sendable {
    public init() {}

    /// Parses `data` and decodes a `T` from it.
    /// - Throws: `JSONParseError` for bad JSON, `DecodingError` (with the coding path) for a bad shape.
    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decode(type, from: try JSONParser.parse(data))
    }

    /// Decodes a `T` from a parsed value.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        if type == JSONValue.self { return value as! T }
        return try T(from: ValueDecoder(value: value, codingPath: []))
    }
}

/// A type that reads itself straight from a ``JSONValue`` (no `Decoder` in between, for the
/// records of a page). ``JSONValueDecoder`` uses it wherever the type appears; its errors are
/// `DecodingError`s with `codingPath` in front of the path, as a `Decodable` init would throw.
public protocol JSONValueReadable {
    init(jsonValue: JSONValue, codingPath: [any CodingKey]) throws
}

/// A type that writes itself straight as a ``JSONValue``; ``JSONValueEncoder`` uses it wherever
/// the type appears.
public protocol JSONValueWritable {
    func jsonValue() throws -> JSONValue
}

/// What a ``JSONValueReadable`` needs to read an object by hand with the errors Codable gives.
public struct JSONObjectReader {
    public let object: [String: JSONValue]
    public let codingPath: [any CodingKey]

    public init(_ value: JSONValue, codingPath: [any CodingKey], type: Any.Type) throws {
        guard case .object(let o) = value else {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected an object, found \(value.typeName)"))
        }
        object = o
        self.codingPath = codingPath
    }

    private func path(_ key: String) -> [any CodingKey] { codingPath + [ReaderKey(stringValue: key)] }

    /// A required string member.
    public func string(_ key: String) throws -> String {
        guard let v = object[key] else {
            throw DecodingError.keyNotFound(ReaderKey(stringValue: key), .init(codingPath: codingPath, debugDescription: "missing \"\(key)\""))
        }
        guard case .string(let s) = v else { throw mismatch(String.self, v, path(key)) }
        return s
    }

    /// An optional string member (absent or null: `nil`).
    public func optionalString(_ key: String) throws -> String? {
        guard let v = object[key], !v.isNull else { return nil }
        guard case .string(let s) = v else { throw mismatch(String.self, v, path(key)) }
        return s
    }

    /// An optional boolean member.
    public func optionalBool(_ key: String) throws -> Bool? {
        guard let v = object[key], !v.isNull else { return nil }
        guard case .bool(let b) = v else { throw mismatch(Bool.self, v, path(key)) }
        return b
    }

    /// An optional object member, as it is.
    public func optionalObject(_ key: String) throws -> [String: JSONValue]? {
        guard let v = object[key], !v.isNull else { return nil }
        guard case .object(let o) = v else { throw mismatch([String: JSONValue].self, v, path(key)) }
        return o
    }

    /// Any other optional member, through the decoder.
    public func optional<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
        guard let v = object[key], !v.isNull else { return nil }
        return try decodeScalar(type, v, path(key))
    }
}

private struct ReaderKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Encodes `Encodable` types into a ``JSONValue`` tree (and so to exact JSON bytes).
public struct JSONValueEncoder: Sendable {
    public init() {}

    /// The value tree of `value`.
    public func encodeValue<T: Encodable>(_ value: T) throws -> JSONValue {
        if let v = value as? JSONValue { return v }
        let encoder = ValueEncoder(codingPath: [])
        try value.encode(to: encoder)
        return encoder.storage.resolve()
    }

    /// Compact JSON bytes of `value` (keys sorted when `sortedKeys`).
    public func encode<T: Encodable>(_ value: T, sortedKeys: Bool = false) throws -> Data {
        JSONWriter.data(try encodeValue(value), sortedKeys: sortedKeys)
    }
}

/// Lets ``JSONValue`` and ``JSONNumber`` take their value directly from our decoder.
protocol JSONValueDecoding { var currentValue: JSONValue { get } }
/// Lets ``JSONValue`` and ``JSONNumber`` store themselves directly into our encoder.
protocol JSONValueEncoding { func store(_ value: JSONValue) }

// MARK: - Decoding

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
}

private struct ValueDecoder: Decoder, JSONValueDecoding {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var currentValue: JSONValue { value }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let o) = value else { throw mismatch([String: JSONValue].self, value, codingPath) }
        return KeyedDecodingContainer(KeyedDecoder<Key>(object: o, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let a) = value else { throw mismatch([JSONValue].self, value, codingPath) }
        return UnkeyedDecoder(array: a, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleDecoder(value: value, codingPath: codingPath) }
}

private func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
    let expected: String
    switch type {
    case is String.Type: expected = "a string"
    case is Bool.Type: expected = "a boolean"
    case is [String: JSONValue].Type: expected = "an object"
    case is [JSONValue].Type: expected = "an array"
    default: expected = "a number"
    }
    return DecodingError.typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(expected), found \(value.typeName)"))
}

private func decodeScalar<T: Decodable>(_ type: T.Type, _ value: JSONValue, _ path: [any CodingKey]) throws -> T {
    switch type {
    case is String.Type:
        guard case .string(let s) = value else { throw mismatch(type, value, path) }
        return s as! T
    case is Bool.Type:
        guard case .bool(let b) = value else { throw mismatch(type, value, path) }
        return b as! T
    case is JSONValue.Type:
        return value as! T
    case is [String: JSONValue].Type:
        // A record's fields: the parsed object as it is, not member by member through Dictionary's init.
        guard case .object(let o) = value else { throw mismatch(type, value, path) }
        return o as! T
    case is [JSONValue].Type:
        guard case .array(let a) = value else { throw mismatch(type, value, path) }
        return a as! T
    default:
        break
    }
    if let readable = type as? any JSONValueReadable.Type { return try readable.init(jsonValue: value, codingPath: path) as! T }
    if let integer = type as? any FixedWidthInteger.Type {
        guard case .number(let n) = value else { throw mismatch(type, value, path) }
        guard n.isInteger, let v = integer.init(n.text, radix: 10) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "\(n.text) is not a whole number that fits \(type)"))
        }
        return v as! T
    }
    if type == Double.self || type == Float.self {
        guard case .number(let n) = value else { throw mismatch(type, value, path) }
        return (type == Double.self ? n.doubleValue as Any : Float(n.doubleValue) as Any) as! T
    }
    if type == Decimal.self {
        guard case .number(let n) = value, let d = n.decimalValue else { throw mismatch(type, value, path) }
        return d as! T
    }
    return try T(from: ValueDecoder(value: value, codingPath: path))
}

private struct KeyedDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: [String: JSONValue]
    let codingPath: [any CodingKey]
    var allKeys: [Key] { object.keys.compactMap(Key.init(stringValue:)) }

    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    private func value(_ key: Key) throws -> JSONValue {
        guard let v = object[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing \"\(key.stringValue)\""))
        }
        return v
    }

    func decodeNil(forKey key: Key) throws -> Bool { (object[key.stringValue] ?? .null).isNull }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decodeScalar(type, try value(key), codingPath + [key])
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let v = object[key.stringValue], !v.isNull || type == JSONValue.self else { return nil }
        return try decodeScalar(type, v, codingPath + [key])
    }
    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: try value(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: try value(key), codingPath: codingPath + [key]).unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder { ValueDecoder(value: .object(object), codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder { ValueDecoder(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key]) }
}

private struct UnkeyedDecoder: UnkeyedDecodingContainer {
    let array: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0
    var count: Int? { array.count }
    var isAtEnd: Bool { currentIndex >= array.count }

    init(array: [JSONValue], codingPath: [any CodingKey]) {
        self.array = array
        self.codingPath = codingPath
    }

    private mutating func next() throws -> (JSONValue, [any CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath, debugDescription: "the array has no more elements"))
        }
        defer { currentIndex += 1 }
        return (array[currentIndex], codingPath + [AnyKey(intValue: currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, array[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (v, path) = try next()
        return try decodeScalar(type, v, path)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (v, path) = try next()
        return try ValueDecoder(value: v, codingPath: path).container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (v, path) = try next()
        return try ValueDecoder(value: v, codingPath: path).unkeyedContainer()
    }
    mutating func superDecoder() throws -> any Decoder {
        let (v, path) = try next()
        return ValueDecoder(value: v, codingPath: path)
    }
}

private struct SingleDecoder: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    func decodeNil() -> Bool { value.isNull }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeScalar(type, value, codingPath) }
}

// MARK: - Encoding

/// A node of the tree being encoded; containers share nodes by reference.
private final class Node {
    enum Kind { case empty, value(JSONValue), object([String: Node]), array([Node]) }
    var kind: Kind = .empty

    func resolve() -> JSONValue {
        switch kind {
        case .empty: return .object([:])
        case .value(let v): return v
        case .object(let o): return .object(o.mapValues { $0.resolve() })
        case .array(let a): return .array(a.map { $0.resolve() })
        }
    }

    func objectChild(_ key: String) -> Node {
        if case .object(var o) = kind {
            if let existing = o[key] { return existing }
            // Release the enum's reference first: `o` is then the only one and grows in place (else every
            // insertion copied the whole dictionary, every append below the whole array: quadratic per page).
            kind = .empty
            let n = Node()
            o[key] = n
            kind = .object(o)
            return n
        }
        let n = Node()
        kind = .object([key: n])
        return n
    }

    func makeObject() { if case .object = kind {} else { kind = .object([:]) } }
    func makeArray() { if case .array = kind {} else { kind = .array([]) } }

    func appendChild() -> Node {
        let n = Node()
        if case .array(var a) = kind {
            kind = .empty
            a.append(n)
            kind = .array(a)
        } else {
            kind = .array([n])
        }
        return n
    }
}

private func encodeScalar<T: Encodable>(_ value: T, into node: Node, path: [any CodingKey]) throws {
    switch value {
    case let v as JSONValue: node.kind = .value(v)
    case let v as [String: JSONValue]: node.kind = .value(.object(v))
    case let v as any JSONValueWritable: node.kind = .value(try v.jsonValue())
    case let v as String: node.kind = .value(.string(v))
    case let v as Bool: node.kind = .value(.bool(v))
    case let v as Int: node.kind = .value(.number(JSONNumber(v)))
    case let v as Int64: node.kind = .value(.number(JSONNumber(v)))
    case let v as UInt64: node.kind = .value(.number(JSONNumber(v)))
    case let v as any FixedWidthInteger: node.kind = .value(.number(try JSONNumber(text: "\(v)")))
    case let v as Double:
        guard let n = JSONNumber(v) else {
            throw EncodingError.invalidValue(v, .init(codingPath: path, debugDescription: "JSON cannot carry \(v)"))
        }
        node.kind = .value(.number(n))
    case let v as Float:
        guard let n = JSONNumber(Double(v)) else {
            throw EncodingError.invalidValue(v, .init(codingPath: path, debugDescription: "JSON cannot carry \(v)"))
        }
        node.kind = .value(.number(n))
    case let v as Decimal: node.kind = .value(.number(JSONNumber(v)))
    default:
        try value.encode(to: ValueEncoder(node: node, codingPath: path))
    }
}

private struct ValueEncoder: Encoder, JSONValueEncoding {
    let storage: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(codingPath: [any CodingKey]) {
        storage = Node()
        self.codingPath = codingPath
    }
    init(node: Node, codingPath: [any CodingKey]) {
        storage = node
        self.codingPath = codingPath
    }

    func store(_ value: JSONValue) { storage.kind = .value(value) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        storage.makeObject()
        return KeyedEncodingContainer(KeyedEncoder<Key>(node: storage, codingPath: codingPath))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        storage.makeArray()
        return UnkeyedEncoder(node: storage, codingPath: codingPath)
    }
    func singleValueContainer() -> any SingleValueEncodingContainer { SingleEncoder(node: storage, codingPath: codingPath) }
}

private struct KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.objectChild(key.stringValue).kind = .value(.null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encodeScalar(value, into: node.objectChild(key.stringValue), path: codingPath + [key])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = node.objectChild(key.stringValue)
        child.makeObject()
        return KeyedEncodingContainer(KeyedEncoder<NestedKey>(node: child, codingPath: codingPath + [key]))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.objectChild(key.stringValue)
        child.makeArray()
        return UnkeyedEncoder(node: child, codingPath: codingPath + [key])
    }
    mutating func superEncoder() -> any Encoder { ValueEncoder(node: node.objectChild("super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { ValueEncoder(node: node.objectChild(key.stringValue), codingPath: codingPath + [key]) }
}

private struct UnkeyedEncoder: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array(let a) = node.kind { return a.count }
        return 0
    }

    mutating func encodeNil() throws { node.appendChild().kind = .value(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = count
        try encodeScalar(value, into: node.appendChild(), path: codingPath + [AnyKey(intValue: index)])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let index = count
        let child = node.appendChild()
        child.makeObject()
        return KeyedEncodingContainer(KeyedEncoder<NestedKey>(node: child, codingPath: codingPath + [AnyKey(intValue: index)]))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let index = count
        let child = node.appendChild()
        child.makeArray()
        return UnkeyedEncoder(node: child, codingPath: codingPath + [AnyKey(intValue: index)])
    }
    mutating func superEncoder() -> any Encoder { ValueEncoder(node: node.appendChild(), codingPath: codingPath) }
}

private struct SingleEncoder: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    mutating func encodeNil() throws { node.kind = .value(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encodeScalar(value, into: node, path: codingPath) }
}
