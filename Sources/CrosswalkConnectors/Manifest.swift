import CrosswalkCore
import Foundation

/// A connector's manifest (`crosswalk_plugin_v1.manifest_json`), decoded header first: `version`
/// is read before anything else so a future format gets a clear message.
public struct ConnectorManifest: Sendable, Hashable {
    /// The largest manifest a host accepts.
    public static let maxBytes = 1 << 20

    /// One object a connector offers.
    public struct Object: Codable, Sendable, Hashable {
        public var name: String
        public var label: String?
        public var operations: [String]
        public var matchKeys: [String]?
        public var externalIDFields: [String]?
        public var read: ReadBehaviour?

        public init(name: String, label: String? = nil, operations: [String], matchKeys: [String]? = nil,
                    externalIDFields: [String]? = nil, read: ReadBehaviour? = nil) {
            self.name = name
            self.label = label
            self.operations = operations
            self.matchKeys = matchKeys
            self.externalIDFields = externalIDFields
            self.read = read
        }

        enum CodingKeys: String, CodingKey {
            case name, label, operations, read
            case matchKeys = "match_keys"
            case externalIDFields = "external_id_fields"
        }

        /// Whether the object offers `operation` (`read`, `create`, `upsert`…).
        public func supports(_ operation: String) -> Bool { operations.contains(operation) }
    }

    /// How an object reads incrementally (ABI 1.1 `read` block).
    public struct ReadBehaviour: Codable, Sendable, Hashable {
        public enum Boundary: String, Codable, Sendable, Hashable { case exclusive, inclusive }
        public enum Deletes: String, Codable, Sendable, Hashable { case flag, feed, none }
        public var incremental: Bool
        public var orderKeys: [String]?
        public var boundary: Boundary?
        public var deletes: Deletes?
        public var indexLagMilliseconds: Int?
        public var byIDs: Bool?
        /// Filter operators the plugin pushes down.
        public var filter: [String]?

        public init(incremental: Bool, orderKeys: [String]? = nil, boundary: Boundary? = nil, deletes: Deletes? = nil,
                    indexLagMilliseconds: Int? = nil, byIDs: Bool? = nil, filter: [String]? = nil) {
            self.incremental = incremental
            self.orderKeys = orderKeys
            self.boundary = boundary
            self.deletes = deletes
            self.indexLagMilliseconds = indexLagMilliseconds
            self.byIDs = byIDs
            self.filter = filter
        }

        enum CodingKeys: String, CodingKey {
            case incremental, boundary, deletes, filter
            case orderKeys = "order_keys"
            case indexLagMilliseconds = "index_lag_ms"
            case byIDs = "by_ids"
        }
    }

    /// The authentication scheme the connector needs; the host's auth broker implements it.
    public struct Auth: Codable, Sendable, Hashable {
        public var scheme: String
        public var authorizeURL: String?
        public var tokenURL: String?
        public var scopes: [String]?
        public var grants: [String]?
        public var header: String?
        public var prefix: String?
        /// Other schemes the connector accepts (NetSuite: TBA or OAuth 2.0 client credentials).
        public var alternatives: [Auth]?

        public init(scheme: String, authorizeURL: String? = nil, tokenURL: String? = nil, scopes: [String]? = nil,
                    grants: [String]? = nil, header: String? = nil, prefix: String? = nil, alternatives: [Auth]? = nil) {
            self.scheme = scheme
            self.authorizeURL = authorizeURL
            self.tokenURL = tokenURL
            self.scopes = scopes
            self.grants = grants
            self.header = header
            self.prefix = prefix
            self.alternatives = alternatives
        }

        enum CodingKeys: String, CodingKey {
            case scheme, scopes, grants, header, prefix, alternatives
            case authorizeURL = "authorize_url"
            case tokenURL = "token_url"
        }

        /// Schemes the host knows.
        public static let knownSchemes: Set<String> = ["oauth2", "netsuite_tba", "api_key", "basic", "none", "any"]

        /// This scheme and its alternatives.
        public var allSchemes: [String] { [scheme] + (alternatives ?? []).map(\.scheme) }
    }

    /// Limits the host applies to the connector's batches.
    public struct Limits: Codable, Sendable, Hashable {
        public var read: Int?
        public var write: Int?
        public init(read: Int? = nil, write: Int? = nil) {
            self.read = read
            self.write = write
        }
    }

    /// The app's documented rate limits.
    public struct RateLimits: Codable, Sendable, Hashable {
        public var requestsPerSecond: Double?
        public var burst: Int?
        public var maxConcurrency: Int?
        public var windowSeconds: Double?
        public var windowRequests: Int?
        public init(requestsPerSecond: Double? = nil, burst: Int? = nil, maxConcurrency: Int? = nil,
                    windowSeconds: Double? = nil, windowRequests: Int? = nil) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
            self.maxConcurrency = maxConcurrency
            self.windowSeconds = windowSeconds
            self.windowRequests = windowRequests
        }
        enum CodingKeys: String, CodingKey {
            case burst
            case requestsPerSecond = "requests_per_second"
            case maxConcurrency = "max_concurrency"
            case windowSeconds = "window_s"
            case windowRequests = "window_requests"
        }
    }

    /// A setting the connection's `settings` may or must give.
    public struct Setting: Codable, Sendable, Hashable {
        public var name: String
        public var type: String?
        public var required: Bool?
        public var `default`: JSONValue?
        public var description: String?
        public init(name: String, type: String? = nil, required: Bool? = nil, default: JSONValue? = nil, description: String? = nil) {
            self.name = name
            self.type = type
            self.required = required
            self.default = `default`
            self.description = description
        }
    }

    /// How the app signs webhooks, and the static answer it expects.
    public struct Webhooks: Codable, Sendable, Hashable {
        public struct Signature: Codable, Sendable, Hashable {
            public var scheme: String
            public var header: String?
            public var encoding: String?
            public var prefix: String?
            /// Parts concatenated in order: `method`, `url`, `body`, `timestamp`.
            public var signed: [String]?
            public var separator: String?
            public var timestampHeader: String?
            public var timestampUnit: String?
            public var maxSkewSeconds: Int?
            /// (1.1) Percent-escapes the app decodes in the URL before it signs it (HubSpot v3:
            /// `%3A`, `%2F`, `%3F`, `%40`, `%21`, `%24`, `%27`, `%28`, `%29`, `%2A`, `%2C`, `%3B`);
            /// the host decodes the same ones, case-insensitively, before it checks. `nil`: the URL as called.
            public var urlUnescape: [String]?

            public init(scheme: String, header: String? = nil, encoding: String? = nil, prefix: String? = nil, signed: [String]? = nil,
                        separator: String? = nil, timestampHeader: String? = nil, timestampUnit: String? = nil, maxSkewSeconds: Int? = nil,
                        urlUnescape: [String]? = nil) {
                self.urlUnescape = urlUnescape
                self.scheme = scheme
                self.header = header
                self.encoding = encoding
                self.prefix = prefix
                self.signed = signed
                self.separator = separator
                self.timestampHeader = timestampHeader
                self.timestampUnit = timestampUnit
                self.maxSkewSeconds = maxSkewSeconds
            }

            enum CodingKeys: String, CodingKey {
                case scheme, header, encoding, prefix, signed, separator
                case timestampHeader = "timestamp_header"
                case timestampUnit = "timestamp_unit"
                case maxSkewSeconds = "max_skew_s"
                case urlUnescape = "url_unescape"
            }

            public static let knownSchemes: Set<String> = ["hmac-sha256", "hmac-sha1", "none"]
            public static let knownParts: Set<String> = ["method", "url", "body", "timestamp"]
        }
        /// (1.1) Where a delivery carries the app's own id, so that a retried or replayed delivery
        /// is recognised: a header, or a JSON pointer into the body (`*` matches every element of
        /// an array: `/*/eventId` takes each event's id of a batch). Without it the host uses a hash
        /// of the connection and the body.
        public struct DeliveryID: Codable, Sendable, Hashable {
            public var header: String?
            public var jsonPointer: String?
            public init(header: String? = nil, jsonPointer: String? = nil) {
                self.header = header
                self.jsonPointer = jsonPointer
            }
            enum CodingKeys: String, CodingKey {
                case header
                case jsonPointer = "json_pointer"
            }
        }
        public var signature: Signature?
        public var ack: WebhookReply?
        public var deliveryID: DeliveryID?
        public init(signature: Signature? = nil, ack: WebhookReply? = nil, deliveryID: DeliveryID? = nil) {
            self.signature = signature
            self.ack = ack
            self.deliveryID = deliveryID
        }
        enum CodingKeys: String, CodingKey {
            case signature, ack
            case deliveryID = "delivery_id"
        }
    }

    /// A plain C function the plugin exports for mappings.
    public struct Function: Codable, Sendable, Hashable {
        public var name: String
        public var symbol: String
        public var signature: String
        public var pure: Bool?
        public var description: String?
        public init(name: String, symbol: String, signature: String, pure: Bool? = true, description: String? = nil) {
            self.name = name
            self.symbol = symbol
            self.signature = signature
            self.pure = pure
            self.description = description
        }
    }

    /// The symbols that free a function's string result and report its error.
    public struct FunctionSupport: Codable, Sendable, Hashable {
        public var release: String
        public var lastError: String?
        public init(release: String, lastError: String? = nil) {
            self.release = release
            self.lastError = lastError
        }
        enum CodingKeys: String, CodingKey {
            case release
            case lastError = "last_error"
        }
    }

    public var version: Int
    public var objects: [Object]
    public var auth: Auth
    public var capabilities: [String]
    public var batchLimits: Limits?
    public var rateLimits: RateLimits?
    public var settings: [Setting]
    public var webhooks: Webhooks?
    public var functions: [Function]
    public var functionSupport: FunctionSupport?
    /// The manifest as the plugin wrote it.
    public var json: String

    /// The object named `name`.
    public func object(_ name: String) -> Object? { objects.first { $0.name == name } }

    /// Whether the manifest lists `capability` (`crosswalk.webhooks/1`).
    public func has(_ capability: String) -> Bool { capabilities.contains(capability) }

    /// Decodes and validates a manifest.
    /// - Throws: `CrosswalkError(.pluginRefused)` with a message naming what is wrong.
    public static func parse(_ text: String) throws -> ConnectorManifest {
        let data = Data(text.utf8)
        guard data.count <= maxBytes else {
            throw CrosswalkError(.pluginRefused, "manifest is \(data.count) bytes, more than the \(maxBytes) bytes a host accepts")
        }
        let root: JSONValue
        do { root = try JSONParser.parse(data) } catch {
            throw CrosswalkError(.pluginRefused, "manifest is not valid JSON (\(error))")
        }
        guard case .object(let members) = root else { throw CrosswalkError(.pluginRefused, "manifest is not a JSON object") }
        guard let version = members["version"]?.intValue else { throw CrosswalkError(.pluginRefused, "manifest has no \"version\"") }
        guard version == 1 else { throw CrosswalkError(.pluginRefused, "manifest version \(version) is not supported (this host reads version 1)") }
        for key in ["objects", "auth", "capabilities"] where members[key] == nil {
            throw CrosswalkError(.pluginRefused, "manifest misses \"\(key)\"")
        }
        struct Body: Decodable {
            var objects: [Object]
            var auth: Auth
            var capabilities: [String]
            var batch_limits: Limits?
            var rate_limits: RateLimits?
            var settings: [Setting]?
            var webhooks: Webhooks?
            var functions: [Function]?
            var function_support: FunctionSupport?
        }
        let body: Body
        do { body = try JSONValueDecoder().decode(Body.self, from: root) } catch let error as DecodingError {
            throw CrosswalkError(.pluginRefused, "manifest: \(error.crosswalkDescription)")
        }
        let manifest = ConnectorManifest(
            version: version, objects: body.objects, auth: body.auth, capabilities: body.capabilities, batchLimits: body.batch_limits,
            rateLimits: body.rate_limits, settings: body.settings ?? [], webhooks: body.webhooks, functions: body.functions ?? [],
            functionSupport: body.function_support, json: text)
        try manifest.validate()
        return manifest
    }

    /// Rules the JSON shape cannot say.
    func validate() throws {
        func refuse(_ message: String) -> CrosswalkError { CrosswalkError(.pluginRefused, "manifest: \(message)") }
        for scheme in auth.allSchemes where !Auth.knownSchemes.contains(scheme) {
            throw refuse("unknown auth scheme \"\(scheme)\" (known: \(Auth.knownSchemes.sorted().joined(separator: ", ")))")
        }
        if let bad = capabilities.first(where: { !$0.contains("/") }) {
            throw refuse("capability \"\(bad)\" has no version (expected e.g. \"crosswalk.read/1\")")
        }
        var names = Set<String>()
        for object in objects {
            guard !object.name.isEmpty else { throw refuse("an object has an empty name") }
            guard names.insert(object.name).inserted else { throw refuse("object \"\(object.name)\" is listed twice") }
            if let ops = object.read?.filter, let bad = ops.first(where: { !Filter.operatorNames.contains($0) }) {
                throw refuse("object \(object.name): unknown filter operator \"\(bad)\" in read.filter")
            }
        }
        if let signature = webhooks?.signature {
            guard Webhooks.Signature.knownSchemes.contains(signature.scheme) else {
                throw refuse("webhooks.signature.scheme \"\(signature.scheme)\" is not one of \(Webhooks.Signature.knownSchemes.sorted().joined(separator: ", "))")
            }
            if signature.scheme != "none" {
                guard signature.header != nil else { throw refuse("webhooks.signature needs \"header\"") }
                if let bad = signature.urlUnescape?.first(where: { $0.count != 3 || !$0.hasPrefix("%") || UInt8($0.dropFirst(), radix: 16) == nil }) {
                    throw refuse("webhooks.signature.url_unescape: \"\(bad)\" is not a percent-escape such as \"%3A\"")
                }
                if let bad = signature.signed?.first(where: { !Webhooks.Signature.knownParts.contains($0) }) {
                    throw refuse("webhooks.signature.signed: unknown part \"\(bad)\" (known: method, url, body, timestamp)")
                }
                if signature.signed?.contains("timestamp") == true, signature.timestampHeader == nil {
                    throw refuse("webhooks.signature signs the timestamp but names no timestamp_header")
                }
            }
        }
        var functionNames = Set<String>()
        for function in functions {
            guard function.name.range(of: #"^[a-z][a-z0-9_]*$"#, options: .regularExpression) != nil else {
                throw refuse("function name \"\(function.name)\" must match [a-z][a-z0-9_]*")
            }
            guard functionNames.insert(function.name).inserted else { throw refuse("function \"\(function.name)\" is listed twice") }
            do { _ = try FunctionSignature(parsing: function.signature) } catch let e as CrosswalkError {
                throw refuse("function \(function.name): \(e.message)")
            }
        }
        if !functions.isEmpty {
            guard let support = functionSupport else {
                throw refuse("functions are listed but \"function_support\" (release, last_error) is missing")
            }
            guard !support.release.isEmpty else { throw refuse("function_support.release is empty") }
        }
    }
}

/// A mapping function's signature: `string(string)`, `int64(double,bool)`.
///
/// Grammar (crosswalk.h, "Mapping functions"): `type "(" [type {"," type}] ")"` with `type` one of
/// `int64`, `double`, `bool`, `string`; at most 8 parameters.
public struct FunctionSignature: Sendable, Hashable, CustomStringConvertible {
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        case int64, double, bool, string
    }
    public var returns: ValueType
    public var parameters: [ValueType]
    public static let maxParameters = 8

    public init(returns: ValueType, parameters: [ValueType]) {
        self.returns = returns
        self.parameters = parameters
    }

    /// Parses the grammar above.
    /// - Throws: `CrosswalkError(.invalidArgument)` saying what is wrong and where.
    public init(parsing text: String) throws {
        let compact = text.filter { !$0.isWhitespace }
        func bad(_ why: String) -> CrosswalkError {
            CrosswalkError(.invalidArgument, "signature \"\(text)\" \(why); expected type(type,…) with types int64, double, bool, string")
        }
        guard let open = compact.firstIndex(of: "("), compact.last == ")" else { throw bad("is not of the form type(params)") }
        guard let returns = ValueType(rawValue: String(compact[..<open])) else { throw bad("has an unknown result type \"\(compact[..<open])\"") }
        let inside = compact[compact.index(after: open)..<compact.index(before: compact.endIndex)]
        var parameters: [ValueType] = []
        if !inside.isEmpty {
            for part in inside.split(separator: ",", omittingEmptySubsequences: false) {
                guard let t = ValueType(rawValue: String(part)) else { throw bad("has an unknown parameter type \"\(part)\"") }
                parameters.append(t)
            }
        }
        guard parameters.count <= Self.maxParameters else { throw bad("has more than \(Self.maxParameters) parameters") }
        self.init(returns: returns, parameters: parameters)
    }

    public var description: String { "\(returns.rawValue)(\(parameters.map(\.rawValue).joined(separator: ",")))" }
}
