import CrosswalkCore
import Foundation
import Synchronization

/// `composite/sobjects`: create, update, upsert, delete and retrieve up to 200 records in one call,
/// each with its own result, or all-or-nothing with `allOrNone`.
extension SalesforceApp {
    static let collectionLimit = 200

    private static let rolledBack = SalesforceError(
        status: 400, code: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
        message: "Record rolled back because not all records were valid and the request was using AllOrNone header")

    private static let tooMany = SalesforceError(
        status: 400, code: "EXCEEDED_ID_LIMIT", message: "record limit reached. cannot submit more than \(collectionLimit) records into this call")

    /// One record's outcome in a collection call.
    private struct ItemResult {
        var id: String?
        var error: SalesforceError?
        var created: Bool?
        var record: SalesforceRecord?

        func json(withIDOnFailure: Bool) -> [String: Any] {
            var item: [String: Any] = ["success": error == nil, "errors": error.map { [$0.itemJSON] } ?? []]
            if let id, error == nil || withIDOnFailure { item["id"] = id }
            if let created, error == nil { item["created"] = created }
            return item
        }
    }

    func collections(_ call: SalesforceCall) throws(SalesforceError) -> SandboxResponse {
        let s = call.segments
        switch (call.method, s.count) {
        case ("POST", 2): return try write(call, withIDOnFailure: false) { store, object, record, context throws(SalesforceError) in
                if let key = record.keys.first(where: { $0.lowercased() == "id" }) {
                    throw SalesforceError(status: 400, code: "INVALID_FIELD", message: "cannot specify Id in an insert call", fields: [key])
                }
                return (try store.create(object, record, context), true)
            }
        case ("PATCH", 2): return try write(call, withIDOnFailure: true) { store, object, record, context throws(SalesforceError) in
                guard let key = record.keys.first(where: { $0.lowercased() == "id" }), let id = record[key] as? String else {
                    throw SalesforceError.missingArgument("Id not specified in an update call")
                }
                var fields = record
                fields[key] = nil
                do throws(SalesforceError) {
                    return (try store.update(object, id: id, fields, context), false)
                } catch where error.code == "NOT_FOUND" {
                    throw SalesforceError(status: 400, code: "INVALID_CROSS_REFERENCE_KEY", message: "invalid cross reference id")
                }
            }
        case ("PATCH", 4):
            guard let object = SalesforceCatalog.object(s[2]) else { throw SalesforceError.notFound }
            guard let field = object.field(s[3]), field.externalId || field.type == .id else {
                throw SalesforceError(status: 404, code: "NOT_FOUND", message: "Provided external ID field does not exist or is not accessible: \(s[3])")
            }
            return try write(call, withIDOnFailure: false, only: object) { store, object, record, context throws(SalesforceError) in
                guard let key = record.keys.first(where: { $0.lowercased() == field.name.lowercased() }),
                      let value = record[key].map({ $0 as? String ?? "\($0)" }), !value.isEmpty else {
                    throw SalesforceError.missingArgument("\(field.name) not specified")
                }
                var fields = record
                fields[key] = nil
                switch try store.upsert(object, field: field, value: value, fields, updateOnly: false, context) {
                case .created(let r): return (r, true)
                case .updated(let r): return (r, false)
                case .ambiguous:
                    throw SalesforceError(status: 300, code: "DUPLICATE_EXTERNAL_ID", message: "More than 1 record found for External ID field: \(field.name)")
                }
            }
        case ("DELETE", 2):
            return try deleteMany(call)
        case ("GET", 3), ("POST", 3):
            return try retrieve(call)
        default:
            throw s.count > 4 ? SalesforceError.notFound : SalesforceError.methodNotAllowed(call.method, allowed: ["GET", "POST", "PATCH", "DELETE"])
        }
    }

    /// Runs `operation` for each record of `{"allOrNone":…,"records":[…]}`; with `allOrNone`, one failure
    /// takes back every record's change.
    private func write(_ call: SalesforceCall, withIDOnFailure: Bool, only: SalesforceObject? = nil,
                       _ operation: (inout SalesforceStore, SalesforceObject, [String: Any], SalesforceWriteContext) throws(SalesforceError) -> (SalesforceRecord, Bool)) throws(SalesforceError) -> SandboxResponse {
        let body = try Self.jsonObject(call, kind: "SObjectCollection")
        guard let records = body["records"] as? [Any] else {
            throw SalesforceError(status: 400, code: "JSON_PARSER_ERROR", message: "records is required and must be an array")
        }
        guard records.count <= Self.collectionLimit else { throw Self.tooMany }
        let allOrNone = body["allOrNone"] as? Bool ?? false
        let (results, committed) = state.withLock { state in
            let transaction = allOrNone ? state.store.begin() : nil
            var results: [ItemResult] = []
            SalesforceTransaction.$current.withValue(transaction ?? SalesforceTransaction.current) {
                for raw in records {
                    do throws(SalesforceError) {
                        guard let record = raw as? [String: Any] else { throw SalesforceError.jsonParser("each record must be a JSON object") }
                        let typeName = (record["attributes"] as? [String: Any])?["type"] as? String ?? only?.name
                        guard let typeName, let object = SalesforceCatalog.object(typeName) else {
                            throw SalesforceError(status: 400, code: "INVALID_TYPE", message: "Must send a concrete entity type.")
                        }
                        if let only, object.name != only.name {
                            throw SalesforceError(status: 400, code: "INVALID_TYPE", message: "records must all be of type \(only.name)")
                        }
                        let (saved, created) = try operation(&state.store, object, record, call.context)
                        results.append(ItemResult(id: saved.id, created: created, record: saved))
                    } catch {
                        let id = ((raw as? [String: Any]).flatMap { r in r.first { $0.key.lowercased() == "id" }?.value as? String })
                        results.append(ItemResult(id: id.flatMap(SalesforceID.normalize) ?? id, error: error))
                    }
                }
            }
            let failed = results.contains { $0.error != nil }
            if let transaction, failed {
                state.store.rollback(transaction)
                return (results.map { $0.error == nil ? ItemResult(id: $0.id, error: Self.rolledBack) : $0 }, false)
            }
            if let transaction { state.store.commit(transaction) }
            return (results, true)
        }
        if committed { notify(results.compactMap(\.record), call) }
        return .json(200, results.map { $0.json(withIDOnFailure: withIDOnFailure) })
    }

    /// `DELETE composite/sobjects?ids=a,b&allOrNone=…`
    private func deleteMany(_ call: SalesforceCall) throws(SalesforceError) -> SandboxResponse {
        let ids = (call.request.queryValue("ids") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !ids.isEmpty else { throw SalesforceError.missingArgument("ids parameter is required") }
        guard ids.count <= Self.collectionLimit else { throw Self.tooMany }
        let allOrNone = call.request.queryValue("allOrNone") == "true"
        let results: [ItemResult] = state.withLock { state in
            let transaction = allOrNone ? state.store.begin() : nil
            var results: [ItemResult] = []
            SalesforceTransaction.$current.withValue(transaction ?? SalesforceTransaction.current) {
                for raw in ids {
                    guard let id = SalesforceID.normalize(raw) else {
                        results.append(ItemResult(id: raw, error: SalesforceError(status: 400, code: "MALFORMED_ID", message: "malformed id \(raw)")))
                        continue
                    }
                    do throws(SalesforceError) {
                        _ = try state.store.delete(nil, id: id, call.context)
                        results.append(ItemResult(id: id))
                    } catch {
                        let itemError = error.code == "NOT_FOUND"
                            ? SalesforceError(status: 400, code: "INVALID_CROSS_REFERENCE_KEY", message: "invalid cross reference id") : error
                        results.append(ItemResult(id: id, error: itemError))
                    }
                }
            }
            if let transaction, results.contains(where: { $0.error != nil }) {
                state.store.rollback(transaction)
                return results.map { $0.error == nil ? ItemResult(id: $0.id, error: Self.rolledBack) : $0 }
            }
            if let transaction { state.store.commit(transaction) }
            return results
        }
        return .json(200, results.map { $0.json(withIDOnFailure: true) })
    }

    /// `GET composite/sobjects/{type}?ids=&fields=` (or POST with `{"ids":[…],"fields":[…]}`): records in
    /// the order asked, `null` where an id matches nothing.
    private func retrieve(_ call: SalesforceCall) throws(SalesforceError) -> SandboxResponse {
        guard let object = SalesforceCatalog.object(call.segments[2]) else { throw SalesforceError.notFound }
        var ids: [String], fieldNames: [String]
        if call.method == "POST" {
            let body = try Self.jsonObject(call, kind: "SObjectCollection")
            ids = body["ids"] as? [String] ?? []
            fieldNames = body["fields"] as? [String] ?? []
        } else {
            ids = (call.request.queryValue("ids") ?? "").split(separator: ",").map(String.init)
            fieldNames = (call.request.queryValue("fields") ?? "").split(separator: ",").map(String.init)
        }
        guard !ids.isEmpty else { throw SalesforceError.missingArgument("ids parameter is required") }
        guard !fieldNames.isEmpty else { throw SalesforceError.missingArgument("fields parameter is required") }
        guard ids.count <= 2000 else { throw Self.tooMany }
        var fields: [SalesforceField] = []
        for name in fieldNames {
            guard let field = object.field(name.trimmingCharacters(in: .whitespaces)) else {
                throw SalesforceError(status: 400, code: "INVALID_FIELD", message: "No such column '\(name)' on entity '\(object.name)'")
            }
            fields.append(field)
        }
        let body: Data = state.withLock { state in
            var w = SalesforceJSONWriter(capacity: ids.count * 512)
            var scratch = SalesforceRender.Scratch()
            let plan = SalesforceRender.Plan(object, fields: fields)
            w.byte(0x5B)
            for (k, raw) in ids.enumerated() {
                if k > 0 { w.byte(0x2C) }
                guard let id = SalesforceID.normalize(raw.trimmingCharacters(in: .whitespaces)), let (table, position) = state.store.locate(id),
                      table.object.name == object.name, !table[position].isDeleted else { w.null(); continue }
                SalesforceRender.row(&w, table[position], plan, store: state.store, version: call.version, scratch: &scratch)
            }
            w.byte(0x5D)
            return w.data
        }
        return SandboxResponse(status: 200, headers: ["Content-Type": "application/json;charset=UTF-8"], body: body)
    }
}
