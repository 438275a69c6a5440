import CrosswalkCore

// The documents of the plugin ABI (crosswalk.h, "JSON documents"), as the host reads and writes
// them. Every member ABI 1.1 added is optional here, so 1.0 plugins' documents still decode.

/// `check`'s answer.
public struct CheckResult: Codable, Sendable, Hashable {
    public var version = connectorDocumentVersion
    public var ok: Bool
    public var message: String
    public var details: JSONValue?
    public init(ok: Bool, message: String, details: JSONValue? = nil) {
        self.ok = ok
        self.message = message
        self.details = details
    }
}

/// `crosswalk.discover/2`'s request: the objects wanted, or all when `nil`.
public struct DiscoverRequest: Codable, Sendable, Hashable {
    public var version = connectorDocumentVersion
    public var objects: [String]?
    public init(objects: [String]? = nil) { self.objects = objects }
}

/// The closed list of field types of ABI 1.1. A type this host does not know decodes as `.other`.
public enum FieldType: Sendable, Hashable, Codable, CustomStringConvertible {
    case string, text, email, phone, url, id, reference, boolean, integer, number, decimal, currency, percent
    case date, datetime, time, picklist, multipicklist, address, json, binary
    case other(String)

    static let known: [String: FieldType] = [
        "string": .string, "text": .text, "email": .email, "phone": .phone, "url": .url, "id": .id, "reference": .reference,
        "boolean": .boolean, "integer": .integer, "number": .number, "decimal": .decimal, "currency": .currency,
        "percent": .percent, "date": .date, "datetime": .datetime, "time": .time, "picklist": .picklist,
        "multipicklist": .multipicklist, "address": .address, "json": .json, "binary": .binary,
    ]

    public init(name: String) { self = Self.known[name] ?? .other(name) }

    public var name: String {
        if case .other(let n) = self { return n }
        return Self.known.first { $0.value == self }!.key
    }

    public var description: String { name }
    /// Whether values are numbers.
    public var isNumeric: Bool { [.integer, .number, .decimal, .currency, .percent].contains(self) }

    public init(from decoder: any Decoder) throws { self.init(name: try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}

/// One allowed value of a picklist field.
public struct PicklistValue: Codable, Sendable, Hashable {
    public var value: String
    public var label: String?
    public var active: Bool?
    public init(value: String, label: String? = nil, active: Bool? = true) {
        self.value = value
        self.label = label
        self.active = active
    }
}

/// One field of a discovered object.
public struct FieldSchema: Codable, Sendable, Hashable {
    public var name: String
    public var label: String?
    public var type: FieldType
    /// Must be set on create.
    public var required: Bool
    public var createable: Bool?
    public var updateable: Bool?
    public var nillable: Bool?
    public var unique: Bool
    public var externalID: Bool?
    public var custom: Bool?
    public var length: Int?
    public var picklist: [PicklistValue]?
    /// Objects a reference field may point at (1.0 plugins send one name or null).
    public var referenceTo: [String]

    public init(name: String, label: String? = nil, type: FieldType, required: Bool = false, createable: Bool? = nil,
                updateable: Bool? = nil, nillable: Bool? = nil, unique: Bool = false, externalID: Bool? = nil, custom: Bool? = nil,
                length: Int? = nil, picklist: [PicklistValue]? = nil, referenceTo: [String] = []) {
        self.name = name
        self.label = label
        self.type = type
        self.required = required
        self.createable = createable
        self.updateable = updateable
        self.nillable = nillable
        self.unique = unique
        self.externalID = externalID
        self.custom = custom
        self.length = length
        self.picklist = picklist
        self.referenceTo = referenceTo
    }

    enum CodingKeys: String, CodingKey {
        case name, label, type, required, createable, updateable, nillable, unique, custom, length, picklist
        case externalID = "external_id"
        case referenceTo = "reference_to"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        label = try c.decodeIfPresent(String.self, forKey: .label)
        type = try c.decodeIfPresent(FieldType.self, forKey: .type) ?? .string
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
        createable = try c.decodeIfPresent(Bool.self, forKey: .createable)
        updateable = try c.decodeIfPresent(Bool.self, forKey: .updateable)
        nillable = try c.decodeIfPresent(Bool.self, forKey: .nillable)
        unique = try c.decodeIfPresent(Bool.self, forKey: .unique) ?? false
        externalID = try c.decodeIfPresent(Bool.self, forKey: .externalID)
        custom = try c.decodeIfPresent(Bool.self, forKey: .custom)
        length = try c.decodeIfPresent(Int.self, forKey: .length)
        picklist = try c.decodeIfPresent([PicklistValue].self, forKey: .picklist)
        if let many = try? c.decodeIfPresent([String].self, forKey: .referenceTo) {
            referenceTo = many
        } else {
            referenceTo = (try c.decodeIfPresent(String.self, forKey: .referenceTo)).map { [$0] } ?? []
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(label, forKey: .label)
        try c.encode(type, forKey: .type)
        try c.encode(required, forKey: .required)
        try c.encodeIfPresent(createable, forKey: .createable)
        try c.encodeIfPresent(updateable, forKey: .updateable)
        try c.encodeIfPresent(nillable, forKey: .nillable)
        try c.encode(unique, forKey: .unique)
        try c.encodeIfPresent(externalID, forKey: .externalID)
        try c.encodeIfPresent(custom, forKey: .custom)
        try c.encodeIfPresent(length, forKey: .length)
        try c.encodeIfPresent(picklist, forKey: .picklist)
        if !referenceTo.isEmpty { try c.encode(referenceTo, forKey: .referenceTo) }
    }
}

/// One discovered object.
public struct ObjectSchema: Codable, Sendable, Hashable {
    public var name: String
    public var label: String?
    public var custom: Bool?
    public var operations: [String]?
    public var fields: [FieldSchema]
    public init(name: String, label: String? = nil, custom: Bool? = nil, operations: [String]? = nil, fields: [FieldSchema]) {
        self.name = name
        self.label = label
        self.custom = custom
        self.operations = operations
        self.fields = fields
    }
    /// The field named `name`.
    public func field(_ name: String) -> FieldSchema? { fields.first { $0.name == name } }
}

/// `discover`'s answer.
public struct DiscoverResult: Codable, Sendable, Hashable {
    public var version = connectorDocumentVersion
    public var objects: [ObjectSchema]
    public init(objects: [ObjectSchema]) { self.objects = objects }
    /// The object named `name`.
    public func object(_ name: String) -> ObjectSchema? { objects.first { $0.name == name } }
}

/// `read`'s request: one page of changes since `cursor`, exactly `ids`, or a head cursor.
public struct ReadRequest: Codable, Sendable, Hashable {
    public var version = connectorDocumentVersion
    public var object: String
    public var cursor: JSONValue?
    public var limit: Int?
    public var fields: [String]?
    public var ids: [String]?
    /// `"now"`: answer a head cursor and no records ("going forward only").
    public var start: String?
    public var filter: Filter?
    public var deadlineMilliseconds: Int?

    public init(object: String, cursor: JSONValue? = nil, limit: Int? = nil, fields: [String]? = nil, ids: [String]? = nil,
                start: String? = nil, filter: Filter? = nil, deadlineMilliseconds: Int? = nil) {
        self.object = object
        self.cursor = cursor
        self.limit = limit
        self.fields = fields
        self.ids = ids
        self.start = start
        self.filter = filter
        self.deadlineMilliseconds = deadlineMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case version, object, cursor, limit, fields, ids, start, filter
        case deadlineMilliseconds = "deadline_ms"
    }
}

/// How much of a read's `filter` the app applied.
public enum FilterApplied: String, Codable, Sendable, Hashable {
    case full, partial, none
}

/// `read`'s answer.
public struct ReadResult: Codable, Sendable, Hashable {
    public var version = connectorDocumentVersion
    public var records: [ConnectorRecord]
    public var nextCursor: JSONValue?
    public var hasMore: Bool
    /// For a read by ids: those not found.
    public var missing: [String]?
    public var filterApplied: FilterApplied?

    public init(records: [ConnectorRecord], nextCursor: JSONValue?, hasMore: Bool, missing: [String]? = nil, filterApplied: FilterApplied? = nil) {
        self.records = records
        self.nextCursor = nextCursor
        self.hasMore = hasMore
        self.missing = missing
        self.filterApplied = filterApplied
    }

    enum CodingKeys: String, CodingKey {
        case version, records, missing
        case nextCursor = "next_cursor"
        case hasMore = "has_more"
        case filterApplied = "filter_applied"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? connectorDocumentVersion
        records = try c.decode([ConnectorRecord].self, forKey: .records)
        nextCursor = try c.decodeIfPresent(JSONValue.self, forKey: .nextCursor)
        hasMore = try c.decodeIfPresent(Bool.self, forKey: .hasMore) ?? false
        missing = try c.decodeIfPresent([String].self, forKey: .missing)
        filterApplied = try c.decodeIfPresent(FilterApplied.self, forKey: .filterApplied)
    }
}

/// How a write treats each record.
public enum WriteOperation: String, Codable, Sendable, Hashable, CaseIterable {
    case create, update, upsert, delete
}

/// One record of a write batch.
public struct WriteItem: Codable, Sendable, Hashable {
    /// The host's reference, stable across retries (an idempotency key).
    public var ref: String
    /// The target id for update/delete (and upsert when known).
    public var id: String?
    public var fields: [String: JSONValue]
    /// Associations to make (HubSpot v4 associations, lookups the connector writes separately).
    public var links: [RecordLink]?

    public init(ref: String, id: String? = nil, fields: [String: JSONValue] = [:], links: [RecordLink]? = nil) {
        self.ref = ref
        self.id = id
        self.fields = fields
        self.links = links
    }
}

/// `write`'s request: a batch of records of one object.
public struct WriteRequest: Codable, Sendable, Hashable {
    public var version = connectorDocumentVersion
    public var object: String
    public var operation: WriteOperation
    public var matchKey: String?
    public var records: [WriteItem]
    public var deadlineMilliseconds: Int?

    public init(object: String, operation: WriteOperation, matchKey: String? = nil, records: [WriteItem], deadlineMilliseconds: Int? = nil) {
        self.object = object
        self.operation = operation
        self.matchKey = matchKey
        self.records = records
        self.deadlineMilliseconds = deadlineMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case version, object, operation, records
        case matchKey = "match_key"
        case deadlineMilliseconds = "deadline_ms"
    }
}

/// What a write did to one record.
public enum WriteOutcome: String, Codable, Sendable, Hashable {
    case created, updated, deleted, unchanged, failed
    /// Sent, but no answer came: the record may or may not have been written.
    case unknown
}

/// Why one record's write failed.
public struct WriteError: Codable, Sendable, Hashable {
    public var code: String
    public var message: String
    public var retryable: Bool
    public var fields: [String]?
    public var retryAfterMilliseconds: Int?

    public init(code: String, message: String, retryable: Bool = false, fields: [String]? = nil, retryAfterMilliseconds: Int? = nil) {
        self.code = code
        self.message = message
        self.retryable = retryable
        self.fields = fields
        self.retryAfterMilliseconds = retryAfterMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case code, message, retryable, fields
        case retryAfterMilliseconds = "retry_after_ms"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decodeIfPresent(String.self, forKey: .code) ?? "internal"
        message = try c.decodeIfPresent(String.self, forKey: .message) ?? "the plugin gave no message"
        retryable = try c.decodeIfPresent(Bool.self, forKey: .retryable) ?? false
        fields = try c.decodeIfPresent([String].self, forKey: .fields)
        retryAfterMilliseconds = try c.decodeIfPresent(Int.self, forKey: .retryAfterMilliseconds)
    }
}

/// One record's result of a write.
public struct WriteItemResult: Codable, Sendable, Hashable {
    public var ref: String
    public var ok: Bool
    public var id: String?
    public var created: Bool?
    /// 1.1's outcome; see ``effectiveOutcome`` for 1.0 plugins.
    public var outcome: WriteOutcome?
    public var error: WriteError?

    public init(ref: String, ok: Bool, id: String? = nil, created: Bool? = nil, outcome: WriteOutcome? = nil, error: WriteError? = nil) {
        self.ref = ref
        self.ok = ok
        self.id = id
        self.created = created
        self.outcome = outcome
        self.error = error
    }

    /// A successful write.
    public static func success(_ ref: String, id: String, outcome: WriteOutcome) -> WriteItemResult {
        WriteItemResult(ref: ref, ok: true, id: id, created: outcome == .created, outcome: outcome)
    }

    /// A failed write.
    public static func failure(_ ref: String, _ error: WriteError, outcome: WriteOutcome = .failed) -> WriteItemResult {
        WriteItemResult(ref: ref, ok: false, outcome: outcome, error: error)
    }

    /// `outcome`, or what a 1.0 plugin's `ok`/`created` meant.
    public var effectiveOutcome: WriteOutcome {
        if let outcome { return outcome }
        guard ok else { return .failed }
        return created == true ? .created : .updated
    }
}

/// `write`'s answer.
public struct WriteResult: Codable, Sendable, Hashable {
    public var version = connectorDocumentVersion
    public var results: [WriteItemResult]
    public init(results: [WriteItemResult]) { self.results = results }
}

/// `parse_webhook`'s request: one delivery as the host received it.
public struct WebhookRequest: Codable, Sendable, Hashable {
    public var version = connectorDocumentVersion
    public var method: String
    public var path: String
    public var query: String?
    /// The public URL as the app called it.
    public var url: String?
    /// Header names lower-case.
    public var headers: [String: String]
    /// The body as text (invalid UTF-8 repaired; see `bodyBase64` for the bytes).
    public var body: String
    public var bodyBase64: String?
    public var receivedAt: String?
    /// Whether the host verified the signature.
    public var verified: Bool?

    public init(method: String, path: String, query: String? = nil, url: String? = nil, headers: [String: String], body: String,
                bodyBase64: String? = nil, receivedAt: String? = nil, verified: Bool? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.url = url
        self.headers = headers
        self.body = body
        self.bodyBase64 = bodyBase64
        self.receivedAt = receivedAt
        self.verified = verified
    }

    enum CodingKeys: String, CodingKey {
        case version, method, path, query, url, headers, body, verified
        case bodyBase64 = "body_base64"
        case receivedAt = "received_at"
    }
}

/// One change announced by a webhook.
public struct ChangeEvent: Codable, Sendable, Hashable {
    public enum Change: String, Codable, Sendable, Hashable { case create, update, delete, merge }
    public var object: String
    public var id: String
    public var change: Change
    public var mergedInto: String?
    public var record: ConnectorRecord?

    public init(object: String, id: String, change: Change, mergedInto: String? = nil, record: ConnectorRecord? = nil) {
        self.object = object
        self.id = id
        self.change = change
        self.mergedInto = mergedInto
        self.record = record
    }

    enum CodingKeys: String, CodingKey {
        case object, id, change, record
        case mergedInto = "merged_into"
    }
}

/// What the host answers the app for a delivery.
public struct WebhookReply: Codable, Sendable, Hashable {
    public var status: Int
    public var contentType: String?
    public var body: String
    public init(status: Int, contentType: String? = nil, body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
    enum CodingKeys: String, CodingKey {
        case status, body
        case contentType = "content_type"
    }
}

/// `parse_webhook`'s answer.
public struct WebhookResult: Codable, Sendable, Hashable {
    public var version = connectorDocumentVersion
    public var events: [ChangeEvent]
    public var response: WebhookReply?
    public init(events: [ChangeEvent], response: WebhookReply? = nil) {
        self.events = events
        self.response = response
    }
}

/// Non-secret facts about a connection (`crosswalk.connection/1`).
public struct ConnectionFacts: Codable, Sendable, Hashable {
    public var version = connectorDocumentVersion
    public var connection: String
    public var baseURL: String?
    /// The instance URL a token carries (Salesforce `instance_url`).
    public var instanceURL: String?
    /// The org or account id, when known.
    public var accountID: String?
    /// The integration user's id, when known (echo suppression by `modified_by`).
    public var userID: String?
    public var settings: JSONValue?

    public init(connection: String, baseURL: String? = nil, instanceURL: String? = nil, accountID: String? = nil,
                userID: String? = nil, settings: JSONValue? = nil) {
        self.connection = connection
        self.baseURL = baseURL
        self.instanceURL = instanceURL
        self.accountID = accountID
        self.userID = userID
        self.settings = settings
    }

    enum CodingKeys: String, CodingKey {
        case version, connection, settings
        case baseURL = "base_url"
        case instanceURL = "instance_url"
        case accountID = "account_id"
        case userID = "user_id"
    }
}

/// The error document an operation may return with a failing status.
public struct ErrorDocument: Codable, Sendable, Hashable {
    public var version: Int?
    public var code: String?
    public var message: String?
    public var retryAfterMilliseconds: Int?
    public var fields: [String]?
    public var details: JSONValue?

    public init(code: String?, message: String?, retryAfterMilliseconds: Int? = nil, fields: [String]? = nil, details: JSONValue? = nil) {
        version = connectorDocumentVersion
        self.code = code
        self.message = message
        self.retryAfterMilliseconds = retryAfterMilliseconds
        self.fields = fields
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case version, code, message, fields, details
        case retryAfterMilliseconds = "retry_after_ms"
    }
}
