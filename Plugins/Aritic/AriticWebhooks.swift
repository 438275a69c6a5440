import CrosswalkPluginKit

/// Mautic's webhook deliveries: one POST per batch of events grouped by type,
/// `{"mautic.lead_post_save_new": [{"contact": {...}, "timestamp": "…"}], …, "timestamp": "…"}`, signed with
/// `Webhook-Signature` (base64 HMAC-SHA256 of the exact body with the hook's secret; the host verifies it).
struct AriticWebhookParser {
    func parse(_ request: WebhookRequest) throws -> WebhookResult {
        guard let body = try? JSONParser.parse(request.bodyData), let map = body.objectValue,
              map.keys.contains(where: { $0.hasPrefix("mautic.") }) else {
            throw ConnectorError(.invalidArgument, "not an Aritic PinPoint webhook delivery: the body has no \"mautic.*\" event list")
        }
        var events: [ChangeEvent] = []
        for type in map.keys.sorted() where type.hasPrefix("mautic.") {
            for payload in map[type]?.arrayValue ?? [] {
                if let event = Self.event(type, payload) { events.append(event) }
            }
        }
        return WebhookResult(events: events)
    }

    /// One event; `nil` for a type this connector does not map.
    static func event(_ type: String, _ payload: JSONValue) -> ChangeEvent? {
        switch type {
        case "mautic.lead_post_save_new", "mautic.lead_post_save_update", "mautic.lead_points_change", "mautic.lead_company_change":
            guard let contact = payload["contact"], let record = AriticRecords.record(.contacts, contact) else { return nil }
            return ChangeEvent(object: AriticKind.contacts.rawValue, id: record.id,
                               change: type == "mautic.lead_post_save_new" ? .create : .update, record: record)
        case "mautic.company_post_save":
            // Mautic raises one event for new and edited companies.
            guard let company = payload["company"], let record = AriticRecords.record(.companies, company) else { return nil }
            return ChangeEvent(object: AriticKind.companies.rawValue, id: record.id, change: .update, record: record)
        case "mautic.lead_post_delete", "mautic.company_post_delete":
            // The deleted entity comes back with "id": null; the event's own "id" names it.
            guard let id = payload["id"].flatMap({ $0.intValue.map(String.init) ?? $0.stringValue }) else { return nil }
            let kind: AriticKind = type == "mautic.lead_post_delete" ? .contacts : .companies
            return ChangeEvent(object: kind.rawValue, id: id, change: .delete)
        default:
            return nil
        }
    }
}
