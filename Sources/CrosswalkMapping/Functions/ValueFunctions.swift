import CrosswalkCore

/// Number, list and null functions.
enum ValueFunctions {
    static let all: [Builtin] = [
        // Numbers.
        Builtin("round", [.number, .number], required: 1, returns: .number, .variadic { args, _ throws(Fault) in
            let places = args.count > 1 ? try Arg.integer(args[1], "round", 2) : 0
            guard abs(places) <= 1000 else { throw Fault(.invalidValue, "round: places must be within ±1000") }
            return .number(try Arithmetic.round(try Arg.number(args[0], "round", 1), places: places, mode: .halfAwayFromZero))
        }),
        Builtin("floor", [.number], returns: .number, .unary { v, _ throws(Fault) in
            .number(try Arithmetic.round(try Arg.number(v, "floor", 1), places: 0, mode: .floor))
        }),
        Builtin("ceil", [.number], returns: .number, .unary { v, _ throws(Fault) in
            .number(try Arithmetic.round(try Arg.number(v, "ceil", 1), places: 0, mode: .ceiling))
        }),
        Builtin("int", [[.number, .string]], returns: .number, .unary { v, _ throws(Fault) in
            .number(try Arithmetic.round(try toNumber(v, "int"), places: 0, mode: .towardZero))
        }),
        Builtin("abs", [.number], returns: .number, .unary { v, _ throws(Fault) in
            let n = try Arg.number(v, "abs", 1)
            return .number(n.text.hasPrefix("-") ? Arithmetic.negate(n) : n)
        }),
        Builtin("number", [[.number, .string]], returns: .number, .unary { v, _ throws(Fault) in .number(try toNumber(v, "number")) }),
        Builtin("bool", [[.bool, .string, .number]], returns: .bool, .unary { v, _ throws(Fault) in try toBool(v) }),
        Builtin("min", [[.number, .string, .list]], variadic: true, nullPropagating: false, result: { $0.count == 1 ? .dyn : ($0.first ?? .dyn) },
                .variadic { args, _ throws(Fault) in try extreme(args, "min", -1) }),
        Builtin("max", [[.number, .string, .list]], variadic: true, nullPropagating: false, result: { $0.count == 1 ? .dyn : ($0.first ?? .dyn) },
                .variadic { args, _ throws(Fault) in try extreme(args, "max", 1) }),
        Builtin("sum", [.list], returns: .number, .unary { v, limits throws(Fault) in
            var total = JSONNumber(0)
            for item in try Arg.list(v, "sum", 1) {
                if case .null = item { continue }
                total = try Arithmetic.add(total, try Arg.number(item, "sum", 1), limits)
            }
            return .number(total)
        }),
        // Lists, strings and objects.
        Builtin("size", [[.string, .list, .object]], returns: .number, .unary { v, _ throws(Fault) in try size(v, "size") }),
        Builtin("len", [[.string, .list, .object]], returns: .number, .unary { v, _ throws(Fault) in try size(v, "len") }),
        Builtin("first", [.list], returns: .dyn, .unary { v, _ throws(Fault) in try Arg.list(v, "first", 1).first ?? .null }),
        Builtin("last", [.list], returns: .dyn, .unary { v, _ throws(Fault) in try Arg.list(v, "last", 1).last ?? .null }),
        // Null.
        Builtin("default", [.any, .any], nullPropagating: false, result: { $0[0].join($0[1]) },
                .binary { a, b, _ throws(Fault) in a.isNull ? b : a }),
        Builtin("empty", [.any], nullPropagating: false, returns: .bool, .unary { v, _ throws(Fault) in .bool(isEmpty(v)) }),
    ]

    /// null, `""`, `[]` and `{}` are empty; strings of only spaces are not.
    static func isEmpty(_ v: JSONValue) -> Bool {
        switch v {
        case .null: true
        case .string(let s): s.isEmpty
        case .array(let a): a.isEmpty
        case .object(let o): o.isEmpty
        case .bool, .number: false
        }
    }

    static func size(_ v: JSONValue, _ fn: String) throws(Fault) -> JSONValue {
        switch v {
        case .string(let s): .number(JSONNumber(s.count))
        case .array(let a): .number(JSONNumber(a.count))
        case .object(let o): .number(JSONNumber(o.count))
        default: throw Arg.wrong(v, fn, 1, "a string, a list or an object")
        }
    }

    /// `number(x)`: numbers as they are; strings holding a decimal number (spaces around, a `+`
    /// sign and leading zeros allowed).
    static func toNumber(_ v: JSONValue, _ fn: String) throws(Fault) -> JSONNumber {
        switch v {
        case .number(let n): return n
        case .string(let s):
            if let n = parseNumber(s) { return n }
            throw Fault(.invalidValue, "\(fn): \(Values.quote(s)) is not a number")
        default: throw Arg.wrong(v, fn, 1, "a number or a string")
        }
    }

    static func parseNumber(_ s: String) -> JSONNumber? {
        var t = Substring(StringFunctions.trim(s))
        guard !t.isEmpty, t.utf8.count <= 1000 else { return nil }
        var negative = false
        if t.first == "+" || t.first == "-" {
            negative = t.first == "-"
            t = t.dropFirst()
        }
        if t.first == "." { t = "0" + t }
        // Leading zeros.
        while t.count > 1, t.first == "0", let second = t.dropFirst().first, second.isASCII, second.isNumber { t = t.dropFirst() }
        return try? JSONNumber(text: (negative ? "-" : "") + t)
    }

    static func toBool(_ v: JSONValue) throws(Fault) -> JSONValue {
        switch v {
        case .bool: return v
        case .number(let n):
            if n.text == "0" { return .bool(false) }
            if n.text == "1" { return .bool(true) }
        case .string(let s):
            switch StringFunctions.trim(s).lowercased() {
            case "true", "1", "yes", "t", "y": return .bool(true)
            case "false", "0", "no", "f", "n": return .bool(false)
            default: break
            }
        default: break
        }
        throw Fault(.invalidValue, "bool: \(Values.describe(v)) is not true or false")
    }

    /// `min`/`max` of the arguments, or of one list argument; nulls skipped, mixed types refused.
    static func extreme(_ args: [JSONValue], _ fn: String, _ sign: Int) throws(Fault) -> JSONValue {
        let items: [JSONValue]
        if args.count == 1, case .array(let a) = args[0] { items = a } else { items = args }
        var best: JSONValue = .null
        for item in items {
            if case .null = item { continue }
            if case .null = best { best = item; continue }
            guard let o = Values.order(item, best) else {
                throw Fault(.typeMismatch, "\(fn): cannot compare \(Values.describe(item)) with \(Values.describe(best))")
            }
            if o == sign { best = item }
        }
        return best
    }
}
