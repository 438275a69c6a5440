import CrosswalkCore
import Foundation

/// Mautic's wire conventions: ISO dates with offsets, the `{"errors": [...]}` envelope, PHP-style parameters.
enum AriticWire {
    private static func utcCalendar() -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    /// `2015-07-21T12:27:12+00:00` (PHP's `DateTime::ISO8601`-style `c` format).
    static func date(_ date: Date) -> String {
        let c = utcCalendar().dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d+00:00",
                      c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    static func date(_ date: Date?) -> Any { date.map { AriticWire.date($0) } ?? NSNull() }

    /// `2015-07-21 12:27:12`, the database format raw rows carry (UTC).
    static func databaseDate(_ date: Date) -> String {
        let c = utcCalendar().dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1,
                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// Reads `Y-m-d H:i:s`, `Y-m-d`, or ISO 8601 (UTC unless an offset is given).
    static func parseDate(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        let iso = ISO8601DateFormatter()
        if let d = iso.date(from: trimmed) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = fractional.date(from: trimmed) { return d }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
            formatter.dateFormat = format
            if let d = formatter.date(from: trimmed) { return d }
        }
        return nil
    }

    /// One entry of the error envelope.
    static func errorEntry(_ code: Int, _ message: String, details: Any = [Any](), type: Any = NSNull()) -> AriticObject {
        AriticObject([("code", code), ("message", message), ("details", details), ("type", type)])
    }

    /// `{"errors":[{"code":…,"message":…,"details":…,"type":null}]}` with the `Mautic-Version` header.
    static func error(_ code: Int, _ message: String, details: Any = [Any](), version: String?) -> SandboxResponse {
        AriticJSON.response(code, AriticObject([("errors", [errorEntry(code, message, details: details)])]),
                            headers: version.map { [("Mautic-Version", $0)] } ?? [])
    }

    /// The shape Mautic's API subscriber gives authentication and OAuth failures: `{"errors":[{message, code, type}]}`.
    static func authError(_ code: Int, _ message: String, type: String) -> SandboxResponse {
        AriticJSON.response(code, AriticObject([("errors", [AriticObject([("message", message), ("code", code), ("type", type)])])]))
    }

    static let notFoundMessage = "Item was not found."

    /// An Apache error page (`ErrorDocument` default) for `status`.
    static func apachePage(_ status: Int, _ title: String, _ paragraph: String) -> String {
        "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>\(status) \(title)</title>\n</head><body>\n<h1>\(title)</h1>\n<p>\(paragraph)</p>\n</body></html>\n"
    }

    // MARK: Parameters

    /// The request body as PHP would see `$request->request->all()`: JSON objects/arrays as decoded,
    /// form bodies with `a[b]=1` / `a[]=2` nesting.
    static func parameters(_ request: SandboxRequest) -> Any? {
        let type = (request.headers["Content-Type"] ?? "").lowercased()
        if type.contains("json") || request.body.first == UInt8(ascii: "{") || request.body.first == UInt8(ascii: "[") {
            return request.jsonBody()
        }
        return nest(request.formBody())
    }

    /// Query parameters nested the PHP way (`where[0][col]=…`).
    static func query(_ request: SandboxRequest) -> [String: Any] { nest(request.query) as? [String: Any] ?? [:] }

    /// Builds PHP's nested arrays from `name[key][]`-style pairs. Integer-keyed maps stay dictionaries
    /// keyed by the digits; callers read them in key order.
    static func nest(_ pairs: [(name: String, value: String)]) -> Any {
        var root: [String: Any] = [:]
        for (name, value) in pairs {
            var keys: [String] = []
            if let open = name.firstIndex(of: "[") {
                keys.append(String(name[..<open]))
                var rest = name[open...]
                while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                    keys.append(String(rest[rest.index(after: rest.startIndex)..<close]))
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                keys = [name]
            }
            insert(&root, keys[...], value)
        }
        return root
    }

    private static func insert(_ node: inout [String: Any], _ keys: ArraySlice<String>, _ value: String) {
        guard var key = keys.first else { return }
        if key.isEmpty { key = String(node.count) }
        if keys.count == 1 {
            node[key] = value
            return
        }
        var child = node[key] as? [String: Any] ?? [:]
        insert(&child, keys.dropFirst(), value)
        node[key] = child
    }

    /// A parameter value as text (numbers and booleans the way PHP casts them).
    static func text(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s
        case let n as NSNumber:
            if String(describing: type(of: n)).contains("Bool") { return n.boolValue ? "1" : "" }
            return n.doubleValue == n.doubleValue.rounded() && abs(n.doubleValue) < 1e15 ? String(n.int64Value) : n.stringValue
        case let i as Int: return String(i)
        case let d as Double: return String(d)
        case let b as Bool: return b ? "1" : ""
        default: return nil
        }
    }

    /// A nested list parameter (`[a, b]`, `{"0": a, "1": b}` or `"a,b"`), in order.
    static func list(_ value: Any?) -> [Any] {
        switch value {
        case let array as [Any]: return array
        case let map as [String: Any]:
            return map.sorted { (Int($0.key) ?? Int.max, $0.key) < (Int($1.key) ?? Int.max, $1.key) }.map(\.value)
        case let text as String: return text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        default: return []
        }
    }

    /// `true` for PHP-truthy values (`1`, `true`, `yes`, non-empty strings other than `0`/`false`).
    static func truthy(_ value: Any?) -> Bool {
        guard let text = text(value)?.lowercased() else { return false }
        return !["", "0", "false", "no", "off"].contains(text)
    }
}
