import CrosswalkCore
import Foundation

/// The records of one object type, stored so that no request scans them all: by id, in id order (ids only grow, so
/// creating appends), and by the value of each unique property (contacts' `email`, `hasUniqueValue` properties).
struct HubSpotRecordTable: Codable, Sendable {
    private(set) var byId: [Int: HubSpotRecord] = [:]
    /// Every id ever created, ascending (archived ones included: list skips them).
    private(set) var order: [Int] = []
    /// Unique property → value → record id, for live records.
    private var unique: [String: [String: Int]] = [:]
    private(set) var liveCount = 0
    /// Bumped on every write; search cursors and totals are cached against it.
    private(set) var searchVersion = 0

    private enum CodingKeys: String, CodingKey { case records }

    init() {}

    init(from decoder: any Decoder) throws {
        let records = try decoder.container(keyedBy: CodingKeys.self).decode([HubSpotRecord].self, forKey: .records)
        for record in records.sorted(by: { $0.id < $1.id }) { insert(record) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(order.compactMap { byId[$0] }, forKey: .records)
    }

    subscript(id: Int) -> HubSpotRecord? { byId[id] }

    /// Adds a record whose id is larger than every id so far.
    mutating func insert(_ record: HubSpotRecord) {
        precondition(order.last.map { $0 < record.id } ?? true, "HubSpot record ids must grow")
        byId[record.id] = record
        order.append(record.id)
        if !record.archived {
            liveCount += 1
            for (name, value) in record.properties where unique[name] != nil { unique[name]?[Self.uniqueKey(name, value)] = record.id }
        }
        searchVersion += 1
    }

    /// Replaces a record (same id), keeping the unique index in step.
    mutating func replace(_ record: HubSpotRecord) {
        guard let old = byId[record.id] else { return }
        for name in Array(unique.keys) {
            let before = old.archived ? nil : old.properties[name], after = record.archived ? nil : record.properties[name]
            guard before != after else { continue }
            if let before, unique[name]?[Self.uniqueKey(name, before)] == record.id { unique[name]?[Self.uniqueKey(name, before)] = nil }
            if let after { unique[name]?[Self.uniqueKey(name, after)] = record.id }
        }
        if old.archived != record.archived { liveCount += record.archived ? -1 : 1 }
        searchVersion += 1
        byId[record.id] = record
    }

    /// Updates a record in place with `body`; returns what `body` returns.
    mutating func modify<T>(_ id: Int, _ body: (inout HubSpotRecord) -> T) -> T? {
        guard var record = byId[id] else { return nil }
        let result = body(&record)
        replace(record)
        return result
    }

    /// Starts indexing `name` as a unique property (values of live records already set are indexed).
    mutating func indexUnique(_ name: String) {
        guard unique[name] == nil else { return }
        var index: [String: Int] = [:]
        for id in order { if let record = byId[id], !record.archived, let value = record.properties[name] { index[Self.uniqueKey(name, value)] = id } }
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
        var records: [HubSpotRecord] = []
        records.reserveCapacity(limit)
        while index < order.count {
            if let record = byId[order[index]], record.archived == archived {
                if records.count == limit { return (records, record.id) }
                records.append(record)
            }
            index += 1
        }
        return (records, nil)
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
