import CrosswalkCore
import Crypto
import Foundation

/// Turns the changes of a request into HubSpot webhook deliveries: JSON arrays of at most 100 events per POST,
/// signed with v1 (`X-HubSpot-Signature`) and v3 (`X-HubSpot-Signature-v3` + `X-HubSpot-Request-Timestamp`).
enum HubSpotWebhooks {
    static let maxEventsPerDelivery = 100

    /// The deliveries for `changes`, one or more per subscriber; advances `state.nextEventId`.
    static func deliveries(for changes: [HubSpotChange], state: inout HubSpotState, now: Date) -> [SandboxWebhook] {
        let labels = state.labels
        guard !changes.isEmpty else { return [] }
        var webhooks: [SandboxWebhook] = []
        for subscription in state.subscriptions {
            var events: [[String: Any]] = []
            for change in changes {
                for var event in candidates(change, labels: labels) where subscribed(subscription, to: event) {
                    event["eventId"] = state.nextEventId
                    state.nextEventId += 1
                    event["subscriptionId"] = subscription.id
                    event["portalId"] = HubSpotDemoCredentials.portalId
                    event["appId"] = HubSpotDemoCredentials.appId
                    event["occurredAt"] = HubSpotTime.millis(now)
                    event["attemptNumber"] = 0
                    event["changeSource"] = "API"
                    events.append(event)
                }
            }
            var start = 0
            while start < events.count {
                let chunk = Array(events[start..<min(events.count, start + maxEventsPerDelivery)])
                webhooks.append(signedDelivery(chunk, to: subscription.url, secret: subscription.secret, now: now))
                start += maxEventsPerDelivery
            }
        }
        return webhooks
    }

    /// The events one change can produce, before subscription fields are added.
    private static func candidates(_ change: HubSpotChange, labels: HubSpotAssociationLabels) -> [[String: Any]] {
        func objectId(_ id: String) -> Any { Int(id) ?? id }
        switch change {
        case let .created(type, id, properties):
            let creation: [String: Any] = ["subscriptionType": "\(type.singular).creation", "objectId": objectId(id), "changeFlag": "NEW"]
            return [creation] + properties.keys.sorted().map { name in
                ["subscriptionType": "\(type.singular).propertyChange", "objectId": objectId(id), "propertyName": name,
                 "propertyValue": properties[name] ?? ""]
            }
        case let .propertyChanged(type, id, name, value):
            return [["subscriptionType": "\(type.singular).propertyChange", "objectId": objectId(id), "propertyName": name, "propertyValue": value]]
        case let .deleted(type, id):
            return [["subscriptionType": "\(type.singular).deletion", "objectId": objectId(id), "changeFlag": "DELETED"]]
        case let .associationChanged(edge, typeId, removed):
            guard let type = labels.find(typeId) else { return [] }
            return [(edge, type), (edge.reversed, labels.find(type.inverse))].compactMap { pair -> [String: Any]? in
                guard let definition = pair.1 else { return nil }
                return ["subscriptionType": "\(pair.0.from.singular).associationChange",
                        "associationType": "\(pair.0.from.singular)_TO_\(pair.0.to.singular)".uppercased(),
                        "fromObjectId": objectId(pair.0.fromId), "toObjectId": objectId(pair.0.toId), "associationRemoved": removed,
                        "isPrimaryAssociation": definition.label == "Primary"]
            }
        }
    }

    /// Whether a subscription's event patterns cover an event: `*`, `contact.*`, `contact.creation`,
    /// `contact.propertyChange` (any property) or `contact.propertyChange:email`. No patterns means all.
    private static func subscribed(_ subscription: HubSpotSubscription, to event: [String: Any]) -> Bool {
        guard !subscription.eventTypes.isEmpty else { return true }
        let kind = event["subscriptionType"] as? String ?? ""
        let property = event["propertyName"] as? String
        return subscription.eventTypes.contains { pattern in
            if pattern == "*" { return true }
            if pattern.hasSuffix(".*") { return kind.hasPrefix(String(pattern.dropLast(1))) }
            let parts = pattern.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts[0] == kind else { return false }
            return parts.count == 1 || parts[1] == property
        }
    }

    /// One signed POST.
    static func signedDelivery(_ events: [[String: Any]], to url: String, secret: String, now: Date) -> SandboxWebhook {
        let body = (try? JSONSerialization.data(withJSONObject: events, options: [.sortedKeys])) ?? Data("[]".utf8)
        let timestamp = String(HubSpotTime.millis(now))
        var headers: HTTPFields = [:]
        headers["Content-Type"] = "application/json"
        headers["User-Agent"] = "HubSpot Connect 2.0 (http://dev.hubspot.com/)"
        headers["X-HubSpot-Signature"] = signatureV1(secret: secret, body: body)
        headers["X-HubSpot-Signature-Version"] = "v1"
        headers["X-HubSpot-Signature-v3"] = signatureV3(secret: secret, method: "POST", uri: url, body: body, timestamp: timestamp)
        headers["X-HubSpot-Request-Timestamp"] = timestamp
        headers["X-HubSpot-Timeout-Millis"] = "10000"
        return SandboxWebhook(url: url, method: "POST", headers: headers, body: body)
    }

    /// v1: hex SHA-256 of secret + body.
    static func signatureV1(secret: String, body: Data) -> String {
        SHA256.hash(data: Data(secret.utf8) + body).map { String(format: "%02x", $0) }.joined()
    }

    /// v3: base64 HMAC-SHA256 (key = app secret) of method + decoded URI + body + timestamp.
    static func signatureV3(secret: String, method: String, uri: String, body: Data, timestamp: String) -> String {
        let message = Data((method + decodedURI(uri)).utf8) + body + Data(timestamp.utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
    }

    /// The URI as HubSpot signs it: exactly these escapes decoded.
    static func decodedURI(_ uri: String) -> String {
        let escapes = ["%3A": ":", "%2F": "/", "%3F": "?", "%40": "@", "%21": "!", "%24": "$", "%27": "'", "%28": "(", "%29": ")",
                       "%2A": "*", "%2C": ",", "%3B": ";"]
        var out = ""
        var i = uri.startIndex
        while i < uri.endIndex {
            if uri[i] == "%", let end = uri.index(i, offsetBy: 3, limitedBy: uri.endIndex), let plain = escapes[uri[i..<end].uppercased()] {
                out += plain
                i = end
            } else {
                out.append(uri[i])
                i = uri.index(after: i)
            }
        }
        return out
    }
}
