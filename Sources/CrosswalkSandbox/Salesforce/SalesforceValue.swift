import Foundation

/// A field value as the emulated org stores it. Dates and datetimes are text in Salesforce's own format
/// (`2024-05-01`, `2024-05-01T09:30:00.000+0000`, always UTC), so text order is time order.
enum SalesforceValue: Sendable, Equatable, Hashable {
    case null
    case text(String)
    case number(Double)
    case bool(Bool)

    var text: String? { if case .text(let s) = self { s } else { nil } }
    var isNullOrEmpty: Bool { self == .null || self == .text("") }

    /// The value in a JSON response, shaped by the field's type (`int` fields as integers).
    func json(_ type: SalesforceFieldType) -> Any {
        switch self {
        case .null: NSNull()
        case .text(let s): s
        case .bool(let b): b
        case .number(let d): type == .int && d == d.rounded() && abs(d) < 1e15 ? Int(d) : d
        }
    }

    /// The value as XML text (outbound messages).
    var xmlText: String? {
        switch self {
        case .null: nil
        case .text(let s): s
        case .bool(let b): b ? "true" : "false"
        case .number(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        }
    }
}

/// Telling JSON booleans from numbers: Foundation on Linux gives both as `NSNumber`.
enum SalesforceJSON {
    static func isBool(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    static func number(_ value: Any) -> Double? {
        guard !isBool(value), let number = value as? NSNumber else { return nil }
        return number.doubleValue
    }
}

/// Salesforce's date and datetime text.
enum SalesforceDates {
    private static let utc = TimeZone(identifier: "UTC")!
    private static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = utc
        return c
    }()

    /// `2024-05-01T09:30:00.000+0000`. Salesforce keeps datetimes to the whole second, so the
    /// milliseconds are always `000`.
    static func dateTime(_ date: Date) -> String {
        var w = SalesforceJSONWriter(capacity: 32)
        w.dateTime(seconds: Int64(date.timeIntervalSince1970.rounded(.down)))
        return String(decoding: w.bytes.dropFirst().dropLast(), as: UTF8.self)
    }

    /// `date` cut to the whole second, as Salesforce stores datetimes.
    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// `2024-05-01`
    static func date(_ date: Date) -> String {
        var w = SalesforceJSONWriter(capacity: 16)
        w.quotedDate(days: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
        return String(decoding: w.bytes.dropFirst().dropLast(), as: UTF8.self)
    }

    /// Year, month, day of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
    static func civil(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }


    /// Midnight UTC of a `YYYY-MM-DD` date, or `nil`.
    static func parseDate(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { u in days(u).map { Date(timeIntervalSince1970: Double($0) * 86_400) } }
    }

    /// The day count since 1970 of the `YYYY-MM-DD` in the first 10 bytes of `u` (exactly 10 long), or `nil`.
    private static func days(_ u: UnsafeBufferPointer<UInt8>) -> Int? {
        func digits(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard (48...57).contains(u[i]) else { return nil }
                n = n * 10 + Int(u[i] - 48)
            }
            return n
        }
        guard u.count == 10, u[4] == 45, u[7] == 45, let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10),
              (1...12).contains(m), d >= 1 else { return nil }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard d <= monthDays[m - 1] else { return nil }
        // H. Hinnant's days_from_civil.
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// A datetime such as `2024-05-01T09:30:00Z`, `…:00.000+0000`, `…:00+02:00`, or `nil`.
    static func parseDateTime(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { u -> Date? in
            guard u.count >= 19, let day = days(UnsafeBufferPointer(rebasing: u[0..<10])) else { return nil }
            func two(_ at: Int) -> Int? {
                guard (48...57).contains(u[at]), (48...57).contains(u[at + 1]) else { return nil }
                return Int(u[at] - 48) * 10 + Int(u[at + 1] - 48)
            }
            guard u[10] == 0x54 || u[10] == 0x20, u[13] == 0x3A, u[16] == 0x3A, let h = two(11), let mi = two(14), let s = two(17),
                  h < 24, mi < 60, s < 61 else { return nil }
            var i = 19
            var fraction = 0.0
            if i < u.count, u[i] == 0x2E {
                i += 1
                var scale = 0.1
                let start = i
                while i < u.count, (48...57).contains(u[i]) {
                    fraction += Double(u[i] - 48) * scale
                    scale /= 10
                    i += 1
                }
                guard i > start else { return nil }
            }
            var offset = 0
            if i == u.count || (u[i] == 0x5A && i + 1 == u.count) {
                offset = 0
            } else if u[i] == 0x2B || u[i] == 0x2D {
                let sign = u[i] == 0x2D ? -1 : 1
                var digits: [Int] = []
                for k in (i + 1)..<u.count where u[k] != 0x3A {
                    guard (48...57).contains(u[k]) else { return nil }
                    digits.append(Int(u[k] - 48))
                }
                guard digits.count == 4 else { return nil }
                offset = ((digits[0] * 10 + digits[1]) * 3600 + (digits[2] * 10 + digits[3]) * 60) * sign
            } else {
                return nil
            }
            return Date(timeIntervalSince1970: Double(day) * 86_400 + Double(h * 3600 + mi * 60 + s - offset) + fraction)
        }
    }

    /// RFC 1123 (`If-Modified-Since`).
    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = utc
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    /// Midnight UTC of the day holding `date`.
    static func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    /// `date` moved by `days` (negative for the past).
    static func adding(days: Int, to date: Date) -> Date { date.addingTimeInterval(Double(days) * 86_400) }

    /// The first day of `date`'s month, moved by `months`.
    static func startOfMonth(_ date: Date, adding months: Int = 0) -> Date {
        let c = calendar.dateComponents([.year, .month], from: date)
        return calendar.date(byAdding: .month, value: months, to: calendar.date(from: c)!)!
    }
}
