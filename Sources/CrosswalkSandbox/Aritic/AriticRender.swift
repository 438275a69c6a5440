import CrosswalkCore
import Foundation

/// Serialises stored entities the way Mautic 2.x's API does (JMS serializer groups, key order of the docs).
struct AriticRender {
    let state: AriticState
    let users: [Int: AriticUser]

    private func userName(_ id: Int?) -> Any { id.flatMap { users[$0]?.displayName } ?? NSNull() }

    /// The publish details every form entity carries.
    private func publishDetails(isPublished: Bool, dateAdded: Date, dateModified: Date?, createdBy: Int?, modifiedBy: Int?) -> [(String, Any)] {
        [("isPublished", isPublished), ("dateAdded", AriticWire.date(dateAdded)), ("dateModified", AriticWire.date(dateModified)),
         ("createdBy", createdBy ?? NSNull() as Any), ("createdByUser", userName(createdBy)),
         ("modifiedBy", modifiedBy ?? NSNull() as Any), ("modifiedByUser", userName(modifiedBy))]
    }

    /// A field value as Mautic returns it: numbers for number fields, strings otherwise, `null` when empty.
    func value(_ field: AriticField, of record: AriticRecord) -> Any {
        if field.alias == "points" { return record.points }
        guard let raw = record.values[field.alias], !raw.isEmpty else { return NSNull() }
        if field.isNumber, let number = Double(raw) {
            return number == number.rounded() && abs(number) < 1e15 ? Int(number) as Any : number as Any
        }
        return raw
    }

    /// `fields: {core: {...}, social: {...}, personal: [], professional: {...}, all: {...}}`.
    func fields(_ kind: AriticKind, _ record: AriticRecord) -> AriticObject {
        let definitions = AriticFields.fields(kind)
        var out = AriticObject()
        for group in AriticFields.groups(kind) {
            var groupObject = AriticObject()
            for field in definitions where field.group == group {
                groupObject.pairs.append((key: field.alias, value: AriticFieldEntry(prefix: Self.prefix(kind, field), value: value(field, of: record))))
            }
            out[group] = groupObject
        }
        var all = AriticObject([("id", record.id)])
        for field in definitions { all[field.alias] = value(field, of: record) }
        out["all"] = all
        return out
    }

    /// The encoded keys of a field entry before its value, once per field.
    private static let prefixes: [String: [UInt8]] = {
        var out: [String: [UInt8]] = [:]
        for kind in [AriticKind.contacts, .companies] {
            for field in AriticFields.fields(kind) {
                var bytes = AriticJSON.encode(AriticObject([
                    ("id", String(field.id)), ("label", field.label), ("alias", field.alias), ("type", field.type),
                    ("group", field.group), ("object", field.object), ("is_fixed", field.isFixed ? "1" : "0"),
                    ("properties", field.properties), ("default_value", NSNull()), ("value", NSNull()),
                ]))
                bytes.removeLast("null}".utf8.count)
                out["\(kind.multi)/\(field.alias)"] = Array(bytes)
            }
        }
        return out
    }()

    private static func prefix(_ kind: AriticKind, _ field: AriticField) -> [UInt8] { prefixes["\(kind.multi)/\(field.alias)"] ?? [] }

    /// A contact (`minimal` drops what Mautic's `leadList` group leaves out).
    func contact(_ c: AriticRecord, minimal: Bool = false, id: Any? = nil) -> AriticObject {
        var out = AriticObject([("id", id ?? c.id)])
        out.pairs += publishDetails(isPublished: true, dateAdded: c.dateAdded, dateModified: c.dateModified,
                                    createdBy: c.createdBy, modifiedBy: c.modifiedBy).map { (key: $0.0, value: $0.1) }
        if !minimal {
            out["owner"] = c.ownerId.flatMap { users[$0] }.map { u in
                AriticObject([("id", u.id), ("username", u.username), ("firstName", u.firstName), ("lastName", u.lastName)])
            } ?? NSNull()
        }
        out["points"] = c.points
        if !minimal {
            out["lastActive"] = AriticWire.date(c.lastActive)
            out["dateIdentified"] = AriticWire.date(c.dateIdentified)
        }
        out["color"] = NSNull()
        if !minimal {
            var ips = AriticObject()
            for ip in c.ipAddresses {
                ips[ip] = AriticObject([("ipAddress", ip), ("ipDetails", AriticObject([
                    ("city", ""), ("region", ""), ("country", ""), ("latitude", ""), ("longitude", ""), ("isp", ""),
                    ("organization", ""), ("timezone", ""),
                ]))])
            }
            out["ipAddresses"] = ips
        }
        out["fields"] = fields(.contacts, c)
        if !minimal {
            out["tags"] = c.tags.enumerated().map { AriticObject([("id", $0.offset + 1), ("tag", $0.element)]) }
            out["utmtags"] = [Any]()
            out["stage"] = NSNull()
            out["preferredProfileImage"] = "gravatar"
            out["doNotContact"] = [Any]()
            out["frequencyRules"] = [Any]()
        }
        return out
    }

    func company(_ c: AriticRecord, id: Any? = nil) -> AriticObject {
        var out = AriticObject(publishDetails(isPublished: true, dateAdded: c.dateAdded, dateModified: c.dateModified,
                                              createdBy: c.createdBy, modifiedBy: c.modifiedBy))
        out["id"] = id ?? c.id
        out["score"] = c.points
        out["fields"] = fields(.companies, c)
        return out
    }

    func record(_ kind: AriticKind, _ r: AriticRecord, minimal: Bool = false, id: Any? = nil) -> AriticObject {
        kind == .companies ? company(r, id: id) : contact(r, minimal: minimal, id: id)
    }

    func segment(_ s: AriticSegment, id: Any? = nil) -> AriticObject {
        var out = AriticObject(publishDetails(isPublished: s.isPublished, dateAdded: s.dateAdded, dateModified: s.dateModified,
                                              createdBy: s.createdBy, modifiedBy: s.modifiedBy))
        out.pairs += [("id", id ?? s.id), ("name", s.name), ("alias", s.alias), ("description", s.description ?? NSNull() as Any),
                      ("category", NSNull()), ("filters", AriticRawJSON(data: s.filters)), ("isGlobal", s.isGlobal)]
            .map { (key: $0.0, value: $0.1) }
        return out
    }

    func hook(_ h: AriticHook, id: Any? = nil) -> AriticObject {
        var out = AriticObject(publishDetails(isPublished: h.isPublished, dateAdded: h.dateAdded, dateModified: nil,
                                              createdBy: 1, modifiedBy: nil))
        out.pairs += [("id", id ?? h.id), ("name", h.name), ("description", NSNull()), ("webhookUrl", h.webhookURL),
                      ("secret", h.secret ?? NSNull() as Any), ("eventsOrderbyDir", "ASC"), ("category", NSNull()),
                      ("triggers", h.events)].map { (key: $0.0, value: $0.1) }
        return out
    }

    /// A company as `GET /api/contacts/{id}/companies` lists it: the raw joined row (strings, database dates).
    func contactCompanyRow(_ link: AriticCompanyLink) -> AriticObject {
        var out = AriticObject([("company_id", String(link.companyId)), ("date_associated", AriticWire.databaseDate(link.dateAdded)),
                                ("is_primary", link.isPrimary ? "1" : "0")])
        if let company = state.companies[link.companyId] {
            for field in AriticFields.companyFields { out[field.alias] = company.values[field.alias] ?? NSNull() as Any }
        }
        return out
    }

    /// A field definition for `/api/fields/contact|company`.
    func field(_ f: AriticField, order: Int) -> AriticObject {
        AriticObject([("isPublished", true), ("id", f.id), ("label", f.label), ("alias", f.alias), ("type", f.type),
                      ("group", f.group), ("order", order), ("object", f.object), ("defaultValue", NSNull()),
                      ("isRequired", false), ("isPubliclyUpdatable", false), ("isUniqueIdentifier", f.alias == "email"),
                      ("properties", [Any]())])
    }
}
