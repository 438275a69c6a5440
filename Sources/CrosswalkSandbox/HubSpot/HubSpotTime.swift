import CrosswalkCore
import Foundation

/// Timestamps as HubSpot writes and reads them: ISO 8601 with milliseconds in UTC, or epoch milliseconds.
enum HubSpotTime {
    /// `2024-01-15T10:20:30.123Z` (formatted by hand: seeding writes millions of these).
    static func iso(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let inDay = ms - days * 86_400_000
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        var bytes = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int64, _ at: Int, _ width: Int) {
            var v = value
            for i in stride(from: at + width - 1, through: at, by: -1) { bytes[i] = UInt8(48 + v % 10); v /= 10 }
        }
        put(year, 0, 4); bytes[4] = 45; put(month, 5, 2); bytes[7] = 45; put(day, 8, 2); bytes[10] = 84
        put(inDay / 3_600_000, 11, 2); bytes[13] = 58; put(inDay / 60_000 % 60, 14, 2); bytes[16] = 58
        put(inDay / 1000 % 60, 17, 2); bytes[19] = 46; put(inDay % 1000, 20, 3); bytes[23] = 90
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `2024-01-15`, the form date (not datetime) properties take.
    static func day(_ date: Date) -> String { String(iso(date).prefix(10)) }

    /// Epoch milliseconds.
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Reads epoch milliseconds, `YYYY-MM-DD`, or ISO 8601 date-time (fraction and offset optional).
    static func parse(_ text: String) -> Date? {
        var utf8 = Array(text.utf8)
        while utf8.last == 32 { utf8.removeLast() }
        if let firstNonSpace = utf8.firstIndex(where: { $0 != 32 }), firstNonSpace > 0 { utf8.removeFirst(firstNonSpace) }
        if !utf8.isEmpty, utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) || (utf8[0] == 45 && utf8.count > 1 && utf8.dropFirst().allSatisfy({ $0 >= 48 && $0 <= 57 })) {
            return Int64(String(decoding: utf8, as: UTF8.self)).map { Date(timeIntervalSince1970: Double($0) / 1000) }
        }
        let chars = utf8
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
