import CrosswalkCore

/// Recursive-descent parser for the grammar in README.md. Every error names the line and column
/// of the offending token; nesting is bounded by ``MappingLimits/maxDepth``.
struct Parser {
    private let tokens: [Token]
    private var p = 0
    private var depth = 0
    private let limits: MappingLimits
    private let sourceName: String

    init(tokens: [Token], limits: MappingLimits, sourceName: String) {
        self.tokens = tokens
        self.limits = limits
        self.sourceName = sourceName
    }

    /// Tokenizes and parses a mapping: one `target = expression` per line.
    static func parseMapping(_ text: String, limits: MappingLimits, sourceName: String, firstLine: Int) throws(MappingError) -> [Assignment] {
        try checkSize(text, limits: limits, sourceName: sourceName, firstLine: firstLine)
        var lexer = Lexer(text, firstLine: firstLine, newlinesAreSpace: false, sourceName: sourceName)
        var parser = Parser(tokens: try lexer.tokenize(), limits: limits, sourceName: sourceName)
        return try parser.assignments()
    }

    /// Tokenizes and parses one expression (criteria: newlines are spaces).
    static func parseExpression(_ text: String, limits: MappingLimits, sourceName: String, firstLine: Int) throws(MappingError) -> Node {
        try checkSize(text, limits: limits, sourceName: sourceName, firstLine: firstLine)
        var lexer = Lexer(text, firstLine: firstLine, newlinesAreSpace: true, sourceName: sourceName)
        var parser = Parser(tokens: try lexer.tokenize(), limits: limits, sourceName: sourceName)
        if case .end = parser.peek.kind { throw parser.fail("the criteria are empty: write one boolean expression", at: parser.peek) }
        let node = try parser.expression()
        guard case .end = parser.peek.kind else { throw parser.fail("expected the end of the criteria, found \(parser.peek.display)", at: parser.peek) }
        return node
    }

    private static func checkSize(_ text: String, limits: MappingLimits, sourceName: String, firstLine: Int) throws(MappingError) {
        if text.utf8.count > limits.maxSourceBytes {
            throw MappingError(.tooComplex, "the text is \(text.utf8.count) bytes, more than the \(limits.maxSourceBytes) allowed",
                               line: firstLine, column: 1, sourceName: sourceName)
        }
    }

    // MARK: Tokens

    private var peek: Token { tokens[min(p, tokens.count - 1)] }
    private func peek(_ ahead: Int) -> Token { tokens[min(p + ahead, tokens.count - 1)] }
    private mutating func advance() -> Token {
        let t = peek
        if p < tokens.count - 1 { p += 1 }
        return t
    }

    private func isPunct(_ punct: Token.Punct, _ t: Token) -> Bool {
        if case .punct(let x) = t.kind { return x == punct }
        return false
    }

    private mutating func take(_ punct: Token.Punct) -> Token? {
        if isPunct(punct, peek) { return advance() }
        return nil
    }

    private mutating func expect(_ punct: Token.Punct, _ what: String) throws(MappingError) -> Token {
        if let t = take(punct) { return t }
        throw fail("expected \"\(punct.rawValue)\" \(what), found \(peek.display)", at: peek)
    }

    private func fail(_ message: String, at t: Token, code: MappingError.Code = .syntax) -> MappingError {
        MappingError(code, message, line: t.location.line, column: t.location.column, sourceName: sourceName)
    }

    private func node(_ kind: Node.Kind, from first: Token, to last: Int) throws(MappingError) -> Node {
        let n = Node(kind, at: first.location, start: first.start, end: last)
        if n.depth > limits.maxDepth {
            throw fail("the expression is nested more than \(limits.maxDepth) deep", at: first, code: .tooComplex)
        }
        return n
    }

    private var lastEnd: Int { p > 0 ? tokens[p - 1].end : 0 }

    // MARK: Mappings

    private mutating func assignments() throws(MappingError) -> [Assignment] {
        var result: [Assignment] = []
        while true {
            while case .newline = peek.kind { _ = advance() }
            if case .end = peek.kind { return result }
            if result.count >= limits.maxAssignments {
                throw fail("more than \(limits.maxAssignments) assignments", at: peek, code: .tooComplex)
            }
            let first = peek
            var target: [String] = [try targetName()]
            while take(.dot) != nil { target.append(try targetName()) }
            guard take(.assign) != nil else {
                if isPunct(.eq, peek) { throw fail("write \"=\" to assign, not \"==\"", at: peek) }
                throw fail("expected \"=\" after the target field \(target.joined(separator: ".")), found \(peek.display)", at: peek)
            }
            if case .newline = peek.kind { throw fail("expected an expression after \"=\"", at: peek) }
            if case .end = peek.kind { throw fail("expected an expression after \"=\"", at: peek) }
            let value = try expression()
            switch peek.kind {
            case .newline, .end: break
            default: throw fail("expected the end of the line after the expression, found \(peek.display)", at: peek)
            }
            result.append(Assignment(target: target, targetLocation: first.location, value: value))
        }
    }

    private mutating func targetName() throws(MappingError) -> String {
        switch peek.kind {
        case .identifier(let n), .quotedIdentifier(let n): _ = advance(); return n
        case .keyword(let k): _ = advance(); return k.rawValue
        default: throw fail("expected a target field name, found \(peek.display)", at: peek)
        }
    }

    // MARK: Expressions

    private mutating func enter() throws(MappingError) {
        depth += 1
        if depth > limits.maxDepth { throw fail("the expression is nested more than \(limits.maxDepth) deep", at: peek, code: .tooComplex) }
    }

    mutating func expression() throws(MappingError) -> Node {
        try enter()
        defer { depth -= 1 }
        let first = peek
        let condition = try logical(.or)
        guard take(.question) != nil else { return condition }
        let then = try expression()
        _ = try expect(.colon, "between the branches of \"? :\"")
        let otherwise = try expression()
        return try node(.conditional(condition, then, otherwise), from: first, to: lastEnd)
    }

    private mutating func logical(_ op: LogicalOperator) throws(MappingError) -> Node {
        let first = peek
        let operand: (inout Parser) throws(MappingError) -> Node = op == .or ? { (p: inout Parser) throws(MappingError) in try p.logical(.and) }
            : { (p: inout Parser) throws(MappingError) in try p.relation() }
        var items = [try operand(&self)]
        while take(op == .or ? .or : .and) != nil { items.append(try operand(&self)) }
        if items.count == 1 { return items[0] }
        return try node(.logical(op, items), from: first, to: lastEnd)
    }

    private func relationOperator(_ t: Token) -> BinaryOperator? {
        switch t.kind {
        case .punct(.eq): .equal
        case .punct(.ne): .notEqual
        case .punct(.lt): .less
        case .punct(.le): .lessOrEqual
        case .punct(.gt): .greater
        case .punct(.ge): .greaterOrEqual
        case .keyword(.in): .in
        default: nil
        }
    }

    private mutating func relation() throws(MappingError) -> Node {
        let first = peek
        let left = try coalesce()
        guard let op = relationOperator(peek) else {
            if isPunct(.assign, peek) { throw fail("\"=\" assigns; compare with \"==\"", at: peek) }
            return left
        }
        _ = advance()
        let right = try coalesce()
        if relationOperator(peek) != nil {
            throw fail("comparisons do not chain: join them with && (a < b && b < c)", at: peek)
        }
        return try node(.binary(op, left, right), from: first, to: lastEnd)
    }

    private mutating func coalesce() throws(MappingError) -> Node {
        let first = peek
        let left = try additive()
        guard take(.coalesce) != nil else { return left }
        try enter()
        defer { depth -= 1 }
        let right = try coalesce()
        return try node(.binary(.coalesce, left, right), from: first, to: lastEnd)
    }

    private mutating func additive() throws(MappingError) -> Node {
        let first = peek
        var left = try multiplicative()
        while true {
            let op: BinaryOperator
            if take(.plus) != nil { op = .add } else if take(.minus) != nil { op = .subtract } else { return left }
            let right = try multiplicative()
            left = try node(.binary(op, left, right), from: first, to: lastEnd)
        }
    }

    private mutating func multiplicative() throws(MappingError) -> Node {
        let first = peek
        var left = try unary()
        while true {
            let op: BinaryOperator
            if take(.star) != nil { op = .multiply } else if take(.slash) != nil { op = .divide } else if take(.percent) != nil { op = .remainder } else { return left }
            let right = try unary()
            left = try node(.binary(op, left, right), from: first, to: lastEnd)
        }
    }

    private mutating func unary() throws(MappingError) -> Node {
        let first = peek
        if take(.not) != nil {
            try enter()
            defer { depth -= 1 }
            return try node(.unary(.not, try unary()), from: first, to: lastEnd)
        }
        if take(.minus) != nil {
            // A negative number literal stays one exact literal.
            if case .number(let n) = peek.kind, !isPunct(.dot, peek(1)), !isPunct(.lbracket, peek(1)) {
                _ = advance()
                let negative = n.text == "0" ? n : ((try? JSONNumber(text: "-" + n.text)) ?? n)
                return try node(.literal(.number(negative)), from: first, to: lastEnd)
            }
            try enter()
            defer { depth -= 1 }
            return try node(.unary(.negate, try unary()), from: first, to: lastEnd)
        }
        return try postfix()
    }

    private mutating func postfix() throws(MappingError) -> Node {
        let first = peek
        var base = try primary()
        // The dotted name so far while it is only plain identifiers: what a call would call.
        var callable: String? = nil
        if case .identifier(let n) = first.kind { callable = n }
        while true {
            if take(.dot) != nil {
                switch peek.kind {
                case .identifier(let n):
                    _ = advance()
                    callable = callable.map { "\($0).\(n)" }
                    base = try node(.member(base, n), from: first, to: lastEnd)
                case .quotedIdentifier(let n):
                    _ = advance()
                    callable = nil
                    base = try node(.member(base, n), from: first, to: lastEnd)
                case .keyword(let k):
                    _ = advance()
                    callable = nil
                    base = try node(.member(base, k.rawValue), from: first, to: lastEnd)
                default:
                    throw fail("expected a field name after \".\", found \(peek.display)", at: peek)
                }
            } else if take(.lbracket) != nil {
                callable = nil
                let index = try expression()
                _ = try expect(.rbracket, "to close the index")
                base = try node(.index(base, index), from: first, to: lastEnd)
            } else if isPunct(.lparen, peek) {
                guard let name = callable else { throw fail("only functions can be called", at: peek) }
                _ = advance()
                let args = try sequence(closing: .rparen, what: "the arguments")
                base = try node(.call(name, args), from: first, to: lastEnd)
                callable = nil
            } else {
                return base
            }
        }
    }

    /// Comma-separated expressions up to `closing` (a trailing comma is allowed).
    private mutating func sequence(closing: Token.Punct, what: String) throws(MappingError) -> [Node] {
        var items: [Node] = []
        while take(closing) == nil {
            if !items.isEmpty {
                guard take(.comma) != nil else { throw fail("expected \",\" or \"\(closing.rawValue)\" in \(what), found \(peek.display)", at: peek) }
                if take(closing) != nil { break }
            }
            if case .end = peek.kind { throw fail("expected \"\(closing.rawValue)\" to close \(what)", at: peek) }
            items.append(try expression())
        }
        return items
    }

    private mutating func primary() throws(MappingError) -> Node {
        let t = peek
        switch t.kind {
        case .number(let n): _ = advance(); return try node(.literal(.number(n)), from: t, to: t.end)
        case .string(let s): _ = advance(); return try node(.literal(.string(s)), from: t, to: t.end)
        case .keyword(.true): _ = advance(); return try node(.literal(.bool(true)), from: t, to: t.end)
        case .keyword(.false): _ = advance(); return try node(.literal(.bool(false)), from: t, to: t.end)
        case .keyword(.null): _ = advance(); return try node(.literal(.null), from: t, to: t.end)
        case .identifier(let n), .quotedIdentifier(let n): _ = advance(); return try node(.name(n), from: t, to: t.end)
        case .punct(.dollar): _ = advance(); return try node(.root, from: t, to: t.end)
        case .punct(.lparen):
            _ = advance()
            let inner = try expression()
            _ = try expect(.rparen, "to close \"(\"")
            return inner
        case .punct(.lbracket):
            _ = advance()
            let items = try sequence(closing: .rbracket, what: "the list")
            return try node(.list(items), from: t, to: lastEnd)
        case .punct(.lbrace):
            _ = advance()
            var pairs: [(Node, Node)] = []
            while take(.rbrace) == nil {
                if !pairs.isEmpty {
                    guard take(.comma) != nil else { throw fail("expected \",\" or \"}\" in the map, found \(peek.display)", at: peek) }
                    if take(.rbrace) != nil { break }
                }
                if case .end = peek.kind { throw fail("expected \"}\" to close the map", at: peek) }
                let key = try expression()
                _ = try expect(.colon, "after the map key")
                pairs.append((key, try expression()))
            }
            return try node(.object(pairs), from: t, to: lastEnd)
        case .keyword(.in): throw fail("expected an expression, found \"in\"", at: t)
        case .newline: throw fail("expected an expression, found the end of the line (wrap long expressions in parentheses)", at: t)
        default: throw fail("expected an expression, found \(t.display)", at: t)
        }
    }
}
