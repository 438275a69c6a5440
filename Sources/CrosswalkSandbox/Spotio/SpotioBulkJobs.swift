import CrosswalkCore
import Foundation

/// A bulk job of `/api/jobs/dataObjects/bulk` (tag DataObjectsBulkJobs): NDJSON files of `BulkDataObjectRequest`
/// lines uploaded to an `Open` job, processed when started. Not saved with the state (jobs are transient).
struct SpotioBulkJob: Sendable {
    struct File: Sendable {
        var id: String
        var partNumber: Int
        var size: Int
        var lines: [Data]
        var createdAt: Date
        var processed = 0
        var failed = 0
    }

    var id: String
    /// `create`, `update` (the line replaces the record's custom fields) or `patch` (only what the line carries changes).
    var operation: String
    var typeId: String
    var createdById: String
    var createdAt: Date
    var updatedAt: Date
    /// `Open` → `InProgress` → `Completed` (`Aborted` after cleanup).
    var state: String
    var files: [File] = []
    var processingStartedAt: Date?
    /// NDJSON result lines.
    var succeeded: [Data] = []
    var failed: [Data] = []
}

/// The bulk-job endpoints. The emulator processes a job's records when it is started, so the first progress poll
/// already reports it `Completed` (SPOTIO processes in the background; clients poll `progress`).
extension SpotioStore {
    static let bulkOperations = ["create", "update", "patch"]

    private func bulkJob(_ call: SpotioCall) -> Result<SpotioBulkJob, SpotioRejection> {
        let id = call.params["id"] ?? ""
        guard UUID(uuidString: id) != nil else {
            return .failure(SpotioRejection(response: SpotioWire.error(400, field: "id", "The value '\(id)' is not valid.")))
        }
        guard let job = bulkJobs[id.lowercased()] else { return .failure(SpotioRejection(response: SpotioWire.notFound("Bulk job", id))) }
        return .success(job)
    }

    private func renderJob(_ job: SpotioBulkJob) -> [String: Any] {
        ["id": job.id, "operation": job.operation, "dataObjectTypeId": Int(job.typeId) ?? 0, "createdById": Int(job.createdById) ?? 0,
         "createdDate": SpotioWire.date(job.createdAt), "updatedDate": SpotioWire.date(job.updatedAt), "state": job.state]
    }

    /// `POST /api/jobs/dataObjects/bulk {operation, dataObjectTypeId}` → `BulkJob`.
    func createBulkJob(_ call: SpotioCall) -> SandboxResponse {
        let body: [String: Any]
        switch SpotioWire.jsonObject(call.request) {
        case let .success(object): body = object
        case let .failure(error): return error.response
        }
        guard let operation = body.spotioString("operation")?.lowercased(), Self.bulkOperations.contains(operation) else {
            return SpotioWire.error(400, field: "operation", "Allowed operations: 'create', 'update', 'patch'.")
        }
        guard let typeId = body.spotioString("dataObjectTypeId"), state.type(typeId) != nil else {
            return SpotioWire.error(400, field: "dataObjectTypeId", "dataObjectTypeId must be the id of a DataObject type from /api/workflow/dataObjects.")
        }
        let job = SpotioBulkJob(id: UUID().uuidString.lowercased(), operation: operation, typeId: typeId, createdById: call.userId,
                                createdAt: call.now, updatedAt: call.now, state: "Open")
        bulkJobs[job.id] = job
        return .json(200, renderJob(job))
    }

    /// `GET /api/jobs/dataObjects/bulk/{id}` → `BulkJob`; `GET …/inprogress` → the jobs not finished.
    func getBulkJob(_ call: SpotioCall) -> SandboxResponse {
        switch bulkJob(call) {
        case let .success(job): return .json(200, renderJob(job))
        case let .failure(denied): return denied.response
        }
    }

    func bulkJobsInProgress(_ call: SpotioCall) -> SandboxResponse {
        .json(200, bulkJobs.values.filter { $0.state == "Open" || $0.state == "InProgress" }.sorted { $0.createdAt < $1.createdAt }.map(renderJob))
    }

    /// `PUT /api/jobs/dataObjects/bulk/{id}/data` (NDJSON body, one `BulkDataObjectRequest` a line) → `BulkJobFile`.
    func uploadBulkJobData(_ call: SpotioCall) -> SandboxResponse {
        guard case var .success(job) = bulkJob(call) else { return bulkJob(call).failureResponse }
        guard job.state == "Open" else { return SpotioWire.error(400, field: "state", "Data can be uploaded only to an Open job (this one is \(job.state)).") }
        let lines = call.request.body.split(separator: UInt8(ascii: "\n")).map { Data($0) }
            .filter { !$0.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") } }
        guard !lines.isEmpty else { return SpotioWire.error(400, field: "body", "The file has no records.") }
        let file = SpotioBulkJob.File(id: UUID().uuidString.lowercased(), partNumber: job.files.count + 1, size: call.request.body.count,
                                      lines: lines, createdAt: call.now)
        job.files.append(file)
        job.updatedAt = call.now
        bulkJobs[job.id] = job
        return .json(200, ["id": file.id, "bulkJobId": job.id, "partNumber": file.partNumber, "size": file.size,
                           "recordCount": lines.count, "state": "Uploaded", "createdDate": SpotioWire.date(file.createdAt)])
    }

    /// `POST /api/jobs/dataObjects/bulk/{id}/start` → `BulkJob`; processes every uploaded record.
    func startBulkJob(_ call: SpotioCall) -> SandboxResponse {
        guard case var .success(job) = bulkJob(call) else { return bulkJob(call).failureResponse }
        guard job.state == "Open" else { return SpotioWire.error(400, field: "state", "The job must be in 'Open' state (it is \(job.state)).") }
        guard !job.files.isEmpty else { return SpotioWire.error(400, field: "files", "At least one data file must be uploaded before starting.") }
        job.state = "InProgress"
        job.processingStartedAt = call.now
        let started = renderJob(job)
        for index in job.files.indices {
            for line in job.files[index].lines {
                let original = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any]
                switch processBulkLine(original, job: job, call: call) {
                case let .success(id):
                    job.files[index].processed += 1
                    job.succeeded.append(SandboxJSON.encode(["fileId": job.files[index].id, "dataObjectId": id, "data": original as Any]))
                case let .failure(invalid):
                    job.files[index].processed += 1
                    job.files[index].failed += 1
                    let message = invalid.field == "_" ? invalid.message : "\(invalid.field): \(invalid.message)"
                    job.failed.append(SandboxJSON.encode(["fileId": job.files[index].id, "error": message,
                                                          "data": original.map { $0 as Any } ?? String(decoding: line, as: UTF8.self)]))
                }
            }
        }
        job.state = "Completed"
        job.updatedAt = call.now
        bulkJobs[job.id] = job
        return .json(200, started)
    }

    /// One line: creates (with the line's `id` when it gives one, as `DataObjectRequest.id` allows) or changes a record.
    private func processBulkLine(_ line: [String: Any]?, job: SpotioBulkJob, call: SpotioCall) -> Result<String, SpotioInput.Invalid> {
        guard let line else { return .failure(.init("_", "The line is not a JSON object.")) }
        guard let type = state.type(job.typeId) else { return .failure(.init("typeId", "Unknown type.")) }
        if let lineType = line.spotioString("typeId"), lineType != job.typeId {
            return .failure(.init("typeId", "typeId \(lineType) does not match the job's dataObjectTypeId \(job.typeId)."))
        }
        do throws(SpotioInput.Invalid) {
            if job.operation == "create" {
                var id = newObjectId()
                if let given = line.spotioString("id") {
                    guard given.count == 24, given.allSatisfy(\.isHexDigit) else { throw SpotioInput.Invalid("id", "'\(given)' is not a 24-digit hex ObjectId.") }
                    guard state.dataObjects[given] == nil else { throw SpotioInput.Invalid("id", "DataObject '\(given)' already exists.") }
                    id = given.lowercased()
                }
                let record = try buildDataObject(line, type: type, id: id, call: call)
                state.dataObjects[id] = record
                raise(SpotioWebhookEvents.leadAdded, render.dataObject(record))
                return .success(id)
            }
            guard let id = line.spotioString("id") else { throw SpotioInput.Invalid("id", "id is required to \(job.operation) a DataObject.") }
            guard var record = state.dataObjects[id], record.typeId == job.typeId else { throw SpotioInput.Invalid("id", "DataObject '\(id)' was not found.") }
            let before = record
            if line["stageId"] != nil, let stage = try input.stageId(line["stageId"], type: type) { record.stageId = stage }
            if line["ownerId"] != nil, let owner = try input.userId(line["ownerId"], field: "ownerId") { record.ownerId = owner }
            if line.keys.contains("source") { record.source = line.spotioString("source") }
            if line.keys.contains("externalDataObjectId") { record.externalDataObjectId = line.spotioString("externalDataObjectId") }
            if line["pin"] != nil { record.pin = try input.pin(line["pin"], over: record.pin) }
            if let raw = line["collaboratorIds"] as? [Any] {
                record.collaboratorIds = try raw.map { item throws(SpotioInput.Invalid) in try input.userId(item, field: "collaboratorIds") ?? "" }
            }
            if let items = line["fields"] as? [Any] {
                if job.operation == "update" { record.fields = [] }
                for item in items {
                    guard let object = item as? [String: Any], let fieldId = object.spotioString("fieldId") else {
                        throw SpotioInput.Invalid("fields", "Each field needs a fieldId.")
                    }
                    let value = try input.fieldValue(fieldId: fieldId, value: object["value"], values: object["values"], type: type)
                    record.fields.removeAll { $0.fieldId == fieldId }
                    if let value { record.fields.append(value) }
                }
            }
            record.updatedAt = call.now
            record.updatedById = call.userId
            if record.stageId != before.stageId { record.stageUpdatedAt = call.now; record.stageUpdatedById = call.userId }
            state.dataObjects[id] = record
            raise(SpotioWebhookEvents.leadUpdated, render.dataObject(record))
            return .success(id)
        } catch {
            return .failure(error)
        }
    }

    /// `GET /api/jobs/dataObjects/bulk/{id}/progress` → `BulkJobProgress`.
    func bulkJobProgress(_ call: SpotioCall) -> SandboxResponse {
        guard case let .success(job) = bulkJob(call) else { return bulkJob(call).failureResponse }
        var out = renderJob(job)
        out["processingStartedAt"] = SpotioWire.date(job.processingStartedAt)
        out["totalRecordsToProcess"] = job.files.reduce(0) { $0 + $1.lines.count }
        out["recordsProcessed"] = job.files.reduce(0) { $0 + $1.processed }
        out["recordsFailed"] = job.files.reduce(0) { $0 + $1.failed }
        out["errorMessage"] = NSNull()
        out["files"] = job.files.map { ["id": $0.id, "partNumber": $0.partNumber, "state": job.state == "Completed" ? "Processed" : "Uploaded",
                                        "recordCount": $0.lines.count, "recordsProcessed": $0.processed, "recordsFailed": $0.failed] as [String: Any] }
        out.removeValue(forKey: "updatedDate")
        return .json(200, out)
    }

    /// `GET …/results/succeeded` and `…/results/failed` → NDJSON (`{fileId, dataObjectId, data}` / `{fileId, error, data}`).
    func bulkJobResults(_ call: SpotioCall, failed: Bool) -> SandboxResponse {
        guard case let .success(job) = bulkJob(call) else { return bulkJob(call).failureResponse }
        var body = Data()
        for line in failed ? job.failed : job.succeeded {
            body.append(line)
            body.append(UInt8(ascii: "\n"))
        }
        return SandboxResponse(status: 200, headers: ["Content-Type": "application/x-ndjson"], body: body)
    }

    /// `DELETE /api/jobs/dataObjects/bulk/{id}/cleanup` → 200; the job is `Aborted`.
    func cleanupBulkJob(_ call: SpotioCall) -> SandboxResponse {
        guard case var .success(job) = bulkJob(call) else { return bulkJob(call).failureResponse }
        job.state = "Aborted"
        job.files = []
        job.succeeded = []
        job.failed = []
        bulkJobs[job.id] = job
        return .empty(200)
    }
}

private extension Result where Failure == SpotioRejection {
    var failureResponse: SandboxResponse {
        if case let .failure(denied) = self { return denied.response }
        return .empty(500)
    }
}
