/// A SOQL token.
enum SOQLToken: Equatable, Sendable {
    /// A field, object or keyword name; may contain dots (`Account.Name`) and a `:n` suffix (`LAST_N_DAYS:7`).
    case word(String)
    case string(String)
    case number(Double)
    /// `2024-05-01`
    case date(String)
    /// `2024-05-01T00:00:00Z` and other forms Salesforce accepts.
    case dateTime(String)
    /// `= != <> < > <= >= ( ) ,`
    case symbol(String)

    /// The word in upper case, for keyword checks.
    var keyword: String? { if case .word(let w) = self { w.uppercased() } else { nil } }

    var text: String {
        switch self {
        case .word(let w): w
        case .string(let s): "'\(s)'"
        case .number(let n): n == n.rounded() ? String(Int(n)) : String(n)
        case .date(let d), .dateTime(let d): d
        case .symbol(let s): s
        }
    }
}

/// Splits SOQL text into tokens, each with the character offset where it starts (for Salesforce's
/// `ERROR at Row:1:Column:8` messages).
enum SOQLLexer {
    static func tokens(_ text: String) throws(SalesforceError) -> (tokens: [SOQLToken], offsets: [Int]) {
        let chars = Array(text)
        var tokens: [SOQLToken] = []
        var offsets: [Int] = []
        var i = 0
        func malformed(_ message: String, at offset: Int) -> SalesforceError {
            SOQLErrors.malformed(message, in: text, at: offset)
        }
        func add(_ token: SOQLToken, _ at: Int) {
            tokens.append(token)
            offsets.append(at)
        }
        while i < chars.count {
            let c = chars[i]
            let start = i
            if c.isWhitespace {
                i += 1
            } else if c == "'" {
                var value = ""
                i += 1
                var closed = false
                while i < chars.count {
                    if chars[i] == "\\", i + 1 < chars.count {
                        let next = chars[i + 1]
                        switch next {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        case "r": value.append("\r")
                        case "%", "_": value.append("\\"); value.append(next)
                        default: value.append(next)
                        }
                        i += 2
                    } else if chars[i] == "'" {
                        closed = true
                        i += 1
                        break
                    } else {
                        value.append(chars[i])
                        i += 1
                    }
                }
                guard closed else { throw malformed("line 1:\(start) mismatched character '<EOF>' expecting '''", at: start) }
                add(.string(value), start)
            } else if c.isNumber || (c == "-" && i + 1 < chars.count && chars[i + 1].isNumber) {
                var j = i + 1
                while j < chars.count, chars[j].isNumber || ".-:+TZ".contains(chars[j]) { j += 1 }
                let word = String(chars[i..<j])
                if word.count == 10, SalesforceDates.parseDate(word) != nil {
                    add(.date(word), start)
                } else if word.count > 10, SalesforceDates.parseDateTime(word) != nil {
                    add(.dateTime(word), start)
                } else if let n = Double(word) {
                    add(.number(n), start)
                } else {
                    throw malformed("unexpected token: '\(word)'", at: start)
                }
                i = j
            } else if c.isLetter || c == "_" {
                var j = i + 1
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "." { j += 1 }
                if j < chars.count, chars[j] == ":", j + 1 < chars.count, chars[j + 1].isNumber {
                    j += 1
                    while j < chars.count, chars[j].isNumber { j += 1 }
                }
                add(.word(String(chars[i..<j])), start)
                i = j
            } else if "(),=".contains(c) {
                add(.symbol(String(c)), start)
                i += 1
            } else if c == "!" || c == "<" || c == ">" {
                let two = i + 1 < chars.count ? String([c, chars[i + 1]]) : String(c)
                if ["!=", "<=", ">=", "<>"].contains(two) {
                    add(.symbol(two == "<>" ? "!=" : two), start)
                    i += 2
                } else if c != "!" {
                    add(.symbol(String(c)), start)
                    i += 1
                } else {
                    throw malformed("unexpected token: '!'", at: start)
                }
            } else {
                throw malformed("unexpected token: '\(c)'", at: start)
            }
        }
        return (tokens, offsets)
    }
}

/// SOQL errors in Salesforce's style: the query line, a caret under the offending place, its row and
/// column, then the reason (`\nSELECT Id FROM Contact WHER Id = '1'\n                            ^\nERROR at Row:1:Column:29\nunexpected token: Id`).
enum SOQLErrors {
    static func malformed(_ message: String, in query: String, at offset: Int) -> SalesforceError {
        SalesforceError(status: 400, code: "MALFORMED_QUERY", message: located(message, in: query, at: offset))
    }

    static func invalidField(_ message: String, in query: String, at offset: Int) -> SalesforceError {
        SalesforceError(status: 400, code: "INVALID_FIELD", message: located(message, in: query, at: offset))
    }

    static func invalidType(_ message: String, in query: String, at offset: Int) -> SalesforceError {
        SalesforceError(status: 400, code: "INVALID_TYPE", message: located(message, in: query, at: offset))
    }

    /// `message` after the query line holding `offset` (a character offset), a caret line and the position.
    static func located(_ message: String, in query: String, at offset: Int) -> String {
        let chars = Array(query)
        let at = max(0, min(offset, chars.count))
        var lineStart = 0, row = 1
        for k in 0..<at where chars[k] == "\n" {
            row += 1
            lineStart = k + 1
        }
        var lineEnd = at
        while lineEnd < chars.count, chars[lineEnd] != "\n" { lineEnd += 1 }
        let line = String(chars[lineStart..<lineEnd])
        let column = at - lineStart + 1
        return "\n\(line)\n\(String(repeating: " ", count: column - 1))^\nERROR at Row:\(row):Column:\(column)\n\(message)"
    }
}
