import CrosswalkPluginKit

/// The first import of a large object through a Bulk API 2.0 query job (*Bulk API 2.0 and Bulk API
/// Developer Guide › Query Jobs*): create the job for the records after the cursor's position up to
/// the run's upper bound, poll it until `JobComplete`, then fetch its CSV result sets
/// (`maxRecords` rows each, `Sforce-Locator` to the next) and serve them page by page.
final class SalesforceBulkReader {
    let api: SalesforceAPI
    let schema: SalesforceSchemaCache
    /// The result set last fetched, so the pages of one set cost one call.
    private var cached: (job: String, locator: String, rows: [[String: JSONValue]], next: String?)?

    /// A job that failed this often is reported instead of being created again.
    static let maxJobFailures = 3

    init(api: SalesforceAPI, schema: SalesforceSchemaCache) {
        self.api = api
        self.schema = schema
    }

    func page(_ start: SalesforceCursor, plan: SalesforceReadPlan, limit: Int, deadline: Deadline) throws -> ReadResult {
        var cursor = start
        guard let upper = cursor.upper else { throw ConnectorError(.internalError, "bulk read without an upper bound") }
        if cursor.job == nil {
            try create(&cursor, plan: plan, upper: upper, deadline: deadline)
        }
        guard let job = cursor.job else { throw ConnectorError(.internalError, "no bulk job") }
        switch try waitUntilComplete(job, deadline: deadline) {
        case .running:
            // Not done before the deadline: an empty page, the same job next time.
            return ReadResult(records: [], nextCursor: cursor.json, hasMore: true, filterApplied: plan.filterApplied)
        case .lost(let why):
            cursor.jobFailures += 1
            guard cursor.jobFailures < Self.maxJobFailures else {
                throw ConnectorError(.unavailable, "Bulk API 2.0 query job \(job) for \(plan.describe.name) failed \(cursor.jobFailures) times, last: \(why)")
            }
            api.host.log(.warn, "Bulk API 2.0 query job \(job) for \(plan.describe.name): \(why); starting it again")
            restart(&cursor)
            return ReadResult(records: [], nextCursor: cursor.json, hasMore: true, filterApplied: plan.filterApplied)
        case .complete:
            break
        }
        let locator = cursor.locator ?? ""
        let set: (rows: [[String: JSONValue]], next: String?)
        if let cached, cached.job == job, cached.locator == locator {
            set = (cached.rows, cached.next)
        } else {
            guard let fetched = try results(job, locator: locator, plan: plan, deadline: deadline) else {
                cursor.jobFailures += 1
                guard cursor.jobFailures < Self.maxJobFailures else {
                    throw ConnectorError(.unavailable, "the results of Bulk API 2.0 query job \(job) are gone")
                }
                restart(&cursor)
                return ReadResult(records: [], nextCursor: cursor.json, hasMore: true, filterApplied: plan.filterApplied)
            }
            cached = (job, locator, fetched.rows, fetched.next)
            set = fetched
        }
        let builder = SalesforceRecordBuilder(object: plan.describe, schema: schema)
        var records: [Record] = []
        var k = min(cursor.skip, set.rows.count)
        while k < set.rows.count, records.count < limit {
            let row = set.rows[k]
            k += 1
            guard let record = builder.record(row), let stamp = record.modifiedAt.flatMap(SalesforceTime.seconds), stamp <= upper else { continue }
            records.append(record)
        }
        cursor.skip = k
        if k < set.rows.count {
            return ReadResult(records: records, nextCursor: cursor.json, hasMore: true, filterApplied: plan.filterApplied)
        }
        if let next = set.next {
            cursor.locator = next
            cursor.skip = 0
            return ReadResult(records: records, nextCursor: cursor.json, hasMore: true, filterApplied: plan.filterApplied)
        }
        // Every record up to the upper bound was delivered: tidy the job up and carry on with changes.
        cached = nil
        if let r = try? api.send("DELETE", api.data("jobs/query/\(job)"), idempotent: true, deadline: deadline), !(200..<300).contains(r.status) {
            api.host.log(.debug, "DELETE jobs/query/\(job) answered HTTP \(r.status)")
        }
        var done = SalesforceCursor(object: cursor.object, phase: .changes, ts: upper, id: nil)
        done.upper = nil
        return ReadResult(records: records, nextCursor: done.json, hasMore: false, filterApplied: plan.filterApplied)
    }

    private func create(_ cursor: inout SalesforceCursor, plan: SalesforceReadPlan, upper: Int64, deadline: Deadline) throws {
        let soql = plan.soql(where: [cursor.afterPosition, "SystemModstamp <= \(SOQL.dateTime(upper))"], ordered: false)
        let answer = try api.json("POST", api.data("jobs/query"), json: ["operation": "query", "query": .string(soql), "columnDelimiter": "COMMA", "lineEnding": "LF"],
                                  deadline: deadline)
        guard let id = answer["id"]?.stringValue else { throw ConnectorError(.internalError, "creating a Bulk API 2.0 query job answered no id") }
        cursor.job = id
        cursor.locator = nil
        cursor.skip = 0
        cursor.fromTS = cursor.ts
        cursor.fromID = cursor.id
    }

    /// Back to the position the lost job started from (its records come again: never fewer).
    private func restart(_ cursor: inout SalesforceCursor) {
        cursor.ts = cursor.fromTS
        cursor.id = cursor.fromID
        cursor.job = nil
        cursor.locator = nil
        cursor.skip = 0
        cached = nil
    }

    enum JobState { case complete, running, lost(String) }

    /// Polls the job with a growing wait (the host's cancellable sleep) until it completes, fails or the deadline nears.
    private func waitUntilComplete(_ job: String, deadline: Deadline) throws -> JobState {
        var wait = Double(api.settings.bulkPollMilliseconds)
        while true {
            let response = try api.send("GET", api.data("jobs/query/\(job)"), idempotent: true, deadline: deadline)
            if response.status == 404 { return .lost("the job is gone (HTTP 404)") }
            guard (200..<300).contains(response.status), let info = response.jsonValue else {
                throw SalesforceAPI.failure(response, "GET jobs/query/\(job)")
            }
            switch info["state"]?.stringValue ?? "" {
            case "JobComplete": return .complete
            case "Failed": return .lost("the job failed: \(info["errorMessage"]?.stringValue ?? "no message")")
            case "Aborted": return .lost("the job was aborted")
            default: break
            }
            if deadline.isShort(of: wait + 5_000) { return .running }
            try api.host.sleep(milliseconds: UInt32(wait))
            wait = min(wait * 2, 10_000)
        }
    }

    /// One result set as rows of typed values, and the next set's locator; `nil` when the job's results are gone.
    private func results(_ job: String, locator: String, plan: SalesforceReadPlan, deadline: Deadline) throws -> (rows: [[String: JSONValue]], next: String?)? {
        var path = "jobs/query/\(job)/results?maxRecords=\(api.settings.bulkResultSetSize)"
        if !locator.isEmpty { path += "&locator=\(SalesforceReadPlan.queryValue(locator))" }
        let response = try api.send("GET", api.data(path), headers: ["Accept": "text/csv"], idempotent: true, deadline: deadline)
        if response.status == 404 { return nil }
        guard (200..<300).contains(response.status) else { throw SalesforceAPI.failure(response, "GET jobs/query/\(job)/results") }
        let csv: SalesforceCSV
        do { csv = try SalesforceCSV.parse(Array(response.body)) } catch {
            throw ConnectorError(.internalError, "the results of Bulk API 2.0 query job \(job) are not valid CSV: \(error)")
        }
        let builder = SalesforceRecordBuilder(object: plan.describe, schema: schema)
        let rows = csv.rows.map { cells in
            var row: [String: JSONValue] = [:]
            for (name, cell) in zip(csv.header, cells) { row[name] = builder.value(cell, field: name) }
            return row
        }
        let next = response.headers["sforce-locator"].flatMap { $0.isEmpty || $0 == "null" ? nil : $0 }
        return (rows, next)
    }
}
