import CrosswalkCore
import Foundation

/// A parsed SuiteQL statement (the subset the emulator runs):
/// `SELECT [TOP n] */cols/expressions [AS alias] FROM table [alias] [WHERE …] [ORDER BY … [ASC|DESC]]`
/// with `= != <> < <= > >=`, `IS [NOT] NULL`, `[NOT] IN (…)`, `[NOT] LIKE`, `BETWEEN`, `AND`, `OR`, `NOT`, parentheses,
/// and the functions `TO_DATE`, `TO_CHAR`, `UPPER`, `LOWER`, `NVL`, `BUILTIN.DF`, `COUNT(*)`, `SYSDATE`.
struct NetSuiteSuiteQLQuery {
    indirect enum Expr {
        case column(String)
        case literal(NetSuiteSQLValue)
        case function(String, [Expr])
        case countAll
        /// A column of the statement's table already looked up (made by evaluation from `column`, never parsed).
        case field(NetSuiteField)
    }

    indirect enum Condition {
        case compare(Expr, String, Expr)
        case isNull(Expr, negated: Bool)
        /// `texts`: the list's values when every item is a text literal, so that a text value is looked up
        /// instead of compared with each item (a match is still confirmed by code point, as NetSuite compares).
        case inList(Expr, [Expr], texts: Set<String>?, negated: Bool)
        case like(Expr, Expr, negated: Bool)
        case between(Expr, Expr, Expr, negated: Bool)
        case and(Condition, Condition)
        case or(Condition, Condition)
        case not(Condition)
    }

    /// `nil` for `SELECT *`.
    var items: [(expr: Expr, alias: String?)]?
    var table: String
    var tableAlias: String?
    var condition: Condition?
    var orderBy: [(expr: Expr, ascending: Bool)] = []
    var top: Int?
}

/// A SuiteQL value: SQL NULL, text, number, or a date (with or without time of day).
enum NetSuiteSQLValue: Equatable {
    case null
    case text(String)
    case number(Double)
    case date(Date, hasTime: Bool)
}

/// The parse error NetSuite reports for queries it cannot run.
struct NetSuiteSuiteQLError: Error {
    var message: String
}

/// Tokenizer and recursive-descent parser for `NetSuiteSuiteQLQuery`.
struct NetSuiteSuiteQLParser {
    enum Token: Equatable {
        case word(String)
        case string(String)
        case number(Double)
        case symbol(String)
    }

    private var tokens: [Token]
    private var position = 0

    static func parse(_ sql: String) throws(NetSuiteSuiteQLError) -> NetSuiteSuiteQLQuery {
        var parser = NetSuiteSuiteQLParser(tokens: try tokenize(sql))
        let query = try parser.statement()
        guard parser.position == parser.tokens.count else { throw NetSuiteSuiteQLError(message: "Invalid or unsupported search.") }
        return query
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    static func tokenize(_ sql: String) throws(NetSuiteSuiteQLError) -> [Token] {
        var tokens: [Token] = []
        let chars = Array(sql)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "'" {
                var value = ""
                i += 1
                while true {
                    guard i < chars.count else { throw NetSuiteSuiteQLError(message: "Unterminated string literal.") }
                    if chars[i] == "'" {
                        if i + 1 < chars.count, chars[i + 1] == "'" { value.append("'"); i += 2; continue }
                        i += 1
                        break
                    }
                    value.append(chars[i])
                    i += 1
                }
                tokens.append(.string(value))
            } else if c.isNumber {
                var j = i
                while j < chars.count, chars[j].isNumber || chars[j] == "." { j += 1 }
                guard let n = Double(String(chars[i..<j])) else { throw NetSuiteSuiteQLError(message: "Invalid number.") }
                tokens.append(.number(n))
                i = j
            } else if c.isLetter || c == "_" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "." { j += 1 }
                tokens.append(.word(String(chars[i..<j])))
                i = j
            } else {
                let two = i + 1 < chars.count ? String(chars[i...i + 1]) : ""
                if ["<=", ">=", "<>", "!="].contains(two) {
                    tokens.append(.symbol(two))
                    i += 2
                } else if "=<>,()*".contains(c) {
                    tokens.append(.symbol(String(c)))
                    i += 1
                } else {
                    throw NetSuiteSuiteQLError(message: "Unexpected character '\(c)'.")
                }
            }
        }
        return tokens
    }

    // MARK: grammar

    private func peekKeyword(_ word: String, offset: Int = 0) -> Bool {
        guard position + offset < tokens.count, case let .word(w) = tokens[position + offset] else { return false }
        return w.uppercased() == word
    }

    private mutating func keyword(_ word: String) -> Bool {
        guard peekKeyword(word) else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ word: String) throws(NetSuiteSuiteQLError) {
        guard keyword(word) else { throw NetSuiteSuiteQLError(message: "Invalid or unsupported search: expected \(word).") }
    }

    private mutating func symbol(_ s: String) -> Bool {
        guard position < tokens.count, tokens[position] == .symbol(s) else { return false }
        position += 1
        return true
    }

    private static let reserved: Set<String> = ["SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IS", "NULL", "IN", "LIKE", "BETWEEN",
                                                "ORDER", "BY", "ASC", "DESC", "AS", "TOP"]

    private mutating func statement() throws(NetSuiteSuiteQLError) -> NetSuiteSuiteQLQuery {
        try expect("SELECT")
        var top: Int?
        if keyword("TOP") {
            guard position < tokens.count, case let .number(n) = tokens[position], n >= 0, n <= 1e9 else {
                throw NetSuiteSuiteQLError(message: "TOP needs a whole number.")
            }
            top = Int(n)
            position += 1
        }
        var items: [(expr: NetSuiteSuiteQLQuery.Expr, alias: String?)]?
        if !symbol("*") {
            var list: [(expr: NetSuiteSuiteQLQuery.Expr, alias: String?)] = []
            repeat {
                let expr = try expression()
                var alias: String?
                if keyword("AS") { alias = try identifier() } else if position < tokens.count, case let .word(w) = tokens[position],
                                                                     !Self.reserved.contains(w.uppercased()) {
                    alias = w
                    position += 1
                }
                list.append((expr, alias))
            } while symbol(",")
            items = list
        }
        try expect("FROM")
        var query = NetSuiteSuiteQLQuery(items: items, table: try identifier())
        query.top = top
        if position < tokens.count, case let .word(w) = tokens[position], !Self.reserved.contains(w.uppercased()) {
            query.tableAlias = w
            position += 1
        }
        if keyword("WHERE") { query.condition = try disjunction() }
        if keyword("ORDER") {
            try expect("BY")
            repeat {
                let expr = try expression()
                var ascending = true
                if keyword("DESC") { ascending = false } else { _ = keyword("ASC") }
                query.orderBy.append((expr, ascending))
            } while symbol(",")
        }
        return query
    }

    private mutating func identifier() throws(NetSuiteSuiteQLError) -> String {
        guard position < tokens.count, case let .word(w) = tokens[position] else { throw NetSuiteSuiteQLError(message: "Invalid or unsupported search.") }
        position += 1
        return w
    }

    private mutating func disjunction() throws(NetSuiteSuiteQLError) -> NetSuiteSuiteQLQuery.Condition {
        var left = try conjunction()
        while keyword("OR") { left = .or(left, try conjunction()) }
        return left
    }

    private mutating func conjunction() throws(NetSuiteSuiteQLError) -> NetSuiteSuiteQLQuery.Condition {
        var left = try negation()
        while keyword("AND") { left = .and(left, try negation()) }
        return left
    }

    private mutating func negation() throws(NetSuiteSuiteQLError) -> NetSuiteSuiteQLQuery.Condition {
        if keyword("NOT") { return .not(try negation()) }
        if position < tokens.count, tokens[position] == .symbol("("), isConditionGroup() {
            position += 1
            let inner = try disjunction()
            guard symbol(")") else { throw NetSuiteSuiteQLError(message: "Missing ')'.") }
            return inner
        }
        return try predicate()
    }

    /// Whether the `(` at the current position opens a condition group rather than an expression.
    private func isConditionGroup(at start: Int? = nil) -> Bool {
        let start = start ?? position
        var depth = 0
        for (index, token) in tokens[start...].enumerated() {
            switch token {
            case .symbol("("):
                // `((a = 1) OR b = 2)`, `((a = 1))`: a group that opens with a condition group is one.
                if depth == 1, index == 1, isConditionGroup(at: start + 1) { return true }
                depth += 1
            case .symbol(")"):
                depth -= 1
                if depth == 0 { return false }
            case .symbol("="), .symbol("<"), .symbol(">"), .symbol("<="), .symbol(">="), .symbol("<>"), .symbol("!="):
                if depth == 1 { return true }
            case let .word(w) where depth == 1 && ["IS", "IN", "LIKE", "BETWEEN", "AND", "OR", "NOT"].contains(w.uppercased()):
                return true
            default: break
            }
        }
        return false
    }

    private mutating func predicate() throws(NetSuiteSuiteQLError) -> NetSuiteSuiteQLQuery.Condition {
        let left = try expression()
        if keyword("IS") {
            let negated = keyword("NOT")
            try expect("NULL")
            return .isNull(left, negated: negated)
        }
        let negated = keyword("NOT")
        if keyword("IN") {
            guard symbol("(") else { throw NetSuiteSuiteQLError(message: "IN needs a list.") }
            var list: [NetSuiteSuiteQLQuery.Expr] = []
            repeat { list.append(try expression()) } while symbol(",")
            guard symbol(")") else { throw NetSuiteSuiteQLError(message: "Missing ')'.") }
            var texts: Set<String>? = []
            for item in list { if case let .literal(.text(t)) = item { texts?.insert(t) } else { texts = nil } }
            return .inList(left, list, texts: texts, negated: negated)
        }
        if keyword("LIKE") { return .like(left, try expression(), negated: negated) }
        if keyword("BETWEEN") {
            let low = try expression()
            try expect("AND")
            return .between(left, low, try expression(), negated: negated)
        }
        guard !negated else { throw NetSuiteSuiteQLError(message: "Invalid or unsupported search.") }
        for op in ["=", "!=", "<>", "<=", ">=", "<", ">"] where symbol(op) {
            return .compare(left, op == "<>" ? "!=" : op, try expression())
        }
        throw NetSuiteSuiteQLError(message: "Invalid or unsupported search: expected a comparison.")
    }

    private mutating func expression() throws(NetSuiteSuiteQLError) -> NetSuiteSuiteQLQuery.Expr {
        guard position < tokens.count else { throw NetSuiteSuiteQLError(message: "Invalid or unsupported search.") }
        let token = tokens[position]
        position += 1
        switch token {
        case let .string(s): return .literal(.text(s))
        case let .number(n): return .literal(.number(n))
        case .symbol("("):
            let inner = try expression()
            guard symbol(")") else { throw NetSuiteSuiteQLError(message: "Missing ')'.") }
            return inner
        case let .word(w):
            let upper = w.uppercased()
            if upper == "NULL" { return .literal(.null) }
            if upper == "SYSDATE" || upper == "CURRENT_DATE" { return .function("SYSDATE", []) }
            guard symbol("(") else {
                guard !Self.reserved.contains(upper) else { throw NetSuiteSuiteQLError(message: "Invalid or unsupported search.") }
                return .column(w)
            }
            if upper == "COUNT" {
                guard symbol("*"), symbol(")") else { throw NetSuiteSuiteQLError(message: "Only COUNT(*) is supported.") }
                return .countAll
            }
            var args: [NetSuiteSuiteQLQuery.Expr] = []
            if !symbol(")") {
                repeat { args.append(try expression()) } while symbol(",")
                guard symbol(")") else { throw NetSuiteSuiteQLError(message: "Missing ')'.") }
            }
            guard ["TO_DATE", "TO_CHAR", "UPPER", "LOWER", "NVL", "BUILTIN.DF", "TO_NUMBER"].contains(upper) else {
                throw NetSuiteSuiteQLError(message: "Unknown function \(w).")
            }
            return .function(upper, args)
        default:
            throw NetSuiteSuiteQLError(message: "Invalid or unsupported search.")
        }
    }
}
