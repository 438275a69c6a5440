import CrosswalkPluginKit

/// Reads of the `Lead` object: incremental windows over `DataObjectsSearch` sorted by `-updatedAt` plus the deleted
/// feed (see `SPOTIOCursor`), reads by ids through `DataObjects/many`, filters pushed into the search.
struct SPOTIOLeadReader {
    let api: SPOTIOAPI
    let schema: SPOTIOSchemaCache
    let settings: SPOTIOSettings

    func read(_ request: ReadRequest) throws -> ReadResult {
        let type = try schema.leadType()
        if let ids = request.ids { return try readByIDs(ids, type: type) }
        var cursor = try SPOTIOCursor(request.cursor)
        if request.start == "now" {
            // A head cursor: SPOTIO's clock from a cheap call, nothing read.
            _ = try api.send("GET", "/api/workflow/dataObjects")
            return ReadResult(records: [], nextCursor: SPOTIOCursor.caughtUp(upperBound(nil)).json, hasMore: false)
        }
        if cursor.isCaughtUp { cursor = SPOTIOCursor(low: cursor.low, high: nil) }
        switch cursor.phase {
        case .records: return try readRecords(cursor, request: request, type: type)
        case .deletes: return try readDeletes(cursor, type: type)
        }
    }

    /// The run's upper bound: SPOTIO's clock (the answer's `Date`, else this machine's corrected one) less the settle margin.
    private func upperBound(_ response: ConnectorHost.Response?) -> Int64 {
        let now = response?.headers["date"].flatMap(SPOTIOTime.httpDate) ?? api.spotioNow
        return Int64((now * 1000).rounded(.down)) - Int64(settings.settleSeconds) * 1000
    }

    private func readRecords(_ start: SPOTIOCursor, request: ReadRequest, type: SPOTIOType) throws -> ReadResult {
        var cursor = start
        let pushed = SPOTIOFilter.pushDown(request.filter, type: type)
        var response: ConnectorHost.Response
        if let scroll = cursor.scrollId {
            response = try api.send("GET", "/api/DataObjectsSearch?scrollId=\(SPOTIOQuery.encode(scroll))")
            if response.status == 400 {
                // The scroll expired: start the window's scan again and skip what was returned (by `pos`).
                cursor.scrollId = nil
                response = try api.send("GET", firstPage(cursor, request: request, type: type, query: pushed.query))
            }
        } else {
            response = try api.send("GET", firstPage(cursor, request: request, type: type, query: pushed.query))
        }
        let page = try SPOTIOAPI.decode(response, "GET /api/DataObjectsSearch")
        let high = cursor.high ?? upperBound(response)
        cursor.high = high
        var records: [Record] = []
        var reachedLow = false
        for item in page["items"]?.arrayValue ?? [] {
            guard let key = SPOTIORecords.key(item) else { continue }
            if key.time > high { continue }
            if let low = cursor.low, key.time <= low { reachedLow = true; break }
            if let pos = cursor.pos, start.scrollId != nil, cursor.scrollId == nil, key.time > pos.time { continue }
            guard let record = SPOTIORecords.record(item, type: type) else { continue }
            records.append(record)
            cursor.pos = key
        }
        let next = page["scrollId"]?.stringValue
        if reachedLow || next == nil {
            // The records of the window are read: the deleted feed next (not for a first, full read).
            if cursor.low == nil {
                return ReadResult(records: records, nextCursor: SPOTIOCursor.caughtUp(high).json, hasMore: false,
                                  filterApplied: pushed.applied)
            }
            cursor.phase = .deletes
            cursor.scrollId = nil
            cursor.pos = nil
        } else {
            cursor.scrollId = next
        }
        return ReadResult(records: records, nextCursor: cursor.json, hasMore: true, filterApplied: pushed.applied)
    }

    private func firstPage(_ cursor: SPOTIOCursor, request: ReadRequest, type: SPOTIOType, query: String) -> String {
        // An incremental window is usually small: a smaller first page wastes less on records older than `low`.
        let wanted = min(max(request.limit ?? settings.pageSize, 1), settings.pageSize)
        let perPage = cursor.low == nil ? wanted : min(wanted, 200)
        return "/api/DataObjectsSearch?singleType=\(SPOTIOQuery.encode(type.id))&sortBy=-updatedAt&perPage=\(perPage)" + query
    }

    private func readDeletes(_ start: SPOTIOCursor, type: SPOTIOType) throws -> ReadResult {
        var cursor = start
        guard let high = cursor.high else { return ReadResult(records: [], nextCursor: cursor.json, hasMore: false) }
        var path = "/api/DataObjects/deleted?endDate=\(SPOTIOQuery.encode(SPOTIOTime.text(milliseconds: high)))"
        if let low = cursor.low { path += "&startDate=\(SPOTIOQuery.encode(SPOTIOTime.text(milliseconds: low)))" }
        if let scroll = cursor.scrollId { path += "&scrollId=\(SPOTIOQuery.encode(scroll))" }
        let page = try api.json("GET", path)
        var records: [Record] = []
        for item in page["deletedDataObjects"]?.arrayValue ?? [] {
            guard let id = item["id"]?.stringValue, let when = item["deletedAt"]?.stringValue.flatMap(SPOTIOTime.milliseconds) else { continue }
            // startDate and endDate are inclusive: the window's lower bound is not.
            if let low = cursor.low, when <= low { continue }
            if when > high { continue }
            let data = item["dataObject"]
            if let typeID = SPOTIOJSON.string(data?["typeId"]), typeID != type.id { continue }
            var fields: [String: JSONValue] = ["id": .string(id)]
            if let external = data?["externalDataObjectId"], !external.isNull { fields["externalDataObjectId"] = external }
            records.append(Record(object: SPOTIORecords.object, id: id, fields: fields, modifiedAt: SPOTIOTime.text(milliseconds: when),
                                  deleted: true, change: .delete, modifiedBy: SPOTIOJSON.string(item["deletedById"])))
        }
        if let next = page["scrollId"]?.stringValue {
            cursor.scrollId = next
            return ReadResult(records: records, nextCursor: cursor.json, hasMore: true)
        }
        return ReadResult(records: records, nextCursor: SPOTIOCursor.caughtUp(high).json, hasMore: false)
    }

    /// `GET /api/DataObjects/many?dataObjectsIds=…`, 250 ids a call (Kestrel's 8 KB request line).
    private func readByIDs(_ ids: [String], type: SPOTIOType) throws -> ReadResult {
        var records: [Record] = []
        for start in stride(from: 0, to: ids.count, by: 250) {
            let chunk = Array(ids[start..<min(start + 250, ids.count)])
            let found = try api.json("GET", "/api/DataObjects/many?dataObjectsIds=\(SPOTIOQuery.list(chunk))")
            for item in found.arrayValue ?? [] {
                // A record of another type is not a Lead.
                if let typeID = SPOTIOJSON.string(item["typeId"]), typeID != type.id { continue }
                if let record = SPOTIORecords.record(item, type: type) { records.append(record) }
            }
        }
        let found = Set(records.map(\.id))
        return ReadResult(records: records, nextCursor: nil, hasMore: false, missing: ids.filter { !found.contains($0) })
    }
}
