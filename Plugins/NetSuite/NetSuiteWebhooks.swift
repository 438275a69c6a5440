import CrosswalkPluginKit
import Foundation

/// Change notifications (NetSuite has no native webhooks: a user-event script posts them, as the sandbox does):
/// `{"eventId","eventType":"create"|"edit"|"delete","recordType","recordId","account","occurredAt",
/// "newRecord"?,"oldRecord"?,"changedFields"?}`, one per POST or an array of them, signed
/// `X-NetSuite-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>` with
/// `X-NetSuite-Event-Timestamp` (the host verifies, as the manifest's `webhooks` block declares).
extension NetSuiteConnector {
    func runParseWebhook(_ request: WebhookRequest) throws -> WebhookResult {
        let body: JSONValue
        do { body = try JSONValue(parsing: request.bodyData) } catch {
            throw ConnectorError(.invalidArgument, "the NetSuite notification is not JSON: \(error)")
        }
        let notifications = body.arrayValue ?? [body]
        var events: [ChangeEvent] = []
        for notification in notifications {
            guard let type = notification["recordType"]?.stringValue, let object = NetSuiteObject.named(type) else { continue }
            guard let id = notification["recordId"]?.stringValue ?? notification["recordId"]?.numberValue?.text else {
                throw ConnectorError(.invalidArgument, "a NetSuite notification of \(type) names no recordId")
            }
            let change: ChangeEvent.Change
            switch notification["eventType"]?.stringValue?.lowercased() {
            case "create": change = .create
            case "edit", "xedit", "update": change = .update
            case "delete": change = .delete
            default: throw ConnectorError(.invalidArgument, "NetSuite notification eventType \(notification["eventType"]?.text ?? "null") is not create, edit or delete")
            }
            let record = change == .delete ? nil : notification["newRecord"].flatMap { Self.record(object, id: id, $0) }
            events.append(ChangeEvent(object: object.name, id: id, change: change, record: record))
        }
        return WebhookResult(events: events)
    }

    /// A record as the record service renders it (references `{id, refName, links}`, sublists, `links`) in the
    /// form reads give: references as the id, sublists and links left out, date-times as RFC 3339 UTC.
    static func record(_ object: NetSuiteObject, id: String, _ value: JSONValue) -> Record? {
        guard let members = value.objectValue else { return nil }
        var fields: [String: JSONValue] = ["id": .string(id)]
        var links: [RecordLink] = []
        for (name, v) in members where name != "links" && name != "id" {
            switch v {
            case .object(let o):
                guard let ref = o["id"]?.stringValue ?? o["id"]?.numberValue?.text else { continue } // a sublist
                fields[name] = .string(ref)
                if let target = object.linkFields[name] { links.append(RecordLink(object: target, id: ref, type: name)) }
            case .array:
                continue
            case .string(let s) where s.utf8.count >= 20:
                fields[name] = NetSuiteClock.parseRFC3339(s).map { .string(NetSuiteClock.rfc3339($0)) } ?? v
            default:
                fields[name] = v
            }
        }
        let modified = fields["lastModifiedDate"]?.stringValue
        return Record(object: object.name, id: id, fields: fields, modifiedAt: modified, links: links.isEmpty ? nil : links.sorted { $0.type ?? "" < $1.type ?? "" })
    }
}
