import CrosswalkCore
import Foundation

/// The records of one object type, stored so that no request scans them all: by id, in id order (ids only grow, so
/// creating appends), and by the value of each unique property (contacts' `email`, `hasUniqueValue` properties).
struct HubSpotRecordTable: Codable, Sendable {
    /// Every record ever created, in id order (archived ones included: list skips them). A record's index here is its
    /// position; search indexes hold positions.
    private(set) var records: [HubSpotRecord] = []
    /// The ids of `records`, position for position (for binary search by id).
    private(set) var order: [Int] = []
    private var positions: [Int: Int] = [:]
    /// Unique property → value → record id, for live records.
    private var unique: [String: [String: Int]] = [:]
    private(set) var liveCount = 0
    /// Bumped on every write; search cursors and totals are cached against it.
    private(set) var searchVersion = 0

    private enum CodingKeys: String, CodingKey { case records }

    init() {}

    init(from decoder: any Decoder) throws {
        let saved = try decoder.container(keyedBy: CodingKeys.self).decode([HubSpotRecord].self, forKey: .records)
        for record in saved.sorted(by: { $0.id < $1.id }) { insert(record) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(records, forKey: .records)
    }

    subscript(id: Int) -> HubSpotRecord? { positions[id].map { records[$0] } }

    /// The position of record `id`.
    func position(of id: Int) -> Int? { positions[id] }

    /// Adds a record whose id is larger than every id so far.
    mutating func insert(_ record: HubSpotRecord) {
        precondition(order.last.map { $0 < record.id } ?? true, "HubSpot record ids must grow")
        positions[record.id] = records.count
        records.append(record)
        order.append(record.id)
        if !record.archived {
            liveCount += 1
            for (name, value) in record.properties where unique[name] != nil { unique[name]?[Self.uniqueKey(name, value)] = record.id }
        }
        searchVersion += 1
    }

    /// Updates a record in place with `body` (keeping the unique index in step); returns what `body` returns.
    mutating func modify<T>(_ id: Int, _ body: (inout HubSpotRecord) -> T) -> T? {
        guard let position = positions[id] else { return nil }
        let names = Array(unique.keys)
        let before = names.map { records[position].archived ? nil : records[position].properties[$0] }
        let wasArchived = records[position].archived
        let result = body(&records[position])
        let record = records[position]
        for (name, old) in zip(names, before) {
            let new = record.archived ? nil : record.properties[name]
            guard old != new else { continue }
            if let old, unique[name]?[Self.uniqueKey(name, old)] == id { unique[name]?[Self.uniqueKey(name, old)] = nil }
            if let new { unique[name]?[Self.uniqueKey(name, new)] = id }
        }
        if wasArchived != record.archived { liveCount += record.archived ? -1 : 1 }
        searchVersion += 1
        return result
    }

    /// Starts indexing `name` as a unique property (values of live records already set are indexed).
    mutating func indexUnique(_ name: String) {
        guard unique[name] == nil else { return }
        var index: [String: Int] = [:]
        for record in records where !record.archived { if let value = record.properties[name] { index[Self.uniqueKey(name, value)] = record.id } }
        unique[name] = index
    }

    /// The live record holding `value` in the unique property `name`.
    func find(unique name: String, value: String) -> Int? { unique[name]?[Self.uniqueKey(name, value)] }

    func hasUniqueIndex(_ name: String) -> Bool { unique[name] != nil }

    /// E-mails compare without case, as HubSpot stores them.
    private static func uniqueKey(_ name: String, _ value: String) -> String { name == "email" ? value.lowercased() : value }

    /// One list page: records (live, or archived with `archived`) with id ≥ `after`, and the next id if more follow.
    func page(after: Int?, limit: Int, archived: Bool) -> (records: [HubSpotRecord], next: Int?) {
        var index = after.map { start in Self.lowerBound(order, start) } ?? 0
        var page: [HubSpotRecord] = []
        page.reserveCapacity(limit)
        while index < records.count {
            if records[index].archived == archived {
                if page.count == limit { return (page, records[index].id) }
                page.append(records[index])
            }
            index += 1
        }
        return (page, nil)
    }

    /// The first position in the sorted `list` whose value is ≥ `value`.
    static func lowerBound(_ list: [Int], _ value: Int) -> Int {
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
