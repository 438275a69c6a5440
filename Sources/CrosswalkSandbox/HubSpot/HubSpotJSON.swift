import CrosswalkCore
import Foundation

/// Reading request JSON and writing HubSpot's object shapes.
enum HubSpotJSON {
    /// A JSON scalar as HubSpot stores it: strings as is, numbers in decimal, booleans `true`/`false`;
    /// `.some(nil)` for JSON null; `nil` when `value` is an array or object.
    static func scalarText(_ value: Any) -> String?? {
        switch value {
        case is NSNull: return .some(nil)
        case let s as String: return s
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" { return n.boolValue ? "true" : "false" }
            return n.stringValue
        default: return nil
        }
    }

    /// A string or number field of a request object as text (ids arrive as either).
    static func text(_ value: Any?) -> String? {
        guard let value, let scalar = scalarText(value), let text = scalar else { return nil }
        return text
    }

    /// The object's `after`-style integer field, sent as a string or a number.
    static func integer(_ value: Any?) -> Int? { text(value).flatMap { Int($0) } }

    /// The JSON object of a request body, or HubSpot's 400 `Invalid input JSON on line L, column C: …`.
    static func object(_ request: SandboxRequest) throws(HubSpotError) -> [String: Any] {
        let parsed = try value(request)
        guard let body = parsed as? [String: Any] else {
            throw .validation("Invalid input JSON on line 1, column 1: Cannot deserialize value of type `PublicObjectInput` from \(kind(parsed)): expected a JSON object.")
        }
        return body
    }

    /// The request body as JSON (any value), or HubSpot's 400 for an empty or malformed body.
    static func value(_ request: SandboxRequest) throws(HubSpotError) -> Any {
        guard !request.body.isEmpty else {
            throw .validation("Invalid input JSON on line 1, column 1: No content to map due to end-of-input")
        }
        do {
            return try JSONSerialization.jsonObject(with: request.body, options: [.fragmentsAllowed])
        } catch {
            let (line, column) = position(of: error, in: request.body)
            throw .validation("Invalid input JSON on line \(line), column \(column): Unexpected character or end-of-input; the body is not valid JSON.")
        }
    }

    /// Where parsing stopped, from Foundation's error text or the end of the body.
    private static func position(of error: any Error, in body: Data) -> (Int, Int) {
        let text = "\(error)"
        if let range = text.range(of: #"line (\d+), column (\d+)"#, options: .regularExpression) {
            let numbers = text[range].split { !$0.isNumber }.compactMap { Int($0) }
            if numbers.count == 2 { return (numbers[0], numbers[1]) }
        }
        let lines = body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        return (lines.count, (lines.last?.count ?? 0) + 1)
    }

    /// JSON's name for the kind of `value`, as Jackson's messages put it.
    static func kind(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: "null"
        case is String: "String"
        case let n as NSNumber: String(cString: n.objCType) == "c" ? "Boolean" : "Number"
        case is [Any]: "Array value (token `JsonToken.START_ARRAY`)"
        case is [String: Any]: "Object value (token `JsonToken.START_OBJECT`)"
        default: "value"
        }
    }

    /// An optional field of a request object, checked for type: absent or null gives nil; a wrong type is HubSpot's
    /// 400 (`Cannot deserialize value of type …`). Numbers in strings are accepted where HubSpot coerces them.
    static func field<T>(_ object: [String: Any], _ name: String, as type: T.Type) throws(HubSpotError) -> T? {
        guard let raw = object[name], !(raw is NSNull) else { return nil }
        switch type {
        case is Int.Type:
            if let n = integer(raw), !(raw is [Any]) { return n as? T }
        case is String.Type:
            if let text = raw as? String { return text as? T }
            if let n = raw as? NSNumber, String(cString: n.objCType) != "c" { return n.stringValue as? T }
        case is [String].Type:
            if let list = raw as? [Any] {
                let texts = list.compactMap { $0 as? String ?? ($0 as? NSNumber)?.stringValue }
                if texts.count == list.count { return texts as? T }
            }
        case is Bool.Type:
            if let n = raw as? NSNumber, String(cString: n.objCType) == "c" { return n.boolValue as? T }
        default:
            if let value = raw as? T { return value }
        }
        throw .invalidJSON(name, expected: "\(type)", got: raw)
    }

    /// The `inputs` array of a batch body, capped at `limit` (HubSpot's batch limit is 100).
    static func inputs(_ body: [String: Any], limit: Int = 100) throws(HubSpotError) -> [[String: Any]] {
        guard let raw = body["inputs"], !(raw is NSNull) else { throw .validation("inputs is required and must be an array of objects.") }
        guard let inputs = raw as? [[String: Any]] else { throw .invalidJSON("inputs", expected: "an array of objects", got: raw) }
        guard inputs.count <= limit else {
            throw .validation("Too many inputs: \(inputs.count). A batch request accepts at most \(limit) inputs.", context: ["limit": [String(limit)]])
        }
        return inputs
    }

    /// A list of property names given as `a,b` or repeated parameters (`properties=a&properties=b`).
    static func names(_ request: SandboxRequest, _ parameter: String) -> [String]? {
        let values = request.query.filter { $0.name == parameter }.flatMap { $0.value.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        return values.isEmpty ? nil : values.filter { !$0.isEmpty }
    }

    /// `SimplePublicObject`: id, properties (requested ones that are unset appear as null), timestamps, archived.
    static func record(_ record: HubSpotRecord, properties requested: [String]?, history: [String]? = nil,
                       associations: [String: Any]? = nil) -> [String: Any] {
        var props: [String: Any] = [:]
        if let requested {
            for name in Set(requested + record.type.alwaysReturned) { props[name] = record.properties[name] ?? NSNull() }
        } else {
            for name in record.type.defaultProperties { props[name] = record.properties[name] ?? NSNull() }
        }
        var o: [String: Any] = ["id": record.idText, "properties": props, "createdAt": HubSpotTime.iso(record.createdAt),
                                "updatedAt": HubSpotTime.iso(record.updatedAt), "archived": record.archived]
        if let archivedAt = record.archivedAt { o["archivedAt"] = HubSpotTime.iso(archivedAt) }
        if let history, !history.isEmpty {
            var withHistory: [String: Any] = [:]
            for name in history {
                withHistory[name] = record.history(name).map {
                    ["value": $0.value, "timestamp": HubSpotTime.iso($0.timestamp), "sourceType": $0.sourceType] as [String: Any]
                }
            }
            o["propertiesWithHistory"] = withHistory
        }
        if let associations, !associations.isEmpty { o["associations"] = associations }
        return o
    }

    /// A batch envelope: `status`, `results`, timestamps, and `numErrors`/`errors` when some inputs failed.
    static func batch(_ results: [[String: Any]], errors: [HubSpotError] = [], startedAt: Date, completedAt: Date) -> [String: Any] {
        var o: [String: Any] = ["status": "COMPLETE", "results": results, "startedAt": HubSpotTime.iso(startedAt),
                                "completedAt": HubSpotTime.iso(completedAt)]
        if !errors.isEmpty {
            o["numErrors"] = errors.count
            o["errors"] = errors.map(\.standardError)
        }
        return o
    }
}
