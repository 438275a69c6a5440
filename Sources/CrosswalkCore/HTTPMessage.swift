import Foundation

/// Header fields in order, with case-insensitive lookup.
public struct HTTPFields: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var pairs: [(name: String, value: String)]

    public init(_ pairs: [(name: String, value: String)] = []) { self.pairs = pairs }
    public init(dictionaryLiteral elements: (String, String)...) {
        pairs = elements.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of `name`, compared case-insensitively.
    public subscript(name: String) -> String? {
        get { pairs.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value }
        set {
            pairs.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
            if let newValue { pairs.append((name: name, value: newValue)) }
        }
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        pairs.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    public mutating func append(_ name: String, _ value: String) { pairs.append((name: name, value: value)) }
    public func makeIterator() -> some IteratorProtocol<(name: String, value: String)> { pairs.makeIterator() }
    public var isEmpty: Bool { pairs.isEmpty }

    public static func == (l: HTTPFields, r: HTTPFields) -> Bool {
        l.pairs.count == r.pairs.count && zip(l.pairs, r.pairs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
    public func hash(into h: inout Hasher) { for p in pairs { h.combine(p.name); h.combine(p.value) } }
}

/// An HTTP request as the host sends it: absolute URL, method, headers, body.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    public var headers: HTTPFields
    public var body: Data
    /// Per-request timeout; `nil` means the transport's default.
    public var timeoutMilliseconds: Int?

    public init(method: String = "GET", url: String, headers: HTTPFields = [:], body: Data = Data(), timeoutMilliseconds: Int? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

/// An HTTP response: status, headers, body.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: HTTPFields
    public var body: Data

    public init(status: Int, headers: HTTPFields = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Anything that can send an `HTTPRequest`: the libcurl transport, an authenticating wrapper.
public protocol HTTPClient: Sendable {
    /// Sends one request and returns the response (any status). Throws only when no response arrived.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
