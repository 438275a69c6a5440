import CrosswalkPluginKit
import Foundation

/// Writes record by record (the record service has no batch for these types): `POST /record/v1/{type}` (the new
/// id from `Location`), `PATCH …/{id}`, upserts `PUT …/eid:{externalId}`, `DELETE …/{id}`. The kit calls an
/// instance on one thread and host services may not be called from others, so the calls of a batch go one
/// after another; throughput across the account's concurrency limit comes from several instances.
extension NetSuiteConnector {
    static let writeBatch = 50

    func runWrite(_ request: WriteRequest) throws -> WriteResult {
        let object = try object(request.object)
        let deadline = NetSuiteDeadline(milliseconds: request.deadlineMilliseconds)
        let body = NetSuiteWriteBody(object: object, schema: schemas[object.name])
        let matchKey = request.matchKey ?? "externalId"
        var matches: [String: Result<String?, ConnectorError>] = [:]
        if request.operation == .upsert, matchKey != "externalId" {
            matches = try lookUp(object, matchKey: matchKey, items: request.records, deadline: deadline)
        }
        var results: [WriteItemResult] = []
        var stop: ConnectorError?
        for item in request.records {
            if let stop {
                results.append(.failure(item.ref, stop))
                continue
            }
            if host.isCancelled {
                stop = ConnectorError(.cancelled, "not sent: the host cancelled the write")
                results.append(.failure(item.ref, stop!))
                continue
            }
            if deadline.isNear() {
                stop = ConnectorError(.timeout, "not sent: the write's deadline passed before this record")
                results.append(.failure(item.ref, stop!))
                continue
            }
            let result = writeOne(item, object: object, operation: request.operation, matchKey: matchKey, match: matches[item.ref],
                                  body: body, deadline: deadline)
            if case .stop(let error) = result.next { stop = error }
            results.append(result.result)
        }
        return WriteResult(results: results)
    }

    /// One record's result, and whether the rest of the batch should stop (no token, cancelled).
    struct ItemOutcome {
        enum Next { case go, stop(ConnectorError) }
        var result: WriteItemResult
        var next: Next = .go
    }

    private func writeOne(_ item: WriteRequest.Item, object: NetSuiteObject, operation: WriteOperation, matchKey: String,
                          match: Result<String?, ConnectorError>?, body builder: NetSuiteWriteBody, deadline: NetSuiteDeadline) -> ItemOutcome {
        let base = "\(NetSuiteAPI.recordPath)/\(object.name)"
        func fail(_ error: ConnectorError) -> ItemOutcome { ItemOutcome(result: .failure(item.ref, error)) }
        let externalId = item.fields["externalId"].flatMap { $0.stringValue ?? $0.numberValue?.text }
        let id = item.id.flatMap { $0.isEmpty ? nil : $0 }

        let method: String, path: String, outcome: WriteOutcome
        var drop: Set<String> = []
        switch operation {
        case .create:
            (method, path, outcome) = ("POST", base, .created)
        case .update:
            if let id, let key = SuiteQLText.id(id) {
                (method, path, outcome) = ("PATCH", "\(base)/\(key)", .updated)
            } else if let externalId {
                (method, path, outcome) = ("PATCH", "\(base)/eid:\(Self.pathSegment(externalId))", .updated)
            } else {
                return fail(ConnectorError(.invalidArgument, "an update needs the record's internal id (or its externalId)", fields: ["id"]))
            }
        case .upsert where matchKey == "externalId":
            guard let externalId, !externalId.isEmpty else {
                return fail(ConnectorError(.invalidArgument, "an upsert by external id needs externalId", fields: ["externalId"]))
            }
            drop = ["externalId"]
            // NetSuite answers 204 either way; the host's id says whether it knew the record.
            (method, path, outcome) = ("PUT", "\(base)/eid:\(Self.pathSegment(externalId))", id == nil ? .created : .updated)
        case .upsert:
            switch match {
            case .failure(let error)?: return fail(error)
            case .success(let found?)?: (method, path, outcome) = ("PATCH", "\(base)/\(found)", .updated)
            default: (method, path, outcome) = ("POST", base, .created)
            }
        case .delete:
            if let id, let key = SuiteQLText.id(id) {
                (method, path, outcome) = ("DELETE", "\(base)/\(key)", .deleted)
            } else if let externalId {
                (method, path, outcome) = ("DELETE", "\(base)/eid:\(Self.pathSegment(externalId))", .deleted)
            } else {
                return fail(ConnectorError(.invalidArgument, "a delete needs the record's internal id (or its externalId)", fields: ["id"]))
            }
        }

        var json: JSONValue?
        if method != "DELETE" {
            switch builder.body(item, dropping: drop) {
            case .success(let value): json = value
            case .failure(let error): return fail(error)
            }
        }
        let response: ConnectorHost.Response
        do {
            response = try api.send(method, path, body: json, headers: ["X-NetSuite-PropertyNameValidation": "error"],
                                    idempotent: method != "POST", deadline: deadline)
        } catch let error as ConnectorError {
            switch error.code {
            case .timeout, .unavailable:
                return ItemOutcome(result: .unknown(item.ref, "\(method) \(path) was sent but got no answer: \(error.message)"))
            case .cancelled:
                return ItemOutcome(result: .unknown(item.ref, "\(method) \(path) was cancelled while it was sent"),
                                   next: .stop(ConnectorError(.cancelled, "not sent: the host cancelled the write")))
            case .auth:
                return ItemOutcome(result: .failure(item.ref, error), next: .stop(ConnectorError(.auth, "not sent: \(error.message)")))
            default:
                return fail(error)
            }
        } catch {
            return ItemOutcome(result: .unknown(item.ref, "\(method) \(path): \(error)"))
        }
        let what = "\(method) \(path.replacingOccurrences(of: "/services/rest", with: ""))"
        switch response.status {
        case 200...299:
            if method == "DELETE" { return ItemOutcome(result: .success(item.ref, id: id ?? externalId ?? "", outcome: .deleted)) }
            let located = response.headers["location"].flatMap { $0.split(separator: "/").last.map(String.init) }
            guard let newID = located ?? (method == "PATCH" ? path.split(separator: "/").last.map(String.init) : nil), SuiteQLText.id(newID) != nil else {
                return ItemOutcome(result: .unknown(item.ref, "\(what) answered \(response.status) without the record's Location"))
            }
            return ItemOutcome(result: .success(item.ref, id: newID, outcome: outcome))
        case 404 where method == "DELETE":
            return ItemOutcome(result: .success(item.ref, id: id ?? externalId ?? "", outcome: .unchanged))
        case 500... where method == "POST":
            // NetSuite may have saved the record before failing: the host checks before writing it again.
            return ItemOutcome(result: .unknown(item.ref, "\(what) answered HTTP \(response.status): \(NetSuiteFailure(response).detail)"))
        default:
            let failure = NetSuiteFailure(response)
            return fail(failure.error(what))
        }
    }

    /// For an upsert on a field other than externalId: one SuiteQL query for the batch's values (compared
    /// without case, as e-mail addresses are), ref → the one matching id (`nil`: none), or a conflict when
    /// several records match.
    private func lookUp(_ object: NetSuiteObject, matchKey: String, items: [WriteRequest.Item],
                        deadline: NetSuiteDeadline) throws -> [String: Result<String?, ConnectorError>] {
        let schema = try schema(object, deadline: deadline)
        guard let field = schema.field(matchKey), field.kind == .text else {
            throw ConnectorError(.invalidArgument, "\(object.name) cannot be upserted on \(matchKey): use externalId or a text field (\(object.matchKeys.joined(separator: ", ")))")
        }
        var valueOf: [String: String] = [:]
        for item in items { if let v = item.fields[matchKey]?.stringValue, !v.isEmpty { valueOf[item.ref] = v.uppercased() } }
        var idsByValue: [String: [String]] = [:]
        let values = Array(Set(valueOf.values)).sorted()
        var start = 0
        while start < values.count {
            let chunk = values[start..<min(start + Self.idsPerStatement, values.count)]
            start += chunk.count
            var statement = "SELECT id, UPPER(\(field.column)) AS v FROM \(object.table) WHERE "
            if let type = object.tableType { statement += "type = \(SuiteQLText.string(type)) AND " }
            statement += "UPPER(\(field.column)) IN (\(chunk.map(SuiteQLText.string).joined(separator: ", "))) ORDER BY id"
            let page: SuiteQLPage
            do { page = try api.suiteQL(statement, limit: Self.maxPage, deadline: deadline) } catch let failure as SuiteQLFailure { throw failure.error }
            for row in page.rows { if let id = row["id"], let v = row["v"] { idsByValue[v, default: []].append(id) } }
        }
        var result: [String: Result<String?, ConnectorError>] = [:]
        for item in items {
            guard let value = valueOf[item.ref] else {
                result[item.ref] = .failure(ConnectorError(.invalidArgument, "an upsert on \(matchKey) needs a \(matchKey) value", fields: [matchKey]))
                continue
            }
            let ids = idsByValue[value] ?? []
            result[item.ref] = ids.count > 1
                ? .failure(ConnectorError(.conflict, "\(ids.count) \(object.name) records have \(matchKey) \(value) (\(ids.joined(separator: ", "))): the upsert cannot choose", fields: [matchKey]))
                : .success(ids.first)
        }
        return result
    }

    /// An external id as one path segment (`/`, `?`, `#`, `%` and spaces percent-encoded).
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
