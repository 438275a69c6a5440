import CrosswalkPluginKit

/// Segment membership as a contact field. Mautic's contact entity does not carry its segments, so the segments the
/// connection's `segments` setting names are asked once per page: `search=segment:ALIAS ids:…` (Mautic combines
/// search commands with AND), one call per segment and 200 contacts. Each contact read then has `segments`: the
/// aliases (of those named) it is a member of, in the setting's order — `[]` when none. Flows use it as a Salesforce
/// inclusion list (seed 002): `contains(segments, "salesforce-inclusion")`.
struct AriticSegments {
    let api: AriticAPI
    let aliases: [String]

    /// The contact field that lists a contact's segments.
    static let field = "segments"

    /// Sets `segments` on every contact of `records` (nothing when the setting names none, or `wanted` leaves it out).
    func attach(_ records: inout [Record], wanted: [String]?) throws {
        guard !aliases.isEmpty, !records.isEmpty, wanted.map({ $0.contains(Self.field) }) ?? true else { return }
        let ids = records.map(\.id).filter { Int($0) != nil }
        var member: [String: Set<String>] = [:]
        for alias in aliases {
            var start = 0
            while start < ids.count {
                let chunk = ids[start..<min(start + AriticReader.idsPerCall, ids.count)]
                start += chunk.count
                let items = [("search", "segment:\(alias) ids:" + chunk.joined(separator: ",")), ("limit", String(chunk.count)), ("minimal", "true")]
                let body = try api.json("GET", "/api/contacts?" + AriticAPI.query(items))
                for entity in AriticRecords.entities(body, .contacts) {
                    if let id = AriticRecords.id(entity) { member[id, default: []].insert(alias) }
                }
            }
        }
        for index in records.indices {
            let of = member[records[index].id] ?? []
            records[index].fields[Self.field] = .array(aliases.filter(of.contains).map { .string($0) })
        }
    }

    /// The field as discover describes it: a read-only multi-select of the named segments.
    var fieldInfo: FieldInfo {
        FieldInfo(name: Self.field, type: "multipicklist", label: "Segments", createable: false, updateable: false, nillable: false,
                  picklist: aliases.map { PicklistValue(value: $0, label: $0) })
    }
}
