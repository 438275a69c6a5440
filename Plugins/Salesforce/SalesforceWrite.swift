import CrosswalkPluginKit

/// Writes through sObject Collections (*REST API Developer Guide › sObject Collections*): create
/// (`POST composite/sobjects`), update (`PATCH`), upsert by an external id
/// (`PATCH composite/sobjects/{object}/{field}`) and delete (`DELETE ?ids=`), 200 records a call,
/// `allOrNone:false` so each record gets its own result with Salesforce's code, message and fields.
/// Upsert by an id-lookup field that is not an external id (Contact.Email) looks the values up with
/// one query, then updates and creates.
final class SalesforceWriter {
    let api: SalesforceAPI
    let schema: SalesforceSchemaCache

    static let collectionLimit = 200

    init(api: SalesforceAPI, schema: SalesforceSchemaCache) {
        self.api = api
        self.schema = schema
    }

    /// One record ready to send: its ref, the body's fields and (update, delete) its id.
    struct Prepared {
        var ref: String
        var id: String?
        var body: [String: JSONValue]
    }

    func write(_ request: WriteRequest) throws -> WriteResult {
        let describe = try schema.describe(request.object)
        let deadline = Deadline(milliseconds: request.deadlineMilliseconds)
        var results: [WriteItemResult] = []
        var ready: [Prepared] = []
        for item in request.records {
            do { ready.append(try prepare(item, describe, request.operation)) } catch let e as ConnectorError {
                results.append(.failure(item.ref, e))
            }
        }
        var calls = SalesforceCallBatcher(api: api, deadline: deadline)
        switch request.operation {
        case .create:
            results += try calls.run(ready, chunk: Self.collectionLimit, outcome: .created) { try create($0, describe, deadline) }
        case .update:
            results += try calls.run(ready, chunk: Self.collectionLimit, outcome: .updated) { try update($0, describe, deadline) }
        case .delete:
            results += try calls.run(ready, chunk: Self.collectionLimit, outcome: .deleted) { try delete($0, deadline) }
        case .upsert:
            results += try upsert(ready, matchKey: request.matchKey, describe, &calls, deadline)
        }
        return WriteResult(results: results)
    }

    private func prepare(_ item: WriteRequest.Item, _ describe: SalesforceObjectDescribe, _ operation: WriteOperation) throws -> Prepared {
        var body = item.fields
        body["attributes"] = nil
        let idKey = body.keys.first { $0.lowercased() == "id" }
        let id = item.id ?? idKey.flatMap { body[$0]?.stringValue }
        if let idKey { body[idKey] = nil }
        for link in item.links ?? [] {
            let field: SalesforceFieldDescribe?
            if let type = link.type {
                field = describe.field(type)
            } else {
                let candidates = describe.fields.filter { $0.type == "reference" && $0.createable && $0.referenceTo.contains(link.object) }
                field = candidates.count == 1 ? candidates[0] : nil
            }
            guard let field, field.type == "reference" else {
                throw ConnectorError(.invalidArgument, "link \(link.type ?? link.object) is not a lookup field of \(describe.name)", fields: [link.type ?? link.object])
            }
            body[field.name] = .string(link.id)
        }
        switch operation {
        case .update, .delete:
            guard let id, !id.isEmpty else {
                throw ConnectorError(.invalidArgument, "MISSING_ARGUMENT: Id not specified in an \(operation.rawValue) call", fields: ["Id"])
            }
            guard SalesforceIDs.isWellFormed(id) else {
                throw ConnectorError(.invalidArgument, "MALFORMED_ID: \(describe.name) ID: id value of incorrect type: \(id)", fields: ["Id"])
            }
        case .create, .upsert:
            break
        }
        return Prepared(ref: item.ref, id: id, body: body)
    }

    private func body(_ p: Prepared, _ describe: SalesforceObjectDescribe, id: Bool) -> JSONValue {
        var fields = p.body
        fields["attributes"] = ["type": .string(describe.name)]
        if id, let value = p.id { fields["id"] = .string(value) }
        return .object(fields)
    }

    private func create(_ chunk: [Prepared], _ describe: SalesforceObjectDescribe, _ deadline: Deadline) throws -> ConnectorHost.Response {
        try api.send("POST", api.data("composite/sobjects"),
                     json: ["allOrNone": false, "records": .array(chunk.map { body($0, describe, id: false) })], deadline: deadline)
    }

    private func update(_ chunk: [Prepared], _ describe: SalesforceObjectDescribe, _ deadline: Deadline) throws -> ConnectorHost.Response {
        try api.send("PATCH", api.data("composite/sobjects"),
                     json: ["allOrNone": false, "records": .array(chunk.map { body($0, describe, id: true) })], idempotent: true, deadline: deadline)
    }

    private func delete(_ chunk: [Prepared], _ deadline: Deadline) throws -> ConnectorHost.Response {
        let ids = chunk.compactMap(\.id).joined(separator: ",")
        return try api.send("DELETE", api.data("composite/sobjects?ids=\(ids)&allOrNone=false"), idempotent: true, deadline: deadline)
    }

    // MARK: upsert

    private func upsert(_ ready: [Prepared], matchKey: String?, _ describe: SalesforceObjectDescribe, _ calls: inout SalesforceCallBatcher,
                        _ deadline: Deadline) throws -> [WriteItemResult] {
        let keyName = matchKey ?? describe.fields.first(where: \.externalID)?.name ?? "Id"
        var results: [WriteItemResult] = []
        // Records that already carry their Salesforce id are updates.
        let known = ready.filter { $0.id != nil }
        var rest = ready.filter { $0.id == nil }
        results += try calls.run(known, chunk: Self.collectionLimit, outcome: .updated) { try update($0, describe, deadline) }
        if keyName.lowercased() == "id" {
            results += try calls.run(rest, chunk: Self.collectionLimit, outcome: .created) { try create($0, describe, deadline) }
            return results
        }
        guard let key = describe.field(keyName) else {
            throw ConnectorError(.invalidArgument, "\(describe.name) has no field \(keyName) to upsert on", fields: [keyName])
        }
        // The key's value must be in each record.
        var keyed: [(Prepared, String)] = []
        for p in rest {
            guard let value = p.body.first(where: { $0.key.lowercased() == key.name.lowercased() })?.value,
                  let text = value.stringValue ?? value.numberValue?.text, !text.isEmpty else {
                results.append(.failure(p.ref, ConnectorError(.invalidArgument, "MISSING_ARGUMENT: \(key.name) not specified", fields: [key.name])))
                continue
            }
            keyed.append((p, text))
        }
        rest = keyed.map(\.0)
        if key.externalID {
            results += try calls.run(rest, chunk: Self.collectionLimit, outcome: nil) { chunk in
                try api.send("PATCH", api.data("composite/sobjects/\(describe.name)/\(key.name)"),
                             json: ["allOrNone": false, "records": .array(chunk.map { body($0, describe, id: false) })], idempotent: true, deadline: deadline)
            }
            return results
        }
        guard key.idLookup, key.filterable else {
            throw ConnectorError(.invalidArgument, "\(describe.name).\(key.name) is neither an external id nor an id-lookup field: Salesforce cannot upsert on it", fields: [key.name])
        }
        // Look the values up (SOQL compares text ignoring case, as Salesforce matches on it), then update or create.
        let matches = try lookUp(key, values: keyed.map(\.1), describe, deadline)
        var updates: [Prepared] = []
        var creates: [Prepared] = []
        var claimed: [String: String] = [:]
        for (p, value) in keyed {
            let folded = value.lowercased()
            if let other = claimed[folded] {
                results.append(.failure(p.ref, ConnectorError(.conflict, "DUPLICATE_VALUE: \(key.name) \(value) is also in record \(other) of this batch", fields: [key.name])))
                continue
            }
            claimed[folded] = p.ref
            let ids = matches[folded] ?? []
            switch ids.count {
            case 0: creates.append(p)
            case 1:
                var u = p
                u.id = ids[0]
                updates.append(u)
            default:
                results.append(.failure(p.ref, ConnectorError(.conflict, "DUPLICATE_VALUE: \(ids.count) \(describe.name) records have \(key.name) \(value) (\(ids.joined(separator: ", "))): the upsert needs exactly one", fields: [key.name])))
            }
        }
        results += try calls.run(updates, chunk: Self.collectionLimit, outcome: .updated) { try update($0, describe, deadline) }
        results += try calls.run(creates, chunk: Self.collectionLimit, outcome: .created) { try create($0, describe, deadline) }
        return results
    }

    /// Live records by lower-cased key value → their ids.
    private func lookUp(_ key: SalesforceFieldDescribe, values: [String], _ describe: SalesforceObjectDescribe, _ deadline: Deadline) throws -> [String: [String]] {
        var found: [String: [String]] = [:]
        let distinct = Array(Set(values))
        for start in stride(from: 0, to: distinct.count, by: SalesforceIDReader.chunk) {
            let part = distinct[start..<min(distinct.count, start + SalesforceIDReader.chunk)]
            let soql = "SELECT Id, \(key.name) FROM \(describe.name) WHERE \(key.name) IN (\(part.map(SOQL.quote).joined(separator: ", ")))"
            var url: String? = api.data("query/?q=\(SalesforceReadPlan.queryValue(soql))")
            while let next = url {
                let answer = try api.json("GET", next, idempotent: true, deadline: deadline)
                for row in answer["records"]?.arrayValue ?? [] {
                    guard let id = row["Id"]?.stringValue, let value = row[key.name]?.stringValue else { continue }
                    found[value.lowercased(), default: []].append(id)
                }
                url = answer["nextRecordsUrl"]?.stringValue
            }
        }
        return found
    }
}
