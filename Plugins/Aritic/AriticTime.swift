import Foundation

/// Mautic's times: `2024-05-01T09:30:00+00:00` in answers, `2024-05-01 09:30:00` (UTC, whole seconds) in `where[]`.
enum AriticTime {
    /// Parses an ISO 8601 answer time (or the database form).
    static func parse(_ text: String) -> Date? {
        if let d = ISO8601DateFormatter().date(from: text) { return d }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.date(from: text)
    }

    /// `2024-05-01 09:30:00` (UTC).
    static func database(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: date)
    }

    /// RFC 3339 (`2024-05-01T09:30:00Z`).
    static func rfc3339(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// An HTTP `Date` header.
    static func httpDate(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: text)
    }
}
