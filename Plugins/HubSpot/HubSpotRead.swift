import CrosswalkPluginKit
import Foundation

/// Reads of one object: full reads by list paging, incremental reads by search in keyset windows, archived records
/// as deletes, reads by ids, and the head cursor (`start: "now"`). See ``HubSpotCursor`` for the phases.
///
/// Every search starts at offset 0 (its lower bound moves, never `after`), so no query comes near the 10,000-result
/// cap however many records changed; properties go in the POST body (no 414 with hundreds of custom properties).
struct HubSpotReader {
    let api: HubSpotAPI
    let schema: HubSpotSchema
    let kind: HubSpotKind
    let settings: HubSpotSettings

    static let maxListPage = 100, maxSearchPage = 200, idsPerCall = 100

    func read(_ request: ReadRequest) throws -> ReadResult {
        let deadline = HubSpotDeadline(milliseconds: request.deadlineMilliseconds)
        let properties = try wantedProperties(request.fields)
        if let ids = request.ids { return try byIDs(ids, properties: properties, fields: request.fields, deadline: deadline) }
        let lookback = Int64(settings.lookbackMilliseconds)
        if request.start == "now" {
            // Nothing before the head is looked back at: no record from before "now" was read.
            let head = runUpper()
            return ReadResult(records: [], nextCursor: HubSpotCursor(phase: .caught, t: head, deletedSince: head, floor: head).json, hasMore: false)
        }
        let pushed = HubSpotFilter.translate(request.filter, kind: kind)
        let applied: FilterApplied? = request.filter == nil ? nil : (pushed == nil ? FilterApplied.none : .full)
        var cursor: HubSpotCursor
        if let given = try HubSpotCursor(request.cursor) {
            cursor = given
            if cursor.phase == .caught {
                // A new run: a new bound, and a step back for what the search index showed late.
                cursor.upper = runUpper()
                if lookback > 0 {
                    let from = max(cursor.t - lookback, cursor.floor ?? Int64.min)
                    if from < cursor.t || cursor.id != 0 {
                        cursor.t = from - 1
                        cursor.id = 0
                        cursor.atT = []
                    }
                    cursor.phase = .window
                } else {
                    cursor.phase = cursor.id == 0 ? .window : .tie
                }
            }
        } else if pushed != nil && request.filter != nil {
            // A filtered first read goes through search (the list cannot filter).
            let upper = runUpper()
            cursor = HubSpotCursor(phase: .window, t: Int64.min / 4, upper: upper, deletedSince: upper)
        } else {
            let upper = runUpper()
            cursor = HubSpotCursor(phase: .list, t: upper, upper: upper, deletedSince: upper)
        }
        let limit = max(1, request.limit ?? settings.pageSize)
        while true {
            if api.host.isCancelled { throw ConnectorError(.cancelled, "the host cancelled the read") }
            let records: [Record]
            switch cursor.phase {
            case .list: records = try listPage(&cursor, limit: min(limit, Self.maxListPage), properties: properties, fields: request.fields, deadline: deadline)
            case .window, .tie: records = try searchPage(&cursor, limit: min(limit, Self.maxSearchPage), filters: pushed ?? [], properties: properties,
                                                         fields: request.fields, lookback: lookback, deadline: deadline)
            case .archived: records = try archivedPage(&cursor, limit: min(limit, Self.maxListPage), deadline: deadline)
            case .caught: return ReadResult(records: [], nextCursor: cursor.json, hasMore: false, filterApplied: applied)
            }
            let linked = try withLinks(records, deadline: deadline)
            if cursor.phase == .caught { return ReadResult(records: linked, nextCursor: cursor.json, hasMore: false, filterApplied: applied) }
            if !linked.isEmpty { return ReadResult(records: linked, nextCursor: cursor.json, hasMore: true, filterApplied: applied) }
        }
    }

    /// The run's upper bound: HubSpot's clock less `settle_ms`.
    private func runUpper() -> Int64 { HubSpotTime.millis(api.now) - Int64(settings.settleMilliseconds) }

    /// The properties to ask for: those named (plus the last-modified property), else every property of the
    /// portal (`properties: all`), else HubSpot's default set (`nil`).
    private func wantedProperties(_ fields: [String]?) throws -> [String]? {
        if let fields { return Array(Set(fields + [kind.modifiedProperty])).sorted() }
        return settings.allProperties ? try schema.names(kind) : nil
    }

    // MARK: full read

    /// One list page (`GET /crm/v3/objects/{object}?limit&after&properties`), in id order. When the property list would
    /// make the URL too long, the list asks for ids only and one `batch/read` (properties in the body) fills them in.
    private func listPage(_ cursor: inout HubSpotCursor, limit: Int, properties: [String]?, fields: [String]?,
                          deadline: HubSpotDeadline) throws -> [Record] {
        var items: [(String, String)] = [("limit", String(limit)), ("archived", "false")]
        if let after = cursor.after { items.append(("after", after)) }
        let joined = properties?.joined(separator: ",")
        let inline = joined.map { $0.utf8.count < 6_000 } ?? true
        if let joined, inline { items.append(("properties", joined)) } else if properties != nil { items.append(("properties", kind.modifiedProperty)) }
        let body = try api.json("GET", "/crm/v3/objects/\(kind.rawValue)?" + HubSpotAPI.query(items), deadline: deadline)
        var objects = body["results"]?.arrayValue ?? []
        if !inline, let properties, !objects.isEmpty {
            let ids = objects.compactMap { HubSpotRecords.key(kind, $0)?.id }
            let full = try batchRead(ids, properties: properties, deadline: deadline)
            objects = ids.compactMap { full[$0] }
        }
        let upper = cursor.upper ?? cursor.t
        var records: [Record] = []
        for object in objects {
            guard let record = HubSpotRecords.record(kind, object, fields: fields) else { continue }
            // Records changed after the bound while the list paged are remembered too: the next run reads them
            // again only if they changed once more.
            if let key = HubSpotRecords.key(kind, object) { cursor.remember(key.id, key.ms, lookback: Int64(settings.lookbackMilliseconds)) }
            records.append(record)
        }
        cursor.prune(lookback: Int64(settings.lookbackMilliseconds))
        if let next = body["paging"]?["next"]?["after"]?.stringValue, !objects.isEmpty {
            cursor.after = next
        } else {
            // The list is done: everything up to the bound is read. Deletes before a first read do not matter.
            cursor = HubSpotCursor(phase: .caught, t: upper, deletedSince: upper, seen: cursor.seen, floor: cursor.floor)
        }
        return records
    }

    // MARK: incremental read

    /// One search page of the window or of the tie.
    ///
    /// The window asks for times from `t` (inclusive when `atT` names records already read at `t`, else exclusive) up
    /// to `upper`, sorted by time. A full page ending at a later time T than it began holds every record at its first
    /// time, so the next window starts at T inclusive and skips the ids of T already read (`atT`): one search per page,
    /// whatever order HubSpot gives records sharing a millisecond. A full page all at one time (a page's worth of
    /// records sharing it) goes on as a tie: `modified = T AND hs_object_id > id`, sorted by id, skipping `atT`.
    private func searchPage(_ cursor: inout HubSpotCursor, limit: Int, filters: [JSONValue], properties: [String]?, fields: [String]?,
                            lookback: Int64, deadline: HubSpotDeadline) throws -> [Record] {
        let mod = kind.modifiedProperty
        let upper = cursor.upper ?? cursor.t
        var group: [JSONValue]
        let sort: String
        if cursor.phase == .tie {
            group = [["propertyName": .string(mod), "operator": "EQ", "value": .string(String(cursor.t))],
                     ["propertyName": "hs_object_id", "operator": "GT", "value": .string(String(cursor.id))]]
            sort = "hs_object_id"
        } else {
            group = [["propertyName": .string(mod), "operator": cursor.atT.isEmpty ? "GT" : "GTE", "value": .string(String(max(cursor.t, 0)))],
                     ["propertyName": .string(mod), "operator": "LTE", "value": .string(String(upper))]]
            if cursor.t < 0 { group.removeFirst() }
            sort = mod
        }
        group += filters
        var body: [String: JSONValue] = [
            "filterGroups": [["filters": .array(group)]],
            "sorts": [["propertyName": .string(sort), "direction": "ASCENDING"]],
            "limit": .number(JSONNumber(limit)),
        ]
        if let properties {
            // Asked for in the body: hundreds of custom properties make no long URL.
            body["properties"] = .array(Set(properties + [mod, "hs_object_id"]).sorted().map(JSONValue.string))
        }
        let answer = try api.json("POST", "/crm/v3/objects/\(kind.rawValue)/search", json: .object(body), idempotent: true, deadline: deadline)
        let objects = answer["results"]?.arrayValue ?? []
        let keyed = objects.compactMap { object in HubSpotRecords.key(kind, object).map { (key: $0, object: object) } }
        let full = objects.count >= limit
        let skip = Set(cursor.atT)
        let take = keyed.filter { !skip.contains($0.key.id) }
        if cursor.phase == .tie {
            if let last = keyed.last, let id = Int64(last.key.id) { cursor.id = id }
            if !full {
                // The millisecond is read: the window goes on after it.
                cursor.phase = .window
                cursor.id = 0
                cursor.atT = []
            }
        } else if full, let first = keyed.first, let last = keyed.last {
            if first.key.ms == last.key.ms {
                // A page's worth of records share one millisecond: read it in id order.
                cursor.phase = .tie
                cursor.t = last.key.ms
                cursor.id = 0
                cursor.atT = Array(Set(cursor.atT + keyed.map(\.key.id))).sorted()
            } else {
                cursor.t = last.key.ms
                cursor.atT = keyed.filter { $0.key.ms == last.key.ms }.map(\.key.id)
            }
        } else {
            // The window is read up to the run's bound.
            cursor.t = upper
            cursor.id = 0
            cursor.atT = []
            cursor.phase = .archived
            cursor.after = nil
        }
        var records: [Record] = []
        for (key, object) in take {
            if cursor.alreadyRead(key.id, key.ms) { continue }
            guard let record = HubSpotRecords.record(kind, object, fields: fields) else { continue }
            cursor.remember(key.id, key.ms, lookback: lookback)
            records.append(record)
        }
        cursor.prune(lookback: lookback)
        return records
    }

    /// One page of the archived list: records archived after `deletedSince` and up to `upper` become deletes.
    /// HubSpot's search never returns archived records and the list cannot filter them by time, so each run pages the
    /// archived list (ids only).
    private func archivedPage(_ cursor: inout HubSpotCursor, limit: Int, deadline: HubSpotDeadline) throws -> [Record] {
        var items: [(String, String)] = [("limit", String(limit)), ("archived", "true"), ("properties", kind.modifiedProperty)]
        if let after = cursor.after { items.append(("after", after)) }
        let body = try api.json("GET", "/crm/v3/objects/\(kind.rawValue)?" + HubSpotAPI.query(items), deadline: deadline)
        let objects = body["results"]?.arrayValue ?? []
        let upper = cursor.upper ?? cursor.t
        let records = objects.compactMap { object -> Record? in
            guard let at = object["archivedAt"]?.stringValue.flatMap(HubSpotTime.millis), at > cursor.deletedSince, at <= upper,
                  var record = HubSpotRecords.record(kind, object) else { return nil }
            record.fields = [:]
            record.deleted = true
            record.change = .delete
            return record
        }
        if let next = body["paging"]?["next"]?["after"]?.stringValue, !objects.isEmpty {
            cursor.after = next
        } else {
            cursor.deletedSince = max(cursor.deletedSince, upper)
            cursor.t = max(cursor.t, upper)
            cursor.id = 0
            cursor.after = nil
            cursor.upper = nil
            cursor.phase = .caught
            cursor.prune(lookback: Int64(settings.lookbackMilliseconds))
        }
        return records
    }

    // MARK: by ids

    /// `batch/read` of up to 100 ids a call, properties in the body; ids HubSpot reports missing are `missing`.
    private func byIDs(_ ids: [String], properties: [String]?, fields: [String]?, deadline: HubSpotDeadline) throws -> ReadResult {
        var found: [String: JSONValue] = [:]
        var start = 0
        let wanted = ids.filter { Int64($0) != nil }
        while start < wanted.count {
            let chunk = Array(wanted[start..<min(start + Self.idsPerCall, wanted.count)])
            start += chunk.count
            found.merge(try batchRead(chunk, properties: properties ?? [kind.modifiedProperty], deadline: deadline)) { a, _ in a }
        }
        let records = ids.compactMap { found[$0].flatMap { HubSpotRecords.record(kind, $0, fields: fields) } }
        return ReadResult(records: try withLinks(records, deadline: deadline), nextCursor: nil, hasMore: false,
                          missing: ids.filter { found[$0] == nil })
    }

    /// `POST /crm/v3/objects/{object}/batch/read`: the objects found, by id (a 207 lists the others as not found).
    private func batchRead(_ ids: [String], properties: [String], deadline: HubSpotDeadline) throws -> [String: JSONValue] {
        let body: JSONValue = ["inputs": .array(ids.map { ["id": .string($0)] }), "properties": .array(properties.map(JSONValue.string)),
                               "propertiesWithHistory": []]
        let answer = try api.json("POST", "/crm/v3/objects/\(kind.rawValue)/batch/read", json: body, idempotent: true, deadline: deadline)
        var out: [String: JSONValue] = [:]
        for object in answer["results"]?.arrayValue ?? [] {
            if let id = object["id"]?.stringValue { out[id] = object }
        }
        return out
    }

    // MARK: associations

    /// Invoices carry their contacts, companies and deals as links (associations v4 `batch/read`, one call per
    /// object pair and page).
    private func withLinks(_ records: [Record], deadline: HubSpotDeadline) throws -> [Record] {
        let live = records.filter { !$0.deleted }.map(\.id)
        guard !kind.linkedObjects.isEmpty, !live.isEmpty else { return records }
        var links: [String: [RecordLink]] = [:]
        for to in kind.linkedObjects {
            for (from, found) in try HubSpotAssociations(api: api).read(from: kind, to: to, ids: live, deadline: deadline) {
                links[from, default: []] += found
            }
        }
        return records.map { record in
            var r = record
            if let found = links[record.id], !found.isEmpty { r.links = found }
            return r
        }
    }
}
