import CrosswalkCore

/// The version of every JSON document of the plugin ABI (the `"version"` member).
public let connectorDocumentVersion = 1

/// A canonical record: one object of one app, with the app's own field names.
///
/// `{"object":"Contact","id":"003…","fields":{…},"modified_at":"…","deleted":false}` plus the
/// members ABI 1.1 adds (`change`, `merged_into`, `modified_by`, `links`).
public struct ConnectorRecord: Codable, Sendable, Hashable {
    public var object: String
    public var id: String
    public var fields: [String: JSONValue]
    /// RFC 3339 time of the last change, when the app knows it.
    public var modifiedAt: String?
    public var deleted: Bool
    /// What happened to the record; `nil` from a 1.0 plugin (see ``effectiveChange``).
    public var change: RecordChange?
    /// With `change == .merge`: the record this one was merged into.
    public var mergedInto: String?
    /// The app user who made the change, when the app reports it.
    public var modifiedBy: String?
    /// Related records (a contact's account, an invoice's deal).
    public var links: [RecordLink]

    public init(object: String, id: String, fields: [String: JSONValue], modifiedAt: String? = nil, deleted: Bool = false,
                change: RecordChange? = nil, mergedInto: String? = nil, modifiedBy: String? = nil, links: [RecordLink] = []) {
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

    /// `change`, or what a 1.0 plugin meant: `delete` when `deleted`, else `upsert`.
    public var effectiveChange: RecordChange { change ?? (deleted ? .delete : .upsert) }

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
        links = try c.decodeIfPresent([RecordLink].self, forKey: .links) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(object, forKey: .object)
        try c.encode(id, forKey: .id)
        try c.encode(fields, forKey: .fields)
        try c.encodeIfPresent(modifiedAt, forKey: .modifiedAt)
        try c.encode(deleted, forKey: .deleted)
        try c.encodeIfPresent(change, forKey: .change)
        try c.encodeIfPresent(mergedInto, forKey: .mergedInto)
        try c.encodeIfPresent(modifiedBy, forKey: .modifiedBy)
        if !links.isEmpty { try c.encode(links, forKey: .links) }
    }
}

extension ConnectorRecord: JSONValueReadable {
    /// What `init(from:)` reads, read directly from the parsed value (a page of records is decoded
    /// without a `Decoder` per record), with the same errors.
    public init(jsonValue: JSONValue, codingPath: [any CodingKey]) throws {
        let r = try JSONObjectReader(jsonValue, codingPath: codingPath, type: ConnectorRecord.self)
        object = try r.string("object")
        id = try r.string("id")
        fields = try r.optionalObject("fields") ?? [:]
        modifiedAt = try r.optionalString("modified_at")
        deleted = try r.optionalBool("deleted") ?? false
        change = try r.optional(RecordChange.self, "change")
        mergedInto = try r.optionalString("merged_into")
        modifiedBy = try r.optionalString("modified_by")
        links = try r.optional([RecordLink].self, "links") ?? []
    }
}

/// What a read or a webhook says happened to a record.
public enum RecordChange: String, Codable, Sendable, Hashable {
    case upsert, delete, merge
}

/// A related record: `{"object":"Account","id":"001…","type":"AccountId"}`.
public struct RecordLink: Codable, Sendable, Hashable {
    public var object: String
    public var id: String
    /// The relation's name in the app: a lookup field (`AccountId`), an association label.
    public var type: String?
    public init(object: String, id: String, type: String? = nil) {
        self.object = object
        self.id = id
        self.type = type
    }
}
