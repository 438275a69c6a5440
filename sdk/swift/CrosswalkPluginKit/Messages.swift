import Foundation

// The documents of the plugin ABI (crosswalk.h, "JSON documents") as a Swift connector reads and
// writes them. The host has its own copies of these types (host and plugins never share a Swift
// module); the golden files in sdk/fixtures/abi-1.1 keep both in step.

/// Version of the JSON documents exchanged through the ABI (the `"version"` member).
public let connectorMessageVersion = 1

/// A canonical record: the app's own object and field names.
public struct Record: Codable, Sendable, Hashable {
    public var object: String
    public var id: String
    public var fields: [String: JSONValue]
    /// RFC 3339 time of the last change, when the app knows it.
    public var modifiedAt: String?
    public var deleted: Bool
    /// `upsert`, `delete` or `merge` (1.1); `nil` lets the host infer it from `deleted`.
    public var change: RecordChange?
    /// With `change == .merge`: the surviving record.
    public var mergedInto: String?
    /// The app user who made the change, when the app reports it.
    public var modifiedBy: String?
    /// Related records (a contact's account).
    public var links: [RecordLink]?

    public init(object: String, id: String, fields: [String: JSONValue], modifiedAt: String? = nil, deleted: Bool = false,
                change: RecordChange? = nil, mergedInto: String? = nil, modifiedBy: String? = nil, links: [RecordLink]? = nil) {
        self.object = object
        self.id = id
        self.fields = fields
        self.modifiedAt = modifiedAt
        self.deleted = deleted
        self.change = change
        self.mergedInto = mergedInto
        self.modifiedBy = modifiedBy
        self.links = links
    }

    enum CodingKeys: String, CodingKey {
        case object, id, fields, deleted, change, links
        case modifiedAt = "modified_at"
        case mergedInto = "merged_into"
        case modifiedBy = "modified_by"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        object = try c.decode(String.self, forKey: .object)
        id = try c.decode(String.self, forKey: .id)
        fields = try c.decodeIfPresent([String: JSONValue].self, forKey: .fields) ?? [:]
        modifiedAt = try c.decodeIfPresent(String.self, forKey: .modifiedAt)
        deleted = try c.decodeIfPresent(Bool.self, forKey: .deleted) ?? false
        change = try c.decodeIfPresent(RecordChange.self, forKey: .change)
        mergedInto = try c.decodeIfPresent(String.self, forKey: .mergedInto)
        modifiedBy = try c.decodeIfPresent(String.self, forKey: .modifiedBy)
        links = try c.decodeIfPresent([RecordLink].self, forKey: .links)
    }
}

extension Record: JSONValueWritable {
    /// The record as the synthesized `Encodable` writes it (optional members left out when `nil`), built
    /// directly: a page of records is encoded without a `Encoder` per record.
    public func jsonValue() throws -> JSONValue {
        var o: [String: JSONValue] = ["object": .string(object), "id": .string(id), "fields": .object(fields), "deleted": .bool(deleted)]
        if let modifiedAt { o["modified_at"] = .string(modifiedAt) }
        if let change { o["change"] = .string(change.rawValue) }
        if let mergedInto { o["merged_into"] = .string(mergedInto) }
        if let modifiedBy { o["modified_by"] = .string(modifiedBy) }
        if let links {
            o["links"] = .array(links.map { link in
                var l: [String: JSONValue] = ["object": .string(link.object), "id": .string(link.id)]
                if let type = link.type { l["type"] = .string(type) }
                return .object(l)
            })
        }
        return .object(o)
    }
}

/// What happened to a record (1.1).
public enum RecordChange: String, Codable, Sendable, Hashable { case upsert, delete, merge }

/// A related record: `{"object":"Account","id":"001…","type":"AccountId"}` (1.1).
public struct RecordLink: Codable, Sendable, Hashable {
    public var object: String
    public var id: String
    public var type: String?
    public init(object: String, id: String, type: String? = nil) {
        self.object = object
        self.id = id
        self.type = type
    }
}

/// `check`'s answer.
public struct CheckResult: Codable, Sendable, Hashable {
    public var version = connectorMessageVersion
    public var ok: Bool
    public var message: String
    public var details: JSONValue?
    public init(ok: Bool, message: String, details: JSONValue? = nil) {
        self.ok = ok
        self.message = message
        self.details = details
    }
}

/// One allowed value of a picklist field (1.1).
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

/// One field of a discovered object. `type` is one of the closed list in crosswalk.h
/// ("string", "email", "reference", "datetime", "picklist", …).
public struct FieldInfo: Codable, Sendable, Hashable {
    public var name: String
    public var type: String
    public var label: String?
    public var required: Bool
    public var unique: Bool
    public var createable: Bool?
    public var updateable: Bool?
    public var nillable: Bool?
    public var externalID: Bool?
    public var custom: Bool?
    public var length: Int?
    public var picklist: [PicklistValue]?
    /// Objects a reference points at.
    public var referenceTo: [String]?

    public init(name: String, type: String, label: String? = nil, required: Bool = false, unique: Bool = false,
                createable: Bool? = nil, updateable: Bool? = nil, nillable: Bool? = nil, externalID: Bool? = nil, custom: Bool? = nil,
                length: Int? = nil, picklist: [PicklistValue]? = nil, referenceTo: [String]? = nil) {
        self.name = name
        self.type = type
        self.label = label
        self.required = required
        self.unique = unique
        self.createable = createable
        self.updateable = updateable
        self.nillable = nillable
        self.externalID = externalID
        self.custom = custom
        self.length = length
        self.picklist = picklist
        self.referenceTo = referenceTo
    }

    enum CodingKeys: String, CodingKey {
        case name, type, label, required, unique, createable, updateable, nillable, custom, length, picklist
        case externalID = "external_id"
        case referenceTo = "reference_to"
    }
}

/// One discovered object.
public struct ObjectInfo: Codable, Sendable, Hashable {
    public var name: String
    public var label: String?
    public var custom: Bool?
    public var operations: [String]?
    public var fields: [FieldInfo]
    public init(name: String, label: String? = nil, custom: Bool? = nil, operations: [String]? = nil, fields: [FieldInfo]) {
        self.name = name
        self.label = label
        self.custom = custom
        self.operations = operations
        self.fields = fields
    }
}

/// `crosswalk.discover/2`'s request (1.1): the objects wanted, all when `nil`.
public struct DiscoverRequest: Codable, Sendable, Hashable {
    public var version = connectorMessageVersion
    public var objects: [String]?
    public init(objects: [String]? = nil) { self.objects = objects }
}

/// `discover`'s answer.
public struct DiscoverResult: Codable, Sendable, Hashable {
    public var version = connectorMessageVersion
    public var objects: [ObjectInfo]
    public init(objects: [ObjectInfo]) { self.objects = objects }
}

/// `read`'s request: one page of changes since `cursor`, exactly `ids`, or a head cursor.
public struct ReadRequest: Codable, Sendable, Hashable {
    public var version = connectorMessageVersion
    public var object: String
    public var cursor: JSONValue?
    public var limit: Int?
    public var fields: [String]?
    public var ids: [String]?
    /// `"now"` (1.1): answer a head cursor and no records.
    public var start: String?
    /// Criteria to push down (1.1), the ABI's filter AST; see ``Filter``.
    public var filter: Filter?
    /// How long the host waits for this call, in milliseconds (1.1).
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

/// How much of a read's filter the app applied (1.1).
public enum FilterApplied: String, Codable, Sendable, Hashable { case full, partial, none }

/// `read`'s answer.
public struct ReadResult: Codable, Sendable, Hashable {
    public var version = connectorMessageVersion
    public var records: [Record]
    public var nextCursor: JSONValue?
    public var hasMore: Bool
    /// For a read by ids: the ids not found (1.1).
    public var missing: [String]?
    public var filterApplied: FilterApplied?

    public init(records: [Record], nextCursor: JSONValue?, hasMore: Bool, missing: [String]? = nil, filterApplied: FilterApplied? = nil) {
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
}

/// The ABI's filter AST (1.1): criteria a read may push down to the app.
public indirect enum Filter: Codable, Sendable, Hashable {
    case and([Filter])
    case or([Filter])
    case not(Filter)
    /// `op` is one of `eq`, `ne`, `lt`, `le`, `gt`, `ge`.
    case compare(op: String, field: String, value: JSONValue)
    case oneOf(field: String, values: [JSONValue])
    case isNull(field: String, Bool)

    enum Keys: String, CodingKey { case op, args, arg, field, value, values }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let op = try c.decode(String.self, forKey: .op)
        switch op {
        case "and": self = .and(try c.decode([Filter].self, forKey: .args))
        case "or": self = .or(try c.decode([Filter].self, forKey: .args))
        case "not": self = .not(try c.decode(Filter.self, forKey: .arg))
        case "in": self = .oneOf(field: try c.decode(String.self, forKey: .field), values: try c.decode([JSONValue].self, forKey: .values))
        case "is_null": self = .isNull(field: try c.decode(String.self, forKey: .field), try c.decodeIfPresent(Bool.self, forKey: .value) ?? true)
        case "eq", "ne", "lt", "le", "gt", "ge":
            self = .compare(op: op, field: try c.decode(String.self, forKey: .field), value: try c.decode(JSONValue.self, forKey: .value))
        default:
            throw DecodingError.dataCorruptedError(forKey: .op, in: c, debugDescription: "unknown filter operator \"\(op)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .and(let f): try c.encode("and", forKey: .op); try c.encode(f, forKey: .args)
        case .or(let f): try c.encode("or", forKey: .op); try c.encode(f, forKey: .args)
        case .not(let f): try c.encode("not", forKey: .op); try c.encode(f, forKey: .arg)
        case .compare(let op, let field, let value):
            try c.encode(op, forKey: .op); try c.encode(field, forKey: .field); try c.encode(value, forKey: .value)
        case .oneOf(let field, let values):
            try c.encode("in", forKey: .op); try c.encode(field, forKey: .field); try c.encode(values, forKey: .values)
        case .isNull(let field, let isNull):
            try c.encode("is_null", forKey: .op); try c.encode(field, forKey: .field); try c.encode(isNull, forKey: .value)
        }
    }
}

/// How a write treats each record.
public enum WriteOperation: String, Codable, Sendable {
    case create, update, upsert, delete
}

/// `write`'s request: a batch of records of one object.
public struct WriteRequest: Codable, Sendable {
    public struct Item: Codable, Sendable {
        /// The host's reference for matching results to inputs; stable across retries, so it can
        /// serve as an idempotency key.
        public var ref: String
        /// The target id for update/delete (and upsert when known).
        public var id: String?
        public var fields: [String: JSONValue]
        /// Associations to make (1.1).
        public var links: [RecordLink]?
        public init(ref: String, id: String? = nil, fields: [String: JSONValue] = [:], links: [RecordLink]? = nil) {
            self.ref = ref
            self.id = id
            self.fields = fields
            self.links = links
        }
    }
    public var version = connectorMessageVersion
    public var object: String
    public var operation: WriteOperation
    public var matchKey: String?
    public var records: [Item]
    /// How long the host waits for this call, in milliseconds (1.1).
    public var deadlineMilliseconds: Int?
    public init(object: String, operation: WriteOperation, matchKey: String? = nil, records: [Item], deadlineMilliseconds: Int? = nil) {
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

/// What a write did to one record (1.1).
public enum WriteOutcome: String, Codable, Sendable {
    case created, updated, deleted, unchanged, failed
    /// Sent, but no answer came.
    case unknown
}

/// One record's outcome of a write.
public struct WriteItemResult: Codable, Sendable {
    public struct Failure: Codable, Sendable {
        public var code: String
        public var message: String
        public var retryable: Bool
        /// The offending fields (1.1).
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
    }
    public var ref: String
    public var ok: Bool
    public var id: String?
    public var created: Bool?
    public var outcome: WriteOutcome?
    public var error: Failure?

    public init(ref: String, ok: Bool, id: String? = nil, created: Bool? = nil, outcome: WriteOutcome? = nil, error: Failure? = nil) {
        self.ref = ref
        self.ok = ok
        self.id = id
        self.created = created
        self.outcome = outcome
        self.error = error
    }

    /// A successful write of `ref` as `id`.
    public static func success(_ ref: String, id: String, created: Bool) -> WriteItemResult {
        WriteItemResult(ref: ref, ok: true, id: id, created: created, outcome: created ? .created : .updated)
    }
    /// A successful write with an explicit outcome (`deleted`, `unchanged`…).
    public static func success(_ ref: String, id: String, outcome: WriteOutcome) -> WriteItemResult {
        WriteItemResult(ref: ref, ok: true, id: id, created: outcome == .created, outcome: outcome)
    }
    /// A failed write of `ref`; `fields` names the offending fields.
    public static func failure(_ ref: String, _ error: ConnectorError, fields: [String]? = nil) -> WriteItemResult {
        WriteItemResult(ref: ref, ok: false, outcome: .failed,
                        error: Failure(code: error.code.name, message: error.message, retryable: error.code.isRetryable,
                                       fields: fields ?? error.fields, retryAfterMilliseconds: error.retryAfterMilliseconds))
    }
    /// A record whose request was sent but got no answer: the host checks before writing it again.
    public static func unknown(_ ref: String, _ message: String) -> WriteItemResult {
        WriteItemResult(ref: ref, ok: false, outcome: .unknown, error: Failure(code: "timeout", message: message, retryable: true))
    }
}

/// `write`'s answer.
public struct WriteResult: Codable, Sendable {
    public var version = connectorMessageVersion
    public var results: [WriteItemResult]
    public init(results: [WriteItemResult]) { self.results = results }
}

/// `parse_webhook`'s request.
public struct WebhookRequest: Codable, Sendable {
    public var version = connectorMessageVersion
    public var method: String
    public var path: String
    public var query: String?
    /// The public URL as the app called it (1.1).
    public var url: String?
    /// Header names lower-case.
    public var headers: [String: String]
    public var body: String
    /// The raw bytes, base64 (1.1).
    public var bodyBase64: String?
    public var receivedAt: String?
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

    /// The raw body bytes (from `body_base64` when the host sent it).
    public var bodyData: Data { bodyBase64.flatMap { Data(base64Encoded: $0) } ?? Data(body.utf8) }
}

/// One change announced by a webhook.
public struct ChangeEvent: Codable, Sendable {
    public enum Change: String, Codable, Sendable { case create, update, delete, merge }
    public var object: String
    public var id: String
    public var change: Change
    public var mergedInto: String?
    public var record: Record?
    public init(object: String, id: String, change: Change, mergedInto: String? = nil, record: Record? = nil) {
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

/// `parse_webhook`'s answer.
public struct WebhookResult: Codable, Sendable {
    public struct Reply: Codable, Sendable {
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
    public var version = connectorMessageVersion
    public var events: [ChangeEvent]
    public var response: Reply?
    public init(events: [ChangeEvent], response: Reply? = nil) {
        self.events = events
        self.response = response
    }
}

/// Non-secret facts about the instance's connection (`crosswalk.connection/1`, 1.1).
public struct ConnectionFacts: Codable, Sendable, Hashable {
    public var version = connectorMessageVersion
    public var connection: String
    public var baseURL: String?
    public var instanceURL: String?
    public var accountID: String?
    public var userID: String?
    public var settings: JSONValue?
    enum CodingKeys: String, CodingKey {
        case version, connection, settings
        case baseURL = "base_url"
        case instanceURL = "instance_url"
        case accountID = "account_id"
        case userID = "user_id"
    }
}
