import CrosswalkCore
import Foundation

/// One past value of a property (`propertiesWithHistory`).
struct HubSpotValueChange: Codable, Sendable, Equatable {
    var name: String
    /// The value written; empty when the write cleared the property.
    var value: String
    var timestamp: Date
    var sourceType: String
}

/// One CRM record. Its history is the values it was created with (`initial`, which shares storage with `properties`
/// until the first update) plus one entry per later write, so an unchanged record costs no more than its values.
struct HubSpotRecord: Codable, Sendable {
    var id: Int
    var type: HubSpotObjectType
    var properties: [String: String]
    var initial: [String: String]
    var initialSource: String
    var changes: [HubSpotValueChange] = []
    var createdAt: Date
    var updatedAt: Date
    var archived = false
    var archivedAt: Date?
    /// What search sees: the values as last indexed, or `nil` while a new record is not indexed yet.
    var searchView: [String: String]?
    /// The time of the create, kept apart from `createdAt` (a client may back-date `createdate`).
    var firstWrite: Date

    var idText: String { String(id) }

    /// The history of `name`, newest first, as `propertiesWithHistory` lists it.
    func history(_ name: String) -> [(value: String, timestamp: Date, sourceType: String)] {
        var list = changes.reversed().filter { $0.name == name }.map { (value: $0.value, timestamp: $0.timestamp, sourceType: $0.sourceType) }
        if let first = initial[name] { list.append((first, firstWrite, initialSource)) }
        return list
    }

    private enum CodingKeys: String, CodingKey {
        case id, type, properties, initial, initialSource, changes, createdAt, updatedAt, archived, archivedAt, searchView, firstWrite
        case unindexed
    }

    /// Saved compactly: `initial` and `searchView` only when they differ from `properties`. Reads the older format
    /// too (string ids, no history split, no search view).
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let number = try? c.decode(Int.self, forKey: .id) { id = number } else {
            let text = try c.decode(String.self, forKey: .id)
            guard let number = Int(text) else {
                throw DecodingError.dataCorruptedError(forKey: .id, in: c, debugDescription: "record id \(text) is not numeric")
            }
            id = number
        }
        type = try c.decode(HubSpotObjectType.self, forKey: .type)
        properties = try c.decode([String: String].self, forKey: .properties)
        initial = try c.decodeIfPresent([String: String].self, forKey: .initial) ?? properties
        initialSource = try c.decodeIfPresent(String.self, forKey: .initialSource) ?? "API"
        changes = try c.decodeIfPresent([HubSpotValueChange].self, forKey: .changes) ?? []
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        updatedAt = try c.decode(Date.self, forKey: .updatedAt)
        archived = try c.decodeIfPresent(Bool.self, forKey: .archived) ?? false
        archivedAt = try c.decodeIfPresent(Date.self, forKey: .archivedAt)
        firstWrite = try c.decodeIfPresent(Date.self, forKey: .firstWrite) ?? createdAt
        if try c.decodeIfPresent(Bool.self, forKey: .unindexed) == true {
            searchView = nil
        } else {
            searchView = try c.decodeIfPresent([String: String].self, forKey: .searchView) ?? properties
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(properties, forKey: .properties)
        if initial != properties { try c.encode(initial, forKey: .initial) }
        try c.encode(initialSource, forKey: .initialSource)
        if !changes.isEmpty { try c.encode(changes, forKey: .changes) }
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        if archived { try c.encode(true, forKey: .archived) }
        try c.encodeIfPresent(archivedAt, forKey: .archivedAt)
        try c.encode(firstWrite, forKey: .firstWrite)
        if let searchView {
            if searchView != properties { try c.encode(searchView, forKey: .searchView) }
        } else {
            try c.encode(true, forKey: .unindexed)
        }
    }

    init(id: Int, type: HubSpotObjectType, properties: [String: String], source: String, createdAt: Date, at now: Date) {
        self.id = id
        self.type = type
        self.properties = properties
        initial = properties
        initialSource = source
        self.createdAt = createdAt
        updatedAt = now
        firstWrite = now
    }
}
