import CrosswalkPluginKit
import Foundation

/// SuiteQL text: literals quoted as Oracle reads them and dates as `TO_DATE` of wall-clock times in the
/// integration user's zone, never bare dates (a bare date means midnight in that zone).
enum SuiteQLText {
    /// `'O''Brien'`.
    static func string(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    /// `TO_DATE('2026-11-30 05:00:00', 'YYYY-MM-DD HH24:MI:SS')` for an instant.
    static func timestamp(_ instant: Date, _ clock: NetSuiteClock) -> String {
        "TO_DATE(\(string(clock.wallClock(instant))), \(string(NetSuiteClock.suiteQLFormat)))"
    }

    /// `TO_DATE('2026-11-30', 'YYYY-MM-DD')` for a calendar day (date fields have no time zone).
    static func day(_ text: String) -> String { "TO_DATE(\(string(text)), 'YYYY-MM-DD')" }

    /// A non-negative integer id as SuiteQL compares ids, or `nil` when `text` is not one.
    static func id(_ text: String) -> String? {
        !text.isEmpty && text.utf8.count <= 18 && text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) ? text : nil
    }

    /// A number literal (a negative one quoted: SuiteQL's grammar has no unary minus in every context).
    static func number(_ n: JSONNumber) -> String { n.text.hasPrefix("-") ? string(n.text) : n.text }

    /// How a column is selected so that its value comes back exact: dates and date-times through `TO_CHAR`.
    static func select(_ field: NetSuiteField) -> String {
        switch field.kind {
        case .datetime: "TO_CHAR(\(field.column), \(string(NetSuiteClock.suiteQLFormat)))"
        case .date: "TO_CHAR(\(field.column), 'YYYY-MM-DD')"
        default: field.column
        }
    }
}

/// Translates the ABI's filter into a SuiteQL condition with the ABI's two-valued semantics: a missing value
/// is null, a comparison with null is false (`ne` is true), so every atom settles NULL itself
/// (`(F != v OR F IS NULL)`, `(F IS NOT NULL AND F = v)`) and `NOT` stays exact.
struct NetSuiteFilterPushdown {
    let schema: NetSuiteSchema
    let clock: NetSuiteClock
    /// Fields the read may select (known SuiteQL columns).
    let columns: Set<String>

    /// The condition for what can be pushed and whether that is the whole filter; `nil` when nothing can.
    func translate(_ filter: Filter) -> (sql: String, complete: Bool)? {
        switch filter {
        case .and(let parts):
            let translated = parts.map(translate)
            let pushed = translated.compactMap { $0 }
            guard !pushed.isEmpty else { return nil }
            let complete = pushed.count == parts.count && pushed.allSatisfy(\.complete)
            return ("(" + pushed.map(\.sql).joined(separator: " AND ") + ")", complete)
        case .or(let parts):
            guard !parts.isEmpty else { return ("(1 = 0)", true) }
            var sqls: [String] = []
            for part in parts {
                guard let t = translate(part), t.complete else { return nil }
                sqls.append(t.sql)
            }
            return ("(" + sqls.joined(separator: " OR ") + ")", true)
        case .not(let inner):
            guard let t = translate(inner), t.complete else { return nil }
            return ("(NOT \(t.sql))", true)
        case .isNull(let name, let isNull):
            guard let field = field(name) else { return nil }
            return ("(\(field.column) IS \(isNull ? "" : "NOT ")NULL)", true)
        case .oneOf(let name, let values):
            guard let field = field(name) else { return nil }
            var literals: [String] = []
            var withNull = false
            for value in values {
                if value.isNull { withNull = true; continue }
                guard let literal = literal(value, field, ordered: false) else { return nil }
                literals.append(literal)
            }
            var parts: [String] = []
            if !literals.isEmpty { parts.append("(\(field.column) IS NOT NULL AND \(field.column) IN (\(literals.joined(separator: ", "))))") }
            if withNull { parts.append("\(field.column) IS NULL") }
            return (parts.isEmpty ? "(1 = 0)" : "(" + parts.joined(separator: " OR ") + ")", true)
        case .compare(let op, let name, let value):
            guard let field = field(name) else { return nil }
            let c = field.column
            if value.isNull {
                switch op {
                case "eq": return ("(\(c) IS NULL)", true)
                case "ne": return ("(\(c) IS NOT NULL)", true)
                default: return ("(1 = 0)", true) // an order with null is false
                }
            }
            let ordered = !["eq", "ne"].contains(op)
            guard let v = literal(value, field, ordered: ordered) else { return nil }
            switch op {
            case "eq": return ("(\(c) IS NOT NULL AND \(c) = \(v))", true)
            case "ne": return ("(\(c) != \(v) OR \(c) IS NULL)", true)
            case "lt": return ("(\(c) IS NOT NULL AND \(c) < \(v))", true)
            case "le": return ("(\(c) IS NOT NULL AND \(c) <= \(v))", true)
            case "gt": return ("(\(c) IS NOT NULL AND \(c) > \(v))", true)
            case "ge": return ("(\(c) IS NOT NULL AND \(c) >= \(v))", true)
            default: return nil
            }
        }
    }

    private func field(_ name: String) -> NetSuiteField? {
        guard let field = schema.field(name), field.isColumn, columns.contains(name) else { return nil }
        return field
    }

    /// The SuiteQL literal for a JSON value compared with `field`, when SuiteQL's comparison equals the ABI's:
    /// the same JSON type as the records carry, dates in the records' exact form, and ids only for equality
    /// (the ABI orders them as text, SuiteQL as numbers).
    private func literal(_ value: JSONValue, _ field: NetSuiteField, ordered: Bool) -> String? {
        if field.name == "id" {
            // Records carry the internal id as a string, as the record service writes it.
            guard !ordered, let s = value.stringValue else { return nil }
            return SuiteQLText.id(s)
        }
        switch field.kind {
        case .text:
            guard let s = value.stringValue else { return nil }
            return SuiteQLText.string(s)
        case .integer, .number:
            guard let n = value.numberValue else { return nil }
            return SuiteQLText.number(n)
        case .boolean:
            guard !ordered, let b = value.boolValue else { return nil }
            return b ? "'T'" : "'F'"
        case .date:
            guard let s = value.stringValue, s.utf8.count == 10, NetSuiteClock.parseWall(s) != nil else { return nil }
            return SuiteQLText.day(s)
        case .datetime:
            // Records carry `YYYY-MM-DDTHH:MM:SSZ`; only that form orders as text the way instants do.
            guard let s = value.stringValue, s.utf8.count == 20, s.hasSuffix("Z"), let instant = NetSuiteClock.parseRFC3339(s) else { return nil }
            return SuiteQLText.timestamp(instant, clock)
        case .reference:
            guard !ordered, let s = value.stringValue, let id = SuiteQLText.id(s) else { return nil }
            return id
        case .sublist:
            return nil
        }
    }
}
