import CrosswalkCore

/// One token of the mapping language.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        /// A back-quoted field name: `` `Billing City` ``.
        case quotedIdentifier(String)
        case string(String)
        case number(JSONNumber)
        case keyword(Keyword)
        case punct(Punct)
        case newline
        case end
    }

    enum Keyword: String, Sendable {
        case `true`, `false`, null, `in`
    }

    enum Punct: String, Sendable {
        case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
        case comma = ",", colon = ":", dot = ".", question = "?", coalesce = "??", dollar = "$"
        case plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
        case not = "!", eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
        case and = "&&", or = "||", assign = "="
    }

    var kind: Kind
    var location: SourceLocation
    /// Byte offsets of the token in the source (for quoting expressions in reasons).
    var start: Int
    var end: Int

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case .identifier(let n): return "\"\(n)\""
        case .quotedIdentifier(let n): return "`\(n)`"
        case .string: return "a string"
        case .number(let n): return "number \(n.text)"
        case .keyword(let k): return "\"\(k.rawValue)\""
        case .punct(let p): return "\"\(p.rawValue)\""
        case .newline: return "end of line"
        case .end: return "end of text"
        }
    }
}
