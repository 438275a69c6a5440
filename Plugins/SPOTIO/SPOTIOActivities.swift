import CrosswalkPluginKit

/// Activities (visits, calls, notes, meetings) of DataObjects: the feed for full reads, `ActivitiesV2/many` for
/// creates in one call, `PATCH /api/ActivitiesV2/{id}` for updates.
struct SPOTIOActivities {
    let api: SPOTIOAPI

    static let types = ["Note", "Event", "Transition", "Create", "OwnerChanged", "Update"]

    static let fields: [FieldInfo] = [
        FieldInfo(name: "id", type: "id", label: "Id", createable: false, updateable: false, nillable: false),
        FieldInfo(name: "dataObjectId", type: "reference", label: "Lead", createable: true, updateable: true, referenceTo: ["Lead"]),
        FieldInfo(name: "type", type: "picklist", label: "Type", createable: true, updateable: true,
                  picklist: types.map { PicklistValue(value: $0, label: $0) }),
        FieldInfo(name: "done", type: "boolean", label: "Done", createable: true, updateable: true),
        FieldInfo(name: "title", type: "string", label: "Title", createable: true, updateable: true),
        FieldInfo(name: "notes", type: "text", label: "Notes", createable: true, updateable: true),
        FieldInfo(name: "date", type: "datetime", label: "Date", createable: true, updateable: true),
        FieldInfo(name: "duration", type: "integer", label: "Duration (minutes)", createable: true, updateable: true),
        FieldInfo(name: "ownerId", type: "reference", label: "Owner", createable: true, updateable: true, referenceTo: ["User"]),
        FieldInfo(name: "activityTemplateId", type: "string", label: "Activity template", createable: true, updateable: true),
        FieldInfo(name: "resultId", type: "string", label: "Result", createable: true, updateable: true),
        FieldInfo(name: "createdAt", type: "datetime", label: "Created", createable: false, updateable: false),
        FieldInfo(name: "updatedAt", type: "datetime", label: "Updated", createable: false, updateable: false),
    ]

    static let writable: Set<String> = Set(fields.filter { $0.createable == true }.map(\.name))

    /// The record of an `ActivityResponse`, an `ActivityFeedDto` or a webhook's `data`.
    static func record(_ value: JSONValue) -> Record? {
        guard let id = SPOTIOJSON.string(value["id"]) else { return nil }
        var out: [String: JSONValue] = [:]
        for f in fields {
            var raw = value[f.name] ?? .null
            if f.name == "dataObjectId", raw.isNull { raw = value["dataObject"]?["id"] ?? .null }
            if f.type == "datetime", let text = raw.stringValue, let ms = SPOTIOTime.milliseconds(text) {
                raw = .string(SPOTIOTime.text(milliseconds: ms))
            } else if f.type == "reference" || f.name == "id" {
                raw = SPOTIOJSON.string(raw).map(JSONValue.string) ?? .null
            }
            out[f.name] = raw
        }
        let modified = out["updatedAt"]?.stringValue
        var links: [RecordLink] = []
        if let lead = out["dataObjectId"]?.stringValue { links.append(RecordLink(object: "Lead", id: lead, type: "dataObjectId")) }
        return Record(object: "Activity", id: id, fields: out, modifiedAt: modified, links: links)
    }

    func read(_ request: ReadRequest) throws -> ReadResult {
        if let ids = request.ids {
            var records: [Record] = []
            var missing: [String] = []
            for id in ids {
                let response = try api.send("GET", "/api/ActivitiesV2/\(SPOTIOQuery.encode(id))")
                if response.status == 404 { missing.append(id); continue }
                if let record = Self.record(try SPOTIOAPI.decode(response, "GET /api/ActivitiesV2/{id}")) { records.append(record) }
            }
            return ReadResult(records: records, nextCursor: nil, hasMore: false, missing: missing)
        }
        var path = "/api/ActivitiesV2/feed?SortBy=time"
        if let scroll = request.cursor?["scrollId"]?.stringValue { path += "&ScrollId=\(SPOTIOQuery.encode(scroll))" }
        let page = try api.json("GET", path)
        let records = (page["items"]?.arrayValue ?? []).compactMap(Self.record)
        let next = page["scrollId"]?.stringValue
        return ReadResult(records: records, nextCursor: next.map { ["scrollId": .string($0)] }, hasMore: next != nil)
    }

    /// An `ActivityRequest` from a record's fields; throws for a field that is not writable.
    static func request(_ fields: [String: JSONValue]) throws -> JSONValue {
        var out: [String: JSONValue] = [:]
        for (name, value) in fields {
            guard writable.contains(name) else {
                throw ConnectorError(.invalidArgument, "Activity has no writable field \(name)", fields: [name])
            }
            if name == "ownerId", let text = SPOTIOJSON.string(value) { out[name] = SPOTIOJSON.id(text) } else { out[name] = value }
        }
        return .object(out)
    }
}
