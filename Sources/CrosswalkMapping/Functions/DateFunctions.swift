import CrosswalkCore

/// Date functions. Dates are strings `yyyy-MM-dd`; date-times are RFC 3339 strings in UTC
/// (`2026-11-30T14:05:00Z`, `.SSS` when there are milliseconds). Every date argument may be any
/// text ``DateParsing`` reads, or milliseconds since 1970 (a number).
enum DateFunctions {
    static let all: [Builtin] = [
        Builtin("date", [[.string, .number], .number, .number], required: 1, returns: .string, .variadic { args, _ throws(Fault) in
            if args.count == 3 {
                let t = CivilTime(year: try Arg.integer(args[0], "date", 1), month: try Arg.integer(args[1], "date", 2),
                                  day: try Arg.integer(args[2], "date", 3))
                guard t.isValid else { throw Fault(.invalidValue, "date: \(t.year)-\(t.month)-\(t.day) is not a date") }
                return .string(t.dateText)
            }
            guard args.count == 1 else { throw Fault(.invalidValue, "date takes 1 or 3 arguments") }
            return .string(CivilTime(millis: try instant(args[0], "date").millis).dateText)
        }),
        Builtin("datetime", [[.string, .number]], returns: .string, .unary { v, _ throws(Fault) in
            .string(CivilTime(millis: try instant(v, "datetime").millis).dateTimeText)
        }),
        Builtin("to_millis", [[.string, .number]], returns: .number, .unary { v, _ throws(Fault) in
            .number(JSONNumber(try instant(v, "to_millis").millis))
        }),
        Builtin("from_millis", [.number], returns: .string, .unary { v, _ throws(Fault) in
            .string(CivilTime(millis: try millis(v, "from_millis")).dateTimeText)
        }),
        Builtin("add_days", [[.string, .number], .number], returns: .string, .binary { v, n, _ throws(Fault) in
            let p = try instant(v, "add_days")
            let days = try Arg.integer(n, "add_days", 2)
            guard abs(days) <= 3_700_000 else { throw Fault(.invalidValue, "add_days: \(days) days is out of range") }
            let m = p.millis + Int64(days) * CivilTime.millisPerDay
            guard m >= CivilTime.minMillis, m <= CivilTime.maxMillis else { throw Fault(.invalidValue, "add_days: the result is out of range") }
            let t = CivilTime(millis: m)
            return .string(p.dateOnly ? t.dateText : t.dateTimeText)
        }),
        Builtin("days_between", [[.string, .number], [.string, .number]], returns: .number, .binary { a, b, _ throws(Fault) in
            let x = try instant(a, "days_between").millis, y = try instant(b, "days_between").millis
            let dx = floorDiv(x, CivilTime.millisPerDay), dy = floorDiv(y, CivilTime.millisPerDay)
            return .number(JSONNumber(dy - dx))
        }),
        Builtin("year", [[.string, .number]], returns: .number, .unary { v, _ throws(Fault) in
            .number(JSONNumber(CivilTime(millis: try instant(v, "year").millis).year))
        }),
        Builtin("month", [[.string, .number]], returns: .number, .unary { v, _ throws(Fault) in
            .number(JSONNumber(CivilTime(millis: try instant(v, "month").millis).month))
        }),
        Builtin("day", [[.string, .number]], returns: .number, .unary { v, _ throws(Fault) in
            .number(JSONNumber(CivilTime(millis: try instant(v, "day").millis).day))
        }),
        Builtin("format_date", [[.string, .number], .string], returns: .string, .binary { v, p, _ throws(Fault) in
            let t = CivilTime(millis: try instant(v, "format_date").millis)
            return .string(try DatePattern(try Arg.string(p, "format_date", 2)).format(t))
        }),
        Builtin("parse_date", [.string, .string], returns: .string, .binary { v, p, _ throws(Fault) in
            let text = try Arg.string(v, "parse_date", 1)
            let pattern = try DatePattern(try Arg.string(p, "parse_date", 2))
            guard let t = pattern.parse(text) else {
                throw Fault(.invalidValue, "parse_date: \(Values.quote(text)) does not match \(Values.quote(pattern.source))")
            }
            return .string(pattern.hasTime ? t.dateTimeText : t.dateText)
        }),
    ]

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func millis(_ v: JSONValue, _ fn: String) throws(Fault) -> Int64 {
        let n = try Arg.number(v, fn, 1)
        let whole = try Arithmetic.round(n, places: 0, mode: .floor)
        guard let m = whole.int64Value, m >= CivilTime.minMillis, m <= CivilTime.maxMillis else {
            throw Fault(.invalidValue, "\(fn): \(n.text.prefix(40)) ms is outside the years 1 to 9999")
        }
        return m
    }

    /// A date argument as an instant.
    static func instant(_ v: JSONValue, _ fn: String) throws(Fault) -> DateParsing.Parsed {
        switch v {
        case .number: return DateParsing.Parsed(millis: try millis(v, fn), dateOnly: false)
        case .string(let s):
            guard let p = DateParsing.parse(s) else {
                throw Fault(.invalidValue, "\(fn): \(Values.quote(s)) is not a date (expected yyyy-MM-dd, RFC 3339 or MM/dd/yyyy)")
            }
            return p
        default: throw Arg.wrong(v, fn, 1, "a date string or milliseconds")
        }
    }
}

/// A `format_date`/`parse_date` pattern: `yyyy yy MM M MMM MMMM dd d HH H hh h mm m ss s SSS a
/// EEE EEEE`, text in `'single quotes'` (`''` for a quote); other letters are refused, other
/// characters are literal.
struct DatePattern {
    enum Part: Equatable { case literal(String), field(Character, Int) }
    let parts: [Part]
    let source: String

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let weekdays = ["Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"] // 1970-01-01 was a Thursday
    static let known: [Character: ClosedRange<Int>] = ["y": 2...4, "M": 1...4, "d": 1...2, "H": 1...2, "h": 1...2, "m": 1...2, "s": 1...2,
                                                       "S": 1...3, "a": 1...1, "E": 3...4]

    init(_ pattern: String) throws(Fault) {
        source = pattern
        guard pattern.count <= 200 else { throw Fault(.invalidValue, "date pattern is longer than 200 characters") }
        var parts: [Part] = []
        let chars = Array(pattern)
        var i = 0
        var literal = ""
        func flush() { if !literal.isEmpty { parts.append(.literal(literal)); literal = "" } }
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                if i + 1 < chars.count, chars[i + 1] == "'" { literal.append("'"); i += 2; continue }
                var j = i + 1
                while j < chars.count {
                    if chars[j] == "'" {
                        if j + 1 < chars.count, chars[j + 1] == "'" { literal.append("'"); j += 2; continue }
                        break
                    }
                    literal.append(chars[j])
                    j += 1
                }
                guard j < chars.count else { throw Fault(.invalidValue, "date pattern \(Values.quote(pattern)) has an unclosed quote") }
                i = j + 1
                continue
            }
            if c.isASCII, c.isLetter {
                var n = 1
                while i + n < chars.count, chars[i + n] == c { n += 1 }
                guard let range = Self.known[c] else {
                    throw Fault(.invalidValue, "date pattern \(Values.quote(pattern)): unknown letter \"\(c)\" (quote text with '…')")
                }
                guard range.contains(n), !(c == "y" && n == 3) else {
                    throw Fault(.invalidValue, "date pattern \(Values.quote(pattern)): \"\(String(repeating: c, count: n))\" is not a field")
                }
                flush()
                parts.append(.field(c, n))
                i += n
                continue
            }
            literal.append(c)
            i += 1
        }
        flush()
        self.parts = parts
    }

    var hasTime: Bool { parts.contains { if case .field(let c, _) = $0 { return "HhmsSa".contains(c) } else { return false } } }

    func format(_ t: CivilTime) throws(Fault) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .field(let c, let n):
                switch c {
                case "y": out += n == 2 ? CivilTime.two(t.year % 100) : CivilTime.four(t.year)
                case "M":
                    switch n {
                    case 1: out += String(t.month)
                    case 2: out += CivilTime.two(t.month)
                    case 3: out += String(Self.months[t.month - 1].prefix(3))
                    default: out += Self.months[t.month - 1]
                    }
                case "d": out += n == 2 ? CivilTime.two(t.day) : String(t.day)
                case "H": out += n == 2 ? CivilTime.two(t.hour) : String(t.hour)
                case "h":
                    let h = t.hour % 12 == 0 ? 12 : t.hour % 12
                    out += n == 2 ? CivilTime.two(h) : String(h)
                case "m": out += n == 2 ? CivilTime.two(t.minute) : String(t.minute)
                case "s": out += n == 2 ? CivilTime.two(t.second) : String(t.second)
                case "S": out += String(String(t.millisecond + 1000).dropFirst().prefix(n))
                case "a": out += t.hour < 12 ? "AM" : "PM"
                default: // E
                    let days = CivilTime.days(year: t.year, month: t.month, day: t.day)
                    let index = Int(((days % 7) + 7) % 7)
                    out += n == 3 ? String(Self.weekdays[index].prefix(3)) : Self.weekdays[index]
                }
            }
        }
        return out
    }

    /// The UTC fields `text` gives, or `nil` when it does not match.
    func parse(_ text: String) -> CivilTime? {
        let chars = Array(text)
        guard chars.count <= 200 else { return nil }
        var i = 0
        var t = CivilTime(year: 1970, month: 1, day: 1)
        var pm: Bool? = nil
        func number(_ minCount: Int, _ maxCount: Int) -> Int? {
            var v = 0, n = 0
            while n < maxCount, i < chars.count, let d = chars[i].wholeNumberValue, chars[i].isASCII {
                v = v * 10 + d
                n += 1
                i += 1
            }
            return n >= minCount ? v : nil
        }
        func word(_ names: [String], _ length: Int?) -> Int? {
            for (k, name) in names.enumerated() {
                let w = length.map { String(name.prefix($0)) } ?? name
                let end = i + w.count
                if end <= chars.count, String(chars[i..<end]).lowercased() == w.lowercased() { i = end; return k }
            }
            return nil
        }
        for part in parts {
            switch part {
            case .literal(let s):
                for c in s {
                    guard i < chars.count, chars[i] == c else { return nil }
                    i += 1
                }
            case .field(let c, let n):
                switch c {
                case "y":
                    guard let v = n == 2 ? number(2, 2) : number(4, 4) else { return nil }
                    t.year = n == 2 ? 2000 + v : v
                case "M":
                    if n >= 3 {
                        guard let k = word(Self.months, n == 3 ? 3 : nil) else { return nil }
                        t.month = k + 1
                    } else {
                        guard let v = number(n, 2) else { return nil }
                        t.month = v
                    }
                case "d": guard let v = number(n, 2) else { return nil }; t.day = v
                case "H", "h": guard let v = number(n, 2) else { return nil }; t.hour = v
                case "m": guard let v = number(n, 2) else { return nil }; t.minute = v
                case "s": guard let v = number(n, 2) else { return nil }; t.second = v
                case "S":
                    guard let v = number(1, n) else { return nil }
                    t.millisecond = n == 1 ? v * 100 : (n == 2 ? v * 10 : v)
                case "a":
                    guard let k = word(["AM", "PM"], nil) else { return nil }
                    pm = k == 1
                default: // E: a weekday name, not checked against the date
                    guard word(Self.weekdays, n == 3 ? 3 : nil) != nil else { return nil }
                }
            }
        }
        guard i == chars.count else { return nil }
        if let pm {
            guard (1...12).contains(t.hour) else { return nil }
            t.hour = t.hour % 12 + (pm ? 12 : 0)
        }
        return t.isValid ? t : nil
    }
}
