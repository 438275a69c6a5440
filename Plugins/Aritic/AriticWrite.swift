import CrosswalkPluginKit

/// Writes in Mautic's batch endpoints, 200 records a call (`api_batch_max_limit`): `POST /batch/new` for creates
/// (and upserts without an id: Mautic's duplicate check matches contacts by e-mail), `PATCH /batch/edit` for updates,
/// `DELETE /batch/delete?ids=` for deletes. Results per record from the answer's `statusCodes` and `errors` (both by
/// input position), with Mautic's message and the fields it names.
struct AriticWriter {
    let api: AriticAPI
    let kind: AriticKind

    static let batchSize = 200

    func write(_ request: WriteRequest) throws -> WriteResult {
        var results: [WriteItemResult] = []
        var start = 0
        while start < request.records.count {
            let chunk = Array(request.records[start..<min(start + Self.batchSize, request.records.count)])
            start += chunk.count
            switch request.operation {
            case .create: results += try batch(chunk, edit: false)
            case .update: results += try needIDs(chunk) { try batch($0, edit: true) }
            case .delete: results += try needIDs(chunk) { try delete($0) }
            case .upsert:
                // Known ids are edits, the rest creates (matched by e-mail for contacts by Mautic itself).
                let edits = chunk.filter { $0.id != nil }, creates = chunk.filter { $0.id == nil }
                var byRef: [String: WriteItemResult] = [:]
                if !edits.isEmpty { for r in try batch(edits, edit: true) { byRef[r.ref] = r } }
                if !creates.isEmpty { for r in try batch(creates, edit: false) { byRef[r.ref] = r } }
                results += chunk.compactMap { byRef[$0.ref] }
            }
        }
        return WriteResult(results: results)
    }

    /// Fails records without an id at once and sends the others.
    private func needIDs(_ chunk: [WriteRequest.Item], _ send: ([WriteRequest.Item]) throws -> [WriteItemResult]) throws -> [WriteItemResult] {
        let ok = chunk.filter { $0.id.flatMap { Int($0) } != nil }
        var byRef: [String: WriteItemResult] = [:]
        if !ok.isEmpty { for r in try send(ok) { byRef[r.ref] = r } }
        return chunk.map { item in
            byRef[item.ref] ?? .failure(item.ref, ConnectorError(.invalidArgument, "record \(item.ref) has no Aritic id (a number)"), fields: ["id"])
        }
    }

    /// A batch call's JSON answer, or the results of every record when the call as a whole failed.
    enum Answer {
        case body(JSONValue)
        case results([WriteItemResult])
    }

    /// The answer to a call that got no usable answer: every record `unknown` when nothing came back, else failed.
    private func call(_ method: String, _ path: String, _ body: JSONValue?, _ chunk: [WriteRequest.Item]) throws -> Answer {
        let response: ConnectorHost.Response
        do {
            response = try api.send(method, path, json: body)
        } catch let error as ConnectorError where error.code == .timeout || error.code == .unavailable {
            return .results(chunk.map { WriteItemResult.unknown($0.ref, "\(method) \(AriticAPI.shown(path)) got no answer: \(error.message)") })
        }
        guard (200..<300).contains(response.status), let value = response.jsonValue else {
            let error = AriticAPI.failure(response, "\(method) \(AriticAPI.shown(path))")
            if error.code == .auth { throw error }
            return .results(chunk.map { WriteItemResult.failure($0.ref, error) })
        }
        return .body(value)
    }

    private func batch(_ chunk: [WriteRequest.Item], edit: Bool) throws -> [WriteItemResult] {
        let payload: JSONValue = .array(chunk.map { item in
            var fields = item.fields
            if edit, let id = item.id.flatMap({ Int($0) }) { fields["id"] = .number(JSONNumber(id)) }
            return .object(fields)
        })
        let path = "/api/\(kind.rawValue)/batch/\(edit ? "edit" : "new")"
        let body: JSONValue
        switch try call(edit ? "PATCH" : "POST", path, payload, chunk) {
        case .body(let value): body = value
        case .results(let results): return results
        }
        let codes = body["statusCodes"]?.arrayValue ?? []
        return chunk.enumerated().map { index, item in
            if let failure = failure(body, index, item) { return failure }
            let code = codes.indices.contains(index) ? codes[index].intValue ?? 200 : 200
            guard let entity = entity(body, index), let id = AriticRecords.id(entity) else {
                return .failure(item.ref, ConnectorError(.internalError, "\(path) returned no entity for record \(index)"))
            }
            return .success(item.ref, id: id, created: code == 201)
        }
    }

    private func delete(_ chunk: [WriteRequest.Item]) throws -> [WriteItemResult] {
        let ids = chunk.compactMap { $0.id }
        let path = "/api/\(kind.rawValue)/batch/delete?" + AriticAPI.query(ids.enumerated().map { ("ids[\($0.offset)]", $0.element) })
        let body: JSONValue
        switch try call("DELETE", path, nil, chunk) {
        case .body(let value): body = value
        case .results(let results): return results
        }
        return chunk.enumerated().map { index, item in
            failure(body, index, item) ?? .success(item.ref, id: item.id ?? "", outcome: .deleted)
        }
    }

    /// Entities come back as a list when every record succeeded, else as an object keyed by input position.
    private func entity(_ body: JSONValue, _ index: Int) -> JSONValue? {
        switch body[kind.rawValue] {
        case .array(let list)?: return list.indices.contains(index) ? list[index] : nil
        case .object(let map)?: return map[String(index)]
        default: return nil
        }
    }

    /// `errors[index]`: `{message, code, type}` or a validation entry with `details: {alias: [msg]}`.
    private func failure(_ body: JSONValue, _ index: Int, _ item: WriteRequest.Item) -> WriteItemResult? {
        let entry: JSONValue?
        switch body["errors"] {
        case .object(let map)?: entry = map[String(index)]
        case .array(let list)?: entry = list.indices.contains(index) ? list[index] : nil
        default: entry = nil
        }
        guard let entry, !entry.isNull else { return nil }
        let parsed = AriticErrorItem.parse(entry).first
        let status = entry["code"]?.intValue ?? 400
        let code: ConnectorError.Code = status == 404 ? .notFound : (status >= 500 ? .unavailable : .conflict)
        let message = parsed?.message ?? entry.text
        return .failure(item.ref, ConnectorError(code, message), fields: parsed.map(\.fields).flatMap { $0.isEmpty ? nil : $0 })
    }
}
