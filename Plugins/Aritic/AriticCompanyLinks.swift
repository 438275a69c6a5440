import CrosswalkPluginKit

/// A contact's primary company as a record link (`{"object":"companies","id":…,"type":"company"}`). Mautic's contact
/// carries the primary company's *name* (`fields.all.company`), not its id: a page's names are looked up in one
/// companies list call (`where[companyname] in […]`, 50 names a call); a name that several companies share is
/// settled by the contact's own `GET /api/contacts/{id}/companies` (its `is_primary` one).
struct AriticCompanyLinks {
    let api: AriticAPI

    /// Names per companies call (keeps the URL well under Apache's 8,190-byte request line).
    static let namesPerCall = 50

    func attach(_ records: inout [Record]) throws {
        var names: [String] = []
        var seen: Set<String> = []
        for record in records {
            if let name = Self.companyName(record), seen.insert(name).inserted { names.append(name) }
        }
        guard !names.isEmpty else { return }
        var ids: [String: [String]] = [:]
        var start = 0
        while start < names.count {
            let chunk = Array(names[start..<min(start + Self.namesPerCall, names.count)])
            start += chunk.count
            let wheres = [AriticWhere(col: "companyname", expr: "in", val: .list(chunk))]
            let items = [("limit", "0"), ("minimal", "true")] + AriticWhere.items(wheres)
            let body = try api.json("GET", "/api/companies?" + AriticAPI.query(items))
            for entity in AriticRecords.entities(body, .companies) {
                guard let id = AriticRecords.id(entity), let name = entity["fields"]?["all"]?["companyname"]?.stringValue else { continue }
                ids[name, default: []].append(id)
            }
        }
        for index in records.indices {
            guard let name = Self.companyName(records[index]), let found = ids[name] else { continue }
            let id = found.count == 1 ? found[0] : try primaryCompany(of: records[index].id)
            if let id { records[index].links = (records[index].links ?? []) + [RecordLink(object: AriticKind.companies.rawValue, id: id, type: "company")] }
        }
    }

    /// `GET /api/contacts/{id}/companies`: the primary company's id.
    private func primaryCompany(of contact: String) throws -> String? {
        let body = try api.json("GET", "/api/contacts/\(contact)/companies")
        let list: [JSONValue] = switch body["companies"] {
        case .array(let a)?: a
        case .object(let o)?: Array(o.values)
        default: []
        }
        let primary = list.first { $0["is_primary"]?.stringValue == "1" || $0["is_primary"]?.intValue == 1 } ?? list.first
        return primary?["company_id"]?.stringValue ?? primary?["company_id"]?.intValue.map(String.init)
    }

    static func companyName(_ record: Record) -> String? {
        guard let name = record.fields["company"]?.stringValue, !name.isEmpty else { return nil }
        return name
    }
}
