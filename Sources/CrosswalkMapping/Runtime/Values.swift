import CrosswalkCore

/// The language's value semantics, shared by operators, functions and criteria, and equal to the
/// ABI filter's (`Filter.matches`) where the two overlap.
enum Values {
    /// `==`: JSON equality, numbers by value (`1 == 1.0`), no conversions (`1 != "1"`).
    @inline(__always)
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool { a == b }

    /// -1, 0, 1 for numbers (by value), strings (by UTF-8 bytes) and booleans (false < true);
    /// `nil` when the values do not order (then `<`…`>=` are false, as in the ABI filter).
    static func order(_ a: JSONValue, _ b: JSONValue) -> Int? {
        switch (a, b) {
        case (.number(let x), .number(let y)): return Arithmetic.compare(x, y)
        case (.string(let x), .string(let y)): return x == y ? 0 : (JSONWriter.utf8Less(x, y) ? -1 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        default: return nil
        }
    }

    /// A condition's value: booleans as they are, null as false, anything else a type error.
    @inline(__always)
    static func truth(_ v: JSONValue, _ what: @autoclosure () -> String) throws(Fault) -> Bool {
        switch v {
        case .bool(let b): return b
        case .null: return false
        default: throw Fault(.typeMismatch, "\(what()) must be a boolean, not \(describe(v))")
        }
    }

    /// A short description for messages: `the string "abc"`, `the number 12`, `a list of 3`.
    static func describe(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return "the boolean \(b)"
        case .number(let n): return "the number \(n.text.prefix(40))"
        case .string(let s): return "the string \(quote(s))"
        case .array(let a): return "a list of \(a.count)"
        case .object(let o): return "an object of \(o.count) fields"
        }
    }

    /// A value as a reason or message shows it: JSON text, cut at 60 characters.
    static func show(_ v: JSONValue) -> String {
        let t = v.text
        return t.count > 60 ? String(t.prefix(57)) + "…" : t
    }

    static func quote(_ s: String) -> String { show(.string(s)) }

    /// Object key for a value used as a map index: strings as they are, numbers by canonical text,
    /// booleans as `true`/`false`.
    static func key(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): s
        case .number(let n): n.text
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }

    /// `string(x)`: the text of a value (numbers canonical, lists and objects as JSON).
    static func text(_ v: JSONValue) -> String? {
        switch v {
        case .null: nil
        case .string(let s): s
        case .number(let n): n.text
        case .bool(let b): b ? "true" : "false"
        case .array, .object: v.text
        }
    }
}
