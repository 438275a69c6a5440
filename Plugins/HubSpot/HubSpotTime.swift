import Foundation

/// HubSpot's times: RFC 3339 with milliseconds in answers (`2024-05-01T09:30:00.123Z`), epoch milliseconds in
/// search filters and webhooks.
enum HubSpotTime {
    /// Milliseconds since 1970 of an answer's time (RFC 3339 with or without fraction, or epoch ms as text).
    static func millis(_ text: String) -> Int64? {
        if let n = Int64(text) { return n }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        return nil
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// RFC 3339 with milliseconds, UTC.
    static func rfc3339(_ ms: Int64) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
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
