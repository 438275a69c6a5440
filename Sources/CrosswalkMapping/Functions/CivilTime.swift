/// Calendar arithmetic on the proleptic Gregorian calendar in UTC, in integers (no Foundation
/// calendars, no locale, no time zone database): years 1 to 9999.
struct CivilTime: Sendable, Equatable {
    var year: Int, month: Int, day: Int
    var hour = 0, minute = 0, second = 0, millisecond = 0

    static let millisPerDay: Int64 = 86_400_000
    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in milliseconds since 1970.
    static let minMillis: Int64 = -62_135_596_800_000
    static let maxMillis: Int64 = 253_402_300_799_999

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 1, 3, 5, 7, 8, 10, 12: 31
        case 4, 6, 9, 11: 30
        case 2: isLeap(y) ? 29 : 28
        default: 0
        }
    }

    /// Whether the fields name a real instant.
    var isValid: Bool {
        (1...9999).contains(year) && (1...12).contains(month) && day >= 1 && day <= Self.daysIn(month: month, year: year)
            && (0...23).contains(hour) && (0...59).contains(minute) && (0...59).contains(second) && (0...999).contains(millisecond)
    }

    /// Days since 1970-01-01 (H. Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    var millis: Int64 {
        Self.days(year: year, month: month, day: day) * Self.millisPerDay
            + Int64(hour) * 3_600_000 + Int64(minute) * 60_000 + Int64(second) * 1000 + Int64(millisecond)
    }

    /// The UTC fields of an instant in range (``minMillis``…``maxMillis``).
    init(millis: Int64) {
        let t = min(max(millis, Self.minMillis), Self.maxMillis)
        var days = t / Self.millisPerDay
        var rest = t % Self.millisPerDay
        if rest < 0 { rest += Self.millisPerDay; days -= 1 }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = Int(yoe + era * 400 + (m <= 2 ? 1 : 0))
        month = Int(m)
        day = Int(d)
        hour = Int(rest / 3_600_000)
        minute = Int(rest / 60_000 % 60)
        second = Int(rest / 1000 % 60)
        millisecond = Int(rest % 1000)
    }

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
    }

    static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
    static func four(_ v: Int) -> String { String(repeating: "0", count: max(0, 4 - String(v).count)) + String(v) }

    /// `yyyy-MM-dd`.
    var dateText: String { "\(Self.four(year))-\(Self.two(month))-\(Self.two(day))" }

    /// `yyyy-MM-ddTHH:mm:ssZ`, with `.SSS` when the milliseconds are not zero.
    var dateTimeText: String {
        var s = "\(dateText)T\(Self.two(hour)):\(Self.two(minute)):\(Self.two(second))"
        if millisecond != 0 { s += "." + String(String(millisecond + 1000).dropFirst()) }
        return s + "Z"
    }
}

/// Reads the date and time texts apps send.
enum DateParsing {
    /// An instant and whether the text was a date without a time.
    struct Parsed { var millis: Int64; var dateOnly: Bool }

    /// RFC 3339 (`2026-11-30`, `2026-11-30T14:05:00Z`, `…T14:05:00.000+0000` as Salesforce writes,
    /// `…+02:00`, a space for `T`, no offset = UTC) and NetSuite's `11/30/2026` and
    /// `11/30/2026 2:05 pm`.
    static func parse(_ text: String) -> Parsed? {
        let b = Array(text.utf8)
        guard b.count <= 64 else { return nil }
        var s = Scanner(bytes: b)
        s.skipSpaces()
        if let p = rfc3339(&s) { return p }
        s = Scanner(bytes: b)
        s.skipSpaces()
        return netsuite(&s)
    }

    struct Scanner {
        let bytes: [UInt8]
        var i = 0
        var atEnd: Bool { i >= bytes.count }
        var peek: UInt8 { i < bytes.count ? bytes[i] : 0 }
        mutating func skipSpaces() { while i < bytes.count, bytes[i] == 0x20 { i += 1 } }
        mutating func take(_ c: Character) -> Bool {
            guard let a = c.asciiValue, peek == a else { return false }
            i += 1
            return true
        }
        /// Between `min` and `max` digits.
        mutating func digits(_ min: Int, _ max: Int) -> (value: Int, count: Int)? {
            var v = 0, n = 0
            while n < max, i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                v = v * 10 + Int(bytes[i] - 48)
                n += 1
                i += 1
            }
            return n >= min ? (v, n) : nil
        }
    }

    private static func rfc3339(_ s: inout Scanner) -> Parsed? {
        guard let y = s.digits(4, 4), s.take("-"), let m = s.digits(2, 2), s.take("-"), let d = s.digits(2, 2) else { return nil }
        var t = CivilTime(year: y.value, month: m.value, day: d.value)
        s.skipSpaces()
        if s.atEnd { return t.isValid ? Parsed(millis: t.millis, dateOnly: true) : nil }
        guard s.take("T") || s.take("t") || s.take(" ") || (s.i > 0 && s.bytes[s.i - 1] == 0x20) else { return nil }
        guard let hh = s.digits(2, 2), s.take(":"), let mm = s.digits(2, 2) else { return nil }
        t.hour = hh.value
        t.minute = mm.value
        if s.take(":") {
            guard let ss = s.digits(2, 2) else { return nil }
            t.second = min(ss.value, 59) // a leap second reads as :59
            if s.take(".") || s.take(",") {
                guard let f = s.digits(1, 9) else { return nil }
                var ms = f.value
                var n = f.count
                while n > 3 { ms /= 10; n -= 1 }
                while n < 3 { ms *= 10; n += 1 }
                t.millisecond = ms
            }
        }
        var offsetMinutes = 0
        s.skipSpaces()
        if s.take("Z") || s.take("z") {
        } else if s.peek == UInt8(ascii: "+") || s.peek == UInt8(ascii: "-") {
            let negative = s.peek == UInt8(ascii: "-")
            s.i += 1
            guard let oh = s.digits(2, 2), oh.value <= 23 else { return nil }
            var om = 0
            if s.take(":") {
                guard let v = s.digits(2, 2) else { return nil }
                om = v.value
            } else if let v = s.digits(2, 2) {
                om = v.value
            }
            guard om <= 59 else { return nil }
            offsetMinutes = (oh.value * 60 + om) * (negative ? -1 : 1)
        }
        s.skipSpaces()
        guard s.atEnd, t.isValid else { return nil }
        let millis = t.millis - Int64(offsetMinutes) * 60_000
        guard millis >= CivilTime.minMillis, millis <= CivilTime.maxMillis else { return nil }
        return Parsed(millis: millis, dateOnly: false)
    }

    /// `M/d/yyyy` with an optional `h:mm[:ss] [am|pm]` or `HH:mm[:ss]`.
    private static func netsuite(_ s: inout Scanner) -> Parsed? {
        guard let m = s.digits(1, 2), s.take("/"), let d = s.digits(1, 2), s.take("/"), let y = s.digits(4, 4) else { return nil }
        var t = CivilTime(year: y.value, month: m.value, day: d.value)
        s.skipSpaces()
        if s.atEnd { return t.isValid ? Parsed(millis: t.millis, dateOnly: true) : nil }
        guard let hh = s.digits(1, 2), s.take(":"), let mm = s.digits(2, 2) else { return nil }
        t.hour = hh.value
        t.minute = mm.value
        if s.take(":") {
            guard let ss = s.digits(2, 2) else { return nil }
            t.second = ss.value
        }
        s.skipSpaces()
        let rest = String(decoding: s.bytes[s.i...], as: UTF8.self).lowercased()
        switch rest {
        case "": break
        case "am", "a.m.":
            guard (1...12).contains(t.hour) else { return nil }
            if t.hour == 12 { t.hour = 0 }
        case "pm", "p.m.":
            guard (1...12).contains(t.hour) else { return nil }
            if t.hour != 12 { t.hour += 12 }
        default: return nil
        }
        return t.isValid ? Parsed(millis: t.millis, dateOnly: false) : nil
    }
}
