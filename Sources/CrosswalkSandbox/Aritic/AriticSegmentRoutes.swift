import CrosswalkCore
import Foundation

/// Segments (`/api/segments…`, manual membership) and contact ↔ company associations.
extension AriticStore {
    // MARK: Segments

    func segmentRows(publishedOnly: Bool) -> [AriticRow] {
        state.segments.values.filter { !publishedOnly || $0.isPublished }.map { s in
            AriticRow(id: s.id, column: { name in
                switch name {
                case "id": return .number(Double(s.id))
                case "name": return .text(s.name)
                case "alias": return .text(s.alias)
                case "date_added": return .date(s.dateAdded)
                case "date_modified": return s.dateModified.map { .date($0) } ?? .null
                case "is_published": return .number(s.isPublished ? 1 : 0)
                default: return nil
                }
            }, searchText: [s.name, s.alias])
        }
    }

    /// A unique alias from a name: `Salesforce sync` → `salesforce-sync`, then `salesforce-sync1`…
    private func alias(for name: String, excluding id: Int?) -> String {
        let base = name.lowercased().folding(options: .diacriticInsensitive, locale: nil)
            .map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
            .split(separator: "-").joined(separator: "-")
        var candidate = base.isEmpty ? "segment" : base
        var suffix = 1
        while state.segments.values.contains(where: { $0.alias == candidate && $0.id != id }) {
            candidate = "\(base)\(suffix)"
            suffix += 1
        }
        return candidate
    }

    /// Applies segment parameters (`name`, `alias`, `description`, `isPublished`, `isGlobal`, `filters`).
    private func apply(_ params: [String: Any], to segment: inout AriticSegment, replace: Bool) -> AriticFormError? {
        if let name = AriticWire.text(params["name"]) { segment.name = name } else if replace { segment.name = "" }
        guard !segment.name.isEmpty else { return AriticFormError(field: "name", message: "A value is required.") }
        if let alias = AriticWire.text(params["alias"]), !alias.isEmpty {
            segment.alias = self.alias(for: alias, excluding: segment.id)
        } else if segment.alias.isEmpty || replace {
            segment.alias = self.alias(for: segment.name, excluding: segment.id)
        }
        if params.keys.contains("description") || replace { segment.description = AriticWire.text(params["description"]) }
        if params.keys.contains("isPublished") { segment.isPublished = AriticWire.truthy(params["isPublished"]) }
        if params.keys.contains("isGlobal") { segment.isGlobal = AriticWire.truthy(params["isGlobal"]) }
        if let filters = params["filters"] {
            let list = AriticWire.list(filters)
            segment.filters = (try? JSONSerialization.data(withJSONObject: list)) ?? Data("[]".utf8)
        }
        return nil
    }

    func createSegment(_ params: [String: Any], _ call: AriticCall) -> SandboxResponse {
        var segment = AriticSegment(id: state.nextSegmentId, name: "", alias: "", description: nil, isPublished: true, isGlobal: true,
                                    filters: Data("[]".utf8), dateAdded: call.now, dateModified: nil, createdBy: call.userId, modifiedBy: nil)
        if let error = apply(params, to: &segment, replace: false) {
            return AriticWire.error(400, error.text, details: error.details, version: version)
        }
        state.nextSegmentId += 1
        state.segments[segment.id] = segment
        return AriticJSON.response(201, AriticObject([("list", render.segment(segment))]))
    }

    func editSegment(_ id: Int, _ params: [String: Any], replace: Bool, _ call: AriticCall) -> SandboxResponse {
        guard var segment = state.segments[id] else {
            guard replace else { return notFound() }
            return createSegment(params, call)
        }
        if let error = apply(params, to: &segment, replace: replace) {
            return AriticWire.error(400, error.text, details: error.details, version: version)
        }
        segment.dateModified = call.now
        segment.modifiedBy = call.userId
        state.segments[id] = segment
        return AriticJSON.response(200, AriticObject([("list", render.segment(segment))]))
    }

    func deleteSegment(_ id: Int) -> SandboxResponse {
        guard let segment = state.segments.removeValue(forKey: id) else { return notFound() }
        state.memberships[id] = nil
        return AriticJSON.response(200, AriticObject([("list", render.segment(segment, id: NSNull()))]))
    }

    /// `POST /api/segments/{id}/contact/{contactId}/add|remove` → `{"success": 1}`.
    func changeMembership(_ segmentId: Int, contact contactId: Int, add: Bool, _ call: AriticCall) -> SandboxResponse {
        guard state.segments[segmentId] != nil, state.contacts[contactId] != nil else { return notFound() }
        setMembership(segmentId, contactId, add: add, now: call.now)
        return AriticJSON.response(200, AriticObject([("success", 1)]))
    }

    /// Adds (or manually removes) a contact; a removal is remembered so filters would not add it back.
    func setMembership(_ segmentId: Int, _ contactId: Int, add: Bool, now: Date) {
        if var existing = state.memberships[segmentId]?[contactId] {
            existing.manuallyAdded = add
            existing.manuallyRemoved = !add
            if add { existing.dateAdded = now }
            state.memberships[segmentId]![contactId] = existing
        } else {
            state.memberships[segmentId, default: [:]][contactId] = AriticMembership(segmentId: segmentId, contactId: contactId, dateAdded: now,
                                                                                     manuallyAdded: add, manuallyRemoved: !add)
        }
    }

    /// `POST /api/segments/{id}/contacts/add` with `ids[]` → `{"success": 1, "details": {"<id>": {"success": bool}}}`.
    func addContacts(to segmentId: Int, _ call: AriticCall) -> SandboxResponse {
        guard state.segments[segmentId] != nil else { return notFound() }
        let body = AriticWire.parameters(call.request) as? [String: Any] ?? [:]
        let ids = AriticWire.list(body["ids"] ?? call.query["ids"]).compactMap { AriticWire.text($0).flatMap { Int($0) } }
        var details = AriticObject()
        for id in ids {
            let exists = state.contacts[id] != nil
            if exists { setMembership(segmentId, id, add: true, now: call.now) }
            details[String(id)] = AriticObject([("success", exists)])
        }
        return AriticJSON.response(200, AriticObject([("success", 1), ("details", details)]))
    }

    /// `GET /api/contacts/{id}/segments` → `{"total": n, "lists": {"<id>": {id, name, alias, dateAdded}}}`.
    func contactSegments(_ contactId: Int, _ call: AriticCall) -> SandboxResponse {
        guard state.contacts[contactId] != nil else { return notFound() }
        var lists = AriticObject()
        let member = state.memberships.keys.sorted().compactMap { state.memberships[$0]?[contactId] }.filter { !$0.manuallyRemoved }
        for m in member {
            guard let s = state.segments[m.segmentId] else { continue }
            lists[String(s.id)] = AriticObject([("id", s.id), ("name", s.name), ("alias", s.alias), ("dateAdded", AriticWire.date(m.dateAdded))])
        }
        return AriticJSON.response(200, AriticObject([("total", lists.pairs.count), ("lists", lists)]))
    }

    /// `GET /api/contacts/list/segments` → `{"<id>": {id, name, alias}}` (segments the user can use).
    func userSegments(_ call: AriticCall) -> SandboxResponse {
        var out = AriticObject()
        for s in state.segments.values.sorted(by: { $0.id < $1.id }) {
            out[String(s.id)] = AriticObject([("id", s.id), ("name", s.name), ("alias", s.alias)])
        }
        return AriticJSON.response(200, out)
    }

    // MARK: Companies ↔ contacts

    /// Copies the primary company's name into the contact's `company` field (cleared when there is none).
    private func setPrimaryCompanyName(of contactId: Int, to companyId: Int?) {
        let name = companyId.flatMap { state.companies[$0]?.values["companyname"] }
        guard var contact = state.contacts[contactId] else { return }
        contact.values["company"] = name
        state.setRecord(.contacts, contactId, contact)
    }

    /// `GET /api/contacts/{id}/companies` → `{"total": n, "companies": [row, …]}`.
    func contactCompanies(_ contactId: Int, _ call: AriticCall) -> SandboxResponse {
        guard state.contacts[contactId] != nil else { return notFound() }
        let rows = (state.links[contactId] ?? []).map { render.contactCompanyRow($0) }
        return AriticJSON.response(200, AriticObject([("total", rows.count), ("companies", rows)]))
    }

    /// `POST /api/companies/{companyId}/contact/{contactId}/add|remove` → `{"success": 1}`.
    func linkCompany(_ companyId: Int, contact contactId: Int, add: Bool, _ call: AriticCall) -> SandboxResponse {
        guard state.companies[companyId] != nil, state.contacts[contactId] != nil else { return notFound() }
        setLink(company: companyId, contact: contactId, add: add, primary: false, call: call)
        return AriticJSON.response(200, AriticObject([("success", 1)]))
    }

    /// Adds or removes an association; the first (or a `primary`) company becomes the contact's primary company
    /// and fills its `company` field. Raises `mautic.lead_company_change` when something changed.
    func setLink(company companyId: Int, contact contactId: Int, add: Bool, primary: Bool, call: AriticCall) {
        var links = state.links[contactId] ?? []
        defer { state.links[contactId] = links.isEmpty ? nil : links }
        let existing = links.firstIndex { $0.companyId == companyId }
        if add {
            let hasPrimary = links.contains { $0.isPrimary }
            let makePrimary = primary || !hasPrimary
            if makePrimary {
                for index in links.indices { links[index].isPrimary = false }
            }
            if let existing {
                if !makePrimary { return }
                links[existing].isPrimary = true
            } else {
                links.append(AriticCompanyLink(contactId: contactId, companyId: companyId, dateAdded: call.now, isPrimary: makePrimary))
            }
            if makePrimary { setPrimaryCompanyName(of: contactId, to: companyId) }
        } else {
            guard let existing else { return }
            let wasPrimary = links[existing].isPrimary
            links.remove(at: existing)
            if wasPrimary {
                if !links.isEmpty { links[0].isPrimary = true }
                setPrimaryCompanyName(of: contactId, to: links.first?.companyId)
            }
        }
        guard let contact = state.contacts[contactId], let company = state.companies[companyId] else { return }
        raise(AriticWebhookEvents.companyChange, AriticObject([
            ("added", add), ("contact", render.contact(contact)), ("company", render.company(company)),
            ("timestamp", AriticWire.date(call.now))]))
    }
}
