import CrosswalkPluginKit
import Foundation

/// Reads of contacts or companies: keyset pages since the cursor under the run's upper bound, reads by ids, and the
/// head cursor (`start: "now"`).
struct AriticReader {
    let api: AriticAPI
    let kind: AriticKind
    let settings: AriticSettings

    /// Ids per `search=ids:…` call.
    static let idsPerCall = 200

    func read(_ request: ReadRequest) throws -> ReadResult {
        if let ids = request.ids { return try byIDs(ids, fields: request.fields) }
        if request.start == "now" {
            let upper = try runUpper()
            let mark = AriticMark(at: upper, id: Int.max)
            return ReadResult(records: [], nextCursor: AriticCursor(added: mark, modified: mark).json, hasMore: false)
        }
        var cursor = try AriticCursor(request.cursor)
        let filter = AriticFilter.translate(request.filter)
        if cursor.upper == nil {
            cursor.upper = try runUpper()
            cursor.phase = .added
        }
        let limit = min(max(request.limit ?? settings.pageSize, 1), 1000)
        while true {
            let (records, last, full) = try page(cursor, filter: filter ?? [], limit: limit, fields: request.fields)
            if let last {
                if cursor.phase == .added { cursor.added = last } else { cursor.modified = last }
            }
            let applied: FilterApplied? = request.filter == nil ? nil : (filter == nil ? FilterApplied.none : .full)
            if full { return ReadResult(records: records, nextCursor: cursor.json, hasMore: true, filterApplied: applied) }
            if cursor.phase == .added {
                cursor.phase = .modified
                if !records.isEmpty { return ReadResult(records: records, nextCursor: cursor.json, hasMore: true, filterApplied: applied) }
                continue
            }
            // Both streams are caught up to the run's bound: the next run starts from here with a new bound.
            cursor.upper = nil
            cursor.phase = .added
            return ReadResult(records: records, nextCursor: cursor.json, hasMore: false, filterApplied: applied)
        }
    }

    /// The run's upper bound: the instance's clock (from a `Date` header) less a second, floored to whole seconds —
    /// records stamped in the current second are read next run, as Mautic's times have whole seconds.
    private func runUpper() throws -> Date {
        if api.clockOffset == nil {
            _ = try api.send("GET", "/api/\(kind.rawValue)?" + AriticAPI.query([("limit", "1"), ("minimal", "true")]))
        }
        return Date(timeIntervalSince1970: (api.instanceNow.timeIntervalSince1970 - 1).rounded(.down))
    }

    /// One page of the cursor's stream: the records in (time, id) order, the last one's mark, whether the page was full.
    private func page(_ cursor: AriticCursor, filter: [AriticWhere], limit: Int, fields: [String]?) throws
        -> (records: [Record], last: AriticMark?, full: Bool) {
        let col = cursor.phase == .added ? "date_added" : "date_modified"
        var wheres: [AriticWhere] = []
        if cursor.phase == .added { wheres.append(AriticWhere(col: "date_modified", expr: "isNull", val: .none)) }
        if let mark = cursor.phase == .added ? cursor.added : cursor.modified { wheres.append(.after(col, mark)) }
        if let upper = cursor.upper { wheres.append(AriticWhere(col: col, expr: "lte", val: .text(AriticTime.database(upper)))) }
        wheres += filter
        var items: [(String, String)] = [("limit", String(limit)), ("start", "0"), ("orderBy", col), ("orderByDir", "ASC"),
                                         ("order[0][col]", "id"), ("order[0][dir]", "ASC")]
        if kind == .contacts { items.append(("minimal", "true")) }
        items += AriticWhere.items(wheres)
        let body = try api.json("GET", "/api/\(kind.rawValue)?" + AriticAPI.query(items))
        let field = cursor.phase == .added ? "dateAdded" : "dateModified"
        // The list is keyed by id (a JSON object): put the page back in (time, id) order.
        let keyed: [(mark: AriticMark, entity: JSONValue)] = AriticRecords.entities(body, kind).compactMap { entity in
            guard let id = AriticRecords.id(entity).flatMap({ Int($0) }),
                  let at = entity[field]?.stringValue.flatMap(AriticTime.parse) else { return nil }
            return (AriticMark(at: at, id: id), entity)
        }.sorted { ($0.mark.at, $0.mark.id) < ($1.mark.at, $1.mark.id) }
        var records = keyed.compactMap { AriticRecords.record(kind, $0.entity, fields: fields) }
        if kind == .contacts {
            try AriticCompanyLinks(api: api).attach(&records)
            try AriticSegments(api: api, aliases: settings.segments).attach(&records, wanted: fields)
        }
        return (records, keyed.last?.mark, keyed.count >= limit)
    }

    /// `search=ids:1,2,3`, 200 ids a call; the ids not found are `missing`.
    private func byIDs(_ ids: [String], fields: [String]?) throws -> ReadResult {
        var found: [String: Record] = [:]
        let numeric = ids.filter { Int($0) != nil }
        var start = 0
        while start < numeric.count {
            let chunk = Array(numeric[start..<min(start + Self.idsPerCall, numeric.count)])
            start += chunk.count
            let items = [("search", "ids:" + chunk.joined(separator: ",")), ("limit", String(chunk.count)), ("minimal", "true")]
            let body = try api.json("GET", "/api/\(kind.rawValue)?" + AriticAPI.query(items))
            for entity in AriticRecords.entities(body, kind) {
                if let record = AriticRecords.record(kind, entity, fields: fields) { found[record.id] = record }
            }
        }
        var records = ids.compactMap { found[$0] }
        if kind == .contacts {
            try AriticCompanyLinks(api: api).attach(&records)
            try AriticSegments(api: api, aliases: settings.segments).attach(&records, wanted: fields)
        }
        let missing = ids.filter { found[$0] == nil }
        return ReadResult(records: records, nextCursor: nil, hasMore: false, missing: missing)
    }
}
