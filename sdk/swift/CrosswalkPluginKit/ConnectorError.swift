import CrosswalkABI

/// An error a connector throws; the kit turns it into a status code and error JSON at the boundary.
public struct ConnectorError: Error, Sendable, CustomStringConvertible {
    /// The ABI's status codes (`CROSSWALK_E_*`).
    public struct Code: Sendable, Hashable {
        public let status: crosswalk_status
        public let name: String
        public static let invalidArgument = Code(status: 1, name: "invalid_argument")
        public static let notFound = Code(status: 2, name: "not_found")
        public static let auth = Code(status: 3, name: "auth")
        public static let unsupported = Code(status: 4, name: "unsupported")
        public static let conflict = Code(status: 5, name: "conflict")
        public static let internalError = Code(status: 6, name: "internal")
        public static let rateLimited = Code(status: 100, name: "rate_limited")
        public static let timeout = Code(status: 101, name: "timeout")
        public static let unavailable = Code(status: 102, name: "unavailable")
        /// The host cancelled the call (1.1): stop and return.
        public static let cancelled = Code(status: 7, name: "cancelled")
        /// Whether the host may retry.
        public var isRetryable: Bool { status >= 100 && status < 200 }
    }

    public var code: Code
    public var message: String
    public var retryAfterMilliseconds: Int?
    /// The offending fields, when the app names them.
    public var fields: [String]?
    /// Anything else worth keeping (the app's own error code…).
    public var details: JSONValue?

    public init(_ code: Code, _ message: String, retryAfterMilliseconds: Int? = nil, fields: [String]? = nil, details: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.retryAfterMilliseconds = retryAfterMilliseconds
        self.fields = fields
        self.details = details
    }

    public var description: String { "\(code.name): \(message)" }

    /// The error JSON the ABI carries.
    var json: JSONValue {
        var o: [String: JSONValue] = ["version": 1, "code": .string(code.name), "message": .string(message)]
        if let ms = retryAfterMilliseconds { o["retry_after_ms"] = .number(JSONNumber(ms)) }
        if let fields { o["fields"] = .array(fields.map(JSONValue.string)) }
        if let details { o["details"] = details }
        return .object(o)
    }
}
