import Foundation

/// Runs a parsed query over the store: picks an access path (Id order, the SystemModstamp/CreatedDate
/// indexes, or a lookup index), filters, orders, applies OFFSET and LIMIT, and answers row positions.
///
/// A query ordered by Id, SystemModstamp, LastModifiedDate or CreatedDate (optionally then Id) never sorts:
/// it walks the index and stops once LIMIT rows matched, so a keyset page costs the same at any depth.
extension SOQLQuery {
    /// Positions (in the object's table) of the matching rows, in result order.
    func run(_ store: inout SalesforceStore, includeDeleted: Bool) -> [Int32] {
        guard store.table(object.name) != nil else { return [] }
        let access = SOQLAccess(self)
        store.withTable(object) { $0.prepare(lookups: access.lookup.map { [$0.ordinal] } ?? []) }
        let table = store.table(object.name)!
        let reader = SOQLRowReader(store: store)
        let wanted = limit.map { $0 + (offset ?? 0) }
        var out: [Int32] = []

        func accept(_ position: Int) -> Bool {
            let row = table[position]
            guard includeDeleted || !row.isDeleted else { return false }
            return filter.map { reader.matches($0, row) } ?? true
        }

        switch access.order {
        case .timestamp(let field, let descending):
            let index = field == "CreatedDate" ? table.created : table.modstamps
            let bounds = access.timestamps[field] ?? SOQLAccess.Bounds()
            let range = index.range(lower: bounds.lower, lowerInclusive: true, upper: bounds.upper, upperInclusive: true)
            var k = descending ? range.upperBound - 1 : range.lowerBound
            while descending ? k >= range.lowerBound : k < range.upperBound {
                let entry = index.entries[k]
                k += descending ? -1 : 1
                let row = table[Int(entry.row)]
                guard (field == "CreatedDate" ? row.created : row.modstamp) == entry.key else { continue }
                if accept(Int(entry.row)) {
                    out.append(entry.row)
                    if let wanted, out.count >= wanted { break }
                }
            }
        case .id(let descending):
            let candidates = access.candidates(table)
            if descending {
                for position in candidates.reversed() where accept(position) {
                    out.append(Int32(position))
                    if let wanted, out.count >= wanted { break }
                }
            } else {
                for position in candidates where accept(position) {
                    out.append(Int32(position))
                    if let wanted, out.count >= wanted { break }
                }
            }
        case .general:
            for position in access.candidates(table) where accept(position) { out.append(Int32(position)) }
            out = reader.sorted(out, by: order, table)
        }
        if let offset { out = Array(out.dropFirst(offset)) }
        if let limit, out.count > limit { out = Array(out.prefix(limit)) }
        return out
    }
}

/// How a query reaches its rows: the order it can walk without sorting, and the narrowest candidate set
/// its top-level AND terms allow.
struct SOQLAccess {
    enum Order {
        case id(descending: Bool)
        /// `SystemModstamp` (also serving LastModifiedDate, which the emulator keeps equal) or `CreatedDate`.
        case timestamp(field: String, descending: Bool)
        case general
    }

    struct Bounds {
        var lower: Int64?
        var upper: Int64?

        mutating func raise(_ v: Int64) { lower = max(lower ?? v, v) }
        mutating func cap(_ v: Int64) { upper = min(upper ?? v, v) }
    }

    var order: Order = .general
    /// Ids named by `Id = '…'` / `Id IN (…)`.
    var ids: [SalesforceIDKey]?
    var idLower: (key: SalesforceIDKey, inclusive: Bool)?
    var idUpper: (key: SalesforceIDKey, inclusive: Bool)?
    /// Second bounds per index (`SystemModstamp` or `CreatedDate`), inclusive and widened to whole seconds;
    /// the filter still decides each row.
    var timestamps: [String: Bounds] = [:]
    /// `field = 'value'` on a field with a lookup index.
    var lookup: (ordinal: Int, value: String)?

    static func indexName(_ field: String) -> String? {
        switch field {
        case "SystemModstamp", "LastModifiedDate": "SystemModstamp"
        case "CreatedDate": "CreatedDate"
        default: nil
        }
    }

    init(_ query: SOQLQuery) {
        let terms: [SOQLCondition]
        switch query.filter {
        case .and(let all)?: terms = all
        case let single?: terms = [single]
        case nil: terms = []
        }
        for term in terms { constrain(term, query.object) }
        order = Self.order(query.order)
    }

    private static func order(_ items: [SOQLOrder]) -> Order {
        func isID(_ item: SOQLOrder) -> Bool { item.path.lookup == nil && item.path.field.type == .id }
        if items.isEmpty { return .id(descending: false) }
        if items.count == 1, isID(items[0]) { return .id(descending: items[0].descending) }
        let first = items[0]
        if first.path.lookup == nil, let index = indexName(first.path.field.name),
           items.count == 1 || (items.count == 2 && isID(items[1]) && items[1].descending == first.descending) {
            return .timestamp(field: index, descending: first.descending)
        }
        return .general
    }

    private mutating func constrain(_ term: SOQLCondition, _ object: SalesforceObject) {
        switch term {
        case .within(let path, let literals, negated: false) where path.lookup == nil && path.field.type == .id:
            ids = literals.compactMap { if case .string(let s) = $0 { SalesforceIDKey(s) } else { nil } }
        case .compare(let path, let op, let literal) where path.lookup == nil:
            let field = path.field
            if field.type == .id, case .string(let s) = literal, let key = SalesforceIDKey(s) {
                switch op {
                case "=": ids = [key]
                case ">": idLower = (key, false)
                case ">=": idLower = (key, true)
                case "<": idUpper = (key, false)
                case "<=": idUpper = (key, true)
                default: break
                }
            } else if let index = Self.indexName(field.name) {
                var bounds = timestamps[index] ?? Bounds()
                switch literal {
                case .dateTime(let d):
                    let floor = Int64(d.timeIntervalSince1970.rounded(.down)), ceil = Int64(d.timeIntervalSince1970.rounded(.up))
                    switch op {
                    case "=": bounds.raise(floor); bounds.cap(ceil)
                    case ">", ">=": bounds.raise(floor)
                    case "<", "<=": bounds.cap(ceil)
                    default: break
                    }
                case .range(let start, let end):
                    let s = Int64(start.timeIntervalSince1970), e = Int64(end.timeIntervalSince1970)
                    switch op {
                    case "=": bounds.raise(s); bounds.cap(e)
                    case ">": bounds.raise(e - 1)
                    case ">=": bounds.raise(s)
                    case "<": bounds.cap(s)
                    case "<=": bounds.cap(e)
                    default: break
                    }
                default: break
                }
                timestamps[index] = bounds
            } else if op == "=", case .string(let s) = literal, field.isRecordKey || field.unique, let ordinal = object.ordinal(field.name) {
                lookup = (ordinal, s)
            }
        default:
            break
        }
    }

    /// Candidate positions in Id order, from the narrowest constraint.
    func candidates(_ table: SalesforceStore.Table) -> [Int] {
        if let ids {
            return Array(Set(ids.compactMap { table.position($0) })).sorted()
        }
        if let lookup, let index = table.lookups[lookup.ordinal] {
            return index.rows(lookup.value).map(Int.init).sorted()
        }
        let lo = idLower.map { table.lowerBound($0.key, inclusive: $0.inclusive) } ?? 0
        let hi = idUpper.map { table.lowerBound($0.key, inclusive: !$0.inclusive) } ?? table.rows.count
        let span = max(0, hi - lo)
        for (name, bounds) in timestamps {
            let index = name == "CreatedDate" ? table.created : table.modstamps
            let range = index.range(lower: bounds.lower, lowerInclusive: true, upper: bounds.upper, upperInclusive: true)
            if range.count < span / 4 {
                return Set(range.map { Int(index.entries[$0].row) }).filter { $0 >= lo && $0 < hi }.sorted()
            }
        }
        return lo < hi ? Array(lo..<hi) : []
    }
}

/// Reads field values of packed rows for filters and sorts, following lookups to parents.
struct SOQLRowReader {
    let store: SalesforceStore

    func cell(_ path: SOQLFieldPath, _ row: SalesforceRow) -> SalesforceCell {
        guard path.ordinal >= 0 else { return .null }
        guard path.lookup != nil else { return row.cell(path.ordinal) }
        guard case .text(let id) = row.cell(path.ordinal), let (table, position) = store.locate(id),
              let target = table.object.ordinal(path.field.name) else { return .null }
        return table[position].cell(target)
    }

    func matches(_ condition: SOQLCondition, _ row: SalesforceRow) -> Bool {
        switch condition {
        case .and(let terms): return terms.allSatisfy { matches($0, row) }
        case .or(let terms): return terms.contains { matches($0, row) }
        case .not(let inner): return !matches(inner, row)
        case .compare(let path, let op, let literal):
            return Self.compare(cell(path, row), op, literal, path.field.type)
        case .within(let path, let literals, let negated):
            let v = cell(path, row)
            let found = literals.contains { Self.compare(v, "=", $0, path.field.type) }
            return negated ? !found : found
        case .aggregate:
            return true // HAVING only; groups are filtered after aggregation
        }
    }

    /// `value op literal` with SOQL's rules: text compares case-insensitively (ids by their bytes), `!=` matches nulls.
    static func compare(_ value: SalesforceCell, _ op: String, _ literal: SOQLLiteral, _ type: SalesforceFieldType) -> Bool {
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
            if op == "LIKE" { return SOQLLike.matches(text, pattern: s) }
            ordering = type.isID ? compareRaw(text, s) : compareRaw(text.lowercased(), s.lowercased())
        case .number(let n):
            guard case .number(let d) = value else { return false }
            ordering = d < n ? .orderedAscending : d > n ? .orderedDescending : .orderedSame
        case .bool(let b):
            guard case .bool(let v) = value else { return false }
            return op == "=" ? v == b : op == "!=" ? v != b : false
        case .date(let d), .dateTime(let d):
            guard let seconds = seconds(value) else { return false }
            let target = d.timeIntervalSince1970
            ordering = seconds < target ? .orderedAscending : seconds > target ? .orderedDescending : .orderedSame
        case .range(let start, let end):
            guard let seconds = seconds(value) else { return false }
            let s = start.timeIntervalSince1970, e = end.timeIntervalSince1970
            switch op {
            case "=": return seconds >= s && seconds < e
            case "!=": return !(seconds >= s && seconds < e)
            case "<": return seconds < s
            case "<=": return seconds < e
            case ">": return seconds >= e
            case ">=": return seconds >= s
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

    private static func seconds(_ value: SalesforceCell) -> Double? {
        switch value {
        case .seconds(let s): Double(s)
        case .days(let d): Double(d) * 86_400
        default: nil
        }
    }

    static func compareRaw(_ a: String, _ b: String) -> ComparisonResult {
        a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
    }

    /// `positions` ordered by `order` (ties by Id, which is position order).
    func sorted(_ positions: [Int32], by order: [SOQLOrder], _ table: SalesforceStore.Table) -> [Int32] {
        guard !order.isEmpty else { return positions }
        // Sort keys once per row: text lower-cased (ids kept as they are).
        let keys: [[SalesforceCell]] = positions.map { position in
            let row = table[Int(position)]
            return order.map { item in
                let v = cell(item.path, row)
                if case .text(let s) = v, !item.path.field.type.isID { return .text(s.lowercased()) }
                return v
            }
        }
        let indices = positions.indices.sorted { a, b in
            for (k, item) in order.enumerated() {
                let result = Self.compareForSort(keys[a][k], keys[b][k], item)
                if result != .orderedSame { return result == .orderedAscending }
            }
            return positions[a] < positions[b]
        }
        return indices.map { positions[$0] }
    }

    static func compareForSort(_ a: SalesforceCell, _ b: SalesforceCell, _ item: SOQLOrder) -> ComparisonResult {
        switch (a, b) {
        case (.null, .null): return .orderedSame
        case (.null, _): return item.nullsLast ? .orderedDescending : .orderedAscending
        case (_, .null): return item.nullsLast ? .orderedAscending : .orderedDescending
        default: break
        }
        let result: ComparisonResult
        switch (a, b) {
        case (.number(let x), .number(let y)): result = x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        case (.seconds(let x), .seconds(let y)): result = x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        case (.days(let x), .days(let y)): result = x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        case (.bool(let x), .bool(let y)): result = x == y ? .orderedSame : (!x ? .orderedAscending : .orderedDescending)
        case (.text(let x), .text(let y)): result = compareRaw(x, y)
        default: result = .orderedSame
        }
        guard item.descending else { return result }
        return result == .orderedAscending ? .orderedDescending : result == .orderedDescending ? .orderedAscending : .orderedSame
    }
}

/// SOQL LIKE: `%` any run, `_` one character, `\%` / `\_` literal, case-insensitive.
enum SOQLLike {
    static func matches(_ text: String, pattern: String) -> Bool {
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
}
