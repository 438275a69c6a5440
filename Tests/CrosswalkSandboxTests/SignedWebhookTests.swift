import CrosswalkAuth
import CrosswalkCore
import CrosswalkSandbox
import CrosswalkTestKit
import Crypto
import Foundation
import Hummingbird
import Logging
import Testing

/// The secret each app's subscription signs with (all different, so an app signing with another key fails).
private let secrets = ["netsuite": "ns-whsec-8d1f", "hubspot": "hs-whsec-42aa", "spotio": "sp-whsec-19c0", "aritic": "ar-whsec-77be"]

/// The events subscribed in each app: only the creation of the record the test makes.
private let events = ["salesforce": ["Contact"], "netsuite": ["contact.create"], "hubspot": ["contact.creation"],
                      "spotio": ["lead.added"], "aritic": ["mautic.lead_post_save_new"]]

private func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

private func hmacSHA256(_ message: Data, secret: String) -> Data {
    Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8))))
}

/// Whether `webhook`'s headers sign `body` with `secret`, checked as each vendor tells receivers to check.
private func signatureValid(_ webhook: WebhookReceiver.Delivery, body: Data, secret: String) -> Bool {
    let h = webhook.headers
    switch webhook.app {
    case "hubspot":
        // v3: base64 HMAC-SHA256 of method + URI + body + timestamp (ms), refused when older than 5 minutes;
        // v1: hex SHA-256 of secret + body.
        guard let timestamp = h["x-hubspot-request-timestamp"], let millis = Double(timestamp),
              abs(Date().timeIntervalSince1970 * 1000 - millis) < 300_000 else { return false }
        let v3 = hmacSHA256(Data(("POST" + webhook.url).utf8) + body + Data(timestamp.utf8), secret: secret).base64EncodedString()
        return h["x-hubspot-signature-v3"] == v3 && h["x-hubspot-signature"] == hex(SHA256.hash(data: Data(secret.utf8) + body))
    case "netsuite":
        guard let timestamp = h["x-netsuite-event-timestamp"] else { return false }
        return h["x-netsuite-signature"] == "sha256=" + hex(hmacSHA256(Data((timestamp + ".").utf8) + body, secret: secret))
    case "spotio":
        return h["x-signature"] == hex(hmacSHA256(body, secret: secret))
    case "aritic":
        return h["webhook-signature"] == hmacSHA256(body, secret: secret).base64EncodedString()
    default:
        return false
    }
}

/// `body` with its last byte changed.
private func tampered(_ body: Data) -> Data {
    var copy = body
    if let last = copy.indices.last { copy[last] ^= 0x20 }
    return copy
}

/// Creates one contact (SPOTIO: lead) in `app` through its REST API with the demo credentials; returns its id.
private func createContact(in app: String, _ sandbox: RunningSandbox) async throws -> String {
    switch app {
    case "salesforce":
        let c = SalesforceApp.demoCredentials
        let form = [("grant_type", "password"), ("client_id", c.clientID), ("client_secret", c.clientSecret), ("username", c.username),
                    ("password", c.password)].map { "\($0.0)=\(NetSuiteTBASigner.percentEncode($0.1))" }.joined(separator: "&")
        let login = try await TestHTTP.send("POST", sandbox.url(app, "/services/oauth2/token"), form: form)
        let token = try #require(login.object["access_token"] as? String)
        let created = try await TestHTTP.send("POST", sandbox.url(app, "/services/data/v60.0/sobjects/Contact"), json: ["LastName": "Hooked"],
                                              headers: ["Authorization": "Bearer \(token)"])
        #expect(created.status == 201)
        return try #require(created.object["id"] as? String)
    case "netsuite":
        let url = sandbox.url(app, "/services/rest/record/v1/contact")
        let tba = NetSuiteTBAAuthenticator(credentials: NetSuiteTBACredentials(
            accountID: NetSuiteDemoCredentials.accountId, consumerKey: NetSuiteDemoCredentials.consumerKey,
            consumerSecret: NetSuiteDemoCredentials.consumerSecret, tokenID: NetSuiteDemoCredentials.tokenId,
            tokenSecret: NetSuiteDemoCredentials.tokenSecret))
        let authorization = try tba.authorizationHeader(for: CrosswalkCore.HTTPRequest(method: "POST", url: url.absoluteString))
        let created = try await TestHTTP.send("POST", url, json: ["firstName": "Ada", "lastName": "Hooked"], headers: ["Authorization": authorization])
        #expect(created.status == 204)
        return try #require(created.headers["location"]?.split(separator: "/").last.map(String.init))
    case "hubspot":
        let created = try await TestHTTP.send("POST", sandbox.url(app, "/crm/v3/objects/contacts"),
                                              json: ["properties": ["email": "hooked@example.com", "lastname": "Hooked"]],
                                              headers: ["Authorization": "Bearer \(HubSpotDemoCredentials.privateAppToken)"])
        #expect(created.status == 201)
        return try #require(created.object["id"] as? String)
    case "spotio":
        let c = SpotioApp.demoCredentials
        let minted = try await TestHTTP.send("POST", sandbox.url(app, "/api/users/apitoken"), json: ["clientId": c.clientId, "secret": c.secret])
        let token = try #require(minted.object["accessToken"] as? String)
        let created = try await TestHTTP.send("POST", sandbox.url(app, "/api/DataObjects"),
                                              json: ["dataObject": ["typeId": 1, "fields": [["fieldId": "101", "value": "Hooked Inc."]]]],
                                              headers: ["Authorization": "Bearer \(token)"])
        #expect(created.status == 200)
        return try #require(created.object["id"] as? String)
    case "aritic":
        let c = AriticApp.demoCredentials
        let created = try await TestHTTP.send("POST", sandbox.url(app, "/api/contacts/new"),
                                              json: ["firstname": "Ada", "lastname": "Hooked", "email": "hooked@example.com"],
                                              headers: ["Authorization": "Basic \(Data("\(c.username):\(c.password)".utf8).base64EncodedString())"])
        #expect(created.status == 201)
        let id = try #require((created.object["contact"] as? [String: Any])?["id"] as? Int)
        return String(id)
    default:
        throw TestKitError(description: "no way to make a change in \(app)")
    }
}

/// The id of the created record as `webhook`'s body names it, in each app's own notification shape.
private func notifiedID(_ webhook: WebhookReceiver.Delivery) -> String? {
    let json = try? JSONSerialization.jsonObject(with: webhook.body)
    switch webhook.app {
    case "salesforce":
        let soap = String(decoding: webhook.body, as: UTF8.self)
        guard soap.contains("<notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\">"), let start = soap.range(of: "<sf:Id>"),
              let end = soap.range(of: "</sf:Id>", range: start.upperBound..<soap.endIndex) else { return nil }
        return String(soap[start.upperBound..<end.lowerBound])
    case "netsuite":
        let event = json as? [String: Any]
        guard event?["eventType"] as? String == "create", event?["recordType"] as? String == "contact" else { return nil }
        return event?["recordId"] as? String
    case "hubspot":
        let event = (json as? [[String: Any]])?.first
        guard event?["subscriptionType"] as? String == "contact.creation" else { return nil }
        return (event?["objectId"] as? Int).map(String.init)
    case "spotio":
        let event = ((json as? [String: Any])?["payload"] as? [[String: Any]])?.first
        guard event?["type"] as? String == "lead.added" else { return nil }
        return (event?["data"] as? [String: Any])?["id"] as? String
    case "aritic":
        let event = ((json as? [String: Any])?["mautic.lead_post_save_new"] as? [[String: Any]])?.first
        return ((event?["contact"] as? [String: Any])?["id"] as? Int).map(String.init)
    default:
        return nil
    }
}

/// The sandbox's delivery records for `app`.
private func deliveries(_ app: String, _ sandbox: RunningSandbox) async throws -> [[String: Any]] {
    try await TestHTTP.send("GET", sandbox.url(app, "/__sandbox/webhooks/deliveries")).object["deliveries"] as? [[String: Any]] ?? []
}

/// Polls (every 20 ms, 10 s at most) until `check` holds: a readiness check, not a fixed sleep.

@Suite("Signed webhooks over HTTP")
struct SignedWebhookTests {
    @Test("each app's change notification reaches a local receiver over HTTP, signed as the vendor signs it, and is listed as delivered")
    func everyAppDeliversSigned() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { receiver.stop() }
        try await RunningSandbox.with(SandboxApps.all) { sandbox in
            let apps = Set(sandbox.urls.keys)
            #expect(apps == ["salesforce", "netsuite", "hubspot", "spotio", "aritic"])
            for app in apps.sorted() {
                var subscription: [String: Any] = ["url": receiver.url(for: app), "events": events[app] ?? []]
                subscription["secret"] = secrets[app] ?? "salesforce-ignores-secrets"
                let subscribed = try await TestHTTP.send("POST", sandbox.url(app, "/__sandbox/webhooks"), json: subscription)
                #expect(subscribed.status == 201, "subscribing on \(app)")
            }

            var createdIDs: [String: String] = [:]
            for app in apps.sorted() { createdIDs[app] = try await createContact(in: app, sandbox) }

            let webhooks = try await receiver.first(from: apps)
            for (app, webhook) in webhooks.sorted(by: { $0.key < $1.key }) {
                #expect(notifiedID(webhook) == createdIDs[app], "\(app) notifies the record it created")
                guard let secret = secrets[app] else {
                    // Salesforce Outbound Messages are unsigned SOAP.
                    #expect(webhook.headers["content-type"]?.hasPrefix("text/xml") == true)
                    #expect(!webhook.headers.keys.contains { $0.contains("signature") }, "Salesforce does not sign outbound messages")
                    continue
                }
                #expect(signatureValid(webhook, body: webhook.body, secret: secret), "\(app)'s signature verifies")
                #expect(!signatureValid(webhook, body: tampered(webhook.body), secret: secret), "\(app): a tampered body does not verify")
                #expect(!signatureValid(webhook, body: webhook.body, secret: secret + "x"), "\(app): another secret does not verify")
            }

            for app in apps.sorted() {
                // The dispatcher records the outcome once the receiver has answered: wait until nothing is pending.
                try await eventually { try await deliveries(app, sandbox).contains { $0["status"] as? String != "pending" } }
                let recorded = try await deliveries(app, sandbox)
                #expect(recorded.count == 1, "\(app) made one delivery")
                let delivery = recorded.first ?? [:]
                #expect(delivery["app"] as? String == app && delivery["url"] as? String == receiver.url(for: app))
                #expect(delivery["status"] as? String == "delivered" && delivery["response_status"] as? Int == 200,
                        "\(app)'s delivery is listed as delivered")
                #expect(delivery["attempts"] as? Int == 1)
            }
        }
    }
}
