/// An error with a stable code, a message a person can act on, and context.
///
/// The same codes appear in the plugin ABI (`CW_E_*` in `crosswalk.h`), the admin API and the
/// sync log. Modules add their own static members in extensions; the code string never changes
/// once released.
///
/// ```swift
/// throw CrosswalkError(.invalidArgument, "object is required", context: ["plugin": id])
/// ```
public struct CrosswalkError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable code, e.g. `"rate_limited"`.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let invalidArgument = Code("invalid_argument")
        public static let notFound = Code("not_found")
        public static let auth = Code("auth")
        public static let unsupported = Code("unsupported")
        public static let conflict = Code("conflict")
        public static let internalError = Code("internal")
        public static let rateLimited = Code("rate_limited")
        public static let timeout = Code("timeout")
        public static let unavailable = Code("unavailable")
        public static let config = Code("config")
        public static let pluginRefused = Code("plugin_refused")
        public static let store = Code("store")
        public static let vault = Code("vault")
        public static let transport = Code("transport")
        /// The caller cancelled the operation (`CROSSWALK_E_CANCELLED`); not retryable.
        public static let cancelled = Code("cancelled")

        /// Whether a caller may retry the same operation later and expect a different outcome.
        public var isRetryable: Bool {
            self == .rateLimited || self == .timeout || self == .unavailable
        }
    }

    public var code: Code
    public var message: String
    /// Where it happened: `plugin`, `flow`, `record`, `file`, `line`…  Never secrets.
    public var context: [String: String]
    /// For retryable errors, how long the other side asked us to wait.
    public var retryAfterMilliseconds: Int?

    public init(_ code: Code, _ message: String, context: [String: String] = [:], retryAfterMilliseconds: Int? = nil) {
        self.code = code
        self.message = message
        self.context = context
        self.retryAfterMilliseconds = retryAfterMilliseconds
    }

    /// Context key marking an error raised before the request left the host: retrying it cannot
    /// repeat a side effect at the app.
    public static let notSentKey = "not_sent"

    public var description: String {
        if context.isEmpty { return "\(code): \(message)" }
        let where_ = context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "\(code): \(message) [\(where_)]"
    }
}
