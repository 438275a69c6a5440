import CrosswalkPluginKit
import Foundation

/// Writes in HubSpot's batch endpoints, 100 inputs a call: `batch/create`, `batch/update`, `batch/upsert` (by a
/// unique property: `idProperty=email` for contacts) and `batch/archive` for deletes. Each input carries the host's
/// ref as `objectWriteTraceId`, which results echo, so results are matched to inputs whatever their order.
///
/// HubSpot validates a whole batch before writing any of it (one bad record refuses the batch with 400, a duplicate
/// e-mail with 409 "Contact already exists. Existing ID: …"), so a refused batch is split in halves and sent again
/// until each bad record stands alone with HubSpot's own message; good records are written. A call with no answer
/// makes its records `unknown`. Links become associations v4 (type ids from the labels endpoint).
struct HubSpotWriter {
    let api: HubSpotAPI
    let schema: HubSpotSchema
    let kind: HubSpotKind

    static let batchSize = 100

    enum Verb: String {
        case create, update, upsert
        var path: String { "batch/\(rawValue)" }
    }

    func write(_ request: WriteRequest) throws -> WriteResult {
        let deadline = HubSpotDeadline(milliseconds: request.deadlineMilliseconds)
        var results: [String: WriteItemResult] = [:]
        switch request.operation {
        case .create:
            for chunk in chunks(request.records) { try send(.create, chunk, deadline: deadline).forEach { results[$0.ref] = $0 } }
        case .update:
            let (ok, bad) = needIDs(request.records)
            bad.forEach { results[$0.ref] = $0 }
            for chunk in chunks(ok) { try send(.update, chunk, deadline: deadline).forEach { results[$0.ref] = $0 } }
        case .delete:
            let (ok, bad) = needIDs(request.records)
            bad.forEach { results[$0.ref] = $0 }
            for chunk in chunks(ok) { try archive(chunk, deadline: deadline).forEach { results[$0.ref] = $0 } }
        case .upsert:
            let key = request.matchKey ?? kind.defaultMatchKey
            var byID: [WriteRequest.Item] = [], byKey: [WriteRequest.Item] = [], creates: [WriteRequest.Item] = []
            let unique = try key.map { try schema.isUnique(kind, $0) } ?? false
            if let key, !unique {
                throw ConnectorError(.invalidArgument, "HubSpot upserts match on a property with unique values; \(key) of \(kind.rawValue) is not one (use email for contacts, or a custom property created with hasUniqueValue)")
            }
            for item in request.records {
                if let id = item.id, Int64(id) != nil { byID.append(item) }
                else if let key, let value = item.fields[key], !value.isNull { byKey.append(item) }
                else { creates.append(item) }
            }
            for chunk in chunks(byID) { try send(.update, chunk, deadline: deadline).forEach { results[$0.ref] = $0 } }
            for chunk in chunks(byKey) { try send(.upsert, chunk, key: key, deadline: deadline).forEach { results[$0.ref] = $0 } }
            for chunk in chunks(creates) { try send(.create, chunk, deadline: deadline).forEach { results[$0.ref] = $0 } }
        }
        try link(request.records, &results)
        return WriteResult(results: request.records.compactMap { results[$0.ref] })
    }

    private func chunks(_ items: [WriteRequest.Item]) -> [[WriteRequest.Item]] {
        stride(from: 0, to: items.count, by: Self.batchSize).map { Array(items[$0..<min($0 + Self.batchSize, items.count)]) }
    }

    /// Records without a HubSpot id (a number) fail at once.
    private func needIDs(_ items: [WriteRequest.Item]) -> (ok: [WriteRequest.Item], bad: [WriteItemResult]) {
        var ok: [WriteRequest.Item] = [], bad: [WriteItemResult] = []
        for item in items {
            if let id = item.id, Int64(id) != nil { ok.append(item) } else {
                bad.append(.failure(item.ref, ConnectorError(.invalidArgument, "record \(item.ref) has no HubSpot id (a number)"), fields: ["id"]))
            }
        }
        return (ok, bad)
    }

    /// HubSpot property values are strings: numbers and booleans are sent as text, null clears.
    static func properties(_ fields: [String: JSONValue]) -> JSONValue {
        .object(fields.mapValues { value in
            switch value {
            case .number(let n): .string(n.description)
            case .bool(let b): .string(b ? "true" : "false")
            case .null: .string("")
            case .string: value
            default: .string(value.text)
            }
        })
    }

    private func input(_ verb: Verb, _ item: WriteRequest.Item, key: String?) -> JSONValue {
        var o: [String: JSONValue] = ["properties": Self.properties(item.fields), "objectWriteTraceId": .string(item.ref)]
        switch verb {
        case .create: break
        case .update: o["id"] = .string(item.id ?? "")
        case .upsert:
            let value = item.fields[key ?? ""] ?? .null
            o["id"] = .string(value.stringValue ?? value.text)
            o["idProperty"] = .string(key ?? "")
        }
        return .object(o)
    }

    /// Sends one batch; a refused batch (400/409/422) is split until each refused record stands alone.
    private func send(_ verb: Verb, _ chunk: [WriteRequest.Item], key: String? = nil, deadline: HubSpotDeadline) throws -> [WriteItemResult] {
        guard !chunk.isEmpty else { return [] }
        let path = "/crm/v3/objects/\(kind.rawValue)/\(verb.path)"
        let body: JSONValue = ["inputs": .array(chunk.map { input(verb, $0, key: key) })]
        let response: ConnectorHost.Response
        do {
            // Updates and upserts by a unique property may be repeated; a create may not (it would duplicate).
            response = try api.send("POST", path, json: body, idempotent: verb != .create, deadline: deadline)
        } catch let error as ConnectorError where error.code == .timeout || error.code == .unavailable {
            return chunk.map { .unknown($0.ref, "POST \(path) got no answer: \(error.message)") }
        }
        switch response.status {
        case 200..<300:
            return try results(verb, chunk, response, key: key, path: path)
        case let status where [400, 409, 422].contains(status) && chunk.count > 1:
            let half = chunk.count / 2
            return try send(verb, Array(chunk[..<half]), key: key, deadline: deadline) + send(verb, Array(chunk[half...]), key: key, deadline: deadline)
        case 401, 403:
            throw HubSpotAPI.failure(response, "POST \(path)")
        case 500...:
            let error = HubSpotAPI.failure(response, "POST \(path)")
            return chunk.map { .unknown($0.ref, error.message) }
        default:
            var error = HubSpotAPI.failure(response, "POST \(path)")
            if let existing = Self.existingID(error.message) {
                error.details = ["existing_id": .string(existing), "http_status": .number(JSONNumber(response.status)), "category": "CONFLICT"]
            }
            return chunk.map { .failure($0.ref, error) }
        }
    }

    /// "Contact already exists. Existing ID: 123" → "123".
    static func existingID(_ message: String) -> String? {
        guard let range = message.range(of: "Existing ID: ") else { return nil }
        let digits = message[range.upperBound...].prefix { $0.isNumber }
        return digits.isEmpty ? nil : String(digits)
    }

    /// Per-record results of a 2xx batch answer: matched by `objectWriteTraceId`, else by the upsert key's value, else by
    /// position; a 207's `OBJECT_NOT_FOUND` ids fail alone.
    private func results(_ verb: Verb, _ chunk: [WriteRequest.Item], _ response: ConnectorHost.Response, key: String?, path: String) throws -> [WriteItemResult] {
        let body = response.jsonValue ?? .null
        let list = body["results"]?.arrayValue ?? []
        var byTrace: [String: JSONValue] = [:], byID: [String: JSONValue] = [:], byKey: [String: JSONValue] = [:]
        for object in list {
            if let trace = object["objectWriteTraceId"]?.stringValue { byTrace[trace] = object }
            if let id = object["id"]?.stringValue { byID[id] = object }
            if let key, let value = object["properties"]?[key]?.stringValue { byKey[value.lowercased()] = object }
        }
        var missing: [String: String] = [:]
        for error in body["errors"]?.arrayValue ?? [] {
            let parsed = HubSpotErrorBody(error)
            for id in parsed?.context["ids"] ?? parsed?.context["id"] ?? [] { missing[id] = parsed?.message ?? "not found" }
        }
        return chunk.enumerated().map { index, item in
            var object = byTrace[item.ref]
            if object == nil, verb == .update, let id = item.id { object = byID[id] }
            if object == nil, verb == .upsert, let key, let value = item.fields[key]?.stringValue { object = byKey[value.lowercased()] }
            if object == nil, verb == .create, byTrace.isEmpty, list.count == chunk.count { object = list[index] }
            if let object, let id = object["id"]?.stringValue {
                let created = verb == .create || (verb == .upsert && object["new"]?.boolValue == true)
                return .success(item.ref, id: id, created: created)
            }
            if let id = item.id, let message = missing[id] {
                return .failure(item.ref, ConnectorError(.notFound, "POST \(path) answered HTTP \(response.status) (OBJECT_NOT_FOUND): \(message)"))
            }
            return .unknown(item.ref, "POST \(path) answered HTTP \(response.status) without a result for record \(item.ref)")
        }
    }

    /// `batch/archive` (204): HubSpot archives the ids it has and ignores the others.
    private func archive(_ chunk: [WriteRequest.Item], deadline: HubSpotDeadline) throws -> [WriteItemResult] {
        let path = "/crm/v3/objects/\(kind.rawValue)/batch/archive"
        let body: JSONValue = ["inputs": .array(chunk.map { ["id": .string($0.id ?? "")] })]
        let response: ConnectorHost.Response
        do {
            response = try api.send("POST", path, json: body, idempotent: true, deadline: deadline)
        } catch let error as ConnectorError where error.code == .timeout || error.code == .unavailable {
            return chunk.map { .unknown($0.ref, "POST \(path) got no answer: \(error.message)") }
        }
        guard (200..<300).contains(response.status) else {
            let error = HubSpotAPI.failure(response, "POST \(path)")
            if error.code == .auth { throw error }
            return chunk.map { .failure($0.ref, error) }
        }
        return chunk.map { .success($0.ref, id: $0.id ?? "", outcome: .deleted) }
    }

    /// Makes the links of records written (associations v4); a record whose links failed is reported failed with its id.
    private func link(_ items: [WriteRequest.Item], _ results: inout [String: WriteItemResult]) throws {
        var pending: [HubSpotAssociations.Pending] = []
        for item in items {
            guard let links = item.links, !links.isEmpty, let result = results[item.ref], result.ok, result.outcome != .deleted,
                  let id = result.id else { continue }
            pending += links.map { HubSpotAssociations.Pending(ref: item.ref, fromID: id, link: $0) }
        }
        guard !pending.isEmpty else { return }
        for (ref, error) in try HubSpotAssociations(api: api).create(from: kind, pending) {
            let id = results[ref]?.id
            var failed = WriteItemResult.failure(ref, ConnectorError(error.code, "written as \(id ?? "?"), but its links failed: \(error.message)"), fields: ["links"])
            failed.id = id
            results[ref] = failed
        }
    }
}
