import CrosswalkCore
import Foundation

/// Dates as NetSuite writes and reads them: REST uses ISO 8601 (`2024-01-15`, `2024-01-15T10:20:30Z`);
/// `q` filters and SuiteQL use the account's format, here `M/D/YYYY` and `h:mm am` in UTC.
enum NetSuiteTime {
    struct Parts {
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0
        var offsetSeconds = 0
    }

    static func parts(_ date: Date) -> Parts {
        var seconds = time_t(floor(date.timeIntervalSince1970))
        var t = tm()
        gmtime_r(&seconds, &t)
        return Parts(year: Int(t.tm_year) + 1900, month: Int(t.tm_mon) + 1, day: Int(t.tm_mday), hour: Int(t.tm_hour),
                     minute: Int(t.tm_min), second: Int(t.tm_sec))
    }

    static func date(_ p: Parts) -> Date {
        var t = tm()
        t.tm_year = Int32(p.year - 1900); t.tm_mon = Int32(p.month - 1); t.tm_mday = Int32(p.day)
        t.tm_hour = Int32(p.hour); t.tm_min = Int32(p.minute); t.tm_sec = Int32(p.second)
        return Date(timeIntervalSince1970: Double(timegm(&t) - p.offsetSeconds))
    }

    /// `2024-01-15T10:20:30Z`.
    static func iso(_ date: Date) -> String {
        let p = parts(date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", p.year, p.month, p.day, p.hour, p.minute, p.second)
    }

    /// `2024-01-15`.
    static func day(_ date: Date) -> String { String(iso(date).prefix(10)) }

    /// `1/15/2024`, and with `time` `1/15/2024 9:05 am`.
    static func display(_ date: Date, time: Bool) -> String {
        let p = parts(date)
        let d = "\(p.month)/\(p.day)/\(p.year)"
        guard time else { return d }
        let hour12 = p.hour % 12 == 0 ? 12 : p.hour % 12
        return d + String(format: " %d:%02d ", hour12, p.minute) + (p.hour < 12 ? "am" : "pm")
    }

    /// Start of the UTC day of `date`.
    static func startOfDay(_ date: Date) -> Date {
        var p = parts(date)
        p.hour = 0; p.minute = 0; p.second = 0
        return Self.date(p)
    }

    /// Reads `YYYY-MM-DD[THH:MM[:SS][.fff][Z|±hh:mm]]` or `M/D/YYYY` / `M/D/YY` with an optional `h:mm[:ss] [am|pm]`;
    /// `hasTime` tells whether a time of day was given.
    static func parse(_ text: String) -> (date: Date, hasTime: Bool)? {
        let s = text.trimmingCharacters(in: .whitespaces)
        var p = Parts()
        var rest: Substring
        if s.count >= 10, s.prefix(4).allSatisfy(\.isNumber), s.dropFirst(4).first == "-" {
            let fields = s.prefix(10).split(separator: "-")
            guard fields.count == 3, let y = Int(fields[0]), let m = Int(fields[1]), let d = Int(fields[2]) else { return nil }
            (p.year, p.month, p.day) = (y, m, d)
            rest = s.dropFirst(10)
            if rest.first == "T" { rest = rest.dropFirst() }
        } else {
            let dateText = s.prefix { $0 != " " }
            let fields = dateText.split(separator: "/")
            guard fields.count == 3, let m = Int(fields[0]), let d = Int(fields[1]), var y = Int(fields[2]) else { return nil }
            if fields[2].count == 2 { y += 2000 }
            (p.year, p.month, p.day) = (y, m, d)
            rest = s.dropFirst(dateText.count)
        }
        guard (1...9999).contains(p.year), (1...12).contains(p.month), (1...31).contains(p.day) else { return nil }
        rest = rest.drop { $0 == " " }
        guard !rest.isEmpty else { return (date(p), false) }
        var clock = rest.prefix { $0.isNumber || $0 == ":" || $0 == "." }
        rest = rest.dropFirst(clock.count).drop { $0 == " " }
        if let dot = clock.firstIndex(of: ".") { clock = clock[..<dot] }
        let hms = clock.split(separator: ":").compactMap { Int($0) }
        guard hms.count >= 2, hms.count <= 3 else { return nil }
        (p.hour, p.minute, p.second) = (hms[0], hms[1], hms.count == 3 ? hms[2] : 0)
        let suffix = rest.lowercased()
        switch suffix {
        case "am": if p.hour == 12 { p.hour = 0 }
        case "pm": if p.hour < 12 { p.hour += 12 }
        case "", "z": break
        default:
            guard let sign = suffix.first, sign == "+" || sign == "-" else { return nil }
            let digits = suffix.dropFirst().split(separator: ":").compactMap { Int($0) }
            guard let hours = digits.first, hours <= 2400 else { return nil }
            let minutes = digits.count > 1 ? min(digits[1], 59) : 0
            p.offsetSeconds = (sign == "+" ? 1 : -1) * ((hours >= 100 ? hours / 100 * 3600 + hours % 100 * 60 : hours * 3600) + minutes * 60)
        }
        guard p.hour < 24, p.minute < 60, p.second < 61 else { return nil }
        return (date(p), true)
    }
}

extension NetSuiteTime {
    /// A date or date-time written as a user types it in a `q` filter: in the user's date format (`11/30/2026`,
    /// `30/11/2026` with a day-first preference, `2026-11-30`), optionally with a time (`3:15 pm`, `15:15`), read in
    /// the account's time zone unless it carries `Z` or an offset. `day` is the calendar day written.
    struct LocalValue: Sendable {
        var instant: Date
        var day: String
        var hasTime: Bool
    }

    static func parseLocal(_ text: String, format: NetSuiteDateFormat, timeZone: TimeZone) -> LocalValue? {
        var s = text.trimmingCharacters(in: .whitespaces)
        let iso = s.count >= 10 && s.prefix(4).allSatisfy(\.isNumber) && s.dropFirst(4).first == "-"
        if !iso, format != .monthFirst {
            // Reorder to M/D/YYYY for the shared reader.
            let dateText = s.prefix { $0 != " " }
            let f = dateText.split(separator: "/")
            guard f.count == 3 else { return nil }
            let reordered = format == .dayFirst ? "\(f[1])/\(f[0])/\(f[2])" : "\(f[1])/\(f[2])/\(f[0])"
            s = reordered + s.dropFirst(dateText.count)
        }
        let explicitZone = iso && (s.hasSuffix("Z") || s.hasSuffix("z") || s.dropFirst(10).contains("+")
            || s.dropFirst(10).split(separator: "-").count > 1)
        guard let utc = parse(s) else { return nil }
        let wall = parts(utc.date)
        let dayText = String(format: "%04d-%02d-%02d", wall.year, wall.month, wall.day)
        if explicitZone { return LocalValue(instant: utc.date, day: day(utc.date), hasTime: utc.hasTime) }
        // `utc` holds the wall-clock reading as if it were UTC; shift it by the zone's offset at that moment.
        var instant = utc.date.addingTimeInterval(-Double(timeZone.secondsFromGMT(for: utc.date)))
        let corrected = instant.addingTimeInterval(-Double(timeZone.secondsFromGMT(for: instant) - timeZone.secondsFromGMT(for: utc.date)))
        if timeZone.secondsFromGMT(for: corrected) != timeZone.secondsFromGMT(for: instant) { instant = corrected }
        return LocalValue(instant: instant, day: dayText, hasTime: utc.hasTime)
    }

    /// The instant of the next midnight after the local day starting at `midnight` (23, 24 or 25 hours later).
    static func nextMidnight(after midnight: Date, day: String, timeZone: TimeZone) -> Date {
        let next = parts(midnight.addingTimeInterval(36 * 3600 + Double(timeZone.secondsFromGMT(for: midnight))))
        let text = String(format: "%d/%d/%04d", next.month, next.day, next.year)
        return parseLocal(text, format: .monthFirst, timeZone: timeZone)?.instant ?? midnight.addingTimeInterval(86_400)
    }
}
