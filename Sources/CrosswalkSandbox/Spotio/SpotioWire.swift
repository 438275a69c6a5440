import CrosswalkCore
import Foundation

/// SPOTIO's wire conventions: ASP.NET dates, the `{"errors": {...}}` envelope, JSON bodies.
enum SpotioWire {
    /// `2026-08-03T07:14:38.6854614+00:00`, the shape of the spec's examples (7 fractional digits, UTC offset).
    static func date(_ date: Date) -> String {
        // Millisecond precision (what Foundation dates carry reliably), padded to .NET's 7 digits.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1_000).rounded())
        let whole = milliseconds >= 0 ? milliseconds / 1_000 : (milliseconds - 999) / 1_000
        let ticks = Int(milliseconds - whole * 1_000) * 10_000
        let base = Date(timeIntervalSince1970: TimeInterval(whole))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: base)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%07d+00:00",
                      c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0, c.minute ?? 0, c.second ?? 0, ticks)
    }

    /// A date or JSON `null`.
    static func date(_ date: Date?) -> Any { date.map { SpotioWire.date($0) } ?? NSNull() }

    /// Parses ISO 8601 with or without fractional seconds and with `Z` or an offset; plain dates too.
    static func parseDate(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = withFraction.date(from: trimmed) { return d }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let d = plain.date(from: trimmed) { return d }
        // ASP.NET emits up to 7 fractional digits, which ISO8601DateFormatter rejects: cut to 3.
        if let dot = trimmed.firstIndex(of: "."), let end = trimmed[dot...].firstIndex(where: { !$0.isNumber && $0 != "." }) {
            let digits = trimmed[trimmed.index(after: dot)..<end]
            if digits.count > 3 {
                let cut = String(trimmed[..<trimmed.index(after: dot)]) + digits.prefix(3) + trimmed[end...]
                if let d = withFraction.date(from: cut) { return d }
            }
        }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let d = day.date(from: trimmed) { return d }
        // Naive timestamps (no zone) are read as UTC, as ASP.NET does with DateTimeKind.Unspecified.
        return plain.date(from: trimmed + "Z")
    }

    /// The error envelope `{"errors": {"<field or _>": "<message>"}}`.
    static func error(_ status: Int, field: String = "_", _ message: String, headers: HTTPFields = [:]) -> SandboxResponse {
        .json(status, ["errors": [field: message]], headers: headers)
    }

    /// 401 as ASP.NET's JWT bearer handler sends it: no body, a `WWW-Authenticate` challenge.
    static func unauthorized(_ description: String?) -> SandboxResponse {
        var challenge = "Bearer"
        if let description { challenge += " error=\"invalid_token\", error_description=\"\(description)\"" }
        return .empty(401, headers: ["WWW-Authenticate": challenge])
    }

    /// 404 for an unknown route: empty, as ASP.NET routing answers.
    static let routeNotFound = SandboxResponse.empty(404)

    static func notFound(_ what: String, _ id: String) -> SandboxResponse {
        error(404, "\(what) '\(id)' was not found")
    }

    /// Media types SPOTIO accepts on request bodies.
    static func acceptsBody(contentType: String?) -> Bool {
        guard let contentType = contentType?.lowercased() else { return true }
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return media == "application/json" || media == "text/json" || (media.hasPrefix("application/") && media.hasSuffix("+json"))
    }

    /// The request's JSON body, or the error answer SPOTIO gives when it is missing, malformed or not JSON.
    static func jsonBody(_ request: SandboxRequest) -> Result<Any, SpotioRejection> {
        guard acceptsBody(contentType: request.headers["Content-Type"]) else {
            return .failure(SpotioRejection(response: error(415, "Unsupported content type '\(request.headers["Content-Type"] ?? "")'")))
        }
        guard !request.body.isEmpty else {
            return .failure(SpotioRejection(response: error(400, field: "body", "A non-empty request body is required.")))
        }
        guard let value = request.jsonBody() else {
            return .failure(SpotioRejection(response: error(400, field: "body", "The request body is not valid JSON.")))
        }
        return .success(value)
    }

    /// The JSON body as an object.
    static func jsonObject(_ request: SandboxRequest) -> Result<[String: Any], SpotioRejection> {
        jsonBody(request).flatMap { value in
            guard let object = value as? [String: Any] else {
                return .failure(SpotioRejection(response: error(400, field: "body", "The request body must be a JSON object.")))
            }
            return .success(object)
        }
    }

}

/// A request refused with the answer to send.
struct SpotioRejection: Error {
    var response: SandboxResponse
}

/// Typed reads from a decoded JSON object, tolerant of numbers sent as strings and vice versa.
extension Dictionary where Key == String, Value == Any {
    func spotioString(_ key: String) -> String? {
        switch self[key] {
        case let s as String: return s
        case let i as Int: return String(i)
        case let d as Double: return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        default: return nil
        }
    }

    func spotioDouble(_ key: String) -> Double? {
        switch self[key] {
        case let d as Double: return d
        case let i as Int: return Double(i)
        case let s as String: return Double(s)
        default: return nil
        }
    }

    func spotioInt(_ key: String) -> Int? {
        switch self[key] {
        case let i as Int: return i
        case let d as Double where d == d.rounded(): return Int(d)
        case let s as String: return Int(s)
        default: return nil
        }
    }

    func spotioBool(_ key: String) -> Bool? {
        switch self[key] {
        case let b as Bool: return b
        case let s as String: return s.lowercased() == "true" ? true : (s.lowercased() == "false" ? false : nil)
        default: return nil
        }
    }
}
