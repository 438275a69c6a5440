import Foundation

/// HubSpot's times: RFC 3339 with milliseconds in answers (`2024-05-01T09:30:00.123Z`), epoch milliseconds in
/// search filters and webhooks.
enum HubSpotTime {
    /// Milliseconds since 1970 of an answer's time (RFC 3339 with or without fraction, or epoch ms as text).
    static func millis(_ text: String) -> Int64? {
        if let n = Int64(text) { return n }
        if let fast = utcMillis(text) { return fast }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        return nil
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// RFC 3339 with milliseconds, UTC (`2024-05-01T09:30:00.123Z`), written by hand: every record of every page
    /// goes through here, and a formatter per call costs more than the rest of the record.
    static func rfc3339(_ ms: Int64) -> String {
        let day: Int64 = 86_400_000
        let days = floorDay(ms) / day
        let inDay = ms - days * day
        let (y, m, d) = civil(fromDays: days)
        func pad(_ n: Int64, _ width: Int) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let h = inDay / 3_600_000, mi = inDay / 60_000 % 60, sec = inDay / 1000 % 60, milli = inDay % 1000
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(sec, 2)).\(pad(milli, 3))Z"
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff]Z` without a formatter; `nil` for any other shape (an offset, a leap second…).
    static func utcMillis(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b.last == 90 else { return nil }
        func num(_ from: Int, _ to: Int) -> Int64? {
            var n: Int64 = 0
            for i in from..<to {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                n = n * 10 + Int64(b[i] - 48)
            }
            return n
        }
        guard let y = num(0, 4), let m = num(5, 7), let d = num(8, 10), let h = num(11, 13), let mi = num(14, 16), let sec = num(17, 19),
              (1...12).contains(m), (1...31).contains(d), h < 24, mi < 60, sec < 60 else { return nil }
        var milli: Int64 = 0
        if b.count > 20 {
            guard b[19] == 46, b.count - 21 >= 1, b.count - 21 <= 9, let fraction = num(20, b.count - 1) else { return nil }
            var f = fraction, digits = b.count - 21
            while digits > 3 { f /= 10; digits -= 1 }
            while digits < 3 { f *= 10; digits += 1 }
            milli = f
        } else if b.count != 20 { return nil }
        return days(fromCivil: y, m, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + sec * 1000 + milli
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// An HTTP `Date` header.
    static func httpDate(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: text)
    }

    /// A HubSpot date property's value: midnight UTC of the calendar date, in milliseconds. Takes `2024-05-01`,
    /// an RFC 3339 time (its date as written, whatever the offset) or epoch milliseconds (the UTC date).
    static func midnightMillis(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let ms = Int64(trimmed) { return floorDay(ms) }
        let datePart = trimmed.prefix(10)
        let parts = datePart.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), parts[0].count == 4,
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        if trimmed.count > 10 {
            guard millis(trimmed) != nil || trimmed.dropFirst(10).first == "T" || trimmed.dropFirst(10).first == " " else { return nil }
        }
        var c = DateComponents()
        c.year = y
        c.month = m
        c.day = d
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: c), calendar.component(.day, from: date) == d else { return nil }
        return Int64(date.timeIntervalSince1970) * 1000
    }

    /// `2024-05-01` for a midnight-UTC millisecond value (any millisecond of that UTC day).
    static func dateText(_ ms: Int64) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date(timeIntervalSince1970: Double(floorDay(ms)) / 1000))
    }

    static func floorDay(_ ms: Int64) -> Int64 {
        let day: Int64 = 86_400_000
        return (ms >= 0 ? ms / day : (ms - day + 1) / day) * day
    }
}
