import CrosswalkCore
import Foundation

/// Converts field values between request JSON, the stored canonical text and response JSON.
enum NetSuiteValues {
    /// A number without a trailing `.0` when integral.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// Reads one JSON value of a request body for `field`; a reference may be `{"id":…}` or `{"externalId":…}`.
    /// Returns `.some(nil)` for JSON null (the field is cleared).
    static func parse(_ value: Any, field: NetSuiteField, path: String, state: NetSuiteState) throws(NetSuiteError) -> String?? {
        if value is NSNull { return .some(nil) }
        func invalid() -> NetSuiteError {
            .badRequest("INVALID_CONTENT", "Error while accessing resource: You have entered an Invalid Field Value \(describe(value)) for the following field: \(field.name)",
                        path: path)
        }
        switch field.type {
        case .text:
            if let s = value as? String { return s }
            if let n = value as? NSNumber, !isBool(n) { return n.stringValue }
            throw invalid()
        case .integer:
            if let n = value as? NSNumber, !isBool(n), n.doubleValue == n.doubleValue.rounded() { return String(n.int64Value) }
            if let s = value as? String, let i = Int64(s) { return String(i) }
            throw invalid()
        case .number:
            if let n = value as? NSNumber, !isBool(n) { return number(n.doubleValue) }
            if let s = value as? String, let d = Double(s) { return number(d) }
            throw invalid()
        case .boolean:
            if let n = value as? NSNumber, isBool(n) { return n.boolValue ? "true" : "false" }
            throw invalid()
        case .date, .datetime:
            guard let s = value as? String, let parsed = NetSuiteTime.parse(s) else { throw invalid() }
            return field.type == .date ? NetSuiteTime.day(parsed.date) : NetSuiteTime.iso(parsed.date)
        case let .reference(target):
            guard let object = value as? [String: Any] else { throw invalid() }
            if let externalId = object["externalId"] as? String {
                guard let record = state.find(target, key: "eid:\(externalId)") else { throw invalid() }
                return String(record.id)
            }
            let id: String? = (object["id"] as? String) ?? (object["id"] as? NSNumber).map { String($0.int64Value) }
            guard let id, state.refName(target, id) != nil else {
                throw .badRequest("INVALID_CONTENT", "Error while accessing resource: You have entered an Invalid Field Value \(id ?? "null") for the following field: \(field.name)",
                                  path: path)
            }
            return id
        }
    }

    /// The response JSON of a stored value: numbers and booleans typed, references as `{links, id, refName}`.
    static func render(_ text: String, field: NetSuiteField, state: NetSuiteState, baseURL: String) -> Any {
        switch field.type {
        case .text, .date, .datetime: return text
        case .integer: return Int64(text).map { NSNumber(value: $0) } ?? text
        case .number: return Double(text).map { NSNumber(value: $0) } ?? text
        case .boolean: return text == "true"
        case let .reference(target):
            var ref: [String: Any] = ["id": text, "links": [["rel": "self", "href": "\(baseURL)/services/rest/record/v1/\(target)/\(text)"]]]
            if let name = state.refName(target, text) { ref["refName"] = name }
            return ref
        }
    }

    /// JSON booleans arrive as NSNumber whose Objective-C type is `c`.
    static func isBool(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    private static func describe(_ value: Any) -> String {
        if let s = value as? String { return s }
        if let n = value as? NSNumber { return n.stringValue }
        return String(decoding: (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])) ?? Data(), as: UTF8.self)
    }
}
