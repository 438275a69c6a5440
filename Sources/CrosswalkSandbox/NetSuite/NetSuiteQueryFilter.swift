import CrosswalkCore
import Foundation

/// The record-collection filter `q`: `field OPERATOR value` conditions joined by `AND`/`OR` (AND binds tighter),
/// parentheses, quoted or bare values, `[a, b]` lists for ANY_OF/BETWEEN/WITHIN. Operators are checked against the
/// field's type as NetSuite's table prescribes; string operators ignore case.
indirect enum NetSuiteQueryFilter {
    case condition(field: NetSuiteField, op: String, values: [String], dates: NetSuiteDateRange?)
    case and(NetSuiteQueryFilter, NetSuiteQueryFilter)
    case or(NetSuiteQueryFilter, NetSuiteQueryFilter)

    static let stringOps: Set<String> = ["CONTAIN", "IS", "START_WITH", "END_WITH"]
    static let numberOps: Set<String> = ["ANY_OF", "BETWEEN", "EQUAL", "GREATER", "GREATER_OR_EQUAL", "LESS", "LESS_OR_EQUAL", "WITHIN"]
    static let dateOps: Set<String> = ["AFTER", "BEFORE", "ON", "ON_OR_AFTER", "ON_OR_BEFORE", "WITHIN"]
    static let booleanOps: Set<String> = ["IS"]

    /// Parses `q` for record type `type`, reading dates in `settings`' date format and time zone; errors are
    /// NetSuite's 400 with `o:errorQueryParam: q`.
    static func parse(_ text: String, type: String, settings: NetSuiteAccountSettings = NetSuiteAccountSettings()) throws(NetSuiteError) -> NetSuiteQueryFilter {
        var parser = Parser(tokens: try tokenize(text), type: type, settings: settings)
        let filter = try parser.expression()
        guard parser.position == parser.tokens.count else { throw parser.error("Unexpected '\(parser.tokens[parser.position].text)'") }
        return filter
    }

    func matches(_ record: NetSuiteRecord, state: NetSuiteState) -> Bool {
        switch self {
        case let .and(a, b): return a.matches(record, state: state) && b.matches(record, state: state)
        case let .or(a, b): return a.matches(record, state: state) || b.matches(record, state: state)
        case let .condition(field, op, values, dates):
            let negated = op.hasSuffix("_NOT")
            let base = negated ? String(op.dropLast(4)) : op
            let actual = field.name == "id" ? String(record.id) : record.fields[field.name]
            let result: Bool
            if base != "EMPTY", let dates {
                result = actual.map { dates.contains($0, dateOnly: field.type == .date) } ?? false
            } else {
                result = Self.evaluate(base, actual: actual, values: values, field: field)
            }
            return negated ? !result : result
        }
    }

    private static func evaluate(_ op: String, actual: String?, values: [String], field: NetSuiteField) -> Bool {
        if op == "EMPTY" { return actual == nil || actual == "" }
        guard let actual else { return false }
        switch field.type {
        case .text:
            let a = actual.lowercased(), v = (values.first ?? "").lowercased()
            switch op {
            case "IS": return a == v
            case "CONTAIN": return a.contains(v)
            case "START_WITH": return a.hasPrefix(v)
            case "END_WITH": return a.hasSuffix(v)
            default: return false
            }
        case .boolean:
            return actual == (values.first ?? "").lowercased()
        case .integer, .number, .reference:
            guard let a = Double(actual) else { return false }
            let numbers = values.compactMap(Double.init)
            switch op {
            case "EQUAL": return numbers.first == a
            case "ANY_OF": return numbers.contains(a)
            case "GREATER": return numbers.first.map { a > $0 } ?? false
            case "GREATER_OR_EQUAL": return numbers.first.map { a >= $0 } ?? false
            case "LESS": return numbers.first.map { a < $0 } ?? false
            case "LESS_OR_EQUAL": return numbers.first.map { a <= $0 } ?? false
            case "BETWEEN", "WITHIN": return numbers.count == 2 && a >= numbers[0] && a <= numbers[1]
            default: return false
            }
        case .date, .datetime:
            return false // conditions on dates carry a `NetSuiteDateRange`
        }
    }

    // MARK: parsing

    struct Token {
        enum Kind { case word, quoted, open, close, openList, closeList, comma }
        var kind: Kind
        var text: String
    }

    private static func tokenize(_ text: String) throws(NetSuiteError) -> [Token] {
        var tokens: [Token] = []
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c.isWhitespace { i = text.index(after: i); continue }
            let single: [Character: Token.Kind] = ["(": .open, ")": .close, "[": .openList, "]": .closeList, ",": .comma]
            if let kind = single[c] {
                tokens.append(Token(kind: kind, text: String(c)))
                i = text.index(after: i)
            } else if c == "\"" {
                var j = text.index(after: i), value = ""
                while j < text.endIndex, text[j] != "\"" { value.append(text[j]); j = text.index(after: j) }
                guard j < text.endIndex else { throw NetSuiteError.invalidParameter("Invalid query parameter value: unterminated string in q.", queryParam: "q") }
                tokens.append(Token(kind: .quoted, text: value))
                i = text.index(after: j)
            } else {
                var j = i
                while j < text.endIndex, !text[j].isWhitespace, !"()[],\"".contains(text[j]) { j = text.index(after: j) }
                tokens.append(Token(kind: .word, text: String(text[i..<j])))
                i = j
            }
        }
        return tokens
    }

    private struct Parser {
        var tokens: [Token]
        var type: String
        var settings: NetSuiteAccountSettings
        var position = 0

        func error(_ message: String) -> NetSuiteError {
            .invalidParameter("Invalid query parameter value: \(message). Use field OPERATOR value, joined with AND or OR.", queryParam: "q")
        }

        private func keyword(_ word: String) -> Bool {
            position < tokens.count && tokens[position].kind == .word && tokens[position].text.uppercased() == word
        }

        mutating func expression() throws(NetSuiteError) -> NetSuiteQueryFilter {
            var left = try conjunction()
            while keyword("OR") { position += 1; left = .or(left, try conjunction()) }
            return left
        }

        mutating func conjunction() throws(NetSuiteError) -> NetSuiteQueryFilter {
            var left = try primary()
            while keyword("AND") { position += 1; left = .and(left, try primary()) }
            return left
        }

        mutating func primary() throws(NetSuiteError) -> NetSuiteQueryFilter {
            guard position < tokens.count else { throw error("Missing condition") }
            if tokens[position].kind == .open {
                position += 1
                let inner = try expression()
                guard position < tokens.count, tokens[position].kind == .close else { throw error("Missing ')'") }
                position += 1
                return inner
            }
            guard tokens[position].kind == .word else { throw error("Expected a field name") }
            let name = tokens[position].text
            guard let field = NetSuiteSchema.field(type, name) else {
                throw NetSuiteError.invalidParameter("Invalid query parameter value: field '\(name)' does not exist on record type \(type) or cannot be used in q.",
                                                     queryParam: "q")
            }
            position += 1
            guard position < tokens.count, tokens[position].kind == .word else { throw error("Expected an operator after \(name)") }
            let op = tokens[position].text.uppercased()
            position += 1
            let base = op.hasSuffix("_NOT") ? String(op.dropLast(4)) : op
            if base == "EMPTY" { return .condition(field: field, op: op, values: [], dates: nil) }
            let allowed: Set<String>
            switch field.type {
            case .text: allowed = NetSuiteQueryFilter.stringOps
            case .integer, .number, .reference: allowed = NetSuiteQueryFilter.numberOps
            case .date, .datetime: allowed = NetSuiteQueryFilter.dateOps
            case .boolean: allowed = NetSuiteQueryFilter.booleanOps
            }
            guard allowed.contains(base) else {
                throw NetSuiteError.invalidParameter("Invalid query parameter value: operator \(op) cannot be used with field \(field.name).", queryParam: "q")
            }
            let values = try self.values()
            let needed = ["BETWEEN": 2, "WITHIN": 2][base] ?? (base == "ANY_OF" ? -1 : 1)
            guard needed == -1 ? !values.isEmpty : values.count == needed else { throw error("Wrong number of values for \(op)") }
            var dates: NetSuiteDateRange?
            if field.type == .date || field.type == .datetime {
                let bounds = values.compactMap { NetSuiteTime.parseLocal($0, format: settings.dateFormat, timeZone: settings.timeZone) }
                guard bounds.count == values.count else {
                    throw NetSuiteError.invalidParameter(
                        "Invalid query parameter value: '\(values.joined(separator: ", "))' is not a valid date for field \(field.name). Use the format \(settings.dateFormat.rawValue).",
                        queryParam: "q")
                }
                dates = NetSuiteDateRange(op: base, bounds: bounds, timeZone: settings.timeZone)
            }
            return .condition(field: field, op: op, values: values, dates: dates)
        }

        mutating func values() throws(NetSuiteError) -> [String] {
            guard position < tokens.count else { throw error("Missing value") }
            if tokens[position].kind == .openList {
                position += 1
                var list: [String] = []
                while position < tokens.count, tokens[position].kind != .closeList {
                    if tokens[position].kind == .comma { position += 1; continue }
                    guard tokens[position].kind == .word || tokens[position].kind == .quoted else { throw error("Bad list value") }
                    list.append(tokens[position].text)
                    position += 1
                }
                guard position < tokens.count else { throw error("Missing ']'") }
                position += 1
                return list
            }
            guard tokens[position].kind == .word || tokens[position].kind == .quoted else { throw error("Missing value") }
            var list = [tokens[position].text]
            position += 1
            // BETWEEN/WITHIN also accept two plain values.
            if position < tokens.count, tokens[position].kind == .quoted || (tokens[position].kind == .word && !keyword("AND") && !keyword("OR")) {
                list.append(tokens[position].text)
                position += 1
            }
            return list
        }
    }
}

/// The span a date condition selects, worked out once per query. For date-time fields a date written without
/// a time means midnight at the start of that day in the account's time zone (`AFTER "11/30/2026"` is after
/// 11/30/2026 00:00 local; `ON` is that local day); a written time is that minute. Date fields compare calendar days.
struct NetSuiteDateRange: Sendable {
    /// ISO bounds (`2026-11-30T08:00:00Z` for date-times, `2026-11-30` for dates); `nil` is unbounded.
    var lower: (instant: String, day: String, inclusive: Bool)?
    var upper: (instant: String, day: String, inclusive: Bool)?

    init?(op: String, bounds: [NetSuiteTime.LocalValue], timeZone: TimeZone) {
        guard let first = bounds.first else { return nil }
        func start(_ v: NetSuiteTime.LocalValue) -> String { NetSuiteTime.iso(v.instant) }
        /// The end of the written day (next local midnight) or one minute past the written time.
        func end(_ v: NetSuiteTime.LocalValue) -> String {
            NetSuiteTime.iso(v.hasTime ? v.instant.addingTimeInterval(60) : NetSuiteTime.nextMidnight(after: v.instant, day: v.day, timeZone: timeZone))
        }
        switch op {
        case "ON": lower = (start(first), first.day, true); upper = (end(first), first.day, false)
        case "AFTER": lower = (start(first), first.day, false)
        case "ON_OR_AFTER": lower = (start(first), first.day, true)
        case "BEFORE": upper = (start(first), first.day, false)
        case "ON_OR_BEFORE": upper = (start(first), first.day, true)
        case "WITHIN":
            guard bounds.count == 2 else { return nil }
            lower = (start(first), first.day, true)
            upper = bounds[1].hasTime ? (start(bounds[1]), bounds[1].day, true) : (end(bounds[1]), bounds[1].day, false)
        default: return nil
        }
        dayUpperInclusive = op == "ON" || op == "WITHIN" ? true : (upper?.inclusive ?? false)
    }

    /// Date fields: whether the upper day itself is in the span (`ON` and `WITHIN` include it).
    private var dayUpperInclusive: Bool

    /// Whether the stored value (ISO) is in the span.
    func contains(_ stored: String, dateOnly: Bool) -> Bool {
        if dateOnly {
            let day = String(stored.prefix(10))
            if let lower, lower.inclusive ? day < lower.day : day <= lower.day { return false }
            if let upper, dayUpperInclusive ? day > upper.day : day >= upper.day { return false }
            return true
        }
        let value = stored.count == 20 && stored.hasSuffix("Z") ? stored : NetSuiteTime.parse(stored).map { NetSuiteTime.iso($0.date) } ?? stored
        if let lower, lower.inclusive ? value < lower.instant : value <= lower.instant { return false }
        if let upper, upper.inclusive ? value > upper.instant : value >= upper.instant { return false }
        return true
    }
}
