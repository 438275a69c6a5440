import Foundation

/// Runs a parsed query over the store: filter, order, offset, limit.
extension SOQLQuery {
    func run(_ store: SalesforceStore, includeDeleted: Bool) -> [SalesforceRecord] {
        var rows = store.records(object.name, includeDeleted: includeDeleted)
        if let filter { rows = rows.filter { Self.matches(filter, $0, store) } }
        if !order.isEmpty {
            rows = rows.enumerated().sorted { a, b in
                for item in order {
                    let result = Self.compareForSort(Self.value(item.path, a.element, store), Self.value(item.path, b.element, store), item)
                    if result != .orderedSame { return result == .orderedAscending }
                }
                return a.offset < b.offset
            }.map(\.element)
        }
        if let offset { rows = Array(rows.dropFirst(offset)) }
        if let limit { rows = Array(rows.prefix(limit)) }
        return rows
    }

    static func value(_ path: SOQLFieldPath, _ record: SalesforceRecord, _ store: SalesforceStore) -> SalesforceValue {
        guard let lookup = path.lookup else { return record[path.field.name] }
        guard let id = record[lookup.name].text, let parent = store.record(id) else { return .null }
        return SalesforceCatalog.object(parent.type)?.field(path.field.name).map { parent[$0.name] } ?? .null
    }

    static func matches(_ condition: SOQLCondition, _ record: SalesforceRecord, _ store: SalesforceStore) -> Bool {
        switch condition {
        case .and(let terms): return terms.allSatisfy { matches($0, record, store) }
        case .or(let terms): return terms.contains { matches($0, record, store) }
        case .not(let inner): return !matches(inner, record, store)
        case .compare(let path, let op, let literal):
            return compare(value(path, record, store), op, literal, path.field.type)
        case .within(let path, let literals, let negated):
            let v = value(path, record, store)
            let found = literals.contains { compare(v, "=", $0, path.field.type) }
            return negated ? !found : found
        }
    }

    /// `value op literal` with SOQL's rules: text compares case-insensitively, `!=` matches nulls.
    static func compare(_ value: SalesforceValue, _ op: String, _ literal: SOQLLiteral, _ type: SalesforceFieldType) -> Bool {
        if case .null = literal {
            return op == "=" ? value == .null : op == "!=" ? value != .null : false
        }
        guard value != .null else { return op == "!=" }
        let ordering: ComparisonResult
        switch literal {
        case .null:
            return false
        case .string(let s):
            guard let text = value.text else { return false }
            if op == "LIKE" { return like(text, pattern: s) }
            ordering = type == .id || type == .reference ? compareRaw(text, s) : compareRaw(text.lowercased(), s.lowercased())
        case .number(let n):
            guard case .number(let d) = value else { return false }
            ordering = d < n ? .orderedAscending : d > n ? .orderedDescending : .orderedSame
        case .bool(let b):
            guard case .bool(let v) = value else { return false }
            return op == "=" ? v == b : op == "!=" ? v != b : false
        case .date(let d), .dateTime(let d):
            guard let date = dateValue(value, type) else { return false }
            ordering = date < d ? .orderedAscending : date > d ? .orderedDescending : .orderedSame
        case .range(let start, let end):
            guard let date = dateValue(value, type) else { return false }
            switch op {
            case "=": return date >= start && date < end
            case "!=": return !(date >= start && date < end)
            case "<": return date < start
            case "<=": return date < end
            case ">": return date >= end
            case ">=": return date >= start
            default: return false
            }
        }
        switch op {
        case "=": return ordering == .orderedSame
        case "!=": return ordering != .orderedSame
        case "<": return ordering == .orderedAscending
        case "<=": return ordering != .orderedDescending
        case ">": return ordering == .orderedDescending
        case ">=": return ordering != .orderedAscending
        default: return false
        }
    }

    private static func compareRaw(_ a: String, _ b: String) -> ComparisonResult {
        a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
    }

    private static func dateValue(_ value: SalesforceValue, _ type: SalesforceFieldType) -> Date? {
        guard let text = value.text else { return nil }
        return type == .date ? SalesforceDates.parseDate(text) : SalesforceDates.parseDateTime(text)
    }

    /// SOQL LIKE: `%` any run, `_` one character, `\%` / `\_` literal, case-insensitive.
    static func like(_ text: String, pattern: String) -> Bool {
        enum Part { case literal(Character), one, any }
        var parts: [Part] = []
        var escaped = false
        for c in pattern.lowercased() {
            if escaped { parts.append(.literal(c)); escaped = false; continue }
            switch c {
            case "\\": escaped = true
            case "%": parts.append(.any)
            case "_": parts.append(.one)
            default: parts.append(.literal(c))
            }
        }
        let chars = Array(text.lowercased())
        // Classic wildcard matching with backtracking on the last `%`.
        var t = 0, p = 0, starP = -1, starT = 0
        while t < chars.count {
            if p < parts.count {
                switch parts[p] {
                case .literal(let c) where c == chars[t]: t += 1; p += 1; continue
                case .one: t += 1; p += 1; continue
                case .any: starP = p; starT = t; p += 1; continue
                default: break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starT += 1
            t = starT
        }
        while p < parts.count, case .any = parts[p] { p += 1 }
        return p == parts.count
    }

    private static func compareForSort(_ a: SalesforceValue, _ b: SalesforceValue, _ item: SOQLOrder) -> ComparisonResult {
        switch (a, b) {
        case (.null, .null): return .orderedSame
        case (.null, _): return item.nullsLast ? .orderedDescending : .orderedAscending
        case (_, .null): return item.nullsLast ? .orderedAscending : .orderedDescending
        default: break
        }
        let result: ComparisonResult
        switch (a, b) {
        case (.number(let x), .number(let y)): result = x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        case (.bool(let x), .bool(let y)): result = x == y ? .orderedSame : (!x ? .orderedAscending : .orderedDescending)
        default:
            // Ids sort by their characters as they are (byte order), as `WHERE Id > '…'` compares them;
            // other text sorts ignoring case.
            let type = item.path.field.type
            if type == .id || type == .reference {
                result = compareRaw(a.text ?? "", b.text ?? "")
            } else {
                result = compareRaw(a.text?.lowercased() ?? "", b.text?.lowercased() ?? "")
            }
        }
        guard item.descending else { return result }
        return result == .orderedAscending ? .orderedDescending : result == .orderedDescending ? .orderedAscending : .orderedSame
    }
}
