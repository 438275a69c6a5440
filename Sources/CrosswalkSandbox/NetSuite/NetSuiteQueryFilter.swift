import CrosswalkCore
import Foundation

/// The record-collection filter `q`: `field OPERATOR value` conditions joined by `AND`/`OR` (AND binds tighter),
/// parentheses, quoted or bare values, `[a, b]` lists for ANY_OF/BETWEEN/WITHIN. Operators are checked against the
/// field's type as NetSuite's table prescribes; string operators ignore case.
indirect enum NetSuiteQueryFilter {
    case condition(field: NetSuiteField, op: String, values: [String])
    case and(NetSuiteQueryFilter, NetSuiteQueryFilter)
    case or(NetSuiteQueryFilter, NetSuiteQueryFilter)

    static let stringOps: Set<String> = ["CONTAIN", "IS", "START_WITH", "END_WITH"]
    static let numberOps: Set<String> = ["ANY_OF", "BETWEEN", "EQUAL", "GREATER", "GREATER_OR_EQUAL", "LESS", "LESS_OR_EQUAL", "WITHIN"]
    static let dateOps: Set<String> = ["AFTER", "BEFORE", "ON", "ON_OR_AFTER", "ON_OR_BEFORE", "WITHIN"]
    static let booleanOps: Set<String> = ["IS"]

    /// Parses `q` for record type `type`; errors are NetSuite's 400 with `o:errorQueryParam: q`.
    static func parse(_ text: String, type: String) throws(NetSuiteError) -> NetSuiteQueryFilter {
        var parser = Parser(tokens: try tokenize(text), type: type)
        let filter = try parser.expression()
        guard parser.position == parser.tokens.count else { throw parser.error("Unexpected '\(parser.tokens[parser.position].text)'") }
        return filter
    }

    func matches(_ record: NetSuiteRecord, state: NetSuiteState) -> Bool {
        switch self {
        case let .and(a, b): return a.matches(record, state: state) && b.matches(record, state: state)
        case let .or(a, b): return a.matches(record, state: state) || b.matches(record, state: state)
        case let .condition(field, op, values):
            let negated = op.hasSuffix("_NOT")
            let base = negated ? String(op.dropLast(4)) : op
            let actual = field.name == "id" ? String(record.id) : record.fields[field.name]
            let result = Self.evaluate(base, actual: actual, values: values, field: field)
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
            guard let a = NetSuiteTime.parse(actual)?.date, let bound = values.first.flatMap(NetSuiteTime.parse) else { return false }
            let dayStart = NetSuiteTime.startOfDay(bound.date), dayEnd = dayStart.addingTimeInterval(86_400)
            switch op {
            case "ON": return bound.hasTime ? a == bound.date : (a >= dayStart && a < dayEnd)
            case "AFTER": return bound.hasTime ? a > bound.date : a >= dayEnd
            case "ON_OR_AFTER": return a >= (bound.hasTime ? bound.date : dayStart)
            case "BEFORE": return a < (bound.hasTime ? bound.date : dayStart)
            case "ON_OR_BEFORE": return bound.hasTime ? a <= bound.date : a < dayEnd
            case "WITHIN":
                guard values.count == 2, let upper = NetSuiteTime.parse(values[1]) else { return false }
                let end = upper.hasTime ? upper.date : NetSuiteTime.startOfDay(upper.date).addingTimeInterval(86_400)
                return a >= (bound.hasTime ? bound.date : dayStart) && a < end
            default: return false
            }
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
            if base == "EMPTY" { return .condition(field: field, op: op, values: []) }
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
            return .condition(field: field, op: op, values: values)
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
