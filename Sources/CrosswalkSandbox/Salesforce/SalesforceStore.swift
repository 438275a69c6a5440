import Foundation

/// One record as the writer and the routes handle it: every stored field by its canonical name, `Id` and
/// audit fields included. The store keeps records packed (`SalesforceRow`); this is the unpacked form.
struct SalesforceRecord: Sendable {
    var id: String
    var type: String
    var fields: [String: SalesforceValue]
    var isDeleted = false
    var deletedAt: Date?
    var modstamp: Date

    subscript(name: String) -> SalesforceValue { fields[name] ?? .null }

    /// Recomputes the fields the org derives: compound names, closed/won flags, forecast and fiscal fields.
    mutating func recalculate() {
        switch type {
        case "Contact", "Lead", "User":
            let name = [self["FirstName"].text, self["LastName"].text].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            fields["Name"] = name.isEmpty ? .null : .text(name)
        case "Opportunity":
            let stage = self["StageName"].text ?? ""
            fields["IsClosed"] = .bool(stage.hasPrefix("Closed"))
            fields["IsWon"] = .bool(stage == "Closed Won")
            if let defaults = SalesforceCatalog.stageDefaults[stage] {
                fields["ForecastCategory"] = .text(defaults.forecast)
                fields["ForecastCategoryName"] = .text(defaults.forecastName)
            }
            if case .number(let amount) = self["Amount"], case .number(let probability) = self["Probability"] {
                fields["ExpectedRevenue"] = .number((amount * probability / 100 * 100).rounded() / 100)
            } else {
                fields["ExpectedRevenue"] = nil
            }
            if let close = self["CloseDate"].text, close.count == 10, let year = Int(close.prefix(4)), let month = Int(close.dropFirst(5).prefix(2)) {
                let quarter = (month - 1) / 3 + 1
                fields["FiscalYear"] = .number(Double(year))
                fields["FiscalQuarter"] = .number(Double(quarter))
                fields["Fiscal"] = .text("\(year) \(quarter)")
            }
        case "Task":
            fields["IsClosed"] = .bool(self["Status"].text == "Completed")
            fields["IsHighPriority"] = .bool(self["Priority"].text == "High")
            if fields["TaskSubtype"] == nil { fields["TaskSubtype"] = .text("Task") }
        default:
            break
        }
    }

    /// The record's REST URL path under `version` (e.g. `v60.0`).
    func url(version: String) -> String { "/services/data/\(version)/sobjects/\(type)/\(id)" }
}

/// Every record of the emulated org, per object in Id order (deleted rows kept as tombstones), with the
/// indexes queries use: Id order itself, SystemModstamp and CreatedDate, and lookups by field value.
struct SalesforceStore: Sendable {
    /// The rows of one object.
    struct Table: Sendable {
        let object: SalesforceObject
        /// Rows in Id (byte) order. New ids only grow, so writes append; a position never changes except
        /// when a row with a smaller id arrives (users, imported state), which bumps `layout`.
        private(set) var rows: [SalesforceRow] = []
        private(set) var liveCount = 0
        /// Bumped whenever positions move, so open cursors holding positions can tell.
        private(set) var layout = 0
        var modstamps = SalesforceTimestampIndex()
        var created = SalesforceTimestampIndex()
        /// Lookup indexes by field ordinal, built on first use.
        var lookups: [Int: SalesforceLookupIndex] = [:]

        init(object: SalesforceObject) { self.object = object }

        /// The position of the row with `key`.
        func position(_ key: SalesforceIDKey) -> Int? {
            var lo = 0, hi = rows.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if rows[mid].key < key { lo = mid + 1 } else { hi = mid }
            }
            return lo < rows.count && rows[lo].key == key ? lo : nil
        }

        /// The first position whose id is at or after (`inclusive`) / after `key`.
        func lowerBound(_ key: SalesforceIDKey, inclusive: Bool) -> Int {
            var lo = 0, hi = rows.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if rows[mid].key < key || (!inclusive && rows[mid].key == key) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }

        subscript(position: Int) -> SalesforceRow { rows[position] }

        /// Adds or replaces `row`; returns its position and the row it replaced.
        mutating func put(_ row: SalesforceRow) -> (position: Int, previous: SalesforceRow?) {
            if let last = rows.last, last.key < row.key {
                return (append(row), nil)
            }
            if rows.isEmpty { return (append(row), nil) }
            if let position = position(row.key) {
                let previous = rows[position]
                replace(position, with: row, previous: previous)
                return (position, previous)
            }
            // A smaller id than the last: insert in order, moving later rows.
            let position = lowerBound(row.key, inclusive: true)
            rows.insert(row, at: position)
            if !row.isDeleted { liveCount += 1 }
            layout += 1
            modstamps.invalidate()
            created.invalidate()
            lookups = [:]
            return (position, nil)
        }

        private mutating func append(_ row: SalesforceRow) -> Int {
            let position = rows.count
            rows.append(row)
            if !row.isDeleted { liveCount += 1 }
            modstamps.add(key: row.modstamp, row: Int32(position), replacing: nil)
            created.add(key: row.created, row: Int32(position), replacing: nil)
            for (ordinal, _) in lookups {
                if let text = row.cell(ordinal).text { lookups[ordinal]!.add(text, row: Int32(position)) }
            }
            return position
        }

        private mutating func replace(_ position: Int, with row: SalesforceRow, previous: SalesforceRow) {
            rows[position] = row
            liveCount += (row.isDeleted ? 0 : 1) - (previous.isDeleted ? 0 : 1)
            if row.modstamp != previous.modstamp { modstamps.add(key: row.modstamp, row: Int32(position), replacing: previous.modstamp) }
            if row.created != previous.created { created.add(key: row.created, row: Int32(position), replacing: previous.created) }
            for (ordinal, _) in lookups {
                let old = previous.cell(ordinal).text, new = row.cell(ordinal).text
                guard old != new else { continue }
                if let old { lookups[ordinal]!.remove(old, row: Int32(position)) }
                if let new { lookups[ordinal]!.add(new, row: Int32(position)) }
            }
        }

        /// Drops the last row (undoing an append).
        mutating func removeLast() {
            let row = rows.removeLast()
            if !row.isDeleted { liveCount -= 1 }
            modstamps.invalidate()
            created.invalidate()
            lookups = [:]
        }

        /// Builds what a query over this table needs: sorted timestamp indexes, lookups for `ordinals`.
        mutating func prepare(lookups ordinals: [Int] = []) {
            if modstamps.needsRebuild { modstamps.rebuild(rows) { $0.modstamp } }
            if created.needsRebuild { created.rebuild(rows) { $0.created } }
            for ordinal in ordinals where lookups[ordinal] == nil {
                var index = SalesforceLookupIndex()
                for (position, row) in rows.enumerated() {
                    if let text = row.cell(ordinal).text { index.add(text, row: Int32(position)) }
                }
                lookups[ordinal] = index
            }
        }

        /// The unpacked record at `position`.
        func record(_ position: Int) -> SalesforceRecord {
            let row = rows[position]
            return SalesforceRecord(id: row.key.string, type: object.name, fields: row.fields(object), isDeleted: row.isDeleted,
                                    deletedAt: row.isDeleted ? Date(timeIntervalSince1970: Double(row.deletedAt)) : nil,
                                    modstamp: Date(timeIntervalSince1970: Double(row.modstamp)))
        }
    }

    /// A change `allOrNone` may take back.
    private struct Undo: Sendable {
        var object: String
        var position: Int
        /// The row before the change; `nil` when the change appended the row.
        var previous: SalesforceRow?
    }

    private(set) var tables: [String: Table] = [:]
    /// Last id sequence number handed out.
    private(set) var sequence = 0
    /// Open all-or-none transactions: what each must undo on rollback.
    private var journals: [Int: [Undo]] = [:]
    private var transactions = 0

    /// A fresh id for `object`.
    mutating func nextID(_ object: SalesforceObject) -> String {
        sequence += 1
        return SalesforceID.make(prefix: object.keyPrefix, sequence: sequence)
    }

    /// The table of `object` (empty when nothing was stored yet).
    func table(_ object: String) -> Table? { tables[object] }

    /// Runs `body` on the table of `object`, creating it if needed.
    mutating func withTable<T>(_ object: SalesforceObject, _ body: (inout Table) throws -> T) rethrows -> T {
        if tables[object.name] == nil { tables[object.name] = Table(object: object) }
        return try body(&tables[object.name]!)
    }

    /// Where the record with canonical 18-character id `id` lives.
    func locate(_ id: String) -> (table: Table, position: Int)? {
        guard id.utf8.count == 18, let key = SalesforceIDKey(id), let object = SalesforceCatalog.object(keyPrefix: id.prefix(3)),
              let table = tables[object.name], let position = table.position(key) else { return nil }
        return (table, position)
    }

    /// The record with `id` (15 or 18 characters, any case for 18), deleted or not.
    func record(_ id: String) -> SalesforceRecord? {
        guard let canonical = SalesforceID.normalize(id), let (table, position) = locate(canonical) else { return nil }
        return table.record(position)
    }

    /// Records of `object` in Id order (decoded; for exports and small tables).
    func records(_ object: String, includeDeleted: Bool = false) -> [SalesforceRecord] {
        guard let table = tables[object] else { return [] }
        return table.rows.indices.compactMap { includeDeleted || !table.rows[$0].isDeleted ? table.record($0) : nil }
    }

    /// How many records `object` holds.
    func count(_ object: String, includeDeleted: Bool = false) -> Int {
        guard let table = tables[object] else { return 0 }
        return includeDeleted ? table.rows.count : table.liveCount
    }

    /// Records across all objects (limits/ reports storage from it).
    var totalCount: Int { tables.values.reduce(0) { $0 + $1.rows.count } }

    /// Live records of `object` whose `field` equals `value` (case-insensitive, as external ids compare).
    mutating func records(_ object: String, where field: String, equals value: String) -> [SalesforceRecord] {
        guard let schema = SalesforceCatalog.object(object), let ordinal = schema.ordinal(field), tables[object] != nil else { return [] }
        return withTable(schema) { table in
            table.prepare(lookups: [ordinal])
            return table.lookups[ordinal]!.rows(value).map(Int.init).filter { !table[$0].isDeleted }.map { table.record($0) }
        }
    }

    /// Adds or replaces a record.
    mutating func put(_ record: SalesforceRecord) {
        guard let object = SalesforceCatalog.object(record.type), let key = SalesforceIDKey(record.id) else { return }
        let modstamp = Int64(record.modstamp.timeIntervalSince1970.rounded(.down))
        let created = record["CreatedDate"].text.flatMap(SalesforceDates.parseDateTime).map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? modstamp
        let row = SalesforceRow(key: key, packed: SalesforceRow.pack(record.fields, object), isDeleted: record.isDeleted,
                                deletedAt: record.deletedAt.map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? 0,
                                modstamp: modstamp, created: created)
        let (position, previous) = withTable(object) { $0.put(row) }
        if let transaction = SalesforceTransaction.current, journals[transaction] != nil {
            journals[transaction]!.append(Undo(object: object.name, position: position, previous: previous))
        }
    }

    /// Drops every record; id numbering continues so old ids are never reused.
    mutating func removeAll() {
        tables = [:]
        journals = [:]
    }

    /// Restores the id counter (state import).
    mutating func restore(sequence: Int) { self.sequence = max(self.sequence, sequence) }

    // MARK: all or none

    /// Starts an all-or-none transaction: writes made while `SalesforceTransaction.current` is its id are kept
    /// for `rollback`.
    mutating func begin() -> Int {
        transactions += 1
        journals[transactions] = []
        return transactions
    }

    /// Keeps every change of `transaction`.
    mutating func commit(_ transaction: Int) { journals[transaction] = nil }

    /// Takes back every change of `transaction` (ids handed out are not reused, as in Salesforce).
    mutating func rollback(_ transaction: Int) {
        guard let undo = journals.removeValue(forKey: transaction) else { return }
        for change in undo.reversed() {
            guard let object = SalesforceCatalog.object(change.object) else { continue }
            withTable(object) { table in
                if let previous = change.previous { _ = table.put(previous) } else { table.removeLast() }
                table.modstamps.invalidate()
                table.lookups = [:]
            }
        }
    }
}

/// The all-or-none transaction the current request writes in (`composite/sobjects` and `composite` with
/// `allOrNone`), so the store knows which writes to journal.
enum SalesforceTransaction {
    @TaskLocal static var current: Int?
}
