import CrosswalkCore
import Foundation

/// Runs SuiteQL over the record store: `POST /services/rest/query/v1/suiteql?limit&offset` with `Prefer: transient`.
/// Rows come back with lower-case keys, every value a string, NULL columns omitted, each item with `"links":[]`.
enum NetSuiteSuiteQL {
    static let maxLimit = 1000, maxRows = 100_000

    /// Result orders of recent statements (statement → record version and matching ids in order), so that paging
    /// through one statement sorts once; dropped when any record changes.
    struct OrderCache: Sendable {
        var entries: [String: (version: Int, ids: [Int])] = [:]
        static let capacity = 16
    }

    static func run(_ state: NetSuiteState, _ request: SandboxRequest, settings: NetSuiteAccountSettings = NetSuiteAccountSettings(),
                    cache: inout OrderCache, now: Date) throws(NetSuiteError) -> SandboxResponse {
        guard (request.headers["Prefer"] ?? "").lowercased().split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "transient" }) else {
            throw NetSuiteError(status: 400, code: "INVALID_PARAMETER",
                                detail: "Invalid 'Prefer' header value. SuiteQL requests require the header 'Prefer: transient'.",
                                extra: ["o:errorHeader": "Prefer"])
        }
        let limit = try integer(request, "limit", default: maxLimit)
        let offset = try integer(request, "offset", default: 0)
        guard (1...maxLimit).contains(limit) else { throw .invalidParameter("The value of the limit query parameter must be between 1 and \(maxLimit).", queryParam: "limit") }
        try NetSuitePaging.check(limit: limit, offset: offset)
        guard let body = request.jsonBody() as? [String: Any], let sql = body["q"] as? String else {
            throw .badRequest("INVALID_CONTENT", "The request body must be a JSON object with the SuiteQL statement in \"q\".")
        }
        let rows: [[(key: String, value: NetSuiteSQLValue)]]
        let total: Int
        do throws(NetSuiteSuiteQLError) {
            let query = try NetSuiteSuiteQLParser.parse(sql)
            if let table = NetSuiteSchema.table(query.table), !table.recordTypes.contains(where: { NetSuiteAccess.canQuery($0, settings: settings) }) {
                throw NetSuiteSuiteQLError(message: "Record '\(query.table)' was not found.")
            }
            (rows, total) = try evaluate(query, state: state, now: now, window: offset..<(offset + limit), cache: &cache,
                                     key: sql.uppercased().contains("SYSDATE") ? "\(sql)@\(now.timeIntervalSince1970)" : sql)
        } catch {
            throw .invalidParameter("Invalid search query. Detailed unprocessed description follows. Search error occurred: \(error.message)")
        }
        let items: [[String: Any]] = rows.map { row in
            var item: [String: Any] = ["links": [Any]()]
            for (key, value) in row { if let text = display(value) { item[key] = text } }
            return item
        }
        let hasMore = offset + items.count < total
        func link(_ rel: String, _ o: Int) -> [String: String] {
            ["rel": rel, "href": "\(request.baseURL)/services/rest/query/v1/suiteql?limit=\(limit)&offset=\(o)"]
        }
        var links: [[String: String]] = []
        if offset > 0 { links += [link("previous", max(0, offset - limit)), link("first", 0)] }
        if hasMore { links += [link("next", offset + limit), link("last", max(0, (total - 1) / limit * limit))] }
        links.append(link("self", offset))
        return .json(200, ["links": links, "count": items.count, "hasMore": hasMore, "items": items, "offset": offset, "totalResults": total])
    }

    private static func integer(_ request: SandboxRequest, _ name: String, default value: Int) throws(NetSuiteError) -> Int {
        guard let text = request.queryValue(name) else { return value }
        guard let n = Int(text), n >= 0 else { throw .invalidParameter("Invalid value for query parameter \(name): \(text).", queryParam: name) }
        return n
    }

    // MARK: evaluation

    /// The rows of `window` (all rows when `nil`) in order, each as (lower-case key, value), and how many rows the
    /// statement has. Only the window's rows are projected; the matching ids in order come from `cache` when no
    /// record changed since `key` (the statement) last ran.
    static func evaluate(_ query: NetSuiteSuiteQLQuery, state: NetSuiteState, now: Date, window: Range<Int>? = nil,
                         cache: inout OrderCache, key: String) throws(NetSuiteSuiteQLError) -> (rows: [[(key: String, value: NetSuiteSQLValue)]], total: Int) {
        guard let table = NetSuiteSchema.table(query.table) else { throw NetSuiteSuiteQLError(message: "Record '\(query.table)' was not found.") }
        let context = Context(table: table, name: query.table.lowercased(), alias: query.tableAlias?.lowercased(), state: state, now: now)
        // The record types whose rows the statement can return (`type = 'CustInvc'` leaves invoices alone).
        let types = table.recordTypes(for: query.condition)
        let maps = types.map { state.records[$0] ?? [:] }
        func record(_ id: Int) -> NetSuiteRecord? {
            for map in maps { if let r = map[id] { return r } }
            return nil
        }
        var ids: [Int]
        if let cached = cache.entries[key], cached.version == state.version {
            ids = cached.ids
        } else {
            ids = types.count == 1 ? state.ids(types[0]) : types.flatMap { state.ids($0) }.sorted()
            if let condition = query.condition.map(context.folded) {
                var kept: [Int] = []
                for id in ids { if let record = record(id), try context.test(condition, record) == true { kept.append(id) } }
                ids = kept
            }
            let byIdOnly = query.orderBy.count == 1 && query.orderBy[0].ascending
                && { if case let .column(name) = query.orderBy[0].expr { return name.lowercased().split(separator: ".").last == "id" } else { return false } }()
            if !query.orderBy.isEmpty && !byIdOnly {
                var keyed: [(id: Int, keys: [NetSuiteSQLValue])] = []
                keyed.reserveCapacity(ids.count)
                for id in ids {
                    guard let record = record(id) else { continue }
                    var keys: [NetSuiteSQLValue] = []
                    for order in query.orderBy { keys.append(try context.orderValue(order.expr, record, items: query.items)) }
                    keyed.append((id, keys))
                }
                keyed.sort { a, b in
                    for (index, order) in query.orderBy.enumerated() {
                        let c = Context.order(a.keys[index], b.keys[index], ascending: order.ascending)
                        if c != 0 { return c < 0 }
                    }
                    return a.id < b.id
                }
                ids = keyed.map(\.id)
            }
            if cache.entries.count >= OrderCache.capacity { cache.entries.removeAll() }
            cache.entries[key] = (state.version, ids)
        }
        let items = query.items
        if let items, items.contains(where: { if case .countAll = $0.expr { return true } else { return false } }) {
            guard items.count == 1 else { throw NetSuiteSuiteQLError(message: "COUNT(*) cannot be combined with other columns.") }
            return ([[(key: items[0].alias?.lowercased() ?? "expr1", value: .number(Double(ids.count)))]], 1)
        }
        if let top = query.top { ids = Array(ids.prefix(top)) }
        let total = ids.count
        let slice = window.map { w in ids[min(w.lowerBound, total)..<min(w.upperBound, total)] } ?? ids[...]
        let records = slice.compactMap { record($0) }
        let selected: [(expr: NetSuiteSuiteQLQuery.Expr, alias: String?)] = items ?? context.allColumns.map { (.column($0), nil) }
        var rows: [[(key: String, value: NetSuiteSQLValue)]] = []
        for record in records {
            var row: [(key: String, value: NetSuiteSQLValue)] = []
            var unnamed = 0
            for item in selected {
                let key: String
                if let alias = item.alias { key = alias.lowercased() } else if case let .column(name) = item.expr {
                    key = String(name.lowercased().split(separator: ".").last ?? "")
                } else {
                    unnamed += 1
                    key = "expr\(unnamed)"
                }
                row.append((key, try context.value(item.expr, record)))
            }
            rows.append(row)
        }
        return (rows, total)
    }

    /// A value as SuiteQL prints it; `nil` for NULL (omitted from the item).
    static func display(_ value: NetSuiteSQLValue) -> String? {
        switch value {
        case .null: nil
        case let .text(s): s
        case let .number(n): NetSuiteValues.number(n)
        case let .date(d, hasTime): NetSuiteTime.display(d, time: hasTime)
        }
    }

    private struct Context {
        var table: NetSuiteTable
        var name: String
        var alias: String?
        var state: NetSuiteState
        var now: Date

        var allColumns: [String] { table.allColumns }

        func column(_ raw: String, _ record: NetSuiteRecord) throws(NetSuiteSuiteQLError) -> NetSuiteSQLValue {
            var name = raw.lowercased()
            let parts = name.split(separator: ".")
            if parts.count == 2 {
                guard String(parts[0]) == self.name || String(parts[0]) == alias else { throw NetSuiteSuiteQLError(message: "Unknown table or alias '\(parts[0])'.") }
                name = String(parts[1])
            }
            if name == "type", let kind = table.typeCodes[record.type] { return .text(kind) }
            guard let field = NetSuiteSchema.field(record.type, column: name) ?? table.field(column: name) else {
                throw NetSuiteSuiteQLError(message: "Field '\(name)' for record '\(self.name)' was not found. Reason: NOT_EXPOSED - Not available for channel SEARCH")
            }
            return fieldValue(field, record)
        }

        func fieldValue(_ field: NetSuiteField, _ record: NetSuiteRecord) -> NetSuiteSQLValue {
            if field.name == "id" { return .number(Double(record.id)) }
            guard let text = record.fields[field.name] else { return .null }
            switch field.type {
            case .text: return .text(text)
            case .integer, .number: return Double(text).map { .number($0) } ?? .text(text)
            case .boolean: return .text(text == "true" ? "T" : "F")
            case .date, .datetime: return NetSuiteTime.parse(text).map { .date($0.date, hasTime: field.type == .datetime) } ?? .text(text)
            case .reference: return Double(text).map { .number($0) } ?? .text(text)
            }
        }

        func value(_ expr: NetSuiteSuiteQLQuery.Expr, _ record: NetSuiteRecord) throws(NetSuiteSuiteQLError) -> NetSuiteSQLValue {
            switch expr {
            case let .column(name): return try column(name, record)
            case let .field(field): return fieldValue(field, record)
            case let .literal(v): return v
            case .countAll: throw NetSuiteSuiteQLError(message: "COUNT(*) is only allowed alone in the select list.")
            case let .function(name, args):
                var values: [NetSuiteSQLValue] = []
                for arg in args { values.append(try value(arg, record)) }
                return try apply(name, values, args: args, record: record)
            }
        }

        private func apply(_ name: String, _ values: [NetSuiteSQLValue], args: [NetSuiteSuiteQLQuery.Expr],
                           record: NetSuiteRecord) throws(NetSuiteSuiteQLError) -> NetSuiteSQLValue {
            func text(_ v: NetSuiteSQLValue) -> String? { NetSuiteSuiteQL.display(v) }
            switch name {
            case "SYSDATE": return .date(now, hasTime: true)
            case "UPPER": return values.first.flatMap(text).map { .text($0.uppercased()) } ?? .null
            case "LOWER": return values.first.flatMap(text).map { .text($0.lowercased()) } ?? .null
            case "NVL":
                guard values.count == 2 else { throw NetSuiteSuiteQLError(message: "NVL takes two arguments.") }
                return values[0] == .null ? values[1] : values[0]
            case "TO_NUMBER": return values.first.flatMap(text).flatMap(Double.init).map { .number($0) } ?? .null
            case "TO_CHAR":
                guard let first = values.first else { throw NetSuiteSuiteQLError(message: "TO_CHAR needs an argument.") }
                if case let .date(d, _) = first, values.count > 1, case let .text(format) = values[1] {
                    return .text(NetSuiteOracleFormat.format(d, format))
                }
                return text(first).map { .text($0) } ?? .null
            case "TO_DATE":
                guard case let .text(s)? = values.first else { return values.first ?? .null }
                if values.count > 1, case let .text(format) = values[1] {
                    guard let d = NetSuiteOracleFormat.parse(s, format) else { throw NetSuiteSuiteQLError(message: "Date '\(s)' does not match format '\(format)'.") }
                    return .date(d, hasTime: true)
                }
                guard let parsed = NetSuiteTime.parse(s) else { throw NetSuiteSuiteQLError(message: "Invalid date '\(s)'.") }
                return .date(parsed.date, hasTime: parsed.hasTime)
            case "BUILTIN.DF":
                guard case let .column(columnName)? = args.first,
                      let field = NetSuiteSchema.field(record.type, column: String(columnName.lowercased().split(separator: ".").last ?? "")),
                      case let .reference(target) = field.type, let id = record.fields[field.name]
                else { return values.first ?? .null }
                return state.refName(target, id).map { .text($0) } ?? .null
            default:
                throw NetSuiteSuiteQLError(message: "Unknown function \(name).")
            }
        }

        /// `condition` with every function of literals alone evaluated once (`TO_DATE('…', '…')` is not parsed
        /// again for each record); one that fails is left as it is, to fail as before when a record is tested.
        func folded(_ condition: NetSuiteSuiteQLQuery.Condition) -> NetSuiteSuiteQLQuery.Condition {
            switch condition {
            case let .compare(a, op, b): .compare(folded(a), op, folded(b))
            case let .isNull(e, negated): .isNull(folded(e), negated: negated)
            case let .inList(e, list, texts, negated): .inList(folded(e), list.map(folded), texts: texts, negated: negated)
            case let .like(e, p, negated): .like(folded(e), folded(p), negated: negated)
            case let .between(e, l, h, negated): .between(folded(e), folded(l), folded(h), negated: negated)
            case let .and(a, b): .and(folded(a), folded(b))
            case let .or(a, b): .or(folded(a), folded(b))
            case let .not(c): .not(folded(c))
            }
        }

        func folded(_ expr: NetSuiteSuiteQLQuery.Expr) -> NetSuiteSuiteQLQuery.Expr {
            if case let .column(raw) = expr {
                // Looked up once; `type` and unknown names stay as they are (the latter to fail as before).
                var name = raw.lowercased()
                let parts = name.split(separator: ".")
                if parts.count == 2, String(parts[0]) == self.name || String(parts[0]) == alias { name = String(parts[1]) }
                guard parts.count <= 2, !(name == "type" && table.hasTypeColumn),
                      let field = table.uniformField(column: name) else { return expr }
                return .field(field)
            }
            guard case let .function(name, unfolded) = expr, name != "BUILTIN.DF" else { return expr }
            let args = unfolded.map(folded)
            var values: [NetSuiteSQLValue] = []
            for arg in args { guard case let .literal(v) = arg else { return .function(name, args) }; values.append(v) }
            let none = NetSuiteRecord(type: table.recordTypes[0], id: 0, fields: [:])
            guard let value = try? apply(name, values, args: args, record: none) else { return .function(name, args) }
            return .literal(value)
        }

        /// Whether `condition` is a text IN list, or an AND with one.
        static func looksUp(_ condition: NetSuiteSuiteQLQuery.Condition) -> Bool {
            switch condition {
            case let .inList(_, _, texts, negated): !negated && texts.map { !$0.isEmpty } == true
            case let .and(a, b): looksUp(a) || looksUp(b)
            default: false
            }
        }

        /// `true`, `false`, or `nil` (SQL unknown, e.g. a comparison with NULL).
        func test(_ condition: NetSuiteSuiteQLQuery.Condition, _ record: NetSuiteRecord) throws(NetSuiteSuiteQLError) -> Bool? {
            switch condition {
            case let .and(a, b):
                // A text IN list first: it is a set lookup and usually excludes the record alone.
                let r: Bool?, l: Bool?
                if Self.looksUp(b) {
                    r = try test(b, record)
                    if r == false { return false }
                    l = try test(a, record)
                } else {
                    l = try test(a, record)
                    r = try test(b, record)
                }
                if l == false || r == false { return false }
                return l == true && r == true ? true : nil
            case let .or(a, b):
                let l = try test(a, record), r = try test(b, record)
                if l == true || r == true { return true }
                return l == false && r == false ? false : nil
            case let .not(inner): return try test(inner, record).map { !$0 }
            case let .isNull(expr, negated): return (try value(expr, record) == .null) != negated
            case let .compare(a, op, b):
                guard let c = Self.compare(try value(a, record), try value(b, record)) else { return nil }
                switch op {
                case "=": return c == 0
                case "!=": return c != 0
                case "<": return c < 0
                case "<=": return c <= 0
                case ">": return c > 0
                default: return c >= 0
                }
            case let .inList(expr, list, texts, negated):
                let v = try value(expr, record)
                guard v != .null else { return nil }
                if let texts, case let .text(s) = v, !texts.contains(s) { return negated }
                var found = false
                for item in list where Self.compare(v, try value(item, record)) == 0 { found = true }
                return found != negated
            case let .like(expr, pattern, negated):
                guard case let .text(p) = try value(pattern, record), let s = NetSuiteSuiteQL.display(try value(expr, record)) else { return nil }
                return Self.like(s, p) != negated
            case let .between(expr, low, high, negated):
                let v = try value(expr, record)
                guard let l = Self.compare(v, try value(low, record)), let h = Self.compare(v, try value(high, record)) else { return nil }
                return (l >= 0 && h <= 0) != negated
            }
        }

        /// An ORDER BY key: a select-list alias, or any expression.
        func orderValue(_ expr: NetSuiteSuiteQLQuery.Expr, _ record: NetSuiteRecord,
                        items: [(expr: NetSuiteSuiteQLQuery.Expr, alias: String?)]?) throws(NetSuiteSuiteQLError) -> NetSuiteSQLValue {
            if case let .column(name) = expr, let item = items?.first(where: { $0.alias?.lowercased() == name.lowercased() }) {
                return try value(item.expr, record)
            }
            return try value(expr, record)
        }

        /// Orders two values: numbers numerically, dates by instant, a date against text by parsing the text,
        /// text by code point (Oracle's binary order). `nil` when either is NULL.
        static func compare(_ a: NetSuiteSQLValue, _ b: NetSuiteSQLValue) -> Int? {
            func sign(_ x: Double, _ y: Double) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
            switch (a, b) {
            case (.null, _), (_, .null): return nil
            case let (.number(x), .number(y)): return sign(x, y)
            case let (.date(x, _), .date(y, _)): return sign(x.timeIntervalSince1970, y.timeIntervalSince1970)
            case let (.date(x, _), .text(s)): return NetSuiteTime.parse(s).map { sign(x.timeIntervalSince1970, $0.date.timeIntervalSince1970) }
            case let (.text(s), .date(y, _)): return NetSuiteTime.parse(s).map { sign($0.date.timeIntervalSince1970, y.timeIntervalSince1970) }
            case let (.number(x), .text(s)): return Double(s).map { sign(x, $0) } ?? compareText(NetSuiteValues.number(x), s)
            case let (.text(s), .number(y)): return Double(s).map { sign($0, y) } ?? compareText(s, NetSuiteValues.number(y))
            default: return compareText(NetSuiteSuiteQL.display(a) ?? "", NetSuiteSuiteQL.display(b) ?? "")
            }
        }

        /// By code point: UTF-8's byte order is code-point order, so the bytes are compared in place.
        private static func compareText(_ a: String, _ b: String) -> Int {
            if a.utf8.elementsEqual(b.utf8) { return 0 }
            return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
        }

        /// ORDER BY order with Oracle's NULL placement (last ascending, first descending).
        static func order(_ a: NetSuiteSQLValue, _ b: NetSuiteSQLValue, ascending: Bool) -> Int {
            switch (a, b) {
            case (.null, .null): return 0
            case (.null, _): return ascending ? 1 : -1
            case (_, .null): return ascending ? -1 : 1
            default:
                let c = compare(a, b) ?? 0
                return ascending ? c : -c
            }
        }

        /// SQL LIKE with `%` and `_`, case-sensitive.
        static func like(_ text: String, _ pattern: String) -> Bool {
            let t = Array(text), p = Array(pattern)
            var memo: [Int: Bool] = [:]
            func match(_ i: Int, _ j: Int) -> Bool {
                if let known = memo[i * (p.count + 1) + j] { return known }
                let result: Bool
                if j == p.count { result = i == t.count } else if p[j] == "%" {
                    result = match(i, j + 1) || (i < t.count && match(i + 1, j))
                } else {
                    result = i < t.count && (p[j] == "_" || p[j] == t[i]) && match(i + 1, j + 1)
                }
                memo[i * (p.count + 1) + j] = result
                return result
            }
            return match(0, 0)
        }
    }
}

/// Oracle date format models as SuiteQL's `TO_CHAR`/`TO_DATE` take them: `YYYY YY MM MON DD HH24 HH12 HH MI SS AM PM`
/// and `"quoted"` literals; other characters are copied.
enum NetSuiteOracleFormat {
    private static let tokens = ["YYYY", "HH24", "HH12", "MON", "YY", "MM", "DD", "HH", "MI", "SS", "AM", "PM"]
    private static let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

    private static func split(_ format: String) -> [(token: String?, literal: String)] {
        var parts: [(token: String?, literal: String)] = []
        var rest = Substring(format)
        while !rest.isEmpty {
            if rest.first == "\"" {
                let body = rest.dropFirst().prefix { $0 != "\"" }
                parts.append((nil, String(body)))
                rest = rest.dropFirst(body.count + 2)
            } else if let token = tokens.first(where: { rest.uppercased().hasPrefix($0) }) {
                parts.append((token, ""))
                rest = rest.dropFirst(token.count)
            } else {
                parts.append((nil, String(rest.first!)))
                rest = rest.dropFirst()
            }
        }
        return parts
    }

    static func format(_ date: Date, _ format: String) -> String {
        let p = NetSuiteTime.parts(date)
        return split(format).map { part -> String in
            switch part.token {
            case "YYYY": String(format: "%04d", p.year)
            case "YY": String(format: "%02d", p.year % 100)
            case "MM": String(format: "%02d", p.month)
            case "MON": months[p.month - 1]
            case "DD": String(format: "%02d", p.day)
            case "HH24": String(format: "%02d", p.hour)
            case "HH12", "HH": String(format: "%02d", p.hour % 12 == 0 ? 12 : p.hour % 12)
            case "MI": String(format: "%02d", p.minute)
            case "SS": String(format: "%02d", p.second)
            case "AM", "PM": p.hour < 12 ? "AM" : "PM"
            default: part.literal
            }
        }.joined()
    }

    static func parse(_ text: String, _ format: String) -> Date? {
        var p = NetSuiteTime.Parts()
        var rest = Substring(text)
        var pm: Bool?
        func digits(_ max: Int) -> Int? {
            let d = rest.prefix(max).prefix { $0.isNumber }
            guard !d.isEmpty else { return nil }
            rest = rest.dropFirst(d.count)
            return Int(d)
        }
        for part in split(format) {
            switch part.token {
            case "YYYY": guard let v = digits(4) else { return nil }; p.year = v
            case "YY": guard let v = digits(2) else { return nil }; p.year = 2000 + v
            case "MM": guard let v = digits(2) else { return nil }; p.month = v
            case "MON":
                guard let index = months.firstIndex(of: rest.prefix(3).uppercased()) else { return nil }
                p.month = index + 1
                rest = rest.dropFirst(3)
            case "DD": guard let v = digits(2) else { return nil }; p.day = v
            case "HH24", "HH12", "HH": guard let v = digits(2) else { return nil }; p.hour = v
            case "MI": guard let v = digits(2) else { return nil }; p.minute = v
            case "SS": guard let v = digits(2) else { return nil }; p.second = v
            case "AM", "PM":
                pm = rest.uppercased().hasPrefix("PM")
                rest = rest.dropFirst(2)
            default:
                guard rest.hasPrefix(part.literal) else { return nil }
                rest = rest.dropFirst(part.literal.count)
            }
        }
        if let pm { p.hour = p.hour % 12 + (pm ? 12 : 0) }
        guard rest.isEmpty, (1...12).contains(p.month), (1...31).contains(p.day), p.hour < 24, p.minute < 60, p.second < 61 else { return nil }
        return NetSuiteTime.date(p)
    }
}
