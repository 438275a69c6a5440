import CrosswalkCore
import Foundation

/// `POST /crm/v3/objects/{objectType}/search`: OR of AND filter groups, one sort, `query`, offset paging
/// capped at 10,000 results. Archived records never match.
enum HubSpotSearch {
    static let maxGroups = 5, maxFiltersPerGroup = 6, maxFilters = 18, maxLimit = 200, resultCap = 10_000

    static func search(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let body = try HubSpotJSON.object(call.request)
        let groups = try filterGroups(body["filterGroups"], type: type, state: state)
        let limit = try HubSpotJSON.field(body, "limit", as: Int.self) ?? 10
        guard (1...maxLimit).contains(limit) else { throw .validation("limit must be between 1 and \(maxLimit); got \(limit).") }
        var offset = 0
        if let after = body["after"], !(after is NSNull), let text = HubSpotJSON.text(after), !text.isEmpty {
            guard let n = Int(text), n >= 0 else { throw .validation("after must be an integer offset; got \(text).") }
            offset = n
        }
        guard offset + limit <= resultCap else {
            throw .validation("Paging beyond \(resultCap) results is not supported: narrow the filters (e.g. on \(type.lastModifiedProperty)) instead.")
        }
        let query = (try HubSpotJSON.field(body, "query", as: String.self))?.lowercased().trimmingCharacters(in: .whitespaces) ?? ""
        guard query.count <= 3000 else { throw .validation("query must be at most 3000 characters.") }
        let sort = try sortRule(body["sorts"], type: type, state: state)
        let properties = state.known(type, try HubSpotJSON.field(body, "properties", as: [String].self).flatMap { $0.isEmpty ? nil : $0 })

        state.catchUpSearchIndex(now: call.now)
        let plan = HubSpotSearchPlan(type: type, groups: groups, query: query, sort: sort, state: &state)
        let signature = HubSpotSearchPlan.signature(type, body)
        let (page, total) = plan.page(offset: offset, limit: limit, signature: signature, state: &state)
        let reachable = min(total, resultCap)
        let names = HubSpotRecordJSON.names(type, requested: properties)
        var response: [String: Any] = ["total": total, "results": page.map { HubSpotRecordJSON(record: $0, names: names) }]
        if offset + limit < reachable { response["paging"] = ["next": ["after": String(offset + limit)]] }
        return HubSpotJSONWriter.response(200, response)
    }

    /// Parses and checks `filterGroups` against the limits (5 groups, 6 per group, 18 in all).
    static func filterGroups(_ raw: Any?, type: HubSpotObjectType, state: HubSpotState) throws(HubSpotError) -> [[HubSpotFilter]] {
        guard let raw, !(raw is NSNull) else { return [] }
        guard let groups = raw as? [[String: Any]] else { throw .validation("filterGroups must be an array of {filters:[…]}.") }
        guard groups.count <= maxGroups else { throw .validation("Too many filter groups: \(groups.count). The maximum is \(maxGroups).") }
        var total = 0
        var parsed: [[HubSpotFilter]] = []
        for group in groups {
            let filters = (group["filters"] as? [[String: Any]]) ?? []
            guard filters.count <= maxFiltersPerGroup else {
                throw .validation("Too many filters in a group: \(filters.count). The maximum is \(maxFiltersPerGroup) per group.")
            }
            total += filters.count
            var list: [HubSpotFilter] = []
            for filter in filters { list.append(try HubSpotFilter(filter, type: type, state: state)) }
            parsed.append(list)
        }
        guard total <= maxFilters else { throw .validation("Too many filters: \(total). The maximum is \(maxFilters) across all groups.") }
        return parsed.filter { !$0.isEmpty }
    }

    /// The one sort rule: `[{"propertyName":…, "direction":"ASCENDING"|"DESCENDING"}]` or `["name"]` / `["-name"]`.
    static func sortRule(_ raw: Any?, type: HubSpotObjectType, state: HubSpotState) throws(HubSpotError) -> (property: String, ascending: Bool)? {
        guard let raw, !(raw is NSNull), let list = raw as? [Any], !list.isEmpty else { return nil }
        guard list.count == 1 else { throw .validation("Only one sort is supported; got \(list.count).") }
        var rule: (String, Bool)
        if let text = list[0] as? String {
            rule = text.hasPrefix("-") ? (String(text.dropFirst()), false) : (text, true)
        } else if let object = list[0] as? [String: Any], let name = object["propertyName"] as? String {
            let direction = (object["direction"] as? String ?? "ASCENDING").uppercased()
            guard direction == "ASCENDING" || direction == "DESCENDING" else { throw .validation("direction must be ASCENDING or DESCENDING.") }
            rule = (name, direction == "ASCENDING")
        } else {
            throw .validation("sorts must hold a property name or {propertyName, direction}.")
        }
        guard state.properties[type]?[rule.0] != nil else { throw .validation("Unknown sort property: \(rule.0).") }
        return rule
    }

    /// `query` matches when a word of one of the type's text properties starts with it.
    static func matchesQuery(_ view: [String: String], _ query: String, _ type: HubSpotObjectType) -> Bool {
        guard !query.isEmpty else { return true }
        return type.queryProperties.contains { name in
            guard let value = view[name]?.lowercased() else { return false }
            return value.hasPrefix(query) || HubSpotFilter.tokens(value).contains { $0.hasPrefix(query) }
        }
    }
}

/// One search filter, parsed and bound to its property definition.
struct HubSpotFilter {
    var property: String
    var op: String
    var value: String?
    var values: [String]
    var highValue: String?
    var definition: HubSpotProperty?

    static let operators: Set<String> = ["EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY",
                                         "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"]

    init(_ raw: [String: Any], type: HubSpotObjectType, state: HubSpotState) throws(HubSpotError) {
        guard let property = raw["propertyName"] as? String else { throw .validation("Each filter needs a propertyName.") }
        let op = (raw["operator"] as? String ?? "EQ").uppercased()
        guard Self.operators.contains(op) else { throw .validation("Unknown filter operator: \(op).") }
        guard let definition = state.properties[type]?[property] else {
            throw .validation("There was a problem with the request: property \(property) does not exist on \(type.rawValue).")
        }
        self.property = property
        self.op = op
        self.definition = definition
        value = raw["value"].flatMap { HubSpotJSON.text($0) }
        highValue = raw["highValue"].flatMap { HubSpotJSON.text($0) }
        values = ((raw["values"] as? [Any]) ?? []).compactMap { HubSpotJSON.text($0) }
        switch op {
        case "IN", "NOT_IN": guard !values.isEmpty else { throw .validation("\(op) needs a non-empty values array.") }
        case "BETWEEN": guard value != nil, highValue != nil else { throw .validation("BETWEEN needs value and highValue.") }
        case "HAS_PROPERTY", "NOT_HAS_PROPERTY": break
        default: guard value != nil else { throw .validation("\(op) on \(property) needs a value.") }
        }
    }

    func matches(_ view: [String: String]) -> Bool {
        let actual = view[property]
        switch op {
        case "HAS_PROPERTY": return actual != nil
        case "NOT_HAS_PROPERTY": return actual == nil
        case "NEQ": return actual == nil || Self.compare(actual, value, definition: definition) != 0
        case "NOT_IN": return actual == nil || !values.contains { Self.compare(actual, $0, definition: definition) == 0 }
        case "NOT_CONTAINS_TOKEN": return actual == nil || !Self.containsToken(actual!, value ?? "")
        default: break
        }
        guard let actual else { return false }
        switch op {
        case "EQ": return Self.compare(actual, value, definition: definition) == 0
        case "LT": return Self.compare(actual, value, definition: definition) < 0
        case "LTE": return Self.compare(actual, value, definition: definition) <= 0
        case "GT": return Self.compare(actual, value, definition: definition) > 0
        case "GTE": return Self.compare(actual, value, definition: definition) >= 0
        case "BETWEEN":
            return Self.compare(actual, value, definition: definition) >= 0 && Self.compare(actual, highValue, definition: definition) <= 0
        case "IN": return values.contains { Self.compare(actual, $0, definition: definition) == 0 }
        case "CONTAINS_TOKEN": return Self.containsToken(actual, value ?? "")
        default: return false
        }
    }

    /// Orders two values by the property's type: numbers numerically, dates by instant (ISO or epoch ms),
    /// text case-insensitively. A missing value sorts first.
    static func compare(_ a: String?, _ b: String?, definition: HubSpotProperty?) -> Int {
        guard let a else { return b == nil ? 0 : -1 }
        guard let b else { return 1 }
        switch definition?.type {
        case "number":
            if let x = Double(a), let y = Double(b) { return x < y ? -1 : (x > y ? 1 : 0) }
        case "date", "datetime":
            if let x = HubSpotTime.parse(a), let y = HubSpotTime.parse(b) { return x < y ? -1 : (x > y ? 1 : 0) }
        default: break
        }
        if a == b { return 0 }
        return caseInsensitive(a, b)
    }

    /// Compares without case: byte by byte for ASCII (no allocation: search compares every candidate), by
    /// `lowercased()` otherwise.
    static func caseInsensitive(_ a: String, _ b: String) -> Int {
        var i = a.utf8.makeIterator(), j = b.utf8.makeIterator()
        while true {
            switch (i.next(), j.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case let (x?, y?):
                if x >= 128 || y >= 128 {
                    let l = a.lowercased(), r = b.lowercased()
                    return l < r ? -1 : (l > r ? 1 : 0)
                }
                let lx = x >= 65 && x <= 90 ? x + 32 : x, ly = y >= 65 && y <= 90 ? y + 32 : y
                if lx != ly { return lx < ly ? -1 : 1 }
            }
        }
    }

    /// Words of a value: split on anything but letters and digits.
    static func tokens(_ value: String) -> [String] {
        value.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    /// `CONTAINS_TOKEN`: a whole word matches, `*` is a wildcard (`*@example.com` matches the whole value).
    static func containsToken(_ actual: String, _ pattern: String) -> Bool {
        let p = pattern.lowercased(), text = actual.lowercased()
        if p.contains("*") { return glob(p, text) || tokens(text).contains { glob(p, $0) } }
        return text == p || tokens(text).contains(p) || tokens(p).count > 1 && text.contains(p)
    }

    private static func glob(_ pattern: String, _ text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(text)
        for (i, part) in parts.enumerated() {
            if part.isEmpty { continue }
            if i == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if i == parts.count - 1 {
                return rest.hasSuffix(part)
            } else {
                guard let range = rest.range(of: part) else { return false }
                rest = rest[range.upperBound...]
            }
        }
        return parts.last?.isEmpty == true || rest.isEmpty
    }
}
