/// Rows of one table ordered by a timestamp (SystemModstamp or CreatedDate), then by Id.
///
/// Entries are appended as rows are written; a row whose timestamp moves leaves its old entry behind,
/// which readers skip (`isCurrent`). Appends out of order, or too many stale entries, mark the index for a
/// rebuild the next time a query needs it, so a write costs O(1) and a query never sorts the table.
struct SalesforceTimestampIndex: Sendable {
    struct Entry: Sendable {
        var key: Int64
        var row: Int32
    }

    private(set) var entries: [Entry] = []
    private(set) var sorted = true
    private(set) var stale = 0

    /// Adds the entry of row `row` (a new row, or one whose timestamp changed).
    mutating func add(key: Int64, row: Int32, replacing old: Int64?) {
        if old != nil { stale += 1 }
        if let last = entries.last, key < last.key || (key == last.key && row < last.row) { sorted = false }
        entries.append(Entry(key: key, row: row))
    }

    /// Whether the index must be rebuilt before it can be searched.
    var needsRebuild: Bool { !sorted || stale > max(1024, entries.count / 2) }

    mutating func invalidate() { sorted = false }

    /// Rebuilds from the rows' current timestamps.
    mutating func rebuild(_ rows: [SalesforceRow], key: (SalesforceRow) -> Int64) {
        entries = rows.indices.map { Entry(key: key(rows[$0]), row: Int32($0)) }
        entries.sort { $0.key != $1.key ? $0.key < $1.key : $0.row < $1.row }
        sorted = true
        stale = 0
    }

    /// The entries whose key lies inside the bounds (binary search; the index must be sorted).
    func range(lower: Int64?, lowerInclusive: Bool, upper: Int64?, upperInclusive: Bool) -> Range<Int> {
        func firstIndex(_ isAfter: (Int64) -> Bool) -> Int {
            var lo = 0, hi = entries.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if isAfter(entries[mid].key) { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }
        let start = lower.map { l in firstIndex { lowerInclusive ? $0 >= l : $0 > l } } ?? 0
        let end = upper.map { u in firstIndex { upperInclusive ? $0 > u : $0 >= u } } ?? entries.count
        return start..<max(start, end)
    }
}

/// Rows by the lower-cased value of one field (external ids, e-mail, unique fields): the
/// `sobjects/{type}/{field}/{value}` reads, upserts and uniqueness checks, and `WHERE field = '…'`.
struct SalesforceLookupIndex: Sendable {
    private(set) var rows: [String: [Int32]] = [:]

    static func normalized(_ value: String) -> String { value.lowercased() }

    mutating func add(_ value: String, row: Int32) {
        rows[Self.normalized(value), default: []].append(row)
    }

    mutating func remove(_ value: String, row: Int32) {
        let key = Self.normalized(value)
        guard var list = rows[key] else { return }
        list.removeAll { $0 == row }
        rows[key] = list.isEmpty ? nil : list
    }

    func rows(_ value: String) -> [Int32] { rows[Self.normalized(value)] ?? [] }
}
