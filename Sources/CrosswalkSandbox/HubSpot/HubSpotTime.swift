import CrosswalkCore
import Foundation

/// Timestamps as HubSpot writes and reads them: ISO 8601 with milliseconds in UTC, or epoch milliseconds.
enum HubSpotTime {
    /// `2024-01-15T10:20:30.123Z`.
    static func iso(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(ms >= 0 ? ms / 1000 : (ms - 999) / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = Int(((ms % 1000) + 1000) % 1000)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }

    /// `2024-01-15`, the form date (not datetime) properties take.
    static func day(_ date: Date) -> String { String(iso(date).prefix(10)) }

    /// Epoch milliseconds.
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Reads epoch milliseconds, `YYYY-MM-DD`, or ISO 8601 date-time (fraction and offset optional).
    static func parse(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespaces)
        if let ms = Int64(s) { return Date(timeIntervalSince1970: Double(ms) / 1000) }
        let chars = Array(s.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= chars.count else { return nil }
            var n = 0
            for c in chars[from..<(from + count)] {
                guard c >= 48, c <= 57 else { return nil }
                n = n * 10 + Int(c - 48)
            }
            return n
        }
        guard let year = number(0, 4), chars.count >= 10, chars[4] == 45, chars[7] == 45,
              let month = number(5, 2), let dayOfMonth = number(8, 2), (1...12).contains(month), (1...31).contains(dayOfMonth)
        else { return nil }
        var hour = 0, minute = 0, second = 0, fraction = 0.0, offset = 0
        var i = 10
        if i < chars.count {
            guard chars[i] == 84 || chars[i] == 32, let h = number(i + 1, 2), chars.count > i + 3, chars[i + 3] == 58,
                  let m = number(i + 4, 2) else { return nil }
            hour = h; minute = m; i += 6
            if i < chars.count, chars[i] == 58 {
                guard let sec = number(i + 1, 2) else { return nil }
                second = sec; i += 3
            }
            if i < chars.count, chars[i] == 46 {
                var j = i + 1, digits = ""
                while j < chars.count, chars[j] >= 48, chars[j] <= 57 { digits.append(Character(UnicodeScalar(chars[j]))); j += 1 }
                fraction = Double("0." + digits) ?? 0
                i = j
            }
            if i < chars.count {
                if chars[i] == 90 { i += 1 } else if chars[i] == 43 || chars[i] == 45 {
                    let sign = chars[i] == 43 ? 1 : -1
                    guard let oh = number(i + 1, 2) else { return nil }
                    var om = 0, next = i + 3
                    if next < chars.count, chars[next] == 58 { next += 1 }
                    if let m = number(next, 2) { om = m; next += 2 }
                    offset = sign * (oh * 3600 + om * 60)
                    i = next
                } else { return nil }
            }
            guard i == chars.count, hour < 24, minute < 60, second < 61 else { return nil }
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900); parts.tm_mon = Int32(month - 1); parts.tm_mday = Int32(dayOfMonth)
        parts.tm_hour = Int32(hour); parts.tm_min = Int32(minute); parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds - offset) + fraction)
    }
}
