import Foundation

/// Parses the SOQL subset the emulated org answers:
/// `SELECT fields | FIELDS(ALL|STANDARD|CUSTOM) | COUNT() | COUNT(Id) FROM Object [WHERE …] [ORDER BY …] [LIMIT n] [OFFSET n]`
/// with parent fields (`Account.Name`), `= != <> < <= > >= LIKE IN NOT IN`, `AND OR NOT`, parentheses,
/// string/number/boolean/null/date/datetime literals and the common date keywords.
struct SOQLParser {
    private let tokens: [SOQLToken]
    private var position = 0
    private var depth = 0
    private let now: Date
    /// Deepest nesting of `NOT` and parentheses accepted (deeper input is refused, not recursed into).
    private static let maxDepth = 64

    static func parse(_ text: String, now: Date) throws(SalesforceError) -> SOQLQuery {
        var parser = SOQLParser(tokens: try SOQLLexer.tokens(text), now: now)
        return try parser.query()
    }

    private init(tokens: [SOQLToken], now: Date) {
        self.tokens = tokens
        self.now = now
    }

    // MARK: errors

    private static func malformed(_ message: String) -> SalesforceError {
        SalesforceError(status: 400, code: "MALFORMED_QUERY", message: message)
    }

    private func unexpected() -> SalesforceError {
        position < tokens.count ? Self.malformed("unexpected token: '\(tokens[position].text)'")
                                : Self.malformed("unexpected end of query")
    }

    private static func noSuchColumn(_ name: String, _ object: SalesforceObject) -> SalesforceError {
        SalesforceError(status: 400, code: "INVALID_FIELD",
                        message: "No such column '\(name)' on entity '\(object.name)'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.")
    }

    // MARK: token helpers

    private var current: SOQLToken? { position < tokens.count ? tokens[position] : nil }

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
        guard case .word(let w)? = current else { throw unexpected() }
        position += 1
        return w
    }

    private mutating func integer() throws(SalesforceError) -> Int {
        guard case .number(let n)? = current, n >= 0, n == n.rounded(), n < 1e9 else { throw unexpected() }
        position += 1
        return Int(n)
    }

    // MARK: grammar

    private mutating func query() throws(SalesforceError) -> SOQLQuery {
        try expect(keyword: "SELECT")
        var items: [[SOQLToken]] = [[]]
        var depth = 0
        while let token = current, !(depth == 0 && token.keyword == "FROM") {
            if token == .symbol("(") { depth += 1 }
            if token == .symbol(")") { depth -= 1 }
            if depth == 0, token == .symbol(",") { items.append([]) } else { items[items.count - 1].append(token) }
            position += 1
        }
        try expect(keyword: "FROM")
        let objectName = try word()
        guard let object = SalesforceCatalog.object(objectName) else {
            throw SalesforceError(status: 400, code: "INVALID_TYPE",
                                  message: "sObject type '\(objectName)' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.")
        }
        let (selection, needsLimit) = try Self.selection(items, object)
        var result = SOQLQuery(object: object, selection: selection)
        if accept(keyword: "WHERE") { result.filter = try condition(object) }
        if accept(keyword: "ORDER") {
            try expect(keyword: "BY")
            repeat {
                let path = try Self.path(try word(), object)
                guard path.field.sortable else {
                    throw SalesforceError(status: 400, code: "INVALID_FIELD", message: "field '\(path.field.name)' can not be sorted in a query call")
                }
                let descending = accept(keyword: "DESC")
                if !descending { _ = accept(keyword: "ASC") }
                var nullsLast = descending
                if accept(keyword: "NULLS") {
                    if accept(keyword: "LAST") { nullsLast = true } else { try expect(keyword: "FIRST"); nullsLast = false }
                }
                result.order.append(SOQLOrder(path: path, descending: descending, nullsLast: nullsLast))
            } while accept(symbol: ",")
        }
        if accept(keyword: "LIMIT") { result.limit = try integer() }
        if accept(keyword: "OFFSET") {
            let offset = try integer()
            guard offset <= 2000 else {
                throw SalesforceError(status: 400, code: "NUMBER_OUTSIDE_VALID_RANGE", message: "Maximum SOQL offset allowed is 2000")
            }
            result.offset = offset
        }
        guard current == nil else { throw unexpected() }
        if needsLimit, (result.limit ?? Int.max) > 200 {
            throw Self.malformed("The SOQL FIELDS function must have a LIMIT of at most 200")
        }
        return result
    }

    /// The SELECT list, and whether it uses `FIELDS(ALL)` / `FIELDS(CUSTOM)` (which need `LIMIT` ≤ 200).
    private static func selection(_ items: [[SOQLToken]], _ object: SalesforceObject) throws(SalesforceError) -> (SOQLQuery.Selection, Bool) {
        guard !items.contains(where: \.isEmpty) else { throw malformed("unexpected token: ','") }
        if items.count == 1, items[0].first?.keyword == "COUNT" {
            if items[0] == [.word(items[0][0].text), .symbol("("), .symbol(")")] { return (.count, false) }
            if items[0].count == 4, items[0][1] == .symbol("("), case .word(let f) = items[0][2], items[0][3] == .symbol(")"),
               object.field(f) != nil {
                return (.countField, false)
            }
        }
        var paths: [SOQLFieldPath] = []
        var needsLimit = false
        for item in items {
            switch item.count {
            case 1:
                guard case .word(let name) = item[0] else { throw malformed("unexpected token: '\(item[0].text)'") }
                paths.append(try path(name, object))
            case 4 where item[0].keyword == "FIELDS" && item[1] == .symbol("(") && item[3] == .symbol(")"):
                let kind = item[2].keyword ?? ""
                let fields: [SalesforceField]
                switch kind {
                case "ALL": fields = object.fields; needsLimit = true
                case "STANDARD": fields = object.fields.filter { !$0.custom }
                case "CUSTOM": fields = object.fields.filter(\.custom); needsLimit = true
                default: throw malformed("unexpected token: '\(item[2].text)'")
                }
                paths += fields.map { SOQLFieldPath(lookup: nil, field: $0, on: object) }
            default:
                if item.first == .symbol("(") {
                    throw malformed("relationship subqueries are not supported by the Crosswalk sandbox")
                }
                if item.first?.keyword.map({ ["COUNT", "SUM", "MAX", "MIN", "AVG", "COUNT_DISTINCT"].contains($0) }) == true {
                    throw malformed("aggregate queries other than COUNT() and COUNT(field) are not supported by the Crosswalk sandbox")
                }
                throw malformed("unexpected token: '\(item.last!.text)'")
            }
        }
        // A field selected twice is an error in Salesforce.
        var seen: Set<String> = []
        for p in paths {
            let key = ((p.lookup?.relationshipName).map { $0 + "." } ?? "") + p.field.name
            if !seen.insert(key.lowercased()).inserted { throw malformed("duplicate field selected: \(key)") }
        }
        return (.fields(paths), needsLimit)
    }

    /// Resolves `Name`, `Contact.Name` (object-qualified) or `Account.Name` (parent field).
    static func path(_ name: String, _ object: SalesforceObject) throws(SalesforceError) -> SOQLFieldPath {
        var parts = name.split(separator: ".").map(String.init)
        if parts.count == 2, parts[0].lowercased() == object.name.lowercased(), object.relationshipField(parts[0]) == nil {
            parts.removeFirst()
        }
        switch parts.count {
        case 1:
            guard let field = object.field(parts[0]) else { throw noSuchColumn(parts[0], object) }
            return SOQLFieldPath(lookup: nil, field: field, on: object)
        case 2:
            guard let lookup = object.relationshipField(parts[0]) else {
                throw SalesforceError(status: 400, code: "INVALID_FIELD",
                                      message: "Didn't understand relationship '\(parts[0])' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.")
            }
            let targets = lookup.referenceTo.compactMap(SalesforceCatalog.object)
            guard let field = targets.lazy.compactMap({ $0.field(parts[1]) }).first else {
                throw noSuchColumn(parts[1], targets.first ?? object)
            }
            return SOQLFieldPath(lookup: lookup, field: field, on: object)
        default:
            throw malformed("relationship paths deeper than one level are not supported by the Crosswalk sandbox: \(name)")
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
        guard depth <= Self.maxDepth else { throw Self.malformed("the WHERE clause is nested too deeply") }
        if accept(keyword: "NOT") { return .not(try unary(object)) }
        if accept(symbol: "(") {
            let inner = try condition(object)
            try expect(symbol: ")")
            return inner
        }
        let path = try Self.path(try word(), object)
        guard path.field.filterable else {
            throw SalesforceError(status: 400, code: "INVALID_FIELD", message: "field '\(path.field.name)' can not be filtered in a query call")
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
        if current?.keyword == "SELECT" { throw Self.malformed("semi-join subqueries are not supported by the Crosswalk sandbox") }
        var values = [try literal(field)]
        while accept(symbol: ",") { values.append(try literal(field)) }
        try expect(symbol: ")")
        return values
    }

    /// A literal, checked against the field's type as Salesforce checks it.
    private mutating func literal(_ field: SalesforceField) throws(SalesforceError) -> SOQLLiteral {
        guard let token = current else { throw unexpected() }
        position += 1
        func mismatch(_ kind: String, quoted: Bool) -> SalesforceError {
            SalesforceError(status: 400, code: "INVALID_FIELD",
                            message: "value of filter criterion for field '\(field.name)' must be of type \(kind) and should \(quoted ? "" : "not ")be enclosed in quotes")
        }
        let type = field.type
        if token.keyword == "NULL" { return .null }
        switch token {
        case .string(let s):
            if type == .id || type == .reference {
                guard let id = SalesforceID.normalize(s) else {
                    throw SalesforceError(status: 400, code: "INVALID_QUERY_FILTER_OPERATOR", message: "invalid ID field: \(s)")
                }
                return .string(id)
            }
            guard type.isText else { throw mismatch(Self.typeName(type), quoted: false) }
            return .string(s)
        case .number(let n):
            guard type.isNumeric else { throw mismatch(Self.typeName(type), quoted: type.isText || type == .id || type == .reference) }
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
            guard let range = dateRange(w) else { throw Self.malformed("unexpected token: '\(w)'") }
            guard type == .date || type == .datetime else { throw mismatch(Self.typeName(type), quoted: type.isText) }
            return .range(start: range.start, end: range.end)
        case .symbol:
            throw Self.malformed("unexpected token: '\(token.text)'")
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
