import CrosswalkCore
import Foundation

/// `/api/DataObjects…` and `/api/DataObjectsSearch`: leads/pins/customers of tenant-defined types.
extension SpotioStore {
    var input: SpotioInput { SpotioInput(state: state) }

    /// A new 24-hex ObjectId-style id, like `61143732f5bd3ab20f9c67d1` in the spec's examples.
    func newObjectId() -> String {
        defer { state.nextObjectNumber += 1 }
        return "6650f1c0" + String(format: "%016llx", state.nextObjectNumber)
    }

    /// `POST /api/DataObjects {dataObject: DataObjectRequest, activity?: ActivityRequest}` → `DataObjectWithParent`.
    func createDataObject(_ call: SpotioCall) -> SandboxResponse {
        let body: [String: Any]
        switch SpotioWire.jsonObject(call.request) {
        case let .success(object): body = object
        case let .failure(error): return error.response
        }
        guard let request = body["dataObject"] as? [String: Any] else {
            return SpotioWire.error(400, field: "dataObject", "dataObject is required.")
        }
        guard let typeId = request.spotioString("typeId"), let type = state.type(typeId) else {
            return SpotioWire.error(400, field: "typeId", "typeId must be the id of a DataObject type from /api/workflow/dataObjects.")
        }
        let id = newObjectId()
        do throws(SpotioInput.Invalid) {
            let createdAt = request.spotioString("createdAt").flatMap(SpotioWire.parseDate) ?? call.now
            let stage = try input.stageId(request["stageId"], type: type) ?? type.stages.first { $0.group == "active" }!.id
            let owner = try input.userId(request["ownerId"], field: "ownerId") ?? call.userId
            var record = SpotioDataObject(
                id: id, typeId: type.id, stageId: stage, ownerId: owner,
                pin: try input.pin(request["pin"], over: SpotioPin(id: id, lat: 0, lng: 0)),
                source: request.spotioString("source") ?? "API", externalDataObjectId: request.spotioString("externalDataObjectId"),
                fields: try input.fields(request["fields"], type: type),
                collaboratorIds: try ((request["collaboratorIds"] as? [Any]) ?? []).map { item throws(SpotioInput.Invalid) in
                    try input.userId(item, field: "collaboratorIds") ?? ""
                },
                territoryId: nil, createdAt: createdAt,
                updatedAt: request.spotioString("updatedAt").flatMap(SpotioWire.parseDate) ?? createdAt,
                createdById: call.userId, updatedById: call.userId, stageUpdatedAt: createdAt, stageUpdatedById: call.userId,
                dateOfAssignment: createdAt, visitsCount: 0, callsCount: 0, textOptedIn: false)
            record.pin.id = id
            state.dataObjects[id] = record
            if let activityRequest = body["activity"] as? [String: Any] {
                var withRecord = activityRequest
                withRecord["dataObjectId"] = id
                _ = try addActivity(withRecord, call: call)
            }
            raise(SpotioWebhookEvents.leadAdded, render.dataObject(state.dataObjects[id]!))
            return .json(200, render.dataObject(state.dataObjects[id]!, withParent: true))
        } catch {
            // An invalid activity fails the request as a whole.
            state.dataObjects.removeValue(forKey: id)
            return error.response
        }
    }

    /// `GET /api/DataObjects/{dataObjectId}` → `DataObjectWithParent`.
    func getDataObject(_ call: SpotioCall) -> SandboxResponse {
        let id = call.params["dataObjectId"] ?? ""
        guard let record = state.dataObjects[id] else { return SpotioWire.notFound("DataObject", id) }
        return .json(200, render.dataObject(record, withParent: true))
    }

    /// `GET /api/DataObjects/many?dataObjectsIds=a,b` → `[DataObject]` (unknown ids are skipped).
    func manyDataObjects(_ call: SpotioCall) -> SandboxResponse {
        let found = call.list("dataObjectsIds").compactMap { state.dataObjects[$0] }
        return .json(200, found.map { render.dataObject($0) })
    }

    /// `PATCH /api/DataObjects/{id}/jsonp` (JSON Patch array) and `…/jsonp/withActivity` (`{dataObject, activity}`) → `DataObject`.
    func patchDataObject(_ call: SpotioCall, withActivity: Bool) -> SandboxResponse {
        let id = call.params["dataObjectId"] ?? ""
        guard var record = state.dataObjects[id] else { return SpotioWire.notFound("DataObject", id) }
        let body: Any
        switch SpotioWire.jsonBody(call.request) {
        case let .success(value): body = value
        case let .failure(error): return error.response
        }
        let patchBody: Any? = withActivity ? (body as? [String: Any])?["dataObject"] : body
        guard let operations = SpotioPatch.operations(patchBody) else {
            return SpotioWire.error(400, field: "operations", "The body must be a JSON Patch document (an array of operations).")
        }
        let before = record
        do throws(SpotioInput.Invalid) {
            try SpotioPatch(input: input).apply(operations, to: &record)
            record.updatedAt = call.now
            record.updatedById = call.userId
            if record.stageId != before.stageId {
                record.stageUpdatedAt = call.now
                record.stageUpdatedById = call.userId
            }
            if record.ownerId != before.ownerId { record.dateOfAssignment = call.now }
            state.dataObjects[id] = record
            if withActivity, let activityRequest = (body as? [String: Any])?["activity"] as? [String: Any] {
                var withRecord = activityRequest
                withRecord["dataObjectId"] = id
                _ = try addActivity(withRecord, call: call)
            }
        } catch {
            state.dataObjects[id] = before
            return error.response
        }
        raise(SpotioWebhookEvents.leadUpdated, render.dataObject(state.dataObjects[id]!))
        return .json(200, render.dataObject(state.dataObjects[id]!))
    }

    /// `DELETE /api/DataObjects/{dataObjectId}` → 200, no body. The record joins the deleted feed.
    func deleteDataObject(_ call: SpotioCall) -> SandboxResponse {
        let id = call.params["dataObjectId"] ?? ""
        if !call.request.body.isEmpty, case let .failure(error) = SpotioWire.jsonObject(call.request) { return error.response }
        guard let record = state.dataObjects.removeValue(forKey: id) else { return SpotioWire.notFound("DataObject", id) }
        state.tombstones.append(SpotioTombstone(id: id, deletedAt: call.now, deletedById: call.userId, record: record))
        raise(SpotioWebhookEvents.leadDeleted, SpotioRender(state: state).dataObject(record))
        return .empty(200)
    }

    /// `GET /api/DataObjects/deleted?startDate&endDate&scrollId` → `{scrollId, deletedDataObjects}`, oldest first, 100 a page.
    func deletedDataObjects(_ call: SpotioCall) -> SandboxResponse {
        var start: Date?, end: Date?
        for (name, target) in [("startDate", 0), ("endDate", 1)] {
            guard let raw = call.query(name) else { continue }
            guard let date = SpotioWire.parseDate(raw) else { return SpotioWire.error(400, field: name, "'\(raw)' is not a date-time.") }
            if target == 0 { start = date } else { end = date }
        }
        let matching = {
            self.state.tombstones.filter { t in (start.map { t.deletedAt >= $0 } ?? true) && (end.map { t.deletedAt <= $0 } ?? true) }
                .sorted { $0.deletedAt < $1.deletedAt }.map(\.id)
        }
        switch page(scrollId: call.query("scrollId"), ids: matching(), pageSize: 100, now: call.now) {
        case let .failure(denied): return denied.response
        case let .success(page):
            let byId = Dictionary(state.tombstones.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
            let items = page.ids.compactMap { byId[$0] }.map { render.tombstone($0) }
            return .json(200, ["scrollId": page.nextScrollId as Any? ?? NSNull(), "deletedDataObjects": items])
        }
    }

    /// The item shapes of the three search operations.
    enum SearchShape {
        /// `GET|POST /api/DataObjectsSearch`: `SearchDataObjectDto`.
        case full
        /// `GET /api/DataObjectsSearch/list`: `SearchDataObjectListItemDto`.
        case listItem
        /// `GET|POST /api/DataObjectsSearch/simple`: `SearchSimpleDataObjectWithParentDto`.
        case simple
    }

    /// `GET|POST /api/DataObjectsSearch[/list|/simple]` → `{scrollId, totalCount, totalValue, items}` with the
    /// operation's item shape. `simple` spells its parameters `typeId`, `pageSize`, `phoneNumber`, `dataObjectIds`.
    func searchDataObjects(_ call: SpotioCall, shape: SearchShape = .full) -> SandboxResponse {
        var criteria: [String: Any] = [:]
        if call.request.method == "POST" {
            switch SpotioWire.jsonObject(call.request) {
            case let .success(object): criteria = object
            case let .failure(error): return error.response
            }
        } else {
            for name in ["scrollId", "sortBy", "stageId", "stageGroups", "q", "hasAddress", "hasPhoneOrEmail", "hasPhone",
                         "hasEmail", "singleType", "perPage", "includeOwnerExternalUserId", "typeId", "pageSize", "phoneNumber"] {
                if let value = call.query(name) { criteria[name] = value }
            }
            criteria["queryText"] = criteria["q"]
        }
        var onlyIds: Set<String>?
        var phoneDigits: String?
        if shape == .simple {
            if let type = criteria["typeId"], !(type is NSNull) { criteria["singleType"] = type }
            if let size = criteria["pageSize"], !(size is NSNull) { criteria["perPage"] = size }
            criteria["typeId"] = nil
            criteria["pageSize"] = nil
            if let ids = criteria["dataObjectIds"], !(ids is NSNull) {
                guard let list = ids as? [String] else { return SpotioWire.error(400, field: "dataObjectIds", "dataObjectIds must be an array of ids.") }
                onlyIds = Set(list)
            }
            phoneDigits = criteria.spotioString("phoneNumber").map { $0.filter(\.isNumber) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        if criteria["singleType"] is Int { criteria["singleType"] = String(criteria["singleType"] as! Int) }
        var search: SpotioSearch
        switch SpotioSearch.parse(criteria) {
        case let .success(parsed): search = parsed
        case let .failure(invalid): return invalid.response
        }
        search.onlyIds = onlyIds
        search.phoneDigits = phoneDigits
        let renderer = render
        let scrollId = criteria.spotioString("scrollId")
        var snapshot: [String] = []
        var totalValue: Double?
        if scrollId?.isEmpty ?? true {
            snapshot = search.matchingIds(in: state, render: renderer, ordered: orderedIds(sortKey: search.sortKey, descending: search.descending))
            let values = snapshot.compactMap { state.dataObjects[$0] }.compactMap { renderer.value(of: $0) }
            totalValue = values.isEmpty ? nil : values.reduce(0, +)
        }
        switch page(scrollId: scrollId, ids: snapshot, pageSize: search.perPage, now: call.now, totalValue: totalValue) {
        case let .failure(denied): return denied.response
        case let .success(page):
            let records = page.ids.compactMap { state.dataObjects[$0] }
            let items: [[String: Any]] = switch shape {
            case .full: records.map { renderer.searchItem($0, includeOwnerExternalUserId: search.includeOwnerExternalUserId) }
            case .listItem: records.map { renderer.listItem($0) }
            case .simple: records.map { renderer.simpleItem($0) }
            }
            return .json(200, ["scrollId": page.nextScrollId as Any? ?? NSNull(), "totalCount": page.all.count,
                               "totalValue": page.totalValue.map { $0 as Any } ?? NSNull(), "items": items])
        }
    }
}
