import CrosswalkStore
import Foundation

extension SQLiteStore {
    public func mapping(link: String, side: LinkSide, record: RecordRef) throws -> IDMapping? {
        try idMapTable().mappings(link: link, side: side, connection: record.connection, object: record.object, ids: [record.id])[record.id]
    }

    public func mappings(link: String, side: LinkSide, connection: String, object: String, ids: [String]) throws -> [String: IDMapping] {
        let idMap = try idMapTable()
        // One read transaction: one snapshot, one lock for the whole batch.
        return try database().transaction(write: false) {
            try idMap.mappings(link: link, side: side, connection: connection, object: object, ids: ids)
        }
    }

    public func upsertMapping(_ upsert: MappingUpsert) throws {
        let idMap = try idMapTable()
        try idMap.createScopes(for: [upsert])
        try idMap.upsert(upsert, now: Date())
    }

    @discardableResult
    public func deleteMapping(_ key: MappingKey) throws -> Bool {
        try idMapTable().delete(key)
    }

    public func mappingCount(link: String) throws -> Int {
        try idMapTable().count(link: link)
    }
}

extension SQLiteStore {
    public func twins(link: String, side: LinkSide, connection: String, queries: [TwinQuery]) throws -> [TwinQuery: IDMapping] {
        let idMap = try idMapTable()
        // One read transaction: one snapshot, one lock for the whole batch.
        return try database().transaction(write: false) {
            try idMap.twins(link: link, side: side, connection: connection, queries: queries)
        }
    }

    public func mappings(link: String, side: LinkSide, connection: String, object: String, otherObject: String,
                         after afterID: String?, limit: Int) throws -> [IDMapping] {
        let idMap = try idMapTable()
        return try database().transaction(write: false) {
            try idMap.page(link: link, side: side, connection: connection, object: object, otherObject: otherObject, after: afterID, limit: limit)
        }
    }
}
