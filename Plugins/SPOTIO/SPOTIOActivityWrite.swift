import CrosswalkPluginKit

/// Activity writes: creates in one `POST /api/ActivitiesV2/many` (all or nothing: an item SPOTIO names as invalid,
/// `[3].type`, is failed and the rest sent again), updates as `PATCH /api/ActivitiesV2/{id}` each.
struct SPOTIOActivityWriter {
    let api: SPOTIOAPI

    func write(_ request: WriteRequest) throws -> WriteResult {
        switch request.operation {
        case .create: return WriteResult(results: try create(request.records))
        case .update: return WriteResult(results: try request.records.map(update))
        default: throw ConnectorError(.unsupported, "SPOTIO activities are created and updated, not \(request.operation.rawValue)d")
        }
    }

    private func create(_ items: [WriteRequest.Item]) throws -> [WriteItemResult] {
        var results: [String: WriteItemResult] = [:]
        var pending: [(item: WriteRequest.Item, body: JSONValue)] = []
        for item in items {
            do { pending.append((item, try SPOTIOActivities.request(item.fields))) } catch let e as ConnectorError {
                results[item.ref] = .failure(item.ref, e, fields: e.fields)
            }
        }
        while !pending.isEmpty {
            let response: ConnectorHost.Response
            do {
                response = try api.send("POST", "/api/ActivitiesV2/many", json: .array(pending.map(\.body)))
            } catch let error as ConnectorError where [.timeout, .unavailable].contains(error.code) {
                for p in pending { results[p.item.ref] = .unknown(p.item.ref, "POST /api/ActivitiesV2/many got no answer: \(error.message)") }
                break
            }
            if (200..<300).contains(response.status) {
                let ids = response.jsonValue?.arrayValue ?? []
                for (index, p) in pending.enumerated() {
                    if index < ids.count, let id = SPOTIOJSON.string(ids[index]) {
                        results[p.item.ref] = .success(p.item.ref, id: id, outcome: .created)
                    } else {
                        results[p.item.ref] = .unknown(p.item.ref, "SPOTIO answered without this activity's id")
                    }
                }
                break
            }
            // `[index].field` names the item that failed the whole request.
            let errors = SPOTIOErrorItem.parse(response.body)
            let bad = Set(errors.compactMap { e -> Int? in
                guard e.field.hasPrefix("["), let close = e.field.firstIndex(of: "]") else { return nil }
                return Int(e.field[e.field.index(after: e.field.startIndex)..<close])
            }.filter { $0 < pending.count })
            let error = SPOTIOAPI.failure(response, "POST /api/ActivitiesV2/many")
            if bad.isEmpty {
                for p in pending { results[p.item.ref] = .failure(p.item.ref, error) }
                break
            }
            for index in bad.sorted() {
                let p = pending[index]
                let mine = errors.filter { $0.field.hasPrefix("[\(index)]") }
                let fields = mine.map { String($0.field.split(separator: ".").last ?? "_") }
                results[p.item.ref] = .failure(p.item.ref, ConnectorError(.conflict, mine.map(\.message).joined(separator: "; "), fields: fields),
                                               fields: fields)
            }
            pending = pending.enumerated().filter { !bad.contains($0.offset) }.map(\.element)
        }
        return items.map { results[$0.ref] ?? .unknown($0.ref, "no result") }
    }

    private func update(_ item: WriteRequest.Item) throws -> WriteItemResult {
        guard let id = item.id, !id.isEmpty else {
            return .failure(item.ref, ConnectorError(.invalidArgument, "an update needs the activity's id", fields: ["id"]))
        }
        let body: JSONValue
        do { body = try SPOTIOActivities.request(item.fields) } catch let e as ConnectorError { return .failure(item.ref, e, fields: e.fields) }
        let path = "/api/ActivitiesV2/\(SPOTIOQuery.encode(id))"
        let response: ConnectorHost.Response
        do {
            response = try api.send("PATCH", path, json: body)
        } catch let error as ConnectorError where [.timeout, .unavailable].contains(error.code) {
            return .unknown(item.ref, "PATCH /api/ActivitiesV2/{id} got no answer: \(error.message)")
        }
        guard (200..<300).contains(response.status) else {
            let e = SPOTIOAPI.failure(response, "PATCH /api/ActivitiesV2/{id}")
            return .failure(item.ref, e, fields: e.fields)
        }
        return .success(item.ref, id: id, outcome: .updated)
    }
}
