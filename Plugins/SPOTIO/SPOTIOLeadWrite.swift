import CrosswalkPluginKit

/// Writes of the `Lead` object. Creates and updates of `bulk_threshold` records or more go through ONE bulk job
/// (create job, one NDJSON upload, start, poll progress, download succeeded and failed results: 6 calls for any
/// batch size); smaller batches cost a call per record (`POST /api/DataObjects`, `PATCH …/jsonp`). Deletes are a
/// `DELETE` per record. Each record gets its own result with SPOTIO's message and the fields it names.
struct SPOTIOLeadWriter {
    let api: SPOTIOAPI
    let schema: SPOTIOSchemaCache
    let settings: SPOTIOSettings
    let host: ConnectorHost

    func write(_ request: WriteRequest) throws -> WriteResult {
        let type = try schema.leadType()
        let deadline = SPOTIODeadline(milliseconds: request.deadlineMilliseconds)
        switch request.operation {
        case .delete: return WriteResult(results: try request.records.map { try delete($0, deadline: deadline) })
        case .upsert:
            throw ConnectorError(.unsupported, "SPOTIO has no upsert by external id: write Lead with create or update")
        case .create, .update:
            let create = request.operation == .create
            let fields = SPOTIOLeadFields(type: type)
            var results: [WriteItemResult] = []
            var lines: [(item: WriteRequest.Item, id: String, line: JSONValue)] = []
            for item in request.records {
                let id = create ? SPOTIOObjectID.make() : (item.id ?? "")
                if !create && id.isEmpty {
                    results.append(.failure(item.ref, ConnectorError(.invalidArgument, "an update needs the record's id", fields: ["id"])))
                    continue
                }
                do {
                    lines.append((item, id, try fields.request(item.fields, id: id, create: create)))
                } catch let error as ConnectorError {
                    results.append(.failure(item.ref, error, fields: error.fields))
                }
            }
            if lines.count >= settings.bulkThreshold {
                results += try SPOTIOBulkJob(api: api, host: host, settings: settings, fields: fields)
                    .run(operation: create ? "create" : "patch", lines: lines, deadline: deadline)
            } else {
                for line in lines {
                    results.append(create ? try createOne(line.item, line.line, fields: fields, deadline: deadline)
                                          : try updateOne(line.item, fields: fields, deadline: deadline))
                }
            }
            return WriteResult(results: results)
        }
    }

    private func createOne(_ item: WriteRequest.Item, _ line: JSONValue, fields: SPOTIOLeadFields, deadline: SPOTIODeadline) throws -> WriteItemResult {
        var request = line.objectValue ?? [:]
        request["id"] = nil
        return try send(item, "POST", "/api/DataObjects", ["dataObject": .object(request)], fields: fields, deadline: deadline) { answer in
            guard let id = answer["id"]?.stringValue else { return .unknown(item.ref, "SPOTIO answered without the new record's id") }
            return .success(item.ref, id: id, outcome: .created)
        }
    }

    private func updateOne(_ item: WriteRequest.Item, fields: SPOTIOLeadFields, deadline: SPOTIODeadline) throws -> WriteItemResult {
        let id = item.id ?? ""
        let patch = try fields.patch(item.fields)
        if patch.arrayValue?.isEmpty ?? true { return .success(item.ref, id: id, outcome: .unchanged) }
        return try send(item, "PATCH", "/api/DataObjects/\(SPOTIOQuery.encode(id))/jsonp", patch, fields: fields, deadline: deadline) { _ in
            .success(item.ref, id: id, outcome: .updated)
        }
    }

    private func delete(_ item: WriteRequest.Item, deadline: SPOTIODeadline) throws -> WriteItemResult {
        guard let id = item.id, !id.isEmpty else {
            return .failure(item.ref, ConnectorError(.invalidArgument, "a delete needs the record's id", fields: ["id"]))
        }
        let fields = SPOTIOLeadFields(type: try schema.leadType())
        return try send(item, "DELETE", "/api/DataObjects/\(SPOTIOQuery.encode(id))", nil, fields: fields, deadline: deadline) { _ in
            .success(item.ref, id: id, outcome: .deleted)
        }
    }

    /// One call for one record: its result, `unknown` when no answer came.
    private func send(_ item: WriteRequest.Item, _ method: String, _ path: String, _ body: JSONValue?, fields: SPOTIOLeadFields,
                      deadline: SPOTIODeadline, _ success: (JSONValue) -> WriteItemResult) throws -> WriteItemResult {
        let response: ConnectorHost.Response
        do {
            response = try api.send(method, path, json: body, deadline: deadline)
        } catch let error as ConnectorError where [.timeout, .unavailable].contains(error.code) {
            if method == "DELETE" { return .failure(item.ref, error) }
            return .unknown(item.ref, "\(method) \(SPOTIOAPI.shown(path)) was sent but got no answer: \(error.message)")
        }
        if (200..<300).contains(response.status) {
            return success(response.jsonValue ?? .null)
        }
        let error = SPOTIOAPI.failure(response, "\(method) \(SPOTIOAPI.shown(path))")
        let offending = fields.offendingFields(SPOTIOErrorItem.parse(response.body))
        return .failure(item.ref, error, fields: offending.isEmpty ? nil : offending)
    }
}
