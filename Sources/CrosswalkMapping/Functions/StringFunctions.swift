import CrosswalkCore

/// String functions. Positions and lengths count characters (grapheme clusters), so `"é"` is one.
enum StringFunctions {
    static let all: [Builtin] = [
        Builtin("lower", [.string], returns: .string, .unary { v, _ throws(Fault) in .string(try Arg.string(v, "lower", 1).lowercased()) }),
        Builtin("upper", [.string], returns: .string, .unary { v, _ throws(Fault) in .string(try Arg.string(v, "upper", 1).uppercased()) }),
        Builtin("trim", [.string], returns: .string, .unary { v, _ throws(Fault) in .string(trim(try Arg.string(v, "trim", 1))) }),
        Builtin("left", [.string, .number], returns: .string, .binary { s, n, _ throws(Fault) in
            let text = try Arg.string(s, "left", 1)
            return .string(String(text.prefix(max(0, try Arg.integer(n, "left", 2)))))
        }),
        Builtin("right", [.string, .number], returns: .string, .binary { s, n, _ throws(Fault) in
            let text = try Arg.string(s, "right", 1)
            return .string(String(text.suffix(max(0, try Arg.integer(n, "right", 2)))))
        }),
        Builtin("substring", [.string, .number, .number], required: 2, returns: .string, .variadic { args, _ throws(Fault) in
            let text = try Arg.string(args[0], "substring", 1)
            let start = max(0, try Arg.integer(args[1], "substring", 2))
            let rest = text.dropFirst(start)
            if args.count > 2 { return .string(String(rest.prefix(max(0, try Arg.integer(args[2], "substring", 3))))) }
            return .string(String(rest))
        }),
        Builtin("replace", [.string, .string, .string], returns: .string, .ternary { s, a, b, limits throws(Fault) in
            try replace(try Arg.string(s, "replace", 1), try Arg.string(a, "replace", 2), try Arg.string(b, "replace", 3), limits)
        }),
        Builtin("split", [.string, .string], returns: .list, .binary { s, sep, limits throws(Fault) in
            try split(try Arg.string(s, "split", 1), try Arg.string(sep, "split", 2), limits)
        }),
        Builtin("join", [.list, .string], required: 1, returns: .string, .variadic { args, limits throws(Fault) in
            let items = try Arg.list(args[0], "join", 1)
            let sep = args.count > 1 ? try Arg.string(args[1], "join", 2) : ""
            var out = ""
            var first = true
            for item in items {
                guard let t = Values.text(item) else { continue } // nulls are skipped
                if !first { out += sep }
                first = false
                out += t
                if out.utf8.count > limits.maxStringBytes { throw Fault(.limitExceeded, "join: the result is longer than \(limits.maxStringBytes) bytes") }
            }
            return .string(out)
        }),
        Builtin("contains", [[.string, .list], .any], returns: .bool, .binary { a, b, _ throws(Fault) in
            switch a {
            case .string(let s): return .bool(s.contains(try Arg.string(b, "contains", 2)))
            case .array(let items): return .bool(items.contains(b))
            default: throw Arg.wrong(a, "contains", 1, "a string or a list")
            }
        }),
        Builtin("starts_with", [.string, .string], returns: .bool, .binary { s, p, _ throws(Fault) in
            .bool(try Arg.string(s, "starts_with", 1).hasPrefix(try Arg.string(p, "starts_with", 2)))
        }),
        Builtin("ends_with", [.string, .string], returns: .bool, .binary { s, p, _ throws(Fault) in
            .bool(try Arg.string(s, "ends_with", 1).hasSuffix(try Arg.string(p, "ends_with", 2)))
        }),
        Builtin("pad_left", [.string, .number, .string], required: 2, returns: .string, .variadic { args, limits throws(Fault) in
            try pad(args, left: true, limits)
        }),
        Builtin("pad_right", [.string, .number, .string], required: 2, returns: .string, .variadic { args, limits throws(Fault) in
            try pad(args, left: false, limits)
        }),
        Builtin("string", [.any], returns: .string, .unary { v, limits throws(Fault) in
            guard let t = Values.text(v) else { return .null }
            return try Arg.bounded(t, limits, "string")
        }),
    ]

    static func trim(_ s: String) -> String {
        guard let first = s.firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = s.lastIndex(where: { !$0.isWhitespace }) ?? first
        return String(s[first...last])
    }

    static func replace(_ s: String, _ old: String, _ new: String, _ limits: MappingLimits) throws(Fault) -> JSONValue {
        guard !old.isEmpty else { throw Fault(.invalidValue, "replace: the text to replace is empty") }
        let parts = s.split(separator: old, omittingEmptySubsequences: false)
        let size = parts.reduce(0) { $0 + $1.utf8.count } + (parts.count - 1) * new.utf8.count
        if size > limits.maxStringBytes { throw Fault(.limitExceeded, "replace: the result is longer than \(limits.maxStringBytes) bytes") }
        return .string(parts.joined(separator: new))
    }

    static func split(_ s: String, _ sep: String, _ limits: MappingLimits) throws(Fault) -> JSONValue {
        if s.isEmpty { return .array([]) }
        var out: [JSONValue] = []
        if sep.isEmpty {
            for c in s {
                out.append(.string(String(c)))
                if out.count > limits.maxListCount { throw Fault(.limitExceeded, "split: more than \(limits.maxListCount) parts") }
            }
            return .array(out)
        }
        for part in s.split(separator: sep, omittingEmptySubsequences: false) {
            out.append(.string(String(part)))
            if out.count > limits.maxListCount { throw Fault(.limitExceeded, "split: more than \(limits.maxListCount) parts") }
        }
        return .array(out)
    }

    static func pad(_ args: [JSONValue], left: Bool, _ limits: MappingLimits) throws(Fault) -> JSONValue {
        let name = left ? "pad_left" : "pad_right"
        let s = try Arg.string(args[0], name, 1)
        let width = try Arg.integer(args[1], name, 2)
        let padding = args.count > 2 ? try Arg.string(args[2], name, 3) : " "
        guard !padding.isEmpty else { throw Fault(.invalidValue, "\(name): the padding is empty") }
        let count = s.count
        guard width > count else { return .string(s) }
        let missing = width - count
        if missing > limits.maxStringBytes || missing * padding.utf8.count + s.utf8.count > limits.maxStringBytes {
            throw Fault(.limitExceeded, "\(name): the result is longer than \(limits.maxStringBytes) bytes")
        }
        let fill = String(String(repeating: padding, count: (missing + padding.count - 1) / padding.count).prefix(missing))
        return .string(left ? fill + s : s + fill)
    }
}
