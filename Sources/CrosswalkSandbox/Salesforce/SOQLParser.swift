import Foundation

/// Parses the SOQL the emulated org answers:
/// `SELECT fields | FIELDS(ALL|STANDARD|CUSTOM) | COUNT() | aggregates [alias] FROM Object [WHERE …] [GROUP BY …]
/// [HAVING …] [ORDER BY …] [LIMIT n] [OFFSET n]` with parent fields (`Account.Name`), `= != <> < <= > >= LIKE IN
/// NOT IN`, `AND OR NOT`, parentheses, string/number/boolean/null/date/datetime literals, the common date keywords
/// and the aggregate functions COUNT, COUNT_DISTINCT, MIN, MAX, SUM, AVG. Errors carry Salesforce's
/// `ERROR at Row:…:Column:…` position (`SOQLErrors`).
struct SOQLParser {
    private let text: String
    private let tokens: [SOQLToken]
    private let offsets: [Int]
    private var position = 0
    private var depth = 0
    private let now: Date
    /// Parsing HAVING: aggregates may stand on the left of a comparison.
    private var inHaving = false
    /// Deepest nesting of `NOT` and parentheses accepted (deeper input is refused, not recursed into).
    private static let maxDepth = 64

    static func parse(_ text: String, now: Date) throws(SalesforceError) -> SOQLQuery {
        let (tokens, offsets) = try SOQLLexer.tokens(text)
        var parser = SOQLParser(text: text, tokens: tokens, offsets: offsets, now: now)
        return try parser.query()
    }

    private init(text: String, tokens: [SOQLToken], offsets: [Int], now: Date) {
        self.text = text
        self.tokens = tokens
        self.offsets = offsets
        self.now = now
    }

    // MARK: errors

    /// The character offset of token `k` (the end of the query past the last token).
    private func offset(_ k: Int) -> Int { k < tokens.count ? offsets[k] : text.count }

    private func malformed(_ message: String, at k: Int) -> SalesforceError { SOQLErrors.malformed(message, in: text, at: offset(k)) }

    private func unexpected() -> SalesforceError {
        position < tokens.count ? malformed("unexpected token: '\(tokens[position].text)'", at: position)
                                : malformed("unexpected token: <EOF>", at: position)
    }

    private func noSuchColumn(_ name: String, _ object: SalesforceObject, at k: Int) -> SalesforceError {
        SOQLErrors.invalidField("No such column '\(name)' on entity '\(object.name)'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
                                in: text, at: offset(k))
    }

    // MARK: token helpers

    private var current: SOQLToken? { position < tokens.count ? tokens[position] : nil }

    private func peek(_ ahead: Int) -> SOQLToken? { position + ahead < tokens.count ? tokens[position + ahead] : nil }

    private mutating func accept(keyword: String) -> Bool {
        guard current?.keyword == keyword else { return false }
        position += 1
        return true
    }

    private mutating func accept(symbol: String) -> Bool {
        guard current == .symbol(symbol) else { return false }
        position += 1
        return true
    }

    private mutating func expect(keyword: String) throws(SalesforceError) {
        guard accept(keyword: keyword) else { throw unexpected() }
    }

    private mutating func expect(symbol: String) throws(SalesforceError) {
        guard accept(symbol: symbol) else { throw unexpected() }
    }

    private mutating func word() throws(SalesforceError) -> String {
        guard case .word(let w)? = current, !Self.reserved.contains(w.uppercased()) else { throw unexpected() }
        position += 1
        return w
    }

    private mutating func integer() throws(SalesforceError) -> Int {
        guard case .number(let n)? = current, n >= 0, n == n.rounded(), n < 1e9 else { throw unexpected() }
        position += 1
        return Int(n)
    }

    /// Words that end a SELECT item or a clause (never a field name or an alias).
    private static let reserved: Set<String> = ["SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "BY", "LIMIT", "OFFSET", "AND",
                                                "OR", "NOT", "IN", "LIKE", "ASC", "DESC", "NULLS", "USING", "WITH", "FOR", "TYPEOF"]

    // MARK: grammar

    /// One SELECT item before its meaning is known (it may be a grouped field).
    private struct Item {
        enum Kind {
            case field(SOQLFieldPath)
            case fields([SOQLFieldPath], needsLimit: Bool)
            case aggregate(SOQLAggregate)
            case countAll
        }

        var kind: Kind
        var alias: String?
        var at: Int
    }

    private mutating func query() throws(SalesforceError) -> SOQLQuery {
        try expect(keyword: "SELECT")
        // The object comes after the SELECT list: find it first, then read the list against it.
        let selectStart = position
        var k = position, parens = 0
        while k < tokens.count, !(parens == 0 && tokens[k].keyword == "FROM") {
            if tokens[k] == .symbol("(") { parens += 1 }
            if tokens[k] == .symbol(")") { parens -= 1 }
            k += 1
        }
        guard k < tokens.count, k + 1 < tokens.count, case .word(let objectName) = tokens[k + 1] else {
            if k == selectStart { throw unexpected() }
            position = k < tokens.count ? k + 1 : k
            throw unexpected()
        }
        guard let object = SalesforceCatalog.object(objectName) else {
            throw SOQLErrors.invalidType("sObject type '\(objectName)' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
                                         in: text, at: offset(k + 1))
        }
        var items: [Item] = []
        repeat {
            items.append(try item(object))
        } while accept(symbol: ",")
        guard position == k else { throw unexpected() }
        position = k + 2

        var result = SOQLQuery(object: object, selection: .count)
        if accept(keyword: "WHERE") { result.filter = try condition(object) }
        var groupAt = position
        if accept(keyword: "GROUP") {
            try expect(keyword: "BY")
            groupAt = position
            repeat {
                let at = position
                let path = try path(try word(), object, at: at)
                guard path.field.groupable else {
                    throw SOQLErrors.invalidField("field '\(path.field.name)' can not be grouped in a query call", in: text, at: offset(at))
                }
                result.groupBy.append(path)
            } while accept(symbol: ",")
        }
        if accept(keyword: "HAVING") {
            guard !result.groupBy.isEmpty || items.contains(where: { if case .aggregate = $0.kind { true } else { false } }) else {
                throw malformed("HAVING requires GROUP BY or an aggregate in the SELECT list", at: position - 1)
            }
            inHaving = true
            result.having = try condition(object)
            inHaving = false
        }
        let (selection, needsLimit) = try selection(items, groupBy: result.groupBy, groupAt: groupAt)
        result.selection = selection
        if accept(keyword: "ORDER") {
            try expect(keyword: "BY")
            let aggregated: Bool = if case .aggregate = selection { true } else { false }
            let grouped = Set(result.groupBy.map(\.key))
            repeat {
                let at = position
                let item = try orderItem(object, aggregate: aggregated)
                if aggregated, item.aggregate == nil, !grouped.contains(item.path.key) {
                    throw malformed("Ordered field must be grouped or aggregated: \(item.path.field.name)", at: at)
                }
                result.order.append(item)
            } while accept(symbol: ",")
        }
        if accept(keyword: "LIMIT") { result.limit = try integer() }
        if accept(keyword: "OFFSET") {
            let at = position
            let offset = try integer()
            guard offset <= 2000 else {
                throw SalesforceError(status: 400, code: "NUMBER_OUTSIDE_VALID_RANGE",
                                      message: SOQLErrors.located("Maximum SOQL offset allowed is 2000", in: text, at: self.offset(at)))
            }
            result.offset = offset
        }
        guard current == nil else { throw unexpected() }
        if needsLimit, (result.limit ?? Int.max) > 200 {
            throw malformed("The SOQL FIELDS function must have a LIMIT of at most 200", at: selectStart)
        }
        return result
    }

    /// One SELECT item: a field, `FIELDS(…)`, `COUNT()`, or an aggregate, with an optional alias.
    private mutating func item(_ object: SalesforceObject) throws(SalesforceError) -> Item {
        let at = position
        if current == .symbol("(") {
            throw malformed("relationship subqueries are not supported by the Crosswalk sandbox", at: position)
        }
        if current?.keyword == "TYPEOF" { throw malformed("TYPEOF is not supported by the Crosswalk sandbox", at: position) }
        if current?.keyword == "FIELDS", peek(1) == .symbol("(") {
            position += 2
            let kind = current?.keyword ?? ""
            let fields: [SalesforceField]
            var needsLimit = false
            switch kind {
            case "ALL": fields = object.fields; needsLimit = true
            case "STANDARD": fields = object.fields.filter { !$0.custom }
            case "CUSTOM": fields = object.fields.filter(\.custom); needsLimit = true
            default: throw unexpected()
            }
            position += 1
            try expect(symbol: ")")
            return Item(kind: .fields(fields.map { SOQLFieldPath(lookup: nil, field: $0, on: object) }, needsLimit: needsLimit), at: at)
        }
        if let name = current?.keyword, let function = SOQLFunction(rawValue: name), peek(1) == .symbol("(") {
            position += 2
            if accept(symbol: ")") {
                guard function == .count else { throw unexpected() }
                return Item(kind: .countAll, alias: try alias(), at: at)
            }
            let fieldAt = position
            let path = try path(try word(), object, at: fieldAt)
            try check(function, path, at: fieldAt)
            try expect(symbol: ")")
            return Item(kind: .aggregate(SOQLAggregate(function: function, path: path)), alias: try alias(), at: at)
        }
        let path = try path(try word(), object, at: at)
        return Item(kind: .field(path), alias: try alias(), at: at)
    }

    private mutating func alias() throws(SalesforceError) -> String? {
        guard case .word(let w)? = current, !Self.reserved.contains(w.uppercased()), !w.contains(".") else { return nil }
        position += 1
        return w
    }

    /// Whether `function` applies to `path`'s field, with Salesforce's message when not.
    private func check(_ function: SOQLFunction, _ path: SOQLFieldPath, at k: Int) throws(SalesforceError) {
        let type = path.field.type
        let ok: Bool
        switch function {
        case .count, .countDistinct: ok = path.field.aggregatable
        case .sum, .avg: ok = type.isNumeric
        case .min, .max: ok = path.field.aggregatable && type != .boolean
        }
        guard ok else {
            throw malformed("field \(path.field.name) does not support aggregate operator \(function.rawValue)", at: k)
        }
    }

    /// The SELECT list as a selection, and whether it uses `FIELDS(ALL)` / `FIELDS(CUSTOM)` (which need `LIMIT` ≤ 200).
    private func selection(_ items: [Item], groupBy: [SOQLFieldPath], groupAt: Int) throws(SalesforceError) -> (SOQLQuery.Selection, Bool) {
        let aggregated = !groupBy.isEmpty || items.contains { if case .aggregate = $0.kind { true } else { false } }
        if let count = items.firstIndex(where: { if case .countAll = $0.kind { true } else { false } }) {
            guard items.count == 1, groupBy.isEmpty, items[count].alias == nil else {
                throw malformed("COUNT() must be the only element in the SELECT list and cannot be grouped", at: items[count].at)
            }
            return (.count, false)
        }
        if !aggregated {
            var paths: [SOQLFieldPath] = []
            var needsLimit = false
            for item in items {
                if item.alias != nil { throw malformed("unexpected token: '\(item.alias!)'", at: item.at + 1) }
                switch item.kind {
                case .field(let path): paths.append(path)
                case .fields(let list, let limited): paths += list; needsLimit = needsLimit || limited
                default: break
                }
            }
            // A field selected twice is an error in Salesforce.
            var seen: Set<String> = []
            for (k, p) in paths.enumerated() where !seen.insert(p.key).inserted {
                let at = items.count == paths.count ? items[k].at : items[0].at
                throw malformed("duplicate field selected: \(((p.lookup?.relationshipName).map { $0 + "." } ?? "") + p.field.name)", at: at)
            }
            return (.fields(paths), needsLimit)
        }
        var columns: [SOQLColumn] = []
        var unnamed = 0
        let grouped = Set(groupBy.map(\.key))
        for item in items {
            switch item.kind {
            case .field(let path):
                guard grouped.contains(path.key) else {
                    throw malformed("Field must be grouped or aggregated: \(path.field.name)", at: item.at)
                }
                columns.append(SOQLColumn(key: item.alias ?? path.field.name, value: .group(path)))
            case .aggregate(let aggregate):
                var key = item.alias
                if key == nil {
                    key = "expr\(unnamed)"
                    unnamed += 1
                }
                columns.append(SOQLColumn(key: key!, value: .aggregate(aggregate)))
            case .fields:
                throw malformed("FIELDS() cannot be used in an aggregate query", at: item.at)
            case .countAll:
                break
            }
        }
        var keys: Set<String> = []
        for (column, item) in zip(columns, items) where !keys.insert(column.key.lowercased()).inserted {
            throw malformed("duplicate alias: \(column.key)", at: item.at)
        }
        return (.aggregate(columns), false)
    }

    private mutating func orderItem(_ object: SalesforceObject, aggregate allowed: Bool) throws(SalesforceError) -> SOQLOrder {
        let at = position
        var aggregate: SOQLAggregate?
        let path: SOQLFieldPath
        if allowed, let name = current?.keyword, let function = SOQLFunction(rawValue: name), peek(1) == .symbol("(") {
            position += 2
            if accept(symbol: ")"), function == .count {
                aggregate = SOQLAggregate(function: .count, path: nil)
                path = SOQLFieldPath(lookup: nil, field: object.fields[0], on: object)
            } else {
                let fieldAt = position
                path = try self.path(try word(), object, at: fieldAt)
                try check(function, path, at: fieldAt)
                try expect(symbol: ")")
                aggregate = SOQLAggregate(function: function, path: path)
            }
        } else {
            path = try self.path(try word(), object, at: at)
            guard path.field.sortable else {
                throw SOQLErrors.invalidField("field '\(path.field.name)' can not be sorted in a query call", in: text, at: offset(at))
            }
        }
        let descending = accept(keyword: "DESC")
        if !descending { _ = accept(keyword: "ASC") }
        var nullsLast = descending
        if accept(keyword: "NULLS") {
            if accept(keyword: "LAST") { nullsLast = true } else { try expect(keyword: "FIRST"); nullsLast = false }
        }
        return SOQLOrder(path: path, descending: descending, nullsLast: nullsLast, aggregate: aggregate)
    }

    /// Resolves `Name`, `Contact.Name` (object-qualified) or `Account.Name` (parent field); `at` is its token.
    private func path(_ name: String, _ object: SalesforceObject, at k: Int) throws(SalesforceError) -> SOQLFieldPath {
        var parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2, parts[0].lowercased() == object.name.lowercased(), object.relationshipField(parts[0]) == nil {
            parts.removeFirst()
        }
        switch parts.count {
        case 1:
            guard let field = object.field(parts[0]) else { throw noSuchColumn(parts[0], object, at: k) }
            return SOQLFieldPath(lookup: nil, field: field, on: object)
        case 2:
            guard let lookup = object.relationshipField(parts[0]) else {
                throw SOQLErrors.invalidField("Didn't understand relationship '\(parts[0])' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
                                              in: text, at: offset(k))
            }
            let targets = lookup.referenceTo.compactMap(SalesforceCatalog.object)
            guard let field = targets.lazy.compactMap({ $0.field(parts[1]) }).first else {
                throw noSuchColumn(parts[1], targets.first ?? object, at: k)
            }
            return SOQLFieldPath(lookup: lookup, field: field, on: object)
        default:
            throw malformed("relationship paths deeper than one level are not supported by the Crosswalk sandbox: \(name)", at: k)
        }
    }

    private mutating func condition(_ object: SalesforceObject) throws(SalesforceError) -> SOQLCondition {
        var terms = [try conjunction(object)]
        while accept(keyword: "OR") { terms.append(try conjunction(object)) }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func conjunction(_ object: SalesforceObject) throws(SalesforceError) -> SOQLCondition {
        var terms = [try unary(object)]
        while accept(keyword: "AND") { terms.append(try unary(object)) }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    private mutating func unary(_ object: SalesforceObject) throws(SalesforceError) -> SOQLCondition {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw malformed("the WHERE clause is nested too deeply", at: position) }
        if accept(keyword: "NOT") { return .not(try unary(object)) }
        if accept(symbol: "(") {
            let inner = try condition(object)
            try expect(symbol: ")")
            return inner
        }
        if inHaving, let name = current?.keyword, let function = SOQLFunction(rawValue: name), peek(1) == .symbol("(") {
            position += 2
            var aggregate = SOQLAggregate(function: function, path: nil)
            if !accept(symbol: ")") {
                let fieldAt = position
                let path = try path(try word(), object, at: fieldAt)
                try check(function, path, at: fieldAt)
                try expect(symbol: ")")
                aggregate.path = path
            } else if function != .count {
                throw unexpected()
            }
            guard case .symbol(let op)? = current, ["=", "!=", "<", "<=", ">", ">="].contains(op) else { throw unexpected() }
            position += 1
            let numeric = function == .count || function == .countDistinct || function == .sum || function == .avg
            let literal = numeric ? try self.literal(SalesforceField("expr", "expr", .double)) : try self.literal(aggregate.path!.field)
            return .aggregate(aggregate, op, literal)
        }
        let at = position
        let path = try path(try word(), object, at: at)
        guard path.field.filterable else {
            throw SOQLErrors.invalidField("field '\(path.field.name)' can not be filtered in a query call", in: text, at: offset(at))
        }
        if accept(keyword: "NOT") {
            try expect(keyword: "IN")
            return .within(path, try list(path.field), negated: true)
        }
        if accept(keyword: "IN") { return .within(path, try list(path.field), negated: false) }
        if accept(keyword: "LIKE") {
            guard case .string(let pattern)? = current else { throw unexpected() }
            position += 1
            return .compare(path, "LIKE", .string(pattern))
        }
        guard case .symbol(let op)? = current, ["=", "!=", "<", "<=", ">", ">="].contains(op) else { throw unexpected() }
        position += 1
        return .compare(path, op, try literal(path.field))
    }

    private mutating func list(_ field: SalesforceField) throws(SalesforceError) -> [SOQLLiteral] {
        try expect(symbol: "(")
        if current?.keyword == "SELECT" { throw malformed("semi-join subqueries are not supported by the Crosswalk sandbox", at: position) }
        var values = [try literal(field)]
        while accept(symbol: ",") { values.append(try literal(field)) }
        try expect(symbol: ")")
        return values
    }

    /// A literal, checked against the field's type as Salesforce checks it.
    private mutating func literal(_ field: SalesforceField) throws(SalesforceError) -> SOQLLiteral {
        guard let token = current else { throw unexpected() }
        let at = position
        position += 1
        func mismatch(_ kind: String, quoted: Bool) -> SalesforceError {
            SOQLErrors.invalidField("value of filter criterion for field '\(field.name)' must be of type \(kind) and should \(quoted ? "" : "not ")be enclosed in quotes",
                                    in: text, at: offset(at))
        }
        let type = field.type
        if token.keyword == "NULL" { return .null }
        switch token {
        case .string(let s):
            if type.isID {
                guard let id = SalesforceID.normalize(s) else {
                    throw SalesforceError(status: 400, code: "INVALID_QUERY_FILTER_OPERATOR",
                                          message: SOQLErrors.located("invalid ID field: \(s)", in: text, at: offset(at)))
                }
                return .string(id)
            }
            guard type.isText else { throw mismatch(Self.typeName(type), quoted: false) }
            return .string(s)
        case .number(let n):
            guard type.isNumeric else { throw mismatch(Self.typeName(type), quoted: type.isText || type.isID) }
            return .number(n)
        case .date(let d):
            guard type == .date else { throw mismatch(Self.typeName(type), quoted: type.isText) }
            return .date(SalesforceDates.parseDate(d)!)
        case .dateTime(let d):
            guard type == .datetime else { throw mismatch(Self.typeName(type), quoted: type.isText) }
            return .dateTime(SalesforceDates.parseDateTime(d)!)
        case .word(let w):
            if let keyword = token.keyword, keyword == "TRUE" || keyword == "FALSE" {
                guard type == .boolean else { throw mismatch(Self.typeName(type), quoted: type.isText) }
                return .bool(keyword == "TRUE")
            }
            guard let range = dateRange(w) else { position = at; throw unexpected() }
            guard type == .date || type == .datetime else { throw mismatch(Self.typeName(type), quoted: type.isText) }
            return .range(start: range.start, end: range.end)
        case .symbol:
            position = at
            throw unexpected()
        }
    }

    private static func typeName(_ type: SalesforceFieldType) -> String {
        switch type {
        case .datetime: "dateTime"
        case .int, .double, .currency, .percent: "number"
        case .id, .reference: "id"
        default: type.rawValue
        }
    }

    /// The `[start, end)` a date keyword covers, in UTC.
    private func dateRange(_ word: String) -> (start: Date, end: Date)? {
        let today = SalesforceDates.startOfDay(now)
        func days(_ n: Int) -> Date { SalesforceDates.adding(days: n, to: today) }
        let parts = word.uppercased().split(separator: ":")
        let n = parts.count == 2 ? Int(parts[1]) : nil
        if let n, n > 100_000 { return nil }
        switch (String(parts[0]), n) {
        case ("TODAY", nil): return (today, days(1))
        case ("YESTERDAY", nil): return (days(-1), today)
        case ("TOMORROW", nil): return (days(1), days(2))
        case ("LAST_90_DAYS", nil): return (days(-90), days(1))
        case ("NEXT_90_DAYS", nil): return (days(1), days(91))
        case ("LAST_N_DAYS", let n?): return (days(-n), days(1))
        case ("NEXT_N_DAYS", let n?): return (days(1), days(n + 1))
        case ("THIS_MONTH", nil): return (SalesforceDates.startOfMonth(now), SalesforceDates.startOfMonth(now, adding: 1))
        case ("LAST_MONTH", nil): return (SalesforceDates.startOfMonth(now, adding: -1), SalesforceDates.startOfMonth(now))
        case ("NEXT_MONTH", nil): return (SalesforceDates.startOfMonth(now, adding: 1), SalesforceDates.startOfMonth(now, adding: 2))
        default: return nil
        }
    }
}
