import Foundation

/// One stored record. `fields` holds every stored field by its canonical name, `Id` and audit fields included.
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

/// Every record of the emulated org, per object in insertion order, with deleted rows kept as tombstones.
struct SalesforceStore: Sendable {
    struct Table: Sendable {
        var order: [String] = []
        var rows: [String: SalesforceRecord] = [:]

        mutating func put(_ record: SalesforceRecord) {
            if rows.updateValue(record, forKey: record.id) == nil { order.append(record.id) }
        }
    }

    private(set) var tables: [String: Table] = [:]
    /// Last id sequence number handed out.
    private(set) var sequence = 0

    /// A fresh id for `object`.
    mutating func nextID(_ object: SalesforceObject) -> String {
        sequence += 1
        return SalesforceID.make(prefix: object.keyPrefix, sequence: sequence)
    }

    /// The record with `id` (15 or 18 characters, any case for 18), deleted or not.
    func record(_ id: String) -> SalesforceRecord? {
        guard let canonical = SalesforceID.normalize(id), let object = SalesforceCatalog.object(keyPrefix: canonical.prefix(3)) else { return nil }
        return tables[object.name]?.rows[canonical]
    }

    /// Records of `object` in insertion order.
    func records(_ object: String, includeDeleted: Bool = false) -> [SalesforceRecord] {
        guard let table = tables[object] else { return [] }
        return table.order.compactMap { table.rows[$0] }.filter { includeDeleted || !$0.isDeleted }
    }

    /// Live records of `object` whose `field` equals `value` (case-insensitive, as external ids compare).
    func records(_ object: String, where field: String, equals value: String) -> [SalesforceRecord] {
        let wanted = value.lowercased()
        return records(object).filter { $0[field].text?.lowercased() == wanted }
    }

    /// Adds or replaces a record.
    mutating func put(_ record: SalesforceRecord) {
        tables[record.type, default: Table()].put(record)
    }

    /// Drops every record; id numbering continues so old ids are never reused.
    mutating func removeAll() { tables = [:] }

    /// Restores the id counter (state import).
    mutating func restore(sequence: Int) { self.sequence = max(self.sequence, sequence) }
}
