import CrosswalkPluginKit

/// One `where[n]` condition of Mautic's list API: `col`/`expr`/`val`, or a group (`andX`/`orX`) whose `val` is a
/// list of conditions.
struct AriticWhere: Sendable, Equatable {
    enum Value: Sendable, Equatable {
        case none
        case text(String)
        case list([String])
        case group([AriticWhere])
    }

    var col: String
    var expr: String
    var val: Value

    static func group(_ expr: String, _ children: [AriticWhere]) -> AriticWhere { AriticWhere(col: "", expr: expr, val: .group(children)) }

    /// Query items under `prefix` (`where[0]`).
    func items(_ prefix: String) -> [(String, String)] {
        var out: [(String, String)] = []
        if !col.isEmpty { out.append(("\(prefix)[col]", col)) }
        out.append(("\(prefix)[expr]", expr))
        switch val {
        case .none: break
        case .text(let t): out.append(("\(prefix)[val]", t))
        case .list(let l): for (i, v) in l.enumerated() { out.append(("\(prefix)[val][\(i)]", v)) }
        case .group(let g): for (i, w) in g.enumerated() { out += w.items("\(prefix)[val][\(i)]") }
        }
        return out
    }

    /// `where[0]…where[n]`.
    static func items(_ wheres: [AriticWhere]) -> [(String, String)] {
        wheres.enumerated().flatMap { $0.element.items("where[\($0.offset)]") }
    }

    /// `(col, id) > mark`, for a keyset page.
    static func after(_ col: String, _ mark: AriticMark) -> AriticWhere {
        let at = AriticTime.database(mark.at)
        return .group("orX", [
            AriticWhere(col: col, expr: "gt", val: .text(at)),
            .group("andX", [AriticWhere(col: col, expr: "eq", val: .text(at)), AriticWhere(col: "id", expr: "gt", val: .text(String(mark.id)))]),
        ])
    }
}

/// The ABI's filter (crosswalk.h, "FILTER") as `where[]` conditions; `nil` when some part cannot be expressed
/// (`not`, an unknown field name), in which case the host filters.
enum AriticFilter {
    /// A record field name to its column (`dateModified` → `date_modified`; aliases are columns already).
    static func column(_ field: String) -> String? {
        switch field {
        case "id": return "id"
        case "dateModified": return "date_modified"
        case "dateAdded": return "date_added"
        default:
            let ok = !field.isEmpty && field.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
            return ok ? field : nil
        }
    }

    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s):
            // Times compare in the database form (UTC, whole seconds).
            if s.count >= 19, s.contains("T"), let d = AriticTime.parse(s) { return AriticTime.database(d) }
            return s
        case .number(let n): return n.description
        case .bool(let b): return b ? "1" : "0"
        default: return nil
        }
    }

    static func translate(_ filter: Filter?) -> [AriticWhere]? {
        guard let filter else { return [] }
        if case .and(let parts) = filter {
            var out: [AriticWhere] = []
            for part in parts {
                guard let w = one(part) else { return nil }
                out.append(w)
            }
            return out
        }
        return one(filter).map { [$0] }
    }

    private static func one(_ filter: Filter) -> AriticWhere? {
        switch filter {
        case .and(let parts), .or(let parts):
            var children: [AriticWhere] = []
            for part in parts {
                guard let w = one(part) else { return nil }
                children.append(w)
            }
            if case .and = filter { return .group("andX", children) }
            return .group("orX", children)
        case .not:
            return nil
        case .compare(let op, let field, let value):
            guard let col = column(field), let val = text(value) else { return nil }
            // SQL's `!=` drops nulls; the ABI's `ne` keeps them.
            if op == "ne" { return .group("orX", [AriticWhere(col: col, expr: "neq", val: .text(val)), AriticWhere(col: col, expr: "isNull", val: .none)]) }
            let expr = ["eq": "eq", "lt": "lt", "le": "lte", "gt": "gt", "ge": "gte"][op]
            return expr.map { AriticWhere(col: col, expr: $0, val: .text(val)) }
        case .oneOf(let field, let values):
            guard let col = column(field) else { return nil }
            let texts = values.compactMap(text)
            guard texts.count == values.count, !texts.isEmpty else { return nil }
            return AriticWhere(col: col, expr: "in", val: .list(texts))
        case .isNull(let field, let isNull):
            guard let col = column(field) else { return nil }
            return AriticWhere(col: col, expr: isNull ? "isNull" : "isNotNull", val: .none)
        }
    }
}
