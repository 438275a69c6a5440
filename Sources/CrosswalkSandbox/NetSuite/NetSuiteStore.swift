import CrosswalkCore
import Foundation

/// One record: body fields as canonical text (numbers in decimal, booleans `true`/`false`, dates ISO,
/// references by internal id) and, for invoices, the `item` sublist lines.
struct NetSuiteRecord: Codable, Sendable, Equatable {
    var type: String
    var id: Int
    var fields: [String: String]
    var lines: [[String: String]] = []
}

/// A change-notification subscriber.
struct NetSuiteSubscription: Codable, Sendable {
    var url: String
    var secret: String?
    /// `customer.create`, `contact.edit`, `invoice.delete`, `contact.*`, `*`; empty means all.
    var events: [String]
}

/// Everything the NetSuite emulator stores; `exportState` writes it as JSON.
struct NetSuiteState: Codable, Sendable {
    var records: [String: [Int: NetSuiteRecord]] = [:]
    /// Entities (customers and contacts) share one id sequence, transactions another, as in NetSuite.
    var nextEntityId = 101
    var nextTransactionId = 1001
    var subscriptions: [NetSuiteSubscription] = []
    var oauth2 = NetSuiteOAuth2Store()

    func record(_ type: String, _ id: Int) -> NetSuiteRecord? { records[type]?[id] }

    /// Records of `type`, lowest id first.
    func all(_ type: String) -> [NetSuiteRecord] { (records[type] ?? [:]).values.sorted { $0.id < $1.id } }

    /// The record addressed by `{id}` or `eid:{externalId}`.
    func find(_ type: String, key: String) -> NetSuiteRecord? {
        if key.hasPrefix("eid:") {
            let externalId = String(key.dropFirst(4))
            return records[type]?.values.first { $0.fields["externalId"] == externalId }
        }
        return Int(key).flatMap { records[type]?[$0] }
    }

    /// Stores a new record with the next id and its creation stamps.
    mutating func insert(_ type: String, fields: [String: String], lines: [[String: String]], now: Date) -> NetSuiteRecord {
        let id: Int
        if type == "invoice" { id = nextTransactionId; nextTransactionId += 1 } else { id = nextEntityId; nextEntityId += 1 }
        var record = NetSuiteRecord(type: type, id: id, fields: fields, lines: lines)
        record.fields[type == "invoice" ? "createdDate" : "dateCreated"] = NetSuiteTime.iso(now)
        record.fields["lastModifiedDate"] = NetSuiteTime.iso(now)
        applyDefaults(&record)
        records[type, default: [:]][id] = record
        return record
    }

    /// Replaces a record's fields and lines and stamps `lastModifiedDate`.
    mutating func replace(_ record: NetSuiteRecord, now: Date) {
        var updated = record
        updated.fields["lastModifiedDate"] = NetSuiteTime.iso(now)
        applyDefaults(&updated)
        records[record.type, default: [:]][record.id] = updated
    }

    mutating func remove(_ type: String, _ id: Int) { records[type]?[id] = nil }

    /// Fields NetSuite fills in: generated ids and names, subsidiary and currency, invoice totals and status.
    private func applyDefaults(_ record: inout NetSuiteRecord) {
        switch record.type {
        case "customer":
            if record.fields["entityId"] == nil { record.fields["entityId"] = "CUST\(record.id)" }
            if record.fields["isPerson"] == nil { record.fields["isPerson"] = "false" }
            if record.fields["currency"] == nil { record.fields["currency"] = "1" }
        case "contact":
            if record.fields["entityId"] == nil {
                let name = [record.fields["firstName"], record.fields["lastName"]].compactMap { $0 }.joined(separator: " ")
                record.fields["entityId"] = name.isEmpty ? "Contact \(record.id)" : name
            }
        case "invoice":
            if record.fields["tranId"] == nil { record.fields["tranId"] = "INV\(record.id)" }
            if record.fields["currency"] == nil { record.fields["currency"] = "1" }
            let total = record.lines.reduce(0.0) { $0 + (Double($1["amount"] ?? "") ?? 0) }
            let paid = record.fields["status"] == "B"
            record.fields["total"] = NetSuiteValues.number(total)
            record.fields["amountRemaining"] = NetSuiteValues.number(paid ? 0 : total)
            if record.fields["status"] == nil { record.fields["status"] = "A" }
        default:
            break
        }
        if record.type != "invoice", record.fields["isInactive"] == nil { record.fields["isInactive"] = "false" }
        if record.fields["subsidiary"] == nil { record.fields["subsidiary"] = "1" }
    }

    /// The display name a reference to this record shows (`refName`).
    func refName(_ type: String, _ id: String) -> String? {
        if let list = NetSuiteSchema.lists[type] { return list[id] }
        guard let record = Int(id).flatMap({ records[type]?[$0] }) else { return nil }
        switch type {
        case "customer":
            if record.fields["isPerson"] == "true" {
                return [record.fields["firstName"], record.fields["lastName"]].compactMap { $0 }.joined(separator: " ")
            }
            return record.fields["companyName"] ?? record.fields["entityId"]
        case "invoice": return "Invoice #\(record.fields["tranId"] ?? id)"
        default: return record.fields["entityId"]
        }
    }
}
