import CrosswalkPluginKit
import Foundation

/// Reads: keyset pages of SuiteQL over `(lastmodifieddate, id)` from offset 0 (so SuiteQL's paging caps of
/// 1,000 pages and 100,000 rows never apply), bounded above by NetSuite's clock at the start of the run, then
/// the `DeletedRecord` feed over `(deleteddate, recordid)` up to the same bound, in the same read.
extension NetSuiteConnector {
    static let maxPage = 1000
    /// Ids per `id IN (…)` statement of a read by ids.
    static let idsPerStatement = 500

    func runRead(_ request: ReadRequest) throws -> ReadResult {
        let object = try object(request.object)
        let deadline = NetSuiteDeadline(milliseconds: request.deadlineMilliseconds)
        if let ids = request.ids { return try readByIDs(object, ids, request: request, deadline: deadline) }
        if let start = request.start {
            guard start == "now" else { throw ConnectorError(.invalidArgument, "start must be \"now\" or null, not \"\(start)\"") }
            let head = NetSuiteClock.rfc3339(try upperBound(object, deadline: deadline))
            return ReadResult(records: [], nextCursor: NetSuiteCursor(m: head, dm: head).json, hasMore: false)
        }
        var cursor = try NetSuiteCursor.decode(request.cursor) ?? NetSuiteCursor()
        if cursor.u == nil {
            // A run starts: its upper bound is NetSuite's clock now, less a second (whole-second times).
            let upper = NetSuiteClock.rfc3339(try upperBound(object, deadline: deadline))
            cursor.u = upper
            cursor.p = NetSuiteCursor.changes
            if cursor.dm == nil { cursor.dm = upper } // the first run reads no deletions from before it began
        }
        guard let upperText = cursor.u, let upper = NetSuiteClock.parseRFC3339(upperText) else {
            throw ConnectorError(.internalError, "cursor without an upper bound")
        }
        let limit = min(max(request.limit ?? Self.maxPage, 1), Self.maxPage)
        var records: [Record] = []
        var applied: FilterApplied?

        if cursor.p == NetSuiteCursor.changes {
            let page = try changesPage(object, cursor: cursor, upper: upper, limit: limit, request: request, deadline: deadline)
            records = page.records
            applied = page.applied
            if page.full {
                guard let last = page.last else { throw ConnectorError(.internalError, "SuiteQL rows of \(object.name) came without id or lastmodifieddate") }
                cursor.m = last.time
                cursor.i = last.id
                return ReadResult(records: records, nextCursor: cursor.json, hasMore: true, filterApplied: applied)
            }
            cursor.m = upperText
            cursor.i = nil
            cursor.p = NetSuiteCursor.deletions
        }

        let room = limit - records.count
        if let from = cursor.dm, from < upperText || cursor.di != nil {
            guard room > 0 else { return ReadResult(records: records, nextCursor: cursor.json, hasMore: true, filterApplied: applied) }
            let page = try deletionsPage(object, cursor: cursor, upper: upper, limit: room, deadline: deadline)
            records += page.records
            if page.full {
                guard let last = page.last else { throw ConnectorError(.internalError, "DeletedRecord rows came without recordid or deleteddate") }
                cursor.dm = last.time
                cursor.di = last.id
                return ReadResult(records: records, nextCursor: cursor.json, hasMore: true, filterApplied: applied)
            }
        }
        // Caught up: everything up to the bound is read; the next run starts after it.
        let caughtUp = NetSuiteCursor(m: upperText, dm: upperText)
        return ReadResult(records: records, nextCursor: caughtUp.json, hasMore: false, filterApplied: applied)
    }

    /// NetSuite's clock (the `Date` of a one-record list, the cheapest authenticated answer) less one second
    /// and the `read_lag_seconds` setting: changes at or before it are readable; later ones get a later time.
    func upperBound(_ object: NetSuiteObject, deadline: NetSuiteDeadline) throws -> Date {
        let path = "\(NetSuiteAPI.recordPath)/\(object.name)?limit=1"
        let response = try api.send("GET", path, deadline: deadline)
        guard response.status == 200 else { throw NetSuiteFailure(response).error("GET \(path)") }
        let now: Date
        if let date = response.headers["date"].flatMap(NetSuiteClock.parseHTTPDate) {
            now = date
        } else {
            host.log(.warn, "NetSuite answered without a Date header; the read's upper bound uses this machine's clock less 5 s")
            now = Date().addingTimeInterval(-5)
        }
        return Date(timeIntervalSince1970: floor(now.timeIntervalSince1970) - 1 - Double(settings.readLagSeconds))
    }

    /// One page of records read, its last position, whether it was full.
    struct Page {
        var records: [Record]
        var last: (time: String, id: String)?
        var full: Bool
        var applied: FilterApplied?
    }

    private func changesPage(_ object: NetSuiteObject, cursor: NetSuiteCursor, upper: Date, limit: Int, request: ReadRequest,
                             deadline: NetSuiteDeadline) throws -> Page {
        var conditions: [String] = []
        if let m = cursor.m, let from = NetSuiteClock.parseRFC3339(m) {
            let t = SuiteQLText.timestamp(from, clock)
            if let i = cursor.i {
                conditions.append("(lastmodifieddate > \(t) OR (lastmodifieddate = \(t) AND id > \(i)))")
            } else {
                conditions.append("lastmodifieddate > \(t)")
            }
        }
        conditions.append("lastmodifieddate <= \(SuiteQLText.timestamp(upper, clock))")
        var applied: FilterApplied?
        let (page, rows) = try select(object, fields: request.fields, deadline: deadline, limit: limit) { _, schema in
            var all = conditions
            applied = nil
            if let filter = request.filter {
                let skip = unselectable[object.name] ?? []
                let columns = Set(schema.fields.filter { $0.isColumn && !skip.contains($0.column) }.map(\.name) + ["id", "lastModifiedDate"])
                let pushdown = NetSuiteFilterPushdown(schema: schema, clock: clock, columns: columns)
                if let translated = pushdown.translate(filter) {
                    all.append(translated.sql)
                    applied = translated.complete ? .full : .partial
                } else {
                    applied = FilterApplied.none
                }
            }
            return "WHERE " + all.joined(separator: " AND ") + " ORDER BY lastmodifieddate, id"
        }
        var records: [Record] = []
        var last: (time: String, id: String)?
        for row in page.rows {
            guard let record = rows.record(row), let position = rows.position(row) else { continue }
            records.append(record)
            last = (NetSuiteClock.rfc3339(position.time), position.id)
        }
        return Page(records: records, last: last, full: page.rows.count >= limit, applied: applied)
    }

    private func deletionsPage(_ object: NetSuiteObject, cursor: NetSuiteCursor, upper: Date, limit: Int,
                               deadline: NetSuiteDeadline) throws -> Page {
        var conditions = ["type = \(SuiteQLText.string(object.deletedType))"]
        if let m = cursor.dm, let from = NetSuiteClock.parseRFC3339(m) {
            let t = SuiteQLText.timestamp(from, clock)
            if let i = cursor.di {
                conditions.append("(deleteddate > \(t) OR (deleteddate = \(t) AND recordid > \(i)))")
            } else {
                conditions.append("deleteddate > \(t)")
            }
        }
        conditions.append("deleteddate <= \(SuiteQLText.timestamp(upper, clock))")
        let statement = "SELECT recordid AS \(NetSuiteRows.idAlias), TO_CHAR(deleteddate, \(SuiteQLText.string(NetSuiteClock.suiteQLFormat))) AS \(NetSuiteRows.modifiedAlias) "
            + "FROM deletedrecord WHERE " + conditions.joined(separator: " AND ") + " ORDER BY deleteddate, recordid"
        let page: SuiteQLPage
        do {
            page = try api.suiteQL(statement, limit: limit, deadline: deadline)
        } catch let failure as SuiteQLFailure where [400, 403].contains(failure.failure.status) && !failure.failure.isConcurrencyRefusal {
            // The role cannot read the feed (the Deleted Records permission): changes still sync, deletions do not.
            host.log(.warn, "NetSuite's deleted-record feed is not readable, so deletions of \(object.name) records are not read: \(failure.failure.detail) "
                + "(give the integration role the Deleted Records permission: Setup > Users/Roles > Manage Roles > Permissions > Lists)")
            return Page(records: [], last: nil, full: false)
        } catch let failure as SuiteQLFailure {
            throw failure.error
        }
        var records: [Record] = []
        var last: (time: String, id: String)?
        for row in page.rows {
            guard let id = row[NetSuiteRows.idAlias], let text = row[NetSuiteRows.modifiedAlias], let time = clock.instant(wallClock: text) else { continue }
            let at = NetSuiteClock.rfc3339(time)
            records.append(Record(object: object.name, id: id, fields: [:], modifiedAt: at, deleted: true, change: .delete))
            last = (at, id)
        }
        return Page(records: records, last: last, full: page.rows.count >= limit)
    }

    private func readByIDs(_ object: NetSuiteObject, _ ids: [String], request: ReadRequest, deadline: NetSuiteDeadline) throws -> ReadResult {
        var found: [Record] = []
        var seen = Set<String>()
        let numeric = Array(Set(ids.compactMap(SuiteQLText.id))).sorted { ($0.count, $0) < ($1.count, $1) }
        var start = 0
        while start < numeric.count {
            let chunk = numeric[start..<min(start + Self.idsPerStatement, numeric.count)]
            start += chunk.count
            let (page, rows) = try select(object, fields: request.fields, deadline: deadline, limit: Self.maxPage) { _, _ in
                "WHERE id IN (\(chunk.joined(separator: ", "))) ORDER BY id"
            }
            for row in page.rows {
                guard let record = rows.record(row), !seen.contains(record.id) else { continue }
                seen.insert(record.id)
                found.append(record)
            }
        }
        let missing = ids.filter { !seen.contains($0) }
        return ReadResult(records: found, nextCursor: request.cursor ?? .null, hasMore: false, missing: missing)
    }

    /// Runs `SELECT <fields> FROM <table> <rest>` (the object's row type added), dropping a column NetSuite
    /// says the table lacks and trying again (REST fields that SuiteQL does not expose).
    func select(_ object: NetSuiteObject, fields wanted: [String]?, deadline: NetSuiteDeadline, limit: Int,
                _ rest: (NetSuiteRows, NetSuiteSchema) -> String) throws -> (SuiteQLPage, NetSuiteRows) {
        let schema = try schema(object, deadline: deadline)
        for _ in 0..<20 {
            let skip = unselectable[object.name] ?? []
            let fields = schema.fields.filter { field in
                field.isColumn && field.name != "id" && field.name != "lastModifiedDate" && !skip.contains(field.column)
                    && (wanted.map { $0.contains(field.name) } ?? true)
            }
            let rows = NetSuiteRows(object: object, clock: clock, fields: fields)
            var tail = rest(rows, schema)
            if let type = object.tableType {
                tail = tail.hasPrefix("WHERE ") ? "WHERE type = \(SuiteQLText.string(type)) AND " + tail.dropFirst(6) : "WHERE type = \(SuiteQLText.string(type)) " + tail
            }
            let statement = "SELECT \(rows.selectList) FROM \(object.table) \(tail)"
            do {
                return (try api.suiteQL(statement, limit: limit, deadline: deadline), rows)
            } catch let failure as SuiteQLFailure {
                guard let column = failure.unknownColumn, fields.contains(where: { $0.column == column }) else { throw failure.error }
                host.log(.info, "SuiteQL has no column \(column) on \(object.table); \(object.name).\(column) is not read")
                unselectable[object.name, default: []].insert(column)
            }
        }
        throw ConnectorError(.internalError, "SuiteQL refused too many columns of \(object.table)")
    }
}
