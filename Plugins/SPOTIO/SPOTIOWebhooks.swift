import CrosswalkPluginKit

/// SPOTIO's webhook deliveries: `{"payload": [{"data": {…}, "type": "lead.added", "date": "…"}]}`, batched, signed
/// with `X-Signature` (hex HMAC-SHA256 of the body with the account's secret; the host verifies it).
struct SPOTIOWebhookParser {
    let schema: SPOTIOSchemaCache

    func parse(_ request: WebhookRequest) throws -> WebhookResult {
        guard let body = try? JSONParser.parse(request.bodyData), let payload = body["payload"]?.arrayValue else {
            throw ConnectorError(.invalidArgument, "not a SPOTIO webhook delivery: the body has no \"payload\" array")
        }
        let lead = try schema.leadType()
        var events: [ChangeEvent] = []
        for entry in payload {
            guard let type = entry["type"]?.stringValue, let data = entry["data"] else { continue }
            let parts = type.split(separator: ".")
            guard parts.count == 2 else { continue }
            let change: ChangeEvent.Change
            switch parts[1] {
            case "added", "created": change = .create
            case "updated", "done": change = .update
            case "deleted": change = .delete
            default: continue
            }
            switch parts[0] {
            case "lead":
                // Another DataObject type is not a Lead.
                if let typeID = SPOTIOJSON.string(data["typeId"]), typeID != lead.id { continue }
                guard let id = data["id"]?.stringValue else { continue }
                events.append(ChangeEvent(object: "Lead", id: id, change: change,
                                          record: change == .delete ? nil : SPOTIORecords.record(data, type: lead)))
            case "activity":
                guard let id = SPOTIOJSON.string(data["id"]) else { continue }
                events.append(ChangeEvent(object: "Activity", id: id, change: change,
                                          record: change == .delete ? nil : SPOTIOActivities.record(data)))
            default:
                continue // appointments: no Appointment object
            }
        }
        return WebhookResult(events: events)
    }
}
