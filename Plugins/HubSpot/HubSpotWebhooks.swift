import CrosswalkPluginKit

/// HubSpot's webhook deliveries: a JSON array of up to 100 events (`subscriptionType` `contact.creation`,
/// `contact.propertyChange`, `contact.deletion`, `contact.merge`, `contact.restore`, `contact.associationChange`, the
/// same for `company.`, `deal.`, and `object.*` with `objectTypeId` for newer objects such as invoices), signed with
/// `X-HubSpot-Signature-v3` (the host verifies it as the manifest declares). Events of one object in one delivery
/// fold into one change (a creation with its property changes is one create); order is not guaranteed, so a
/// deletion wins.
struct HubSpotWebhookParser {
    func parse(_ request: WebhookRequest) throws -> WebhookResult {
        guard let body = try? JSONParser.parse(request.bodyData), let list = body.arrayValue else {
            throw ConnectorError(.invalidArgument, "not a HubSpot webhook delivery: the body is not a JSON array of events")
        }
        var order: [String] = []
        var folded: [String: ChangeEvent] = [:]
        func put(_ event: ChangeEvent) {
            let key = "\(event.object)/\(event.id)"
            guard let old = folded[key] else {
                order.append(key)
                folded[key] = event
                return
            }
            let rank: [ChangeEvent.Change: Int] = [.update: 0, .create: 1, .merge: 2, .delete: 3]
            if (rank[event.change] ?? 0) > (rank[old.change] ?? 0) { folded[key] = event }
        }
        for payload in list {
            for event in Self.events(payload) { put(event) }
        }
        return WebhookResult(events: order.compactMap { folded[$0] })
    }

    /// The kind an event names: `contact.creation` → contacts; `object.creation` with `objectTypeId` `0-53` → invoices.
    static func kind(_ payload: JSONValue, _ prefix: String) -> HubSpotKind? {
        if prefix == "object" {
            let typeID = payload["objectTypeId"]?.stringValue ?? ""
            return HubSpotKind.allCases.first { $0.typeID == typeID }
        }
        return HubSpotKind.allCases.first { $0.singular == prefix }
    }

    static func id(_ value: JSONValue?) -> String? { value?.intValue.map(String.init) ?? value?.int64Value.map(String.init) ?? value?.stringValue }

    /// The change events of one payload; none for a type this connector does not map.
    static func events(_ payload: JSONValue) -> [ChangeEvent] {
        guard let type = payload["subscriptionType"]?.stringValue else { return [] }
        let parts = type.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = kind(payload, parts[0]) else { return [] }
        let object = kind.rawValue
        switch parts[1] {
        case "creation":
            return id(payload["objectId"]).map { [ChangeEvent(object: object, id: $0, change: .create)] } ?? []
        case "propertyChange", "restore":
            return id(payload["objectId"]).map { [ChangeEvent(object: object, id: $0, change: .update)] } ?? []
        case "deletion", "privacyDeletion":
            return id(payload["objectId"]).map { [ChangeEvent(object: object, id: $0, change: .delete)] } ?? []
        case "associationChange":
            return id(payload["fromObjectId"]).map { [ChangeEvent(object: object, id: $0, change: .update)] } ?? []
        case "merge":
            // The merged records end in the primary one (or a new one HubSpot made for the merge).
            guard let primary = id(payload["newObjectId"]) ?? id(payload["primaryObjectId"]) ?? id(payload["objectId"]) else { return [] }
            let merged = (payload["mergedObjectIds"]?.arrayValue ?? []).compactMap { id($0) }.filter { $0 != primary }
            return merged.map { ChangeEvent(object: object, id: $0, change: .merge, mergedInto: primary) }
                + [ChangeEvent(object: object, id: primary, change: .update)]
        default:
            return []
        }
    }
}
