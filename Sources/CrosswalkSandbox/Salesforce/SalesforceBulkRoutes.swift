import CrosswalkCore
import Foundation
import Synchronization

/// `jobs/query…`: Bulk API 2.0 query jobs — create, read (state), list, abort, delete, and results as CSV
/// pages with `Sforce-Locator` and `Sforce-NumberOfRecords` (*Bulk API 2.0 and Bulk API Developer Guide ›
/// Create a Query Job, Get Information About a Query Job, Get Results for a Query Job, Abort a Query Job,
/// Delete a Query Job, Get Information About All Query Jobs*).
extension SalesforceApp {
    static func bulkError(_ status: Int, _ code: String, _ message: String) -> SalesforceError {
        SalesforceError(status: status, code: code, message: message)
    }

    func bulkQuery(_ call: SalesforceCall) throws(SalesforceError) -> SandboxResponse {
        let s = call.segments
        guard s.count >= 2, s[1] == "query" else { throw SalesforceError.notFound }
        switch (call.method, s.count) {
        case ("POST", 2): return try createQueryJob(call)
        case ("GET", 2): return listQueryJobs(call)
        case ("GET", 3): return try queryJobInfo(call, id: s[2])
        case ("PATCH", 3): return try abortQueryJob(call, id: s[2])
        case ("DELETE", 3): return try deleteQueryJob(call, id: s[2])
        case ("GET", 4) where s[3] == "results": return try queryJobResults(call, id: s[2])
        case (_, 2): throw SalesforceError.methodNotAllowed(call.method, allowed: ["GET", "POST"])
        case (_, 3): throw SalesforceError.methodNotAllowed(call.method, allowed: ["GET", "PATCH", "DELETE"])
        case (_, 4) where s[3] == "results": throw SalesforceError.methodNotAllowed(call.method, allowed: ["GET"])
        default: throw SalesforceError.notFound
        }
    }

    /// `POST jobs/query` `{"operation":"query|queryAll","query":"SELECT …","columnDelimiter":"COMMA","lineEnding":"LF"}`
    private func createQueryJob(_ call: SalesforceCall) throws(SalesforceError) -> SandboxResponse {
        let body = try Self.jsonObject(call, kind: "QueryJobInfo")
        let operation = body["operation"] as? String ?? ""
        guard operation == "query" || operation == "queryAll" else {
            throw Self.bulkError(400, "INVALIDJOB", "InvalidJob : Invalid job operation: \(operation.isEmpty ? "null" : operation); query jobs take query or queryAll")
        }
        guard let soql = body["query"] as? String, !soql.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Self.bulkError(400, "INVALIDJOB", "InvalidJob : A query is required")
        }
        let delimiter = body["columnDelimiter"] as? String ?? "COMMA"
        let lineEnding = body["lineEnding"] as? String ?? "LF"
        guard SalesforceBulkJobs.delimiters[delimiter] != nil else {
            throw Self.bulkError(400, "INVALIDJOB", "InvalidJob : Invalid column delimiter: \(delimiter)")
        }
        guard lineEnding == "LF" || lineEnding == "CRLF" else {
            throw Self.bulkError(400, "INVALIDJOB", "InvalidJob : Invalid line ending: \(lineEnding)")
        }
        if let type = body["contentType"] as? String, type != "CSV" {
            throw Self.bulkError(400, "INVALIDJOB", "InvalidJob : Invalid content type: \(type); query jobs return CSV")
        }
        let parsed: SOQLQuery
        do throws(SalesforceError) {
            parsed = try SOQLParser.parse(soql, now: call.now)
        } catch {
            throw Self.bulkError(400, "API_ERROR", error.message)
        }
        guard case .fields(let paths) = parsed.selection else {
            throw Self.bulkError(400, "API_ERROR", "Aggregate queries are not supported by the Bulk API: use the REST query resource")
        }
        if paths.contains(where: { $0.field.type == .address }) {
            throw Self.bulkError(400, "API_ERROR", "Selecting compound data not supported in Bulk Query")
        }
        if parsed.offset != nil {
            throw Self.bulkError(400, "API_ERROR", "OFFSET is not supported by the Bulk API")
        }
        let started = ContinuousClock.now
        return try state.withLock { state throws(SalesforceError) in
            guard state.bulk.createdToday(now: call.now) < SalesforceBulkJobs.dailyJobLimit else {
                throw Self.bulkError(400, "EXCEEDED_QUOTA",
                                     "Max bulk v2 query jobs (\(SalesforceBulkJobs.dailyJobLimit)) per 24 hrs has been reached (\(SalesforceBulkJobs.dailyJobLimit + 1))")
            }
            let positions = parsed.run(&state.store, includeDeleted: operation == "queryAll")
            let elapsed = ContinuousClock.now - started
            let job = SalesforceBulkJobs.Job(
                id: state.bulk.nextID(), operation: operation, object: parsed.object.name, query: soql, paths: paths, positions: positions,
                layout: state.store.table(parsed.object.name)?.layout ?? 0, createdBy: call.userID, created: call.now, modstamp: call.now,
                state: .uploadComplete, apiVersion: call.versionNumber, columnDelimiter: delimiter, lineEnding: lineEnding,
                processingMillis: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000))
            var created = job
            if let failure = state.bulk.failNext {
                created.errorMessage = failure
                state.bulk.failNext = nil
            }
            state.bulk.add(created, now: call.now)
            return .json(200, Self.jobInfo(created, detailed: false))
        }
    }

    /// The job as the API describes it; `detailed` adds what `GET jobs/query/{id}` adds.
    static func jobInfo(_ job: SalesforceBulkJobs.Job, detailed: Bool) -> [String: Any] {
        var info: [String: Any] = [
            "id": job.id, "operation": job.operation, "object": job.object, "createdById": job.createdBy,
            "createdDate": SalesforceDates.dateTime(job.created), "systemModstamp": SalesforceDates.dateTime(job.modstamp),
            "state": job.state.rawValue, "concurrencyMode": "Parallel", "contentType": "CSV", "apiVersion": job.apiVersion,
            "lineEnding": job.lineEnding, "columnDelimiter": job.columnDelimiter,
        ]
        if detailed {
            info["jobType"] = "V2Query"
            info["numberRecordsProcessed"] = job.state == .jobComplete ? job.positions.count : 0
            info["retries"] = 0
            info["totalProcessingTime"] = job.state == .jobComplete ? job.processingMillis : 0
            info["isPkChunkingSupported"] = job.object != "User"
            if job.state == .failed, let message = job.errorMessage { info["errorMessage"] = message }
        }
        return info
    }

    private func job(_ id: String, _ state: SalesforceState, now: Date) throws(SalesforceError) -> SalesforceBulkJobs.Job {
        guard let canonical = SalesforceID.normalize(id), let job = state.bulk.job(canonical, now: now) else {
            throw SalesforceError.notFound
        }
        return job
    }

    /// `GET jobs/query/{id}`: each read moves a running job on, until it completes.
    private func queryJobInfo(_ call: SalesforceCall, id: String) throws(SalesforceError) -> SandboxResponse {
        try state.withLock { state throws(SalesforceError) in
            var job = try job(id, state, now: call.now)
            if !job.state.isFinal {
                job.polls += 1
                var next: SalesforceBulkJobs.State = job.polls >= state.bulk.pollsToComplete ? .jobComplete : .inProgress
                if next == .jobComplete, job.errorMessage != nil { next = .failed }
                if next != job.state {
                    job.state = next
                    job.modstamp = call.now
                }
                state.bulk.update(job)
            }
            return .json(200, Self.jobInfo(job, detailed: true))
        }
    }

    /// `GET jobs/query?jobType=&concurrencyMode=&isPkChunkingEnabled=`
    private func listQueryJobs(_ call: SalesforceCall) -> SandboxResponse {
        let jobs = state.withLock { state in
            state.bulk.expire(now: call.now)
            return state.bulk.all
        }
        let concurrency = call.request.queryValue("concurrencyMode")
        let type = call.request.queryValue("jobType")
        let wanted = (concurrency == nil || concurrency == "Parallel") && (type == nil || type == "V2Query")
        let records = (wanted ? jobs : [])
            .map { job -> [String: Any] in
                var info = Self.jobInfo(job, detailed: false)
                info["jobType"] = "V2Query"
                return info
            }
        return .json(200, ["done": true, "records": records, "nextRecordsUrl": NSNull()])
    }

    /// `PATCH jobs/query/{id}` `{"state":"Aborted"}`
    private func abortQueryJob(_ call: SalesforceCall, id: String) throws(SalesforceError) -> SandboxResponse {
        let body = try Self.jsonObject(call, kind: "QueryJobInfo")
        guard body["state"] as? String == "Aborted" else {
            throw Self.bulkError(400, "INVALIDJOB", "InvalidJob : A query job can only be aborted: send {\"state\":\"Aborted\"}")
        }
        return try state.withLock { state throws(SalesforceError) in
            var job = try job(id, state, now: call.now)
            guard !job.state.isFinal else {
                throw Self.bulkError(400, "INVALIDJOBSTATE", "InvalidJobState : Job in state \(job.state.rawValue) cannot be aborted")
            }
            job.state = .aborted
            job.modstamp = call.now
            state.bulk.update(job)
            return .json(200, Self.jobInfo(job, detailed: false))
        }
    }

    /// `DELETE jobs/query/{id}`: only a finished job (JobComplete, Aborted, Failed).
    private func deleteQueryJob(_ call: SalesforceCall, id: String) throws(SalesforceError) -> SandboxResponse {
        try state.withLock { state throws(SalesforceError) in
            let job = try job(id, state, now: call.now)
            guard job.state.isFinal else {
                throw Self.bulkError(400, "INVALIDJOBSTATE",
                                     "InvalidJobState : Job in state \(job.state.rawValue) cannot be deleted: only JobComplete, Aborted or Failed jobs can")
            }
            state.bulk.remove(job.id)
            return .empty(204)
        }
    }

    /// `GET jobs/query/{id}/results?locator=&maxRecords=`: one CSV set of rows, the next set's locator in
    /// `Sforce-Locator` (`null` after the last), its row count in `Sforce-NumberOfRecords`.
    private func queryJobResults(_ call: SalesforceCall, id: String) throws(SalesforceError) -> SandboxResponse {
        var maxRecords = SalesforceBulkJobs.defaultMaxRecords
        if let raw = call.request.queryValue("maxRecords") {
            guard let n = Int(raw), n > 0 else {
                throw Self.bulkError(400, "INVALIDURL", "InvalidUrl : maxRecords must be a positive number: \(raw)")
            }
            maxRecords = n
        }
        var start = 0
        if let locator = call.request.queryValue("locator"), !locator.isEmpty, locator != "null" {
            guard let offset = Self.offset(locator: locator) else {
                throw Self.bulkError(400, "INVALIDLOCATOR", "InvalidLocator : The locator is not valid for this job: \(locator)")
            }
            start = offset
        }
        return try state.withLock { state throws(SalesforceError) in
            let job = try job(id, state, now: call.now)
            guard job.state == .jobComplete else {
                throw Self.bulkError(400, "INVALIDJOBSTATE", "InvalidJobState : Job is in state \(job.state.rawValue); results are available once it is JobComplete")
            }
            guard start <= job.positions.count, let table = resultsTable(state, job) else {
                throw Self.bulkError(400, "INVALIDLOCATOR", "InvalidLocator : The locator is not valid for this job")
            }
            let end = min(job.positions.count, start + maxRecords)
            let csv = SalesforceCSV.rows(job, table: table, range: start..<end, store: state.store)
            let next = end < job.positions.count ? Self.locator(offset: end) : "null"
            return SandboxResponse(status: 200, headers: ["Content-Type": "text/csv", "Sforce-Locator": next,
                                                          "Sforce-NumberOfRecords": String(end - start)], body: csv)
        }
    }

    private func resultsTable(_ state: SalesforceState, _ job: SalesforceBulkJobs.Job) -> SalesforceStore.Table? {
        guard let table = state.store.table(job.object) else { return job.positions.isEmpty ? SalesforceStore.Table(object: SalesforceCatalog.object(job.object)!) : nil }
        return table.layout == job.layout ? table : nil
    }

    /// A results locator as Salesforce writes them: the offset, base64-encoded without padding (`MTAwMDA`).
    static func locator(offset: Int) -> String {
        Data(String(offset).utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    static func offset(locator: String) -> Int? {
        var text = locator
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text), let decoded = String(data: data, encoding: .utf8), let n = Int(decoded), n >= 0 else { return nil }
        return n
    }
}
