import CrosswalkPluginKit

/// What of the ABI's filter the DataObject search can apply: `stageId` equal to or in a list (`stageId=a,b`) and the
/// presence of an e-mail or phone (`is_null` on the type's Email/Phone field → `hasEmail`/`hasPhone`), in a
/// top-level `and`. Everything else is left to the host.
enum SPOTIOFilter {
    struct PushDown: Sendable {
        var query = ""
        var applied: FilterApplied? = nil
    }

    static func pushDown(_ filter: Filter?, type: SPOTIOType) -> PushDown {
        guard let filter else { return PushDown() }
        let parts: [Filter]
        if case .and(let args) = filter { parts = args } else { parts = [filter] }
        var query = ""
        var pushed = 0
        var stageUsed = false
        var flags: Set<String> = []
        for part in parts {
            switch part {
            case .compare("eq", "stageId", let value) where !stageUsed:
                guard let id = SPOTIOJSON.string(value) else { continue }
                query += "&stageId=\(SPOTIOQuery.encode(id))"
                stageUsed = true
                pushed += 1
            case .oneOf("stageId", let values) where !stageUsed && !values.isEmpty:
                let ids = values.compactMap { SPOTIOJSON.string($0) }
                guard ids.count == values.count else { continue }
                query += "&stageId=\(SPOTIOQuery.list(ids))"
                stageUsed = true
                pushed += 1
            case .isNull(let field, let isNull):
                let role = type.field(named: field)?.systemRole
                guard let role, role == "Email" || role == "Phone" else { continue }
                let name = role == "Email" ? "hasEmail" : "hasPhone"
                // The search checks any field of that role: exact only when the type has one such field.
                guard type.fields.filter({ $0.systemRole == role }).count == 1, !flags.contains(name) else { continue }
                flags.insert(name)
                query += "&\(name)=\(isNull ? "false" : "true")"
                pushed += 1
            default:
                continue
            }
        }
        let applied: FilterApplied = pushed == 0 ? .none : (pushed == parts.count ? .full : .partial)
        return PushDown(query: query, applied: applied)
    }
}
