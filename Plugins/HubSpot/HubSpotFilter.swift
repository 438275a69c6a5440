import CrosswalkPluginKit

/// The ABI's filter (crosswalk.h, "FILTER") as filters of one search filter group (AND'ed); `nil` when some part
/// cannot be expressed (`or`, `not`, too many filters), in which case the host filters.
enum HubSpotFilter {
    /// A group holds at most 6 filters (search guide, Limitations); the read's own window takes 2.
    static let maxPushed = 4

    static func translate(_ filter: Filter?, kind: HubSpotKind) -> [JSONValue]? {
        guard let filter else { return nil }
        var out: [JSONValue] = []
        func add(_ f: Filter) -> Bool {
            switch f {
            case .and(let parts):
                return parts.allSatisfy(add)
            case .or, .not:
                return false
            case .compare(let op, let field, let value):
                guard let name = property(field), let text = text(value) else { return false }
                let ops = ["eq": "EQ", "ne": "NEQ", "lt": "LT", "le": "LTE", "gt": "GT", "ge": "GTE"]
                guard let hs = ops[op] else { return false }
                out.append(["propertyName": .string(name), "operator": .string(hs), "value": .string(text)])
                return true
            case .oneOf(let field, let values):
                guard let name = property(field) else { return false }
                let texts = values.compactMap(text)
                guard !texts.isEmpty, texts.count == values.count else { return false }
                out.append(["propertyName": .string(name), "operator": "IN", "values": .array(texts.map(JSONValue.string))])
                return true
            case .isNull(let field, let isNull):
                guard let name = property(field) else { return false }
                out.append(["propertyName": .string(name), "operator": .string(isNull ? "NOT_HAS_PROPERTY" : "HAS_PROPERTY")])
                return true
            }
        }
        guard add(filter), out.count <= maxPushed else { return nil }
        return out
    }

    /// A record field is a property name (`id` is `hs_object_id`).
    static func property(_ field: String) -> String? {
        if field == "id" { return "hs_object_id" }
        let ok = !field.isEmpty && field.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        return ok ? field : nil
    }

    /// A filter value as HubSpot compares it: times as epoch milliseconds, booleans as `true`/`false`.
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s):
            if s.count >= 20, s.contains("T"), let ms = HubSpotTime.millis(s) { return String(ms) }
            return s
        case .number(let n): return n.description
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }
}
