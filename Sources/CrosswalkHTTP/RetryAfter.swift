import Foundation

/// Parses an HTTP `Retry-After` value (RFC 9110 §10.2.3): delay seconds or an HTTP date.
public enum RetryAfter {
    /// How long `value` asks the client to wait, counted from `now`; `nil` when it is neither form.
    /// A date in the past means no wait. Fractional seconds are accepted, negative ones are not.
    ///
    /// `"120"` → 120 s; `"Wed, 21 Oct 2015 07:28:00 GMT"` → that date minus `now`.
    public static func delay(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) {
            return seconds >= 0 && seconds.isFinite ? .milliseconds(Int64((seconds * 1000).rounded(.up))) : nil
        }
        guard let date = httpDate(trimmed) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now) * 1000).rounded(.up)))
    }

    /// IMF-fixdate, and the obsolete RFC 850 and asctime forms that RFC 9110 says recipients accept.
    private static func httpDate(_ value: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: value) { return date }
        }
        return nil
    }
}
