import CrosswalkCore
import Foundation
import Synchronization

/// `sobjects/…`: describe, CRUD by id, read/upsert/delete by external id, updated/deleted windows.
extension SalesforceApp {
    func sobjects(_ call: SalesforceCall) throws(SalesforceError) -> SandboxResponse {
        let s = Array(call.segments.dropFirst())
        guard let typeName = s.first else {
            try Self.allow(call, ["GET", "HEAD"])
            return .json(200, SalesforceDescribe.global(version: call.version))
        }
        guard let object = SalesforceCatalog.object(typeName) else { throw SalesforceError.notFound }
        switch s.count {
        case 1:
            try Self.allow(call, ["GET", "HEAD", "POST"])
            return call.method == "POST" ? try create(object, call) : objectInfo(object, call)
        case 2 where s[1] == "describe":
            try Self.allow(call, ["GET", "HEAD"])
            if let since = call.request.headers["If-Modified-Since"].flatMap(SalesforceDates.parseHTTPDate),
               since >= SalesforceDescribe.schemaDate {
                return .empty(304)
            }
            return .json(200, SalesforceDescribe.object(object, version: call.version))
        case 2 where s[1] == "updated" || s[1] == "deleted":
            try Self.allow(call, ["GET", "HEAD"])
            return try changes(object, call, deleted: s[1] == "deleted")
        case 2:
            guard let id = SalesforceID.normalize(s[1]), id.hasPrefix(object.keyPrefix) else {
                throw SalesforceError(status: 404, code: "NOT_FOUND", message: "Provided external ID field does not exist or is not accessible: \(s[1])")
            }
            return try byID(object, id: id, call)
        case 3:
            return try byExternalID(object, fieldName: s[1], value: s[2], call)
        default:
            throw SalesforceError.notFound
        }
    }

    private func objectInfo(_ object: SalesforceObject, _ call: SalesforceCall) -> SandboxResponse {
        let recent: [SalesforceRecord] = state.withLock { state in
            guard let table = state.store.table(object.name) else { return [] }
            var found: [SalesforceRecord] = []
            var position = table.rows.count - 1
            while position >= 0, found.count < 10 {
                if !table[position].isDeleted { found.append(table.record(position)) }
                position -= 1
            }
            return found
        }
        let nameField = object.fields.first(where: \.nameField)
        return .json(200, [
            "objectDescribe": SalesforceDescribe.globalEntry(object, version: call.version),
            "recentItems": recent.map { record in
                var item: [String: Any] = ["attributes": SalesforceRender.attributesJSON(object.name, id: record.id, version: call.version), "Id": record.id]
                if let nameField { item[nameField.name] = record[nameField.name].json(nameField.type) }
                return item
            },
        ])
    }

    private func create(_ object: SalesforceObject, _ call: SalesforceCall) throws(SalesforceError) -> SandboxResponse {
        let body = try Self.jsonObject(call, kind: object.name)
        let record = try state.withLock { state throws(SalesforceError) in try state.store.create(object, body, call.context) }
        notify([record], call)
        return .json(201, ["id": record.id, "success": true, "errors": [Any]()])
    }

    private func byID(_ object: SalesforceObject, id: String, _ call: SalesforceCall) throws(SalesforceError) -> SandboxResponse {
        switch call.method {
        case "GET", "HEAD":
            let fields = try Self.requestedFields(object, call)
            return try state.withLock { state throws(SalesforceError) in
                let record = try state.store.live(object, id: id)
                return Self.recordResponse(state.store, id: record.id, object, fields: fields, version: call.version)
            }
        case "PATCH":
            let body = try Self.jsonObject(call, kind: object.name)
            let record = try state.withLock { state throws(SalesforceError) in try state.store.update(object, id: id, body, call.context) }
            notify([record], call)
            return .empty(204)
        case "DELETE":
            _ = try state.withLock { state throws(SalesforceError) in try state.store.delete(object, id: id, call.context) }
            return .empty(204)
        default:
            throw SalesforceError.methodNotAllowed(call.method, allowed: ["GET", "HEAD", "PATCH", "DELETE"])
        }
    }

    /// A stored record as JSON (all fields, or `fields`), written from its packed row.
    static func recordResponse(_ store: SalesforceStore, id: String, _ object: SalesforceObject, fields: [SalesforceField]?,
                               version: String) -> SandboxResponse {
        guard let (table, position) = store.locate(id) else { return SalesforceError.notFound.response }
        let body = SalesforceRender.record(table[position], object, fields: fields, store: store, version: version)
        return SandboxResponse(status: 200, headers: ["Content-Type": "application/json;charset=UTF-8"], body: body)
    }

    /// `?fields=A,B` checked against the object, or `nil` for every field.
    static func requestedFields(_ object: SalesforceObject, _ call: SalesforceCall) throws(SalesforceError) -> [SalesforceField]? {
        guard let list = call.request.queryValue("fields"), !list.isEmpty else { return nil }
        var fields: [SalesforceField] = []
        for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let field = object.field(name) else {
                throw SalesforceError(status: 400, code: "INVALID_FIELD",
                                      message: "No such column '\(name)' on entity '\(object.name)'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.")
            }
            fields.append(field)
        }
        return fields
    }

    private func byExternalID(_ object: SalesforceObject, fieldName: String, value: String, _ call: SalesforceCall) throws(SalesforceError) -> SandboxResponse {
        guard let field = object.field(fieldName), field.isRecordKey else {
            throw SalesforceError(status: 404, code: "NOT_FOUND", message: "Provided external ID field does not exist or is not accessible: \(fieldName)")
        }
        switch call.method {
        case "GET", "HEAD", "DELETE":
            let fields = try Self.requestedFields(object, call)
            let matches = state.withLock { (state: inout SalesforceState) -> [SalesforceRecord] in
                field.type == .id ? [state.store.record(value)].compactMap { $0 }.filter { !$0.isDeleted && $0.type == object.name }
                                  : state.store.records(object.name, where: field.name, equals: value)
            }
            guard !matches.isEmpty else { throw SalesforceError.notFound }
            guard matches.count == 1 else { return .json(300, matches.map { $0.url(version: call.version) }) }
            if call.method == "DELETE" {
                _ = try state.withLock { state throws(SalesforceError) in try state.store.delete(object, id: matches[0].id, call.context) }
                return .empty(204)
            }
            return state.withLock { Self.recordResponse($0.store, id: matches[0].id, object, fields: fields, version: call.version) }
        case "PATCH", "POST":
            let body = try Self.jsonObject(call, kind: object.name)
            let updateOnly = call.request.queryValue("updateOnly") == "true"
            let outcome = try state.withLock { state throws(SalesforceError) in
                try state.store.upsert(object, field: field, value: value, body, updateOnly: updateOnly, call.context)
            }
            switch outcome {
            case .created(let record):
                notify([record], call)
                return .json(201, ["id": record.id, "success": true, "errors": [Any](), "created": true])
            case .updated(let record):
                notify([record], call)
                if call.versionNumber < 46 { return .empty(204) }
                return .json(200, ["id": record.id, "success": true, "errors": [Any](), "created": false])
            case .ambiguous(let matches):
                return .json(300, matches.map { $0.url(version: call.version) })
            }
        default:
            throw SalesforceError.methodNotAllowed(call.method, allowed: ["GET", "HEAD", "PATCH", "POST", "DELETE"])
        }
    }

    /// `sobjects/{type}/updated|deleted?start=&end=`: ids changed (30 days back at most) or deleted (15 days).
    private func changes(_ object: SalesforceObject, _ call: SalesforceCall, deleted: Bool) throws(SalesforceError) -> SandboxResponse {
        func date(_ name: String) throws(SalesforceError) -> Date {
            guard let raw = call.request.queryValue(name) else {
                throw SalesforceError.missingArgument("\(name) parameter is required")
            }
            // An unencoded `+` in the offset arrives as a space.
            guard let parsed = SalesforceDates.parseDateTime(raw.replacingOccurrences(of: " ", with: "+")) else {
                throw SalesforceError(status: 400, code: "INVALID_REPLICATION_DATE", message: "\(name) is not a valid date-time: \(raw)")
            }
            return parsed
        }
        let start = try date("start"), end = try date("end")
        guard start < end else {
            throw SalesforceError(status: 400, code: "INVALID_REPLICATION_DATE", message: "start date must be before end date")
        }
        let days = deleted ? 15 : 30
        let earliest = SalesforceDates.adding(days: -days, to: call.now)
        guard start >= earliest.addingTimeInterval(-60) else {
            throw SalesforceError(status: 400, code: "INVALID_REPLICATION_DATE", message: "startDate cannot be more than \(days) days ago")
        }
        let covered = Date(timeIntervalSince1970: (min(end, call.now).timeIntervalSince1970 / 60).rounded(.down) * 60)
        let startSeconds = start.timeIntervalSince1970, endSeconds = end.timeIntervalSince1970
        if deleted {
            let gone: [(id: String, at: Int64)] = state.withLock { state in
                guard let table = state.store.table(object.name) else { return [] }
                return table.rows.filter { $0.isDeleted && Double($0.deletedAt) >= startSeconds && Double($0.deletedAt) < endSeconds }
                    .map { ($0.key.string, $0.deletedAt) }
            }
            return .json(200, [
                "deletedRecords": gone.map { ["id": $0.id, "deletedDate": SalesforceDates.dateTime(Date(timeIntervalSince1970: Double($0.at)))] },
                "earliestDateAvailable": SalesforceDates.dateTime(Date(timeIntervalSince1970: (earliest.timeIntervalSince1970 / 60).rounded(.up) * 60)),
                "latestDateCovered": SalesforceDates.dateTime(covered),
            ])
        }
        // SystemModstamp index: the rows stamped inside the window, in Id order.
        let changed: [String] = state.withLock { state in
            guard state.store.table(object.name) != nil else { return [] }
            state.store.withTable(object) { $0.prepare() }
            let table = state.store.table(object.name)!
            let range = table.modstamps.range(lower: Int64(startSeconds.rounded(.down)), lowerInclusive: true,
                                              upper: Int64(endSeconds.rounded(.up)), upperInclusive: true)
            var positions: [Int32] = []
            for k in range {
                let entry = table.modstamps.entries[k]
                let row = table[Int(entry.row)]
                guard row.modstamp == entry.key, !row.isDeleted, Double(row.modstamp) >= startSeconds, Double(row.modstamp) < endSeconds else { continue }
                positions.append(entry.row)
            }
            return positions.sorted().map { table[Int($0)].key.string }
        }
        return .json(200, ["ids": changed, "latestDateCovered": SalesforceDates.dateTime(covered)])
    }
}
