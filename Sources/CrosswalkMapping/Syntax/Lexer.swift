import CrosswalkCore

/// Splits mapping text into tokens, over its UTF-8 bytes.
///
/// Newlines are tokens (they end assignments) except inside `()`, `[]` and `{}`, or everywhere
/// when `newlinesAreSpace` (criteria). `#` starts a comment to the end of the line.
struct Lexer {
    private let bytes: [UInt8]
    private var i = 0
    private var line: Int
    private var lineStart = 0
    private var nesting = 0
    private let newlinesAreSpace: Bool
    private let sourceName: String

    init(_ text: String, firstLine: Int, newlinesAreSpace: Bool, sourceName: String) {
        bytes = Array(text.utf8)
        line = firstLine
        self.newlinesAreSpace = newlinesAreSpace
        self.sourceName = sourceName
    }

    /// The whole text as tokens, ending with `.end`.
    mutating func tokenize() throws(MappingError) -> [Token] {
        var tokens: [Token] = []
        while true {
            let t = try next()
            // Collapse runs of newlines; drop a newline right at the start.
            if case .newline = t.kind {
                if tokens.isEmpty { continue }
                if case .newline = tokens[tokens.count - 1].kind { continue }
            }
            tokens.append(t)
            if case .end = t.kind { return tokens }
        }
    }

    /// Where `column` last counted to (token starts only move forward, so this stays linear).
    private var columnOffset = 0
    private var columnValue = 1

    /// 1-based column of byte offset `at` on the current line, in Unicode scalars.
    private mutating func column(_ at: Int) -> Int {
        if at < columnOffset || columnOffset < lineStart {
            columnOffset = lineStart
            columnValue = 1
        }
        while columnOffset < at, columnOffset < bytes.count {
            if bytes[columnOffset] & 0xC0 != 0x80 { columnValue += 1 }
            columnOffset += 1
        }
        return columnValue
    }

    private mutating func location(_ at: Int) -> SourceLocation { SourceLocation(line: line, column: column(at)) }

    private mutating func fail(_ message: String, at: Int) -> MappingError {
        let l = location(at)
        return MappingError(.syntax, message, line: l.line, column: l.column, sourceName: sourceName)
    }

    private mutating func token(_ kind: Token.Kind, from start: Int) -> Token {
        Token(kind: kind, location: location(start), start: start, end: i)
    }

    private mutating func newLine(after k: Int) {
        line &+= 1
        lineStart = k + 1
    }

    private mutating func next() throws(MappingError) -> Token {
        // Skip spaces, comments and (where they do not count) newlines.
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x20 || b == 0x09 || b == 0x0D { i += 1; continue }
            if b == UInt8(ascii: "#") {
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
                continue
            }
            if b == 0x0A {
                if nesting > 0 || newlinesAreSpace {
                    newLine(after: i)
                    i += 1
                    continue
                }
                let start = i
                let t = Token(kind: .newline, location: location(start), start: start, end: start + 1)
                newLine(after: i)
                i += 1
                return t
            }
            break
        }
        guard i < bytes.count else { return Token(kind: .end, location: location(i), start: i, end: i) }
        let start = i
        let b = bytes[i]
        if Self.isIdentifierStart(b) {
            while i < bytes.count, Self.isIdentifierPart(bytes[i]) { i += 1 }
            let name = String(decoding: bytes[start..<i], as: UTF8.self)
            if let k = Token.Keyword(rawValue: name) { return token(.keyword(k), from: start) }
            return token(.identifier(name), from: start)
        }
        if b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") { return try number(from: start) }
        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { return try string(quote: b, from: start) }
        if b == UInt8(ascii: "`") { return try quotedIdentifier(from: start) }
        return try punctuation(from: start)
    }

    static func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "_")
    }

    static func isIdentifierPart(_ b: UInt8) -> Bool {
        isIdentifierStart(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }

    private func isDigit(_ k: Int) -> Bool { k < bytes.count && bytes[k] >= UInt8(ascii: "0") && bytes[k] <= UInt8(ascii: "9") }

    /// `digits [. digits] [(e|E) [+|-] digits]`, kept exact.
    private mutating func number(from start: Int) throws(MappingError) -> Token {
        while isDigit(i) { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "."), isDigit(i + 1) {
            i += 1
            while isDigit(i) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            var k = i + 1
            if k < bytes.count, bytes[k] == UInt8(ascii: "+") || bytes[k] == UInt8(ascii: "-") { k += 1 }
            guard isDigit(k) else { throw fail("a number's exponent needs digits", at: i) }
            i = k
            while isDigit(i) { i += 1 }
        }
        if i < bytes.count, Self.isIdentifierStart(bytes[i]) {
            throw fail("unexpected \"\(String(decoding: [bytes[i]], as: UTF8.self))\" after a number", at: i)
        }
        // Leading zeros are not JSON; read "007" as 7.
        var first = start
        while first + 1 < i, bytes[first] == UInt8(ascii: "0"), isDigit(first + 1) { first += 1 }
        let text = String(decoding: bytes[first..<i], as: UTF8.self)
        guard let n = try? JSONNumber(text: text) else { throw fail("\"\(text.prefix(40))\" is not a number", at: start) }
        return token(.number(n), from: start)
    }

    /// A string in `"…"` or `'…'` with JSON's escapes plus `\'` and `\u{…}`.
    private mutating func string(quote: UInt8, from start: Int) throws(MappingError) -> Token {
        i += 1
        var out: [UInt8] = []
        var segment = i
        while true {
            guard i < bytes.count, bytes[i] != 0x0A else { throw fail("unterminated string (a string ends on its line)", at: start) }
            let b = bytes[i]
            if b == quote {
                out.append(contentsOf: bytes[segment..<i])
                i += 1
                return token(.string(String(decoding: out, as: UTF8.self)), from: start)
            }
            if b == UInt8(ascii: "\\") {
                out.append(contentsOf: bytes[segment..<i])
                let escapeAt = i
                i += 1
                guard i < bytes.count else { throw fail("unterminated string", at: start) }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "'"): out.append(UInt8(ascii: "'"))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"): out.append(contentsOf: try unicodeEscape(at: escapeAt))
                default:
                    throw fail("unknown escape \"\\\(String(decoding: [e], as: UTF8.self))\" (known: \\\" \\' \\\\ \\/ \\n \\t \\r \\b \\f \\uXXXX \\u{X…})", at: escapeAt)
                }
                segment = i
                continue
            }
            i += 1
        }
    }

    /// After `\u`: `XXXX` (a UTF-16 unit; surrogate pairs as two escapes) or `{X…}` (a scalar).
    private mutating func unicodeEscape(at escapeAt: Int) throws(MappingError) -> [UInt8] {
        func hex(_ b: UInt8) -> UInt32? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
        func encode(_ v: UInt32) throws(MappingError) -> [UInt8] {
            guard let scalar = Unicode.Scalar(v) else { throw fail("\\u escape is not a Unicode scalar value", at: escapeAt) }
            return Array(String(Character(scalar)).utf8)
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "{") {
            i += 1
            var v: UInt32 = 0
            var count = 0
            while i < bytes.count, let h = hex(bytes[i]) {
                guard count < 6 else { throw fail("\\u{…} has more than 6 hex digits", at: escapeAt) }
                v = v << 4 | h
                count += 1
                i += 1
            }
            guard count > 0, i < bytes.count, bytes[i] == UInt8(ascii: "}") else { throw fail("\\u{…} needs 1 to 6 hex digits and \"}\"", at: escapeAt) }
            i += 1
            return try encode(v)
        }
        func four() throws(MappingError) -> UInt32 {
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard i < bytes.count, let h = hex(bytes[i]) else { throw fail("\\u needs 4 hex digits", at: escapeAt) }
                v = v << 4 | h
                i += 1
            }
            return v
        }
        let unit = try four()
        if unit >= 0xD800, unit < 0xDC00 {
            guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                throw fail("\\u escape of a lone surrogate", at: escapeAt)
            }
            i += 2
            let low = try four()
            guard low >= 0xDC00, low < 0xE000 else { throw fail("\\u escape of a lone surrogate", at: escapeAt) }
            return try encode(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
        }
        return try encode(unit)
    }

    /// `` `any text` `` with `` \` `` and `\\`.
    private mutating func quotedIdentifier(from start: Int) throws(MappingError) -> Token {
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < bytes.count, bytes[i] != 0x0A else { throw fail("unterminated `quoted name`", at: start) }
            let b = bytes[i]
            if b == UInt8(ascii: "`") {
                i += 1
                guard !out.isEmpty else { throw fail("empty `` name", at: start) }
                return token(.quotedIdentifier(String(decoding: out, as: UTF8.self)), from: start)
            }
            if b == UInt8(ascii: "\\"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "`") || bytes[i + 1] == UInt8(ascii: "\\") {
                out.append(bytes[i + 1])
                i += 2
                continue
            }
            out.append(b)
            i += 1
        }
    }

    private mutating func punctuation(from start: Int) throws(MappingError) -> Token {
        let b = bytes[i]
        let next: UInt8 = i + 1 < bytes.count ? bytes[i + 1] : 0
        func two(_ p: Token.Punct) -> Token { i += 2; return token(.punct(p), from: start) }
        func one(_ p: Token.Punct) -> Token { i += 1; return token(.punct(p), from: start) }
        switch b {
        case UInt8(ascii: "("): nesting += 1; return one(.lparen)
        case UInt8(ascii: "["): nesting += 1; return one(.lbracket)
        case UInt8(ascii: "{"): nesting += 1; return one(.lbrace)
        case UInt8(ascii: ")"): nesting = max(0, nesting - 1); return one(.rparen)
        case UInt8(ascii: "]"): nesting = max(0, nesting - 1); return one(.rbracket)
        case UInt8(ascii: "}"): nesting = max(0, nesting - 1); return one(.rbrace)
        case UInt8(ascii: ","): return one(.comma)
        case UInt8(ascii: ":"): return one(.colon)
        case UInt8(ascii: "."): return one(.dot)
        case UInt8(ascii: "$"): return one(.dollar)
        case UInt8(ascii: "+"): return one(.plus)
        case UInt8(ascii: "-"): return one(.minus)
        case UInt8(ascii: "*"): return one(.star)
        case UInt8(ascii: "/"): return one(.slash)
        case UInt8(ascii: "%"): return one(.percent)
        case UInt8(ascii: "?"): return next == UInt8(ascii: "?") ? two(.coalesce) : one(.question)
        case UInt8(ascii: "!"): return next == UInt8(ascii: "=") ? two(.ne) : one(.not)
        case UInt8(ascii: "="): return next == UInt8(ascii: "=") ? two(.eq) : one(.assign)
        case UInt8(ascii: "<"): return next == UInt8(ascii: "=") ? two(.le) : one(.lt)
        case UInt8(ascii: ">"): return next == UInt8(ascii: "=") ? two(.ge) : one(.gt)
        case UInt8(ascii: "&"):
            guard next == UInt8(ascii: "&") else { throw fail("\"&\" is not an operator (did you mean \"&&\"?)", at: start) }
            return two(.and)
        case UInt8(ascii: "|"):
            guard next == UInt8(ascii: "|") else { throw fail("\"|\" is not an operator (did you mean \"||\"?)", at: start) }
            return two(.or)
        default:
            // Show the whole character, not one byte of it.
            var end = i + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            let ch = String(decoding: bytes[i..<end], as: UTF8.self)
            throw fail("unexpected character \"\(ch)\"", at: start)
        }
    }
}
