import CrosswalkCore
import Foundation

/// The filters of `GET|POST /api/DataObjectsSearch` the emulator applies: text (`q` / `queryText`), `singleType`,
/// `stageId`, `stageGroups`, `hasEmail`, `hasPhone`, `hasPhoneOrEmail`, `hasAddress`, `sortBy`, `perPage`.
/// Map filters (`area`, `polygon`, `lat`/`lng`), saved filters (`filterId`) and `placeIds` are accepted and ignored.
struct SpotioSearch {
    var text: String?
    var typeId: String?
    var stageIds: Set<String> = []
    var stageGroups: Set<String> = []
    var hasEmail: Bool?
    var hasPhone: Bool?
    var hasPhoneOrEmail: Bool?
    var hasAddress: Bool?
    /// Sort key and direction (`-` prefix = descending).
    var sortKey = "createdAt"
    var descending = false
    var perPage = 50
    var includeOwnerExternalUserId = false
    /// `simple` search: only these records (`dataObjectIds`).
    var onlyIds: Set<String>?
    /// `simple` search: a phone whose digits contain these (`phoneNumber`).
    var phoneDigits: String?

    static let sortKeys = ["createdAt", "updatedAt", "name", "value", "stageUpdatedAt"]
    static let maxPerPage = 1000

    static func parse(_ c: [String: Any]) -> Result<SpotioSearch, SpotioInput.Invalid> {
        var s = SpotioSearch()
        s.text = (c.spotioString("queryText") ?? c.spotioString("q")).flatMap { $0.isEmpty ? nil : $0.lowercased() }
        s.typeId = c.spotioString("singleType")
        s.stageIds = Set((c.spotioString("stageId") ?? "").split(separator: ",").map(String.init))
        s.stageGroups = Set((c.spotioString("stageGroups") ?? "").lowercased().split(separator: ",").map(String.init))
        guard s.stageGroups.isSubset(of: ["active", "won", "lost"]) else {
            return .failure(.init("stageGroups", "stageGroups can be 'active', 'won' or 'lost'."))
        }
        s.hasEmail = c.spotioBool("hasEmail")
        s.hasPhone = c.spotioBool("hasPhone")
        s.hasPhoneOrEmail = c.spotioBool("hasPhoneOrEmail")
        s.hasAddress = c.spotioBool("hasAddress")
        s.includeOwnerExternalUserId = c.spotioBool("includeOwnerExternalUserId") ?? false
        if let sort = c.spotioString("sortBy"), !sort.isEmpty {
            s.descending = sort.hasPrefix("-")
            let key = s.descending ? String(sort.dropFirst()) : sort
            guard let known = sortKeys.first(where: { $0.caseInsensitiveCompare(key) == .orderedSame }) else {
                return .failure(.init("sortBy", "sortBy can be \(sortKeys.joined(separator: ", ")), with '-' for descending."))
            }
            s.sortKey = known
        }
        if c["perPage"] != nil, !(c["perPage"] is NSNull) {
            guard let perPage = c.spotioInt("perPage"), (1...maxPerPage).contains(perPage) else {
                return .failure(.init("perPage", "perPage must be between 1 and \(maxPerPage)."))
            }
            s.perPage = perPage
        }
        return .success(s)
    }

    func matches(_ r: SpotioDataObject, in state: SpotioState, render: SpotioRender) -> Bool {
        if let typeId, r.typeId != typeId { return false }
        if let onlyIds, !onlyIds.contains(r.id) { return false }
        if let phoneDigits, !render.values(of: r, role: "Phone").contains(where: { $0.filter(\.isNumber).contains(phoneDigits) }) { return false }
        if !stageIds.isEmpty, !stageIds.contains(r.stageId) { return false }
        if !stageGroups.isEmpty {
            guard let group = state.type(r.typeId)?.stage(r.stageId)?.group, stageGroups.contains(group) else { return false }
        }
        if hasEmail != nil || hasPhone != nil || hasPhoneOrEmail != nil {
            let emails = render.values(of: r, role: "Email"), phones = render.values(of: r, role: "Phone")
            if let hasEmail, hasEmail == emails.isEmpty { return false }
            if let hasPhone, hasPhone == phones.isEmpty { return false }
            if let hasPhoneOrEmail, hasPhoneOrEmail == (emails.isEmpty && phones.isEmpty) { return false }
        }
        if let hasAddress, hasAddress == ((r.pin.address ?? "").isEmpty) { return false }
        if let text {
            let haystack = [render.name(of: r), r.pin.address, r.externalDataObjectId].compactMap { $0 }
                + r.fields.flatMap { [$0.value].compactMap { $0 } + ($0.values ?? []) }
            guard haystack.contains(where: { $0.lowercased().contains(text) }) else { return false }
        }
        return true
    }

    /// Whether every record matches (no filter set), so the sorted order can be used as it is.
    var matchesAll: Bool {
        text == nil && typeId == nil && stageIds.isEmpty && stageGroups.isEmpty && hasEmail == nil && hasPhone == nil
            && hasPhoneOrEmail == nil && hasAddress == nil && onlyIds == nil && phoneDigits == nil
    }

    /// Ids of the matching records in the requested order (ties broken by id), filtering `ordered` — every id in
    /// that order (see `SpotioStore.orderedIds`).
    func matchingIds(in state: SpotioState, render: SpotioRender, ordered: [String]) -> [String] {
        if matchesAll { return ordered }
        return ordered.filter { id in state.dataObjects[id].map { matches($0, in: state, render: render) } ?? false }
    }

    /// Every record id sorted by `key` (`-` direction flips the key order, ties stay by id ascending).
    static func sortedIds(_ state: SpotioState, render: SpotioRender, key: String, descending: Bool) -> [String] {
        enum Key: Comparable { case date(Date), text(String), number(Double) }
        var keyed: [(key: Key, id: String)] = []
        keyed.reserveCapacity(state.dataObjects.count)
        for (id, r) in state.dataObjects {
            let k: Key
            switch key {
            case "updatedAt": k = .date(r.updatedAt)
            case "stageUpdatedAt": k = .date(r.stageUpdatedAt ?? .distantPast)
            case "name": k = .text((render.name(of: r) ?? "").lowercased())
            case "value": k = .number(render.value(of: r) ?? 0)
            default: k = .date(r.createdAt)
            }
            keyed.append((k, id))
        }
        keyed.sort { a, b in
            if a.key != b.key { return descending ? a.key > b.key : a.key < b.key }
            return a.id < b.id
        }
        return keyed.map(\.id)
    }

    private func compare<T: Comparable>(_ a: T, _ b: T) -> ComparisonResult {
        a < b ? .orderedAscending : (a > b ? .orderedDescending : .orderedSame)
    }
}
