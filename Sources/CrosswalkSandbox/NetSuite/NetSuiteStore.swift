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
    /// Ids of each type, lowest first, and external id → id (kept by insert/replace/remove; not saved).
    private(set) var order: [String: [Int]] = [:]
    private var externalIds: [String: [String: Int]] = [:]
    /// Bumped by every change to the records, so cached query orders know when they are stale (not saved).
    private(set) var version = 0

    enum CodingKeys: String, CodingKey { case records, nextEntityId, nextTransactionId, subscriptions, oauth2 }

    init() {}

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        records = try c.decode([String: [Int: NetSuiteRecord]].self, forKey: .records)
        nextEntityId = try c.decode(Int.self, forKey: .nextEntityId)
        nextTransactionId = try c.decode(Int.self, forKey: .nextTransactionId)
        subscriptions = try c.decode([NetSuiteSubscription].self, forKey: .subscriptions)
        oauth2 = try c.decode(NetSuiteOAuth2Store.self, forKey: .oauth2)
        for (type, byId) in records {
            order[type] = byId.keys.sorted()
            for (id, record) in byId { if let eid = record.fields["externalId"] { externalIds[type, default: [:]][eid] = id } }
        }
    }

    func record(_ type: String, _ id: Int) -> NetSuiteRecord? { records[type]?[id] }

    /// Ids of `type`, lowest first.
    func ids(_ type: String) -> [Int] { order[type] ?? [] }

    /// Records of `type`, lowest id first.
    func all(_ type: String) -> [NetSuiteRecord] { ids(type).compactMap { records[type]?[$0] } }

    /// The record addressed by `{id}` or `eid:{externalId}`.
    func find(_ type: String, key: String) -> NetSuiteRecord? {
        if key.hasPrefix("eid:") {
            return externalIds[type]?[String(key.dropFirst(4))].flatMap { records[type]?[$0] }
        }
        return Int(key).flatMap { records[type]?[$0] }
    }

    /// Stores a new record with the next id and its creation stamps.
    mutating func insert(_ type: String, fields: [String: String], lines: [[String: String]], now: Date) -> NetSuiteRecord {
        let id: Int
        let transaction = NetSuiteSchema.isTransaction(type)
        if transaction { id = nextTransactionId; nextTransactionId += 1 } else { id = nextEntityId; nextEntityId += 1 }
        var record = NetSuiteRecord(type: type, id: id, fields: fields, lines: lines)
        record.fields[transaction ? "createdDate" : "dateCreated"] = NetSuiteTime.iso(now)
        record.fields["lastModifiedDate"] = NetSuiteTime.iso(now)
        applyDefaults(&record)
        store(record)
        return record
    }

    /// Replaces a record's fields and lines and stamps `lastModifiedDate`.
    mutating func replace(_ record: NetSuiteRecord, now: Date) {
        var updated = record
        updated.fields["lastModifiedDate"] = NetSuiteTime.iso(now)
        applyDefaults(&updated)
        store(updated)
    }

    /// Stores `record` as it is (no stamps), keeping the id order and the external-id index.
    mutating func store(_ record: NetSuiteRecord) {
        let old = records[record.type]?[record.id]
        records[record.type, default: [:]][record.id] = record
        if old == nil {
            // In place: a copy of the array here would make every insert cost the whole order.
            if order[record.type]?.last.map({ $0 < record.id }) ?? true {
                order[record.type, default: []].append(record.id)
            } else {
                let at = order[record.type]!.firstIndex { $0 > record.id } ?? order[record.type]!.count
                order[record.type]!.insert(record.id, at: at)
            }
        }
        if let eid = old?.fields["externalId"], externalIds[record.type]?[eid] == record.id { externalIds[record.type]?[eid] = nil }
        if let eid = record.fields["externalId"] { externalIds[record.type, default: [:]][eid] = record.id }
        version += 1
    }

    mutating func remove(_ type: String, _ id: Int) {
        guard let old = records[type]?.removeValue(forKey: id) else { return }
        if let index = order[type]?.binarySearch(id) { order[type]?.remove(at: index) }
        if let eid = old.fields["externalId"], externalIds[type]?[eid] == id { externalIds[type]?[eid] = nil }
        version += 1
    }

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
        case "opportunity":
            if record.fields["tranId"] == nil { record.fields["tranId"] = "OPP\(record.id)" }
            if record.fields["currency"] == nil { record.fields["currency"] = "1" }
            if record.fields["status"] == nil { record.fields["status"] = "A" }
        default:
            break
        }
        if !NetSuiteSchema.isTransaction(record.type), record.fields["isInactive"] == nil { record.fields["isInactive"] = "false" }
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
        case "opportunity": return "Opportunity #\(record.fields["tranId"] ?? id)"
        default: return record.fields["entityId"]
        }
    }
}
