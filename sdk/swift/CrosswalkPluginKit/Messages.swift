import Foundation

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

    public init(object: String, id: String, fields: [String: JSONValue], modifiedAt: String? = nil, deleted: Bool = false) {
        self.object = object
        self.id = id
        self.fields = fields
        self.modifiedAt = modifiedAt
        self.deleted = deleted
    }

    enum CodingKeys: String, CodingKey {
        case object, id, fields, deleted
        case modifiedAt = "modified_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        object = try c.decode(String.self, forKey: .object)
        id = try c.decode(String.self, forKey: .id)
        fields = try c.decodeIfPresent([String: JSONValue].self, forKey: .fields) ?? [:]
        modifiedAt = try c.decodeIfPresent(String.self, forKey: .modifiedAt)
        deleted = try c.decodeIfPresent(Bool.self, forKey: .deleted) ?? false
    }
}

/// `check`'s answer.
public struct CheckResult: Codable, Sendable {
    public var version = connectorMessageVersion
    public var ok: Bool
    public var message: String
    public init(ok: Bool, message: String) {
        self.ok = ok
        self.message = message
    }
}

/// One field of a discovered object.
public struct FieldInfo: Codable, Sendable, Hashable {
    public var name: String
    public var type: String
    public var label: String?
    public var required: Bool
    public var unique: Bool
    public var referenceTo: String?
    public init(name: String, type: String, label: String? = nil, required: Bool = false, unique: Bool = false, referenceTo: String? = nil) {
        self.name = name
        self.type = type
        self.label = label
        self.required = required
        self.unique = unique
        self.referenceTo = referenceTo
    }
    enum CodingKeys: String, CodingKey {
        case name, type, label, required, unique
        case referenceTo = "reference_to"
    }
}

/// One discovered object.
public struct ObjectInfo: Codable, Sendable, Hashable {
    public var name: String
    public var label: String?
    public var fields: [FieldInfo]
    public init(name: String, label: String? = nil, fields: [FieldInfo]) {
        self.name = name
        self.label = label
        self.fields = fields
    }
}

/// `discover`'s answer.
public struct DiscoverResult: Codable, Sendable {
    public var version = connectorMessageVersion
    public var objects: [ObjectInfo]
    public init(objects: [ObjectInfo]) { self.objects = objects }
}

/// `read`'s request: one page of changes since `cursor`, or exactly `ids`.
public struct ReadRequest: Codable, Sendable {
    public var object: String
    public var cursor: JSONValue?
    public var limit: Int?
    public var fields: [String]?
    public var ids: [String]?
    public init(object: String, cursor: JSONValue? = nil, limit: Int? = nil, fields: [String]? = nil, ids: [String]? = nil) {
        self.object = object
        self.cursor = cursor
        self.limit = limit
        self.fields = fields
        self.ids = ids
    }
}

/// `read`'s answer.
public struct ReadResult: Codable, Sendable {
    public var version = connectorMessageVersion
    public var records: [Record]
    public var nextCursor: JSONValue?
    public var hasMore: Bool
    public init(records: [Record], nextCursor: JSONValue?, hasMore: Bool) {
        self.records = records
        self.nextCursor = nextCursor
        self.hasMore = hasMore
    }
    enum CodingKeys: String, CodingKey {
        case version, records
        case nextCursor = "next_cursor"
        case hasMore = "has_more"
    }
}

/// How a write treats each record.
public enum WriteOperation: String, Codable, Sendable {
    case create, update, upsert, delete
}

/// `write`'s request: a batch of records of one object.
public struct WriteRequest: Codable, Sendable {
    public struct Item: Codable, Sendable {
        /// The host's reference for matching results to inputs.
        public var ref: String
        /// The target id for update/delete (and upsert when known).
        public var id: String?
        public var fields: [String: JSONValue]
        public init(ref: String, id: String? = nil, fields: [String: JSONValue] = [:]) {
            self.ref = ref
            self.id = id
            self.fields = fields
        }
    }
    public var object: String
    public var operation: WriteOperation
    public var matchKey: String?
    public var records: [Item]
    public init(object: String, operation: WriteOperation, matchKey: String? = nil, records: [Item]) {
        self.object = object
        self.operation = operation
        self.matchKey = matchKey
        self.records = records
    }
    enum CodingKeys: String, CodingKey {
        case object, operation, records
        case matchKey = "match_key"
    }
}

/// One record's outcome of a write.
public struct WriteItemResult: Codable, Sendable {
    public struct Failure: Codable, Sendable {
        public var code: String
        public var message: String
        public var retryable: Bool
        public init(code: String, message: String, retryable: Bool = false) {
            self.code = code
            self.message = message
            self.retryable = retryable
        }
    }
    public var ref: String
    public var ok: Bool
    public var id: String?
    public var created: Bool?
    public var error: Failure?

    /// A successful write of `ref` as `id`.
    public static func success(_ ref: String, id: String, created: Bool) -> WriteItemResult {
        WriteItemResult(ref: ref, ok: true, id: id, created: created, error: nil)
    }
    /// A failed write of `ref`.
    public static func failure(_ ref: String, _ error: ConnectorError) -> WriteItemResult {
        WriteItemResult(ref: ref, ok: false, id: nil, created: nil,
                        error: Failure(code: error.code.name, message: error.message, retryable: error.code.isRetryable))
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
    public var method: String
    public var path: String
    public var headers: [String: String]
    public var body: String
}

/// One change announced by a webhook.
public struct ChangeEvent: Codable, Sendable {
    public enum Change: String, Codable, Sendable { case create, update, delete }
    public var object: String
    public var id: String
    public var change: Change
    public var record: Record?
    public init(object: String, id: String, change: Change, record: Record? = nil) {
        self.object = object
        self.id = id
        self.change = change
        self.record = record
    }
}

/// `parse_webhook`'s answer.
public struct WebhookResult: Codable, Sendable {
    public struct Reply: Codable, Sendable {
        public var status: Int
        public var body: String
        public init(status: Int, body: String) {
            self.status = status
            self.body = body
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
