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
