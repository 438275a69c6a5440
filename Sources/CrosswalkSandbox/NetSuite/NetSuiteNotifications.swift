import CrosswalkCore
import Crypto
import Foundation

/// Change notifications as a user-event script would post them (NetSuite has no native webhooks): one JSON POST per
/// record change to each subscriber whose events match. Shape (documented in README.md):
/// `{"eventId","eventType":"create"|"edit"|"delete","recordType","recordId","account","occurredAt","newRecord"?,"oldRecord"?,"changedFields"?}`;
/// with a secret, `X-NetSuite-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>` and
/// `X-NetSuite-Event-Timestamp: <unix seconds>`.
enum NetSuiteNotifications {
    static func deliveries(for changes: [NetSuiteChange], state: NetSuiteState, now: Date, baseURL: String) -> [SandboxWebhook] {
        var webhooks: [SandboxWebhook] = []
        for change in changes {
            let (eventType, type, old, new): (String, String, NetSuiteRecord?, NetSuiteRecord?) = switch change {
            case let .created(r): ("create", r.type, nil, r)
            case let .edited(o, n): ("edit", n.type, o, n)
            case let .deleted(r): ("delete", r.type, r, nil)
            }
            let subscribers = state.subscriptions.filter { matches($0.events, type: type, event: eventType) }
            if subscribers.isEmpty { continue }
            let id = (new ?? old)?.id ?? 0
            var body: [String: Any] = ["eventId": UUID().uuidString.lowercased(), "eventType": eventType, "recordType": type,
                                       "recordId": String(id), "account": NetSuiteDemoCredentials.accountId, "occurredAt": NetSuiteTime.iso(now)]
            if let new { body["newRecord"] = NetSuiteRecordRoutes.json(new, state: state, baseURL: baseURL, expand: true) }
            if let old { body["oldRecord"] = NetSuiteRecordRoutes.json(old, state: state, baseURL: baseURL, expand: true) }
            if let old, let new {
                let names = Set(old.fields.keys).union(new.fields.keys).filter { $0 != "lastModifiedDate" && old.fields[$0] != new.fields[$0] }
                body["changedFields"] = (names.sorted() + (old.lines != new.lines ? ["item"] : []))
            }
            let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
            for subscription in subscribers {
                webhooks.append(signed(data, to: subscription.url, secret: subscription.secret, now: now))
            }
        }
        return webhooks
    }

    /// `*`, `contact.*`, `contact.create`; an empty list matches everything.
    static func matches(_ patterns: [String], type: String, event: String) -> Bool {
        patterns.isEmpty || patterns.contains { $0 == "*" || $0 == "\(type).*" || $0 == "\(type).\(event)" }
    }

    static func signed(_ body: Data, to url: String, secret: String?, now: Date) -> SandboxWebhook {
        var headers: HTTPFields = ["Content-Type": "application/json", "User-Agent": "NetSuite-UserEvent/1.0 (Crosswalk sandbox)"]
        if let secret {
            let timestamp = String(Int(now.timeIntervalSince1970))
            headers["X-NetSuite-Event-Timestamp"] = timestamp
            headers["X-NetSuite-Signature"] = "sha256=" + signature(secret: secret, timestamp: timestamp, body: body)
        }
        return SandboxWebhook(url: url, method: "POST", headers: headers, body: body)
    }

    /// Hex HMAC-SHA256 of `timestamp + "." + body`.
    static func signature(secret: String, timestamp: String, body: Data) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((timestamp + ".").utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).map { String(format: "%02x", $0) }.joined()
    }
}
