import CrosswalkPluginKit
import Foundation

/// Turns SuiteQL rows into canonical records: values typed as the record service writes them (numbers,
/// booleans, RFC 3339 UTC date-times, references as the internal id), `links` for related records.
struct NetSuiteRows {
    let object: NetSuiteObject
    let clock: NetSuiteClock
    /// The selected fields, in the order of their aliases `f0`, `f1`…
    let fields: [NetSuiteField]

    static let idAlias = "xid", modifiedAlias = "xlm"

    static func alias(_ index: Int) -> String { "f\(index)" }

    /// The select list: id, last-modified time, then each field under its alias.
    var selectList: String {
        var items = ["id AS \(Self.idAlias)", "TO_CHAR(lastmodifieddate, \(SuiteQLText.string(NetSuiteClock.suiteQLFormat))) AS \(Self.modifiedAlias)"]
        for (index, field) in fields.enumerated() { items.append("\(SuiteQLText.select(field)) AS \(Self.alias(index))") }
        return items.joined(separator: ", ")
    }

    /// The row's position `(time, id)`, or `nil` when NetSuite left either out.
    func position(_ row: [String: String]) -> (time: Date, id: String)? {
        guard let id = row[Self.idAlias], let text = row[Self.modifiedAlias], let time = clock.instant(wallClock: text) else { return nil }
        return (time, id)
    }

    func record(_ row: [String: String]) -> Record? {
        guard let id = row[Self.idAlias] else { return nil }
        var values: [String: JSONValue] = ["id": .string(id)]
        var links: [RecordLink] = []
        for (index, field) in fields.enumerated() where field.name != "id" {
            let value = row[Self.alias(index)].map { convert($0, field) } ?? .null
            values[field.name] = value
            if let target = object.linkFields[field.name], let linked = value.stringValue {
                links.append(RecordLink(object: target, id: linked, type: field.name))
            }
        }
        let modified = row[Self.modifiedAlias].flatMap { clock.instant(wallClock: $0) }.map(NetSuiteClock.rfc3339)
        if let modified { values["lastModifiedDate"] = .string(modified) }
        return Record(object: object.name, id: id, fields: values, modifiedAt: modified, links: links.isEmpty ? nil : links)
    }

    /// A SuiteQL string as the field's JSON value.
    func convert(_ text: String, _ field: NetSuiteField) -> JSONValue {
        switch field.kind {
        case .integer, .number:
            return (try? JSONNumber(text: text)).map(JSONValue.number) ?? .string(text)
        case .boolean:
            switch text {
            case "T", "true": return .bool(true)
            case "F", "false": return .bool(false)
            default: return .string(text)
            }
        case .datetime:
            return clock.instant(wallClock: text).map { .string(NetSuiteClock.rfc3339($0)) } ?? .string(text)
        case .text, .date, .reference, .sublist:
            return .string(text)
        }
    }
}
