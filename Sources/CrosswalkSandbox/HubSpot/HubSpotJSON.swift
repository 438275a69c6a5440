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

    /// The JSON object of a request body, or a 400 in HubSpot's shape.
    static func object(_ request: SandboxRequest) throws(HubSpotError) -> [String: Any] {
        guard let body = request.jsonBody() as? [String: Any] else {
            throw .validation("Invalid input JSON on line 1, column 1: the request body must be a JSON object.")
        }
        return body
    }

    /// The `inputs` array of a batch body, capped at `limit` (HubSpot's batch limit is 100).
    static func inputs(_ body: [String: Any], limit: Int = 100) throws(HubSpotError) -> [[String: Any]] {
        guard let inputs = body["inputs"] as? [[String: Any]] else { throw .validation("inputs is required and must be an array of objects.") }
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
        var o: [String: Any] = ["id": record.id, "properties": props, "createdAt": HubSpotTime.iso(record.createdAt),
                                "updatedAt": HubSpotTime.iso(record.updatedAt), "archived": record.archived]
        if let archivedAt = record.archivedAt { o["archivedAt"] = HubSpotTime.iso(archivedAt) }
        if let history, !history.isEmpty {
            var withHistory: [String: Any] = [:]
            for name in history {
                withHistory[name] = (record.history[name] ?? []).map {
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
