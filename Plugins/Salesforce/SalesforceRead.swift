import CrosswalkPluginKit

/// Reads: one page of records since a cursor, by keyset over (SystemModstamp, Id) with the run's
/// upper bound, following `nextRecordsUrl` while a query is open; Bulk API 2.0 for the first import
/// of a large object; reads by ids; head cursors.
final class SalesforceReader {
    let api: SalesforceAPI
    let schema: SalesforceSchemaCache
    let bulk: SalesforceBulkReader

    init(api: SalesforceAPI, schema: SalesforceSchemaCache) {
        self.api = api
        self.schema = schema
        bulk = SalesforceBulkReader(api: api, schema: schema)
    }

    func read(_ request: ReadRequest) throws -> ReadResult {
        let describe = try schema.describe(request.object)
        guard describe.queryable else { throw ConnectorError(.unsupported, "\(describe.name) cannot be queried") }
        let deadline = Deadline(milliseconds: request.deadlineMilliseconds)
        if let ids = request.ids { return try SalesforceIDReader(api: api, schema: schema).read(ids, request, describe, deadline) }
        if request.start == "now" { return try head(describe) }
        if let start = request.start { throw ConnectorError(.invalidArgument, "start must be \"now\" or null, got \"\(start)\"") }
        let plan = try SalesforceReadPlan(request, describe: describe)
        var cursor = try request.cursor.flatMap { $0.isNull ? nil : try SalesforceCursor($0, object: describe.name) } ?? .beginning(describe.name)
        // The run's upper bound: records stamped within the settle margin of the org's clock (writes
        // may still land in the current second) wait for the next run.
        if cursor.upper == nil { cursor.upper = api.orgNow - Int64(api.settings.settleSeconds) }
        let limit = min(max(request.limit ?? 2000, 1), 2000)
        if cursor.phase == .bulk { return try bulk.page(cursor, plan: plan, limit: limit, deadline: deadline) }
        return try restPage(cursor, plan: plan, limit: limit, deadline: deadline)
    }

    /// A cursor from which later reads return only changes made from now on.
    private func head(_ describe: SalesforceObjectDescribe) throws -> ReadResult {
        // The org's clock, not this machine's: one cheap call when no answer has told it yet.
        if !api.knowsOrgClock { _ = try api.json("GET", api.data("limits/"), idempotent: true) }
        let cursor = SalesforceCursor(object: describe.name, phase: .changes, ts: api.orgNow - 1, id: nil)
        return ReadResult(records: [], nextCursor: cursor.json, hasMore: false)
    }

    /// One page through the REST query resources.
    private func restPage(_ start: SalesforceCursor, plan: SalesforceReadPlan, limit: Int, deadline: Deadline) throws -> ReadResult {
        var cursor = start
        guard let upper = cursor.upper else { throw ConnectorError(.internalError, "read without an upper bound") }
        let headers = ["Sforce-Query-Options": "batchSize=\(max(200, limit))"]
        var answer: JSONValue?
        if let next = cursor.next, cursor.selection == plan.signature {
            let response = try api.send("GET", next, headers: headers, idempotent: true, deadline: deadline)
            if response.status == 400 || response.status == 404, SalesforceAPI.errorItems(response).contains(where: { $0.code == "INVALID_QUERY_LOCATOR" || $0.code == "NOT_FOUND" }) {
                api.host.log(.info, "query locator of \(plan.describe.name) expired; querying again from the cursor's position")
            } else {
                guard (200..<300).contains(response.status) else { throw SalesforceAPI.failure(response, "GET \(SalesforceAPI.shown(next))") }
                answer = response.jsonValue
                if answer == nil { throw ConnectorError(.internalError, "GET \(next) did not answer JSON") }
            }
        }
        let firstPageOfImport = answer == nil && cursor.phase == .full && cursor.ts == nil
        if answer == nil {
            let soql = plan.soql(where: [cursor.afterPosition, "SystemModstamp <= \(SOQL.dateTime(upper))"], ordered: true)
            let resource = cursor.phase == .full ? "query" : "queryAll"
            answer = try api.json("GET", api.data("\(resource)/?q=\(SalesforceReadPlan.queryValue(soql))"), headers: headers,
                                  idempotent: true, deadline: deadline)
        }
        guard let answer, let rows = answer["records"]?.arrayValue else {
            throw ConnectorError(.internalError, "a query of \(plan.describe.name) answered no records array")
        }
        let builder = SalesforceRecordBuilder(object: plan.describe, schema: schema)
        var records: [Record] = []
        records.reserveCapacity(min(rows.count, limit))
        var consumed = 0
        var changedDuringRun = 0
        for row in rows {
            if records.count == limit { break }
            consumed += 1
            guard let fields = row.objectValue, let record = builder.record(fields),
                  let stamp = record.modifiedAt.flatMap(SalesforceTime.seconds) else { continue }
            // Changed since the run began: its new version comes with the next run, after this one's position.
            if stamp > upper {
                changedDuringRun += 1
                continue
            }
            records.append(record)
            cursor.ts = stamp
            cursor.id = record.id
        }
        if changedDuringRun > 0 {
            api.host.log(.debug, "\(changedDuringRun) \(plan.describe.name) record(s) changed during the run: left to the next run")
        }
        let truncated = consumed < rows.count
        let nextURL = answer["nextRecordsUrl"]?.stringValue
        cursor.next = truncated ? nil : nextURL
        cursor.selection = cursor.next == nil ? nil : plan.signature
        var hasMore = truncated || nextURL != nil
        if firstPageOfImport, hasMore, let total = answer["totalSize"]?.intValue, total > api.settings.bulkThreshold {
            api.host.log(.info, "\(plan.describe.name): \(total) records to import, more than bulk_threshold \(api.settings.bulkThreshold): the rest through a Bulk API 2.0 query job")
            cursor.phase = .bulk
            cursor.next = nil
            cursor.selection = nil
            hasMore = true
        }
        if !hasMore {
            cursor.phase = .changes
            cursor.upper = nil
        }
        return ReadResult(records: records, nextCursor: cursor.json, hasMore: hasMore, filterApplied: plan.filterApplied)
    }
}
