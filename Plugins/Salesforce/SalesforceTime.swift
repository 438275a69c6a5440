import Foundation

/// Times as Salesforce writes them (`2024-05-01T09:30:00.000+0000`, whole seconds), as SOQL takes
/// them (`2024-05-01T09:30:00Z`, unquoted) and as the ABI wants them (RFC 3339), in whole seconds
/// since 1970 — computed by hand: no formatter objects to share between threads.
enum SalesforceTime {
    /// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number.
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Seconds since 1970 of an ISO 8601 / RFC 3339 datetime as Salesforce and the ABI write them:
    /// `2024-05-01T09:30:00.000+0000`, `2024-05-01T09:30:00Z`, `2024-05-01T11:30:00+02:00`. Fractions are dropped.
    static func seconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var n = 0
            for i in from..<(from + count) {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard b.count >= 19, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x20 || b[10] == 0x74, b[13] == 0x3A, b[16] == 0x3A,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        if i < b.count, b[i] == 0x2E {
            i += 1
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
        }
        var offset = 0
        if i < b.count {
            switch b[i] {
            case 0x5A, 0x7A: i += 1
            case 0x2B, 0x2D:
                let sign = b[i] == 0x2D ? -1 : 1
                guard let h = number(i + 1, 2) else { return nil }
                var m = 0
                if let mm = number(i + 3, 2) { m = mm; i += 5 } else if i + 3 < b.count, b[i + 3] == 0x3A, let mm = number(i + 4, 2) { m = mm; i += 6 } else { i += 3 }
                offset = sign * (h * 3600 + m * 60)
            default: return nil
            }
        } else {
            return nil // a datetime without a zone is ambiguous
        }
        guard i == b.count else { return nil }
        let s = days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Int64(s)
    }

    /// `2024-05-01` → seconds at midnight UTC.
    static func dateSeconds(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        return Int64(days(year: y, month: m, day: d) * 86_400)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    /// `2024-05-01T09:30:00Z`: RFC 3339, and a SOQL datetime literal.
    static func text(_ seconds: Int64) -> String {
        let s = Int(seconds)
        let day = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        let rest = s - day * 86_400
        let (y, m, d) = civil(day)
        let year = String(y)
        return "\(String(repeating: "0", count: max(0, 4 - year.count)))\(year)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }

    /// `2024-05-01`
    static func dateText(_ seconds: Int64) -> String { String(text(seconds).prefix(10)) }

    /// An HTTP `Date` header (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 7231 IMF-fixdate).
    static func httpDate(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let month = months.firstIndex(of: String(parts[2])),
              let year = Int(parts[3]) else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        return Int64(days(year: year, month: month + 1, day: day) * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2])
    }

    /// This machine's clock in whole seconds.
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970.rounded(.down)) }
}
