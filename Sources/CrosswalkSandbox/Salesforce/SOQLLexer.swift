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

/// Splits SOQL text into tokens.
enum SOQLLexer {
    static func tokens(_ text: String) throws(SalesforceError) -> [SOQLToken] {
        let chars = Array(text)
        var tokens: [SOQLToken] = []
        var i = 0
        func malformed(_ message: String) -> SalesforceError {
            SalesforceError(status: 400, code: "MALFORMED_QUERY", message: message)
        }
        while i < chars.count {
            let c = chars[i]
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
                guard closed else { throw malformed("unterminated string literal in the query") }
                tokens.append(.string(value))
            } else if c.isNumber || (c == "-" && i + 1 < chars.count && chars[i + 1].isNumber) {
                var j = i + 1
                while j < chars.count, chars[j].isNumber || ".-:+TZ".contains(chars[j]) { j += 1 }
                let word = String(chars[i..<j])
                if word.count == 10, SalesforceDates.parseDate(word) != nil {
                    tokens.append(.date(word))
                } else if word.count > 10, SalesforceDates.parseDateTime(word) != nil {
                    tokens.append(.dateTime(word))
                } else if let n = Double(word) {
                    tokens.append(.number(n))
                } else {
                    throw malformed("unexpected token: '\(word)'")
                }
                i = j
            } else if c.isLetter || c == "_" {
                var j = i + 1
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "." { j += 1 }
                if j < chars.count, chars[j] == ":", j + 1 < chars.count, chars[j + 1].isNumber {
                    j += 1
                    while j < chars.count, chars[j].isNumber { j += 1 }
                }
                tokens.append(.word(String(chars[i..<j])))
                i = j
            } else if "(),=".contains(c) {
                tokens.append(.symbol(String(c)))
                i += 1
            } else if c == "!" || c == "<" || c == ">" {
                let two = i + 1 < chars.count ? String([c, chars[i + 1]]) : String(c)
                if ["!=", "<=", ">=", "<>"].contains(two) {
                    tokens.append(.symbol(two == "<>" ? "!=" : two))
                    i += 2
                } else if c != "!" {
                    tokens.append(.symbol(String(c)))
                    i += 1
                } else {
                    throw malformed("unexpected token: '!'")
                }
            } else {
                throw malformed("unexpected token: '\(c)'")
            }
        }
        return tokens
    }
}
