import CrosswalkCore
import Foundation

/// `/api/contacts…` and `/api/companies…`: list, get, new, PATCH/PUT edit, delete and the batch variants.
/// Segments and hooks share the list/get/new/edit/delete routes and are answered in their own files.
extension AriticStore {
    static let batchLimit = 200

    // MARK: Reading

    /// A contact's or company's column by its snake_case name (`date_modified`, `email`, …); `nil` for an unknown column.
    static func cell(_ kind: AriticKind, _ r: AriticRecord, _ name: String) -> AriticCell? {
        switch name {
        case "id": return .number(Double(r.id))
        case "date_added": return .date(r.dateAdded)
        case "date_modified": return r.dateModified.map { .date($0) } ?? .null
        case "points", "score": return .number(Double(r.points))
        case "owner_id": return r.ownerId.map { .number(Double($0)) } ?? .null
        case "last_active": return r.lastActive.map { .date($0) } ?? .null
        case "date_identified": return r.dateIdentified.map { .date($0) } ?? .null
        case "is_published": return .number(1)
        default:
            guard let field = AriticFields.field(kind, alias: name) else { return nil }
            guard let raw = r.values[name], !raw.isEmpty else { return .null }
            if field.isNumber, let number = Double(raw) { return .number(number) }
            if field.type == "datetime", let date = AriticWire.parseDate(raw) { return .date(date) }
            return .text(raw)
        }
    }

    /// Contacts or companies as the list engine reads them, in id order.
    struct RecordSource: AriticListSource {
        let kind: AriticKind
        let records: [Int: AriticRecord]
        let ids: [Int]
        static let contactSearch = ["firstname", "lastname", "email", "company"]
        static let companySearch = ["companyname", "companyemail", "companycity", "companywebsite"]

        func cell(_ id: Int, _ column: String) -> AriticCell? {
            records[id].flatMap { AriticStore.cell(kind, $0, column) } ?? (AriticFields.field(kind, alias: column) != nil || column == "id" ? .null : nil)
        }

        func searchText(_ id: Int) -> [String] {
            guard let r = records[id] else { return [] }
            return (kind == .companies ? Self.companySearch : Self.contactSearch).compactMap { r.values[$0] }
        }
    }

    /// Mautic's contact and company search commands (`email:`, `ids:`, `segment:`, `company:`, `name:`, `owner:`, `is:`).
    /// Segment members and linked company names are indexed once per list call.
    private func searchCommand(_ kind: AriticKind, userId: Int) -> (String, String, Int) -> Bool? {
        return { [state, users] name, value, id in
            guard let r = state.record(kind, id) else { return false }
            switch (name, kind) {
            case ("ids", _):
                return value.split(separator: ",").compactMap { Int($0) }.contains(id)
            case ("email", .contacts):
                return AriticListQuery.like([r.values["email"] ?? ""], value, plainMeansContains: false)
            case ("name", .contacts):
                return AriticListQuery.like(["\(r.values["firstname"] ?? "") \(r.values["lastname"] ?? "")"], value)
            case ("name", .companies):
                return AriticListQuery.like([r.values["companyname"] ?? ""], value)
            case ("company", .contacts):
                let linked = (state.links[id] ?? []).compactMap { state.companies[$0.companyId]?.values["companyname"] }
                return AriticListQuery.like(linked + [r.values["company"] ?? ""], value)
            case ("segment", .contacts), ("list", .contacts):
                return state.segments.values.contains { $0.alias == value && state.isMember(id, of: $0.id) }
            case ("owner", _):
                guard let owner = r.ownerId.flatMap({ users[$0] }) else { return false }
                return AriticListQuery.like([owner.username, owner.displayName], value)
            case ("is", _):
                switch value.lowercased() {
                case "anonymous": return kind == .contacts && r.dateIdentified == nil
                case "unowned": return r.ownerId == nil
                case "mine": return r.ownerId == userId
                default: return nil
                }
            default:
                return nil
            }
        }
    }

    /// `GET /api/contacts|companies|segments|hooks` → `{"total": …, "<kind>": {"<id>": {...}}}` (`[]` when empty).
    func list(_ kind: AriticKind, _ call: AriticCall) -> SandboxResponse {
        let query: AriticListQuery
        switch AriticListQuery.parse(call.query) {
        case let .success(parsed): query = parsed
        case let .failure(error): return AriticWire.error(400, error.text, details: error.details, version: version)
        }
        let result: Result<(page: [Int], total: Int), AriticFormError>
        switch kind {
        case .contacts, .companies:
            let source = RecordSource(kind: kind, records: state.records(kind), ids: state.ids(kind))
            result = query.run(source, command: searchCommand(kind, userId: call.userId))
        case .segments:
            let command: (String, String, Int) -> Bool? = { name, value, id in
                name == "ids" ? value.split(separator: ",").compactMap { Int($0) }.contains(id) : nil
            }
            result = query.run(AriticRowSource(segmentRows(publishedOnly: query.publishedOnly)), command: command)
        case .hooks:
            let rows = state.hooks.values.map { h in
                AriticRow(id: h.id, column: { $0 == "id" ? .number(Double(h.id)) : ($0 == "name" ? .text(h.name) : nil) }, searchText: [h.name])
            }
            result = query.run(AriticRowSource(rows), command: { _, _, _ in nil })
        }
        switch result {
        case let .failure(error):
            return AriticWire.error(400, error.text, details: error.details, version: version)
        case let .success((ids, total)):
            var entities = AriticObject()
            for id in ids {
                switch kind {
                case .contacts, .companies: entities[String(id)] = render.record(kind, state.record(kind, id)!, minimal: query.minimal)
                case .segments: entities[String(id)] = render.segment(state.segments[id]!)
                case .hooks: entities[String(id)] = render.hook(state.hooks[id]!)
                }
            }
            // Contacts and companies come from a custom-field query whose count PHP returns as a string.
            let totalValue: Any = kind == .contacts || kind == .companies ? String(total) : total
            return AriticJSON.response(200, AriticObject([("total", totalValue), (kind.multi, entities)]))
        }
    }

    /// `GET /api/<kind>/{id}` → `{"contact": {...}}` etc.
    func get(_ kind: AriticKind, _ id: Int, _ call: AriticCall) -> SandboxResponse {
        switch kind {
        case .contacts, .companies:
            guard let r = state.record(kind, id) else { return notFound() }
            return AriticJSON.response(200, AriticObject([(kind.one, render.record(kind, r))]))
        case .segments:
            guard let s = state.segments[id] else { return notFound() }
            return AriticJSON.response(200, AriticObject([(kind.one, render.segment(s))]))
        case .hooks:
            guard let h = state.hooks[id] else { return notFound() }
            return AriticJSON.response(200, AriticObject([(kind.one, render.hook(h))]))
        }
    }

    // MARK: Writing

    /// The body parameters as an object; `nil` when the body is not one (a JSON array or malformed JSON).
    private func object(_ call: AriticCall) -> [String: Any]? {
        if call.request.body.isEmpty { return [:] }
        return AriticWire.parameters(call.request) as? [String: Any]
    }

    /// Saves `params` over `existing` (or a new record) and raises the webhook events. Contacts sent with the
    /// e-mail of an existing contact update that contact, as Mautic's duplicate check does.
    func save(_ kind: AriticKind, _ params: [String: Any], existing: AriticRecord?, replace: Bool, call: AriticCall)
        -> Result<(record: AriticRecord, created: Bool), AriticFormError> {
        var record: AriticRecord
        var isNew = false
        if let existing {
            record = existing
        } else if kind == .contacts, let email = AriticWire.text(params["email"])?.lowercased(), !email.isEmpty,
                  let duplicate = state.contactId(withEmail: email).flatMap({ state.contacts[$0] }) {
            record = duplicate
        } else {
            isNew = true
            let id = kind == .companies ? state.nextCompanyId : state.nextContactId
            record = AriticRecord(id: id, values: [:], dateAdded: call.now, dateModified: nil, createdBy: call.userId, modifiedBy: nil,
                                  ownerId: nil, points: 0, lastActive: nil, dateIdentified: nil, tags: [], ipAddresses: [])
        }
        let before = record
        let form = AriticRecordForm(kind: kind, userIds: Set(users.keys))
        do throws(AriticFormError) {
            try form.apply(params, to: &record, replace: replace && !isNew)
            try form.validateComplete(record)
        } catch {
            return .failure(error)
        }
        if isNew {
            if kind == .companies { state.nextCompanyId += 1 } else { state.nextContactId += 1 }
        } else {
            record.dateModified = call.now
            record.modifiedBy = call.userId
        }
        if kind == .contacts, record.dateIdentified == nil,
           !["email", "firstname", "lastname"].allSatisfy({ (record.values[$0] ?? "").isEmpty }) {
            record.dateIdentified = call.now
        }
        state.setRecord(kind, record.id, record)
        if kind == .contacts, let companyName = record.values["company"], companyName != before.values["company"] {
            linkPrimaryCompany(named: companyName, contactId: record.id, call: call)
        }
        raiseSaved(kind, state.record(kind, record.id)!, isNew: isNew, previousPoints: isNew ? nil : before.points)
        return .success((state.record(kind, record.id)!, isNew))
    }

    /// Links the company called `name` (created when missing) as the contact's primary company.
    private func linkPrimaryCompany(named name: String, contactId: Int, call: AriticCall) {
        let company: AriticRecord
        if let existing = state.companyId(named: name).flatMap({ state.companies[$0] }) {
            company = existing
        } else {
            company = AriticRecord(id: state.nextCompanyId, values: ["companyname": name], dateAdded: call.now, dateModified: nil,
                                   createdBy: call.userId, modifiedBy: nil, ownerId: nil, points: 0, lastActive: nil,
                                   dateIdentified: nil, tags: [], ipAddresses: [])
            state.nextCompanyId += 1
            state.setRecord(.companies, company.id, company)
            raiseSaved(.companies, company, isNew: true, previousPoints: nil)
        }
        setLink(company: company.id, contact: contactId, add: true, primary: true, call: call)
    }

    private func raiseSaved(_ kind: AriticKind, _ record: AriticRecord, isNew: Bool, previousPoints: Int?) {
        let timestamp = AriticWire.date(environment.now())
        if kind == .companies {
            raise(AriticWebhookEvents.companySave, AriticObject([("company", render.company(record)), ("timestamp", timestamp)]))
            return
        }
        raise(isNew ? AriticWebhookEvents.contactNew : AriticWebhookEvents.contactUpdate,
              AriticObject([("contact", render.contact(record)), ("timestamp", timestamp)]))
        if let previousPoints, previousPoints != record.points {
            raise(AriticWebhookEvents.pointsChange, AriticObject([
                ("contact", render.contact(record)),
                ("points", AriticObject([("old_points", previousPoints), ("new_points", record.points)])), ("timestamp", timestamp)]))
        }
    }

    private func formError(_ error: AriticFormError) -> SandboxResponse {
        AriticWire.error(400, error.text, details: error.details, version: version)
    }

    /// `POST /api/<kind>/new` → 201 with the entity (200 when a contact's e-mail matched an existing one).
    func create(_ kind: AriticKind, _ call: AriticCall) -> SandboxResponse {
        guard let params = object(call) else { return AriticWire.error(400, "Bad request.", version: version) }
        switch kind {
        case .segments: return createSegment(params, call)
        case .hooks: return createHook(params, call)
        case .contacts, .companies:
            switch save(kind, params, existing: nil, replace: false, call: call) {
            case let .failure(error): return formError(error)
            case let .success((record, created)):
                return AriticJSON.response(created ? 201 : 200, AriticObject([(kind.one, render.record(kind, record))]))
            }
        }
    }

    /// `PATCH /api/<kind>/{id}/edit` (404 when missing) and `PUT` (replaces; creates a new entity when missing).
    func edit(_ kind: AriticKind, _ id: Int, _ call: AriticCall) -> SandboxResponse {
        guard let params = object(call) else { return AriticWire.error(400, "Bad request.", version: version) }
        let replace = call.request.method == "PUT"
        if kind == .segments { return editSegment(id, params, replace: replace, call) }
        let existing = state.record(kind, id)
        if existing == nil && !replace { return notFound() }
        switch save(kind, params, existing: existing, replace: replace, call: call) {
        case let .failure(error): return formError(error)
        case let .success((record, created)):
            return AriticJSON.response(created ? 201 : 200, AriticObject([(kind.one, render.record(kind, record))]))
        }
    }

    /// `DELETE /api/<kind>/{id}/delete` → the deleted entity, its `id` now `null` as Doctrine leaves it.
    func delete(_ kind: AriticKind, _ id: Int, _ call: AriticCall) -> SandboxResponse {
        switch kind {
        case .segments: return deleteSegment(id)
        case .hooks: return deleteHook(id)
        case .contacts, .companies:
            guard let record = removeRecord(kind, id) else { return notFound() }
            return AriticJSON.response(200, AriticObject([(kind.one, render.record(kind, record, id: NSNull()))]))
        }
    }

    /// Removes a contact or company with its links and memberships and raises the delete event.
    private func removeRecord(_ kind: AriticKind, _ id: Int) -> AriticRecord? {
        guard let record = state.record(kind, id) else { return nil }
        state.setRecord(kind, id, nil)
        if kind == .contacts {
            state.links[id] = nil
            for segment in Array(state.memberships.keys) { state.memberships[segment]?[id] = nil }
        } else {
            for contact in Array(state.links.keys) {
                state.links[contact]?.removeAll { $0.companyId == id }
                if state.links[contact]?.isEmpty == true { state.links[contact] = nil }
            }
        }
        let type = kind == .companies ? AriticWebhookEvents.companyDelete : AriticWebhookEvents.contactDelete
        raise(type, AriticObject([("id", id), (kind.one, render.record(kind, record, id: NSNull())),
                                  ("timestamp", AriticWire.date(environment.now()))]))
        return record
    }

    // MARK: Batches

    /// Entities keyed by the input position: a JSON list when no position is missing, else an object (PHP arrays).
    private static func keyed(_ entities: [(Int, AriticObject)]) -> Any {
        let sorted = entities.sorted { $0.0 < $1.0 }
        if sorted.map(\.0) == Array(0..<sorted.count) { return sorted.map(\.1) }
        return AriticObject(sorted.map { (String($0.0), $0.1) })
    }

    private func batchItems(_ call: AriticCall) -> Result<[Any], Denied> {
        let items = AriticWire.list(AriticWire.parameters(call.request))
        guard items.count <= AriticStore.batchLimit else {
            return .failure(Denied(response: AriticWire.error(500, "A max of \(AriticStore.batchLimit) entities are supported at a time.",
                                                              version: version)))
        }
        return .success(items)
    }

    /// What a batch create or edit answers: entities by index, a status code per item, errors by index.
    private struct BatchOutcome {
        let kind: AriticKind
        var entities: [(Int, AriticObject)] = []
        var codes: [Any] = []
        var errors = AriticObject()

        mutating func fail(_ index: Int, _ error: AriticObject, code: Int) {
            errors[String(index)] = error
            codes.append(code)
        }

        /// Records one save; `render` is taken after it, so related records show as saved.
        mutating func save(_ index: Int, _ outcome: Result<(record: AriticRecord, created: Bool), AriticFormError>, render: AriticRender) {
            switch outcome {
            case let .success((record, created)):
                entities.append((index, render.record(kind, record)))
                codes.append(created ? 201 : 200)
            case let .failure(error):
                fail(index, AriticWire.errorEntry(400, error.text, details: error.details), code: 400)
            }
        }

        func response(_ status: Int) -> SandboxResponse {
            var body = AriticObject([(kind.multi, AriticStore.keyed(entities)), ("statusCodes", codes)])
            if !errors.pairs.isEmpty { body["errors"] = errors }
            return AriticJSON.response(status, body)
        }
    }

    private func batchError(_ message: String, _ code: Int) -> AriticObject {
        AriticObject([("message", message), ("code", code), ("type", "api")])
    }

    /// `POST /api/<kind>/batch/new [ {...}, … ]` → 201 `{<kind>: [...], statusCodes: [...], errors?: {index: {...}}}`.
    func batchNew(_ kind: AriticKind, _ call: AriticCall) -> SandboxResponse {
        let items: [Any]
        switch batchItems(call) {
        case let .success(list): items = list
        case let .failure(denied): return denied.response
        }
        var batch = BatchOutcome(kind: kind)
        for (index, item) in items.enumerated() {
            guard let params = item as? [String: Any] else {
                batch.fail(index, AriticWire.errorEntry(400, "Bad request."), code: 400)
                continue
            }
            let outcome = save(kind, params, existing: nil, replace: false, call: call)
            batch.save(index, outcome, render: render)
        }
        return batch.response(201)
    }

    /// `PATCH|PUT /api/<kind>/batch/edit [ {"id": …, ...}, … ]` → 200 with entities, statusCodes and errors by index.
    func batchEdit(_ kind: AriticKind, _ call: AriticCall) -> SandboxResponse {
        let items: [Any]
        switch batchItems(call) {
        case let .success(list): items = list
        case let .failure(denied): return denied.response
        }
        let replace = call.request.method == "PUT"
        var batch = BatchOutcome(kind: kind)
        for (index, item) in items.enumerated() {
            guard let params = item as? [String: Any], let id = AriticWire.text(params["id"]).flatMap({ Int($0) }) else {
                batch.fail(index, batchError("ID is missing from the payload.", 400), code: 400)
                continue
            }
            let existing = state.record(kind, id)
            if existing == nil && !replace {
                batch.fail(index, batchError(AriticWire.notFoundMessage, 404), code: 404)
                continue
            }
            let outcome = save(kind, params, existing: existing, replace: replace, call: call)
            batch.save(index, outcome, render: render)
        }
        return batch.response(200)
    }

    /// `DELETE /api/<kind>/batch/delete?ids=1,2` (or `ids[]=`) → 200 with the entities as they were before deletion.
    func batchDelete(_ kind: AriticKind, _ call: AriticCall) -> SandboxResponse {
        let ids = AriticWire.list(call.query["ids"]).compactMap { AriticWire.text($0) }
        guard ids.count <= AriticStore.batchLimit else {
            return AriticWire.error(500, "A max of \(AriticStore.batchLimit) entities are supported at a time.", version: version)
        }
        var entities: [(Int, AriticObject)] = [], errors = AriticObject()
        for (index, raw) in ids.enumerated() {
            guard let id = Int(raw), let record = state.record(kind, id) else {
                errors[String(index)] = batchError(AriticWire.notFoundMessage, 404)
                continue
            }
            entities.append((index, render.record(kind, record)))
            _ = removeRecord(kind, id)
        }
        var body = AriticObject([(kind.multi, Self.keyed(entities))])
        if !errors.pairs.isEmpty { body["errors"] = errors }
        return AriticJSON.response(200, body)
    }

    /// `GET /api/fields/contact|company` → `{"total": n, "fields": [...]}`.
    func fieldList(_ kind: AriticKind) -> SandboxResponse {
        let fields = AriticFields.fields(kind).enumerated().map { render.field($0.element, order: $0.offset + 1) }
        return AriticJSON.response(200, AriticObject([("total", fields.count), ("fields", fields)]))
    }
}
