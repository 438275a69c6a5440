import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Times as NetSuite and the ABI write them. SuiteQL reads and prints dates as wall-clock times in the
/// integration user's time zone (`YYYY-MM-DD HH24:MI:SS` with the formats the connector asks for); records
/// and cursors carry RFC 3339 UTC instants in whole seconds, NetSuite's precision.
struct NetSuiteClock: Sendable {
    let timeZone: TimeZone
    /// The zone's offset when it never changes (UTC, fixed offsets): the fast path.
    private let fixedOffset: Int?
    private let calendar: Calendar

    /// The SuiteQL format model of `wallClock(_:)` and `instant(wallClock:)`.
    static let suiteQLFormat = "YYYY-MM-DD HH24:MI:SS"

    init(timeZone: TimeZone) {
        self.timeZone = timeZone
        let id = timeZone.identifier
        fixedOffset = ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "Universal", "Zulu"].contains(id) || id.hasPrefix("GMT")
            ? timeZone.secondsFromGMT(for: Date()) : nil
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// `2026-11-30 05:00:00` for 2026-11-30T10:00:00Z in America/New_York.
    func wallClock(_ instant: Date) -> String {
        let seconds = Int(floor(instant.timeIntervalSince1970))
        let offset = fixedOffset ?? timeZone.secondsFromGMT(for: instant)
        let p = Self.utcParts(seconds + offset)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", p.year, p.month, p.day, p.hour, p.minute, p.second)
    }

    /// The instant a wall-clock reading `YYYY-MM-DD HH:MM:SS` (or `YYYY-MM-DD`) names in the zone. In the hour a
    /// daylight-saving change repeats, the earlier instant (NetSuite's reading is not documented).
    func instant(wallClock text: String) -> Date? {
        guard let p = Self.parseWall(text) else { return nil }
        var t = tm()
        t.tm_year = Int32(p.year - 1900); t.tm_mon = Int32(p.month - 1); t.tm_mday = Int32(p.day)
        t.tm_hour = Int32(p.hour); t.tm_min = Int32(p.minute); t.tm_sec = Int32(p.second)
        let asUTC = timegm(&t)
        if let fixedOffset { return Date(timeIntervalSince1970: Double(asUTC - fixedOffset)) }
        var c = DateComponents()
        (c.year, c.month, c.day, c.hour, c.minute, c.second) = (p.year, p.month, p.day, p.hour, p.minute, p.second)
        return calendar.date(from: c)
    }

    /// `2026-11-30T10:00:00Z` (whole seconds).
    static func rfc3339(_ instant: Date) -> String {
        let p = utcParts(Int(floor(instant.timeIntervalSince1970)))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", p.year, p.month, p.day, p.hour, p.minute, p.second)
    }

    /// Reads RFC 3339 (`2026-11-30T10:00:00Z`, `…T10:00:00.123+02:00`); fractions are kept.
    static func parseRFC3339(_ text: String) -> Date? {
        let s = Array(text.utf8)
        guard s.count >= 20, s[4] == 0x2D, s[7] == 0x2D, s[10] == 0x54 || s[10] == 0x74 || s[10] == 0x20, s[13] == 0x3A, s[16] == 0x3A,
              let p = parseWall(String(decoding: s[0..<19], as: UTF8.self)) else { return nil }
        var rest = s[19...]
        var fraction = 0.0
        if rest.first == 0x2E {
            rest = rest.dropFirst()
            let digits = rest.prefix { (0x30...0x39).contains($0) }
            guard !digits.isEmpty else { return nil }
            fraction = Double("0." + String(decoding: digits, as: UTF8.self)) ?? 0
            rest = rest.dropFirst(digits.count)
        }
        var offset = 0
        switch rest.first {
        case 0x5A, 0x7A: guard rest.count == 1 else { return nil }
        case 0x2B, 0x2D:
            let zone = Array(rest)
            guard zone.count == 6, zone[3] == 0x3A, let h = Int(String(decoding: zone[1...2], as: UTF8.self)),
                  let m = Int(String(decoding: zone[4...5], as: UTF8.self)), h < 24, m < 60 else { return nil }
            offset = (zone[0] == 0x2B ? 1 : -1) * (h * 3600 + m * 60)
        default: return nil
        }
        var t = tm()
        t.tm_year = Int32(p.year - 1900); t.tm_mon = Int32(p.month - 1); t.tm_mday = Int32(p.day)
        t.tm_hour = Int32(p.hour); t.tm_min = Int32(p.minute); t.tm_sec = Int32(p.second)
        return Date(timeIntervalSince1970: Double(timegm(&t) - offset) + fraction)
    }

    /// An HTTP `Date` header (`Tue, 02 Dec 2025 20:38:49 GMT`, RFC 9110 IMF-fixdate).
    static func parseHTTPDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])),
              let year = Int(parts[3]) else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        var t = tm()
        t.tm_year = Int32(year - 1900); t.tm_mon = Int32(monthIndex); t.tm_mday = Int32(day)
        t.tm_hour = Int32(clock[0]); t.tm_min = Int32(clock[1]); t.tm_sec = Int32(clock[2])
        return Date(timeIntervalSince1970: Double(timegm(&t)))
    }

    struct Parts { var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 }

    static func utcParts(_ seconds: Int) -> Parts {
        var s = time_t(seconds)
        var t = tm()
        gmtime_r(&s, &t)
        return Parts(year: Int(t.tm_year) + 1900, month: Int(t.tm_mon) + 1, day: Int(t.tm_mday), hour: Int(t.tm_hour),
                     minute: Int(t.tm_min), second: Int(t.tm_sec))
    }

    /// `YYYY-MM-DD[ HH:MM[:SS]]` (a `T` also separates).
    static func parseWall(_ text: String) -> Parts? {
        let s = Array(text.utf8)
        func number(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= s.count, s[r].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return Int(String(decoding: s[r], as: UTF8.self))
        }
        guard s.count >= 10, s[4] == 0x2D, s[7] == 0x2D, let y = number(0..<4), let mo = number(5..<7), let d = number(8..<10),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var p = Parts(year: y, month: mo, day: d)
        guard s.count > 10 else { return p }
        guard s.count >= 16, s[10] == 0x20 || s[10] == 0x54, s[13] == 0x3A, let h = number(11..<13), let mi = number(14..<16),
              h < 24, mi < 60 else { return nil }
        (p.hour, p.minute) = (h, mi)
        if s.count > 16 {
            guard s.count == 19, s[16] == 0x3A, let sec = number(17..<19), sec < 61 else { return nil }
            p.second = sec
        }
        return p
    }
}
