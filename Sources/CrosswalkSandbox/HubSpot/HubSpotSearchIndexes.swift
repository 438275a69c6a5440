import CrosswalkCore
import Foundation

/// Sorted (key, position) pairs of what search sees for one numeric or date property (positions index the table's
/// `records`); records without a value carry `-infinity`. Writes only mark ids dirty; `refresh` folds them in before
/// the next search that needs the index. Every entry is a live record search can see.
struct HubSpotSortedIndex: Sendable {
    var keys: [Double] = []
    var positions: [Int] = []
    var dirty: Set<Int> = []
    var built = false

    /// The key search compares for `value` of a property of `kind` (`number`, `date`, `datetime`).
    static func key(_ value: String?, kind: String) -> Double {
        guard let value else { return -.infinity }
        if kind == "number" { return Double(value) ?? -.infinity }
        return HubSpotTime.parse(value).map { $0.timeIntervalSince1970 * 1000 } ?? -.infinity
    }

    /// Brings the index up to date with `table`.
    mutating func refresh(_ table: HubSpotRecordTable, property: String, kind: String) {
        let records = table.records
        func entry(_ position: Int) -> (Double, Int)? {
            guard !records[position].archived, let view = records[position].searchView else { return nil }
            return (Self.key(view[property], kind: kind), position)
        }
        if !built || dirty.count > max(1024, positions.count / 8) {
            let entries = records.indices.compactMap(entry).sorted { $0 < $1 }
            keys = entries.map(\.0)
            positions = entries.map(\.1)
            built = true
            dirty = []
            return
        }
        guard !dirty.isEmpty else { return }
        let stale = Set(dirty.compactMap { table.position(of: $0) })
        let fresh = stale.compactMap(entry).sorted { $0 < $1 }
        var mergedKeys: [Double] = [], mergedPositions: [Int] = []
        mergedKeys.reserveCapacity(positions.count + fresh.count)
        mergedPositions.reserveCapacity(positions.count + fresh.count)
        var f = 0
        for i in 0..<positions.count where !stale.contains(positions[i]) {
            while f < fresh.count, fresh[f] < (keys[i], positions[i]) {
                mergedKeys.append(fresh[f].0); mergedPositions.append(fresh[f].1); f += 1
            }
            mergedKeys.append(keys[i]); mergedPositions.append(positions[i])
        }
        while f < fresh.count { mergedKeys.append(fresh[f].0); mergedPositions.append(fresh[f].1); f += 1 }
        keys = mergedKeys
        positions = mergedPositions
        dirty = []
    }

    /// Positions whose key lies in the range (`nil` bounds are open).
    func range(lower: (Double, inclusive: Bool)?, upper: (Double, inclusive: Bool)?) -> Range<Int> {
        func bound(_ value: Double, after: Bool) -> Int {
            var low = 0, high = keys.count
            while low < high {
                let mid = (low + high) / 2
                if keys[mid] < value || (after && keys[mid] == value) { low = mid + 1 } else { high = mid }
            }
            return low
        }
        let start = lower.map { bound($0.0, after: !$0.inclusive) } ?? 0
        let end = upper.map { bound($0.0, after: $0.inclusive) } ?? keys.count
        return start..<max(start, end)
    }
}

/// Where a search's result list stood after the page served last: resuming there makes deep pages cost what the
/// first page costs. Valid while the table's `searchVersion` is unchanged.
struct HubSpotSearchCursor: Sendable {
    var version: Int
    var offset: Int
    var position: Int
    var total: Int?
}

/// The derived search structures of a portal: sorted indexes per (type, property) and cursors per query.
struct HubSpotSearchIndexes: Sendable {
    struct Key: Hashable, Sendable {
        var type: HubSpotObjectType
        var property: String
    }

    var sorted: [Key: HubSpotSortedIndex] = [:]
    var cursors: [String: HubSpotSearchCursor] = [:]
    static let maxCursors = 256

    /// A record's search view changed: every index of its type must look at it again.
    mutating func touched(_ type: HubSpotObjectType, id: Int) {
        for key in Array(sorted.keys) where key.type == type { sorted[key]?.dirty.insert(id) }
    }

    /// The up-to-date index of `property` for `type`, built on first use.
    mutating func index(_ type: HubSpotObjectType, _ property: String, kind: String, table: HubSpotRecordTable) -> HubSpotSortedIndex {
        let key = Key(type: type, property: property)
        var index = sorted.removeValue(forKey: key) ?? HubSpotSortedIndex()
        index.refresh(table, property: property, kind: kind)
        sorted[key] = index
        return index
    }

    mutating func remember(_ signature: String, _ cursor: HubSpotSearchCursor) {
        if cursors.count >= Self.maxCursors { cursors.removeAll(keepingCapacity: true) }
        cursors[signature] = cursor
    }
}
