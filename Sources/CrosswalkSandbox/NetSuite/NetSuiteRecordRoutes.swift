import CrosswalkCore
import Foundation

/// A change a request made, sent to subscribers after the request.
enum NetSuiteChange: Sendable {
    case created(NetSuiteRecord)
    case edited(old: NetSuiteRecord, new: NetSuiteRecord)
    case deleted(NetSuiteRecord)
}

/// The record service `/services/rest/record/v1/{type}` for customer, contact, invoice and opportunity.
enum NetSuiteRecordRoutes {
    static let recordPrefix = "/services/rest/record/v1/"
    /// List prices of the fixed items, used when an invoice line has no rate.
    static let itemRates: [String: Double] = ["10": 150, "11": 1200, "12": 25, "13": 300]

    static func handle(_ state: inout NetSuiteState, _ request: SandboxRequest, settings: NetSuiteAccountSettings = NetSuiteAccountSettings(),
                       now: Date, changes: inout [NetSuiteChange]) throws(NetSuiteError) -> SandboxResponse {
        let segments = request.path.dropFirst(recordPrefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if segments.first == "metadata-catalog" { return try NetSuiteMetadata.handle(request, segments: Array(segments.dropFirst())) }
        guard let type = segments.first, !type.isEmpty else { throw .invalidParameter("Record type is missing from the URL.") }
        guard NetSuiteSchema.recordTypes.contains(type) else {
            throw .invalidParameter("Record type '\(type)' does not exist or is not supported by this account.")
        }
        switch (request.method, segments.count) {
        case ("GET", 1): return try list(state, request, type: type, settings: settings)
        case ("POST", 1): return try create(&state, request, type: type, now: now, changes: &changes)
        case ("GET", 2): return render(try find(state, request, type: type, key: segments[1]), state: state, request: request)
        case ("PATCH", 2): return try update(&state, request, type: type, key: segments[1], now: now, changes: &changes)
        case ("PUT", 2): return try upsert(&state, request, type: type, key: segments[1], now: now, changes: &changes)
        case ("DELETE", 2): return try delete(&state, request, type: type, key: segments[1], now: now, changes: &changes)
        case ("GET", 3) where type == "invoice" && segments[2] == "item":
            let record = try find(state, request, type: type, key: segments[1])
            return .json(200, sublist(record, state: state, baseURL: request.baseURL))
        case (_, 1...3):
            throw NetSuiteError(status: 405, code: "INVALID_PARAMETER", detail: "HTTP method \(request.method) is not supported for this resource.")
        default:
            throw NetSuiteError(status: 404, code: "INVALID_PARAMETER", detail: "The requested resource \(request.path) does not exist.")
        }
    }

    // MARK: operations

    static func list(_ state: NetSuiteState, _ request: SandboxRequest, type: String,
                     settings: NetSuiteAccountSettings) throws(NetSuiteError) -> SandboxResponse {
        let limit = try integer(request, "limit", default: 1000)
        let offset = try integer(request, "offset", default: 0)
        guard (1...1000).contains(limit) else { throw .invalidParameter("The value of the limit query parameter must be between 1 and 1000.", queryParam: "limit") }
        try NetSuitePaging.check(limit: limit, offset: offset)
        // Ids in order; with a filter, only the matching ones (one pass, no record copies).
        let all = state.ids(type)
        let matching: [Int]
        if let q = request.queryValue("q"), !q.isEmpty {
            let filter = try NetSuiteQueryFilter.parse(q, type: type, settings: settings)
            let byId = state.records[type] ?? [:]
            matching = all.filter { byId[$0].map { filter.matches($0, state: state) } ?? false }
        } else {
            matching = all
        }
        let records = matching
        let page = matching.dropFirst(offset).prefix(limit).compactMap { state.record(type, $0) }
        let base = "\(request.baseURL)\(recordPrefix)\(type)"
        let qPart = request.queryValue("q").map { "&q=\($0.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? $0)" } ?? ""
        func link(_ rel: String, _ o: Int) -> [String: String] { ["rel": rel, "href": "\(base)?limit=\(limit)&offset=\(o)\(qPart)"] }
        let hasMore = offset + page.count < records.count
        var links: [[String: String]] = []
        if offset > 0 { links += [link("previous", max(0, offset - limit)), link("first", 0)] }
        if hasMore { links += [link("next", offset + limit), link("last", max(0, (records.count - 1) / limit * limit))] }
        links.append(link("self", offset))
        let items = page.map { ["links": [["rel": "self", "href": "\(base)/\($0.id)"]], "id": String($0.id)] as [String: Any] }
        return .json(200, ["links": links, "count": items.count, "hasMore": hasMore, "items": items, "offset": offset, "totalResults": records.count])
    }

    static func create(_ state: inout NetSuiteState, _ request: SandboxRequest, type: String, now: Date,
                       changes: inout [NetSuiteChange]) throws(NetSuiteError) -> SandboxResponse {
        var draft = NetSuiteRecord(type: type, id: 0, fields: [:])
        try apply(try body(request), to: &draft, state: state, request: request)
        try checkRequired(draft)
        try checkExternalId(draft, state: state)
        let record = state.insert(type, fields: draft.fields, lines: draft.lines, now: now)
        changes.append(.created(record))
        return located(record, request)
    }

    static func update(_ state: inout NetSuiteState, _ request: SandboxRequest, type: String, key: String, now: Date,
                       changes: inout [NetSuiteChange]) throws(NetSuiteError) -> SandboxResponse {
        let old = try find(state, request, type: type, key: key)
        var record = old
        try apply(try body(request), to: &record, state: state, request: request)
        try checkRequired(record)
        try checkExternalId(record, state: state)
        state.replace(record, now: now)
        let stored = state.record(type, record.id) ?? record
        changes.append(.edited(old: old, new: stored))
        return located(stored, request)
    }

    /// `PUT …/{type}/eid:{externalId}`: update when the external id exists, create otherwise.
    static func upsert(_ state: inout NetSuiteState, _ request: SandboxRequest, type: String, key: String, now: Date,
                       changes: inout [NetSuiteChange]) throws(NetSuiteError) -> SandboxResponse {
        guard key.hasPrefix("eid:"), key.count > 4 else {
            throw .invalidParameter("PUT is supported only for upsert by external ID: address the record as \(type)/eid:{externalId}.")
        }
        let externalId = String(key.dropFirst(4))
        var payload = try body(request)
        payload["externalId"] = externalId
        if let existing = state.find(type, key: key) {
            var record = existing
            try apply(payload, to: &record, state: state, request: request)
            try checkRequired(record)
            state.replace(record, now: now)
            let stored = state.record(type, record.id) ?? record
            changes.append(.edited(old: existing, new: stored))
            return located(stored, request)
        }
        var draft = NetSuiteRecord(type: type, id: 0, fields: [:])
        try apply(payload, to: &draft, state: state, request: request)
        try checkRequired(draft)
        let record = state.insert(type, fields: draft.fields, lines: draft.lines, now: now)
        changes.append(.created(record))
        return located(record, request)
    }

    static func delete(_ state: inout NetSuiteState, _ request: SandboxRequest, type: String, key: String, now: Date,
                       changes: inout [NetSuiteChange]) throws(NetSuiteError) -> SandboxResponse {
        let record = try find(state, request, type: type, key: key)
        if type == "customer", NetSuiteSchema.transactionTypes.contains(where: { t in state.all(t.type).contains { $0.fields["entity"] == String(record.id) } }) {
            throw .badRequest("USER_ERROR", "Error while accessing a resource. This record cannot be deleted because it has dependent records.")
        }
        state.recordDeletion(record, now: now)
        state.remove(type, record.id)
        if type == "customer" {
            for var contact in state.all("contact") where contact.fields["company"] == String(record.id) {
                contact.fields["company"] = nil
                state.store(contact)
            }
        }
        changes.append(.deleted(record))
        return .empty(204)
    }

    // MARK: helpers

    static func find(_ state: NetSuiteState, _ request: SandboxRequest, type: String, key: String) throws(NetSuiteError) -> NetSuiteRecord {
        guard let record = state.find(type, key: key) else { throw .nonexistent(request.path) }
        return record
    }

    private static func integer(_ request: SandboxRequest, _ name: String, default value: Int) throws(NetSuiteError) -> Int {
        guard let text = request.queryValue(name) else { return value }
        guard let n = Int(text), n >= 0 else { throw .invalidParameter("Invalid value for query parameter \(name): \(text).", queryParam: name) }
        return n
    }

    private static func body(_ request: SandboxRequest) throws(NetSuiteError) -> [String: Any] {
        guard let body = request.jsonBody() as? [String: Any] else {
            throw .badRequest("INVALID_CONTENT", "The request body must be a JSON object of record fields.")
        }
        return body
    }

    private static func located(_ record: NetSuiteRecord, _ request: SandboxRequest) -> SandboxResponse {
        .empty(204, headers: ["Location": "\(request.baseURL)\(recordPrefix)\(record.type)/\(record.id)"])
    }

    /// Applies a request body: known fields are parsed by type (null clears), read-only fields and `links` are
    /// ignored, unknown names are refused when `X-NetSuite-PropertyNameValidation: error`. Invoice `item.items`
    /// lines are appended, or replace the sublist with `?replace=item`.
    static func apply(_ body: [String: Any], to record: inout NetSuiteRecord, state: NetSuiteState, request: SandboxRequest) throws(NetSuiteError) {
        let strict = (request.headers["X-NetSuite-PropertyNameValidation"] ?? "").lowercased() == "error"
        for (name, value) in body.sorted(by: { $0.key < $1.key }) where name != "links" {
            if record.type == "invoice" && name == "item" {
                let lines = try itemLines(value, state: state)
                let replace = (request.queryValue("replace") ?? "").split(separator: ",").contains("item")
                record.lines = replace || record.id == 0 ? lines : record.lines + lines
                continue
            }
            guard let field = NetSuiteSchema.fields(record.type).first(where: { $0.name == name }) else {
                if strict {
                    throw .badRequest("INVALID_CONTENT", "Error while accessing a resource. Unrecognized field name '\(name)' for record type \(record.type).", path: name)
                }
                continue
            }
            if field.readOnly { continue }
            if let parsed = try NetSuiteValues.parse(value, field: field, path: name, state: state) {
                record.fields[name] = parsed
            } else {
                record.fields[name] = nil
            }
        }
    }

    private static func itemLines(_ value: Any, state: NetSuiteState) throws(NetSuiteError) -> [[String: String]] {
        guard let items = (value as? [String: Any])?["items"] as? [[String: Any]] else {
            throw .badRequest("INVALID_CONTENT", "The item sublist must be {\"items\": [lines]}.", path: "item")
        }
        var lines: [[String: String]] = []
        for (index, item) in items.enumerated() {
            var line: [String: String] = [:]
            for field in NetSuiteSchema.itemLineFields {
                guard let raw = item[field.name], let parsed = try NetSuiteValues.parse(raw, field: field, path: "item.items[\(index)].\(field.name)", state: state)
                else { continue }
                line[field.name] = parsed
            }
            guard let itemId = line["item"] else {
                throw .badRequest("USER_ERROR", "Error while accessing a resource. Please enter value(s) for: Item.", path: "item.items[\(index)].item")
            }
            let quantity = Double(line["quantity"] ?? "") ?? 1
            let rate = Double(line["rate"] ?? "") ?? itemRates[itemId] ?? 0
            line["quantity"] = NetSuiteValues.number(quantity)
            line["rate"] = NetSuiteValues.number(rate)
            if line["amount"] == nil { line["amount"] = NetSuiteValues.number(quantity * rate) }
            lines.append(line)
        }
        return lines
    }

    private static func checkRequired(_ record: NetSuiteRecord) throws(NetSuiteError) {
        func missing(_ label: String, _ path: String) -> NetSuiteError {
            .badRequest("USER_ERROR", "Error while accessing a resource. Please enter value(s) for: \(label).", path: path)
        }
        switch record.type {
        case "customer":
            if record.fields["isPerson"] == "true" {
                if record.fields["lastName"] == nil { throw missing("Last Name", "lastName") }
            } else if record.fields["companyName"] == nil {
                throw missing("Company Name", "companyName")
            }
        case "contact":
            if record.fields["firstName"] == nil, record.fields["lastName"] == nil, record.fields["entityId"] == nil { throw missing("Contact", "entityId") }
        case "invoice":
            if record.fields["entity"] == nil { throw missing("Customer", "entity") }
            if record.lines.isEmpty { throw .badRequest("USER_ERROR", "Error while accessing a resource. You must enter at least one line item for this transaction.", path: "item") }
        case "opportunity":
            if record.fields["entity"] == nil { throw missing("Customer", "entity") }
        default:
            break
        }
    }

    private static func checkExternalId(_ record: NetSuiteRecord, state: NetSuiteState) throws(NetSuiteError) {
        guard let externalId = record.fields["externalId"], let other = state.find(record.type, key: "eid:\(externalId)"), other.id != record.id else { return }
        throw .badRequest("USER_ERROR", "Error while accessing a resource. A \(record.type) with external ID \(externalId) already exists (internal ID \(other.id)).",
                          path: "externalId")
    }

    // MARK: rendering

    /// `GET …/{type}/{id}[?fields=a,b][&expandSubResources=true]`: links, id, non-null fields, references as objects.
    static func render(_ record: NetSuiteRecord, state: NetSuiteState, request: SandboxRequest) -> SandboxResponse {
        let selected = request.queryValue("fields").map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        return .json(200, json(record, state: state, baseURL: request.baseURL, fields: selected,
                               expand: request.queryValue("expandSubResources") == "true"))
    }

    static func json(_ record: NetSuiteRecord, state: NetSuiteState, baseURL: String, fields selected: Set<String>? = nil, expand: Bool) -> [String: Any] {
        var o: [String: Any] = ["links": [["rel": "self", "href": "\(baseURL)\(recordPrefix)\(record.type)/\(record.id)"]], "id": String(record.id)]
        for field in NetSuiteSchema.fields(record.type) where field.name != "id" && (selected?.contains(field.name) ?? true) {
            if let text = record.fields[field.name] { o[field.name] = NetSuiteValues.render(text, field: field, state: state, baseURL: baseURL) }
        }
        if record.type == "invoice", selected?.contains("item") ?? true {
            o["item"] = expand ? sublist(record, state: state, baseURL: baseURL)
                : ["links": [["rel": "self", "href": "\(baseURL)\(recordPrefix)invoice/\(record.id)/item"]]]
        }
        return o
    }

    private static func sublist(_ record: NetSuiteRecord, state: NetSuiteState, baseURL: String) -> [String: Any] {
        let href = "\(baseURL)\(recordPrefix)invoice/\(record.id)/item"
        let items = record.lines.enumerated().map { index, line -> [String: Any] in
            var o: [String: Any] = ["links": [["rel": "self", "href": "\(href)/\(index + 1)"]], "line": index + 1]
            for field in NetSuiteSchema.itemLineFields {
                if let text = line[field.name] { o[field.name] = NetSuiteValues.render(text, field: field, state: state, baseURL: baseURL) }
            }
            return o
        }
        return ["links": [["rel": "self", "href": href]], "items": items, "count": items.count, "hasMore": false, "offset": 0,
                "totalResults": items.count]
    }
}
