import CrosswalkPluginKit

/// `parse_webhook`: an outbound message into change events carrying their records. Salesforce does not
/// sign outbound messages, so the message's OrganizationId must be the connection's org: any other is
/// refused (and the host's static ack has already told Salesforce to stop retrying it).
struct SalesforceWebhookParser {
    let api: SalesforceAPI
    let schema: SalesforceSchemaCache
    /// The connection's org id, 18 characters, or `nil` when nobody can say.
    let organizationID: () throws -> String?

    func parse(_ request: WebhookRequest) throws -> WebhookResult {
        guard request.method.uppercased() == "POST" else {
            throw ConnectorError(.invalidArgument, "outbound messages are POSTed; got \(request.method)")
        }
        let message = try SalesforceOutboundMessage.parse(request.bodyData)
        guard let sender = SalesforceIDs.normalized(message.organizationID) else {
            throw ConnectorError(.invalidArgument, "OrganizationId \(message.organizationID.prefix(40)) is not an org id")
        }
        guard let expected = try organizationID() else {
            throw ConnectorError(.auth, "cannot verify the outbound message: the connection's org id is unknown (no connection facts and no organization_id setting)")
        }
        guard sender == expected else {
            throw ConnectorError(.auth, "refused an outbound message from org \(sender): this connection is org \(expected)")
        }
        var events: [ChangeEvent] = []
        for n in message.notifications {
            guard !n.type.isEmpty, let describe = try? schema.describe(n.type) else {
                throw ConnectorError(.invalidArgument, "notification \(n.id) carries an sObject of unknown type \"\(n.type)\"")
            }
            let builder = SalesforceRecordBuilder(object: describe, schema: schema)
            var row: [String: JSONValue] = [:]
            for (name, text) in n.fields { row[describe.field(name)?.name ?? name] = builder.value(text, field: name) }
            guard let record = builder.record(row) else {
                throw ConnectorError(.invalidArgument, "notification \(n.id) carries a \(n.type) without an Id")
            }
            // Outbound messages fire on create and update; a record created and not changed since says so.
            let created = row["CreatedDate"]?.stringValue.flatMap(SalesforceTime.seconds)
            let modified = (row["LastModifiedDate"] ?? row["SystemModstamp"])?.stringValue.flatMap(SalesforceTime.seconds)
            let change: ChangeEvent.Change = created != nil && created == modified ? .create : .update
            events.append(ChangeEvent(object: describe.name, id: record.id, change: change, record: record))
        }
        return WebhookResult(events: events, response: WebhookResult.Reply(status: 200, contentType: "text/xml; charset=utf-8", body: SalesforceManifest.acknowledgement))
    }
}
