import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkTestKit
import Crypto
import Foundation
import Testing

/// HubSpot's signed webhook deliveries received by a local server and parsed by the connector.
@Suite("HubSpot connector: webhooks")
struct HubSpotWebhookTests {
    func request(_ d: WebhookReceiver.Delivery) -> WebhookRequest {
        WebhookRequest(method: "POST", path: d.path, url: d.url, headers: Dictionary(uniqueKeysWithValues: d.headers.map { ($0.key.lowercased(), $0.value) }),
                       body: String(decoding: d.body, as: UTF8.self), bodyBase64: d.body.base64EncodedString(),
                       receivedAt: "2026-01-01T00:00:00Z", verified: true)
    }

    @Test("contact create, update and delete become change events; X-HubSpot-Signature-v3 is HMAC(method + url + body + timestamp) as the manifest declares")
    func deliveries() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { receiver.stop() }
        try await HubSpotHarness.with { h in
            try await h.control("webhooks", ["url": receiver.url(for: "hubspot"), "events": ["contact.*"]])
            let id = try await h.createContact(email: "hook@example.com", firstname: "Hooked")
            #expect(try await h.api("PATCH", "/crm/v3/objects/contacts/\(id)", ["properties": ["firstname": "Hooked again"]]).status == 200)
            #expect(try await h.api("DELETE", "/crm/v3/objects/contacts/\(id)").status == 204)
            let all = try await receiver.wait(for: 3)
            let hubspot = try await h.connector()

            // The signature as the manifest's parts say, with the app's client secret.
            let signature = try #require(hubspot.manifest.webhooks?.signature)
            #expect(signature.signed == ["method", "url", "body", "timestamp"] && signature.timestampHeader == "X-HubSpot-Request-Timestamp")
            let first = all[0]
            func header(_ name: String) -> String? { first.headers.first { $0.key.lowercased() == name.lowercased() }?.value }
            let timestamp = try #require(header("X-HubSpot-Request-Timestamp"))
            let message = Data(("POST" + first.url).utf8) + first.body + Data(timestamp.utf8)
            let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(HubSpotDemoCredentials.clientSecret.utf8)))
            #expect(header("X-HubSpot-Signature-v3") == Data(mac).base64EncodedString())
            // The host's verifier, reading only the manifest's block, accepts every delivery and refuses a changed body.
            let verifier = WebhookSignatureVerifier(signature: signature)
            for d in all {
                #expect(verifier.verify(method: "POST", url: d.url, headers: d.headers, body: d.body, secret: Data(HubSpotDemoCredentials.clientSecret.utf8),
                                        now: Date()) == .verified)
            }
            #expect(!verifier.verify(method: "POST", url: first.url, headers: first.headers, body: first.body + Data(" ".utf8),
                                     secret: Data(HubSpotDemoCredentials.clientSecret.utf8), now: Date()).isAccepted)

            var events: [ChangeEvent] = []
            for d in all { events += try await hubspot.parseWebhook(request(d)).events }
            #expect(events.map(\.change.rawValue) == ["create", "update", "delete"], "\(events.map(\.change.rawValue))")
            #expect(events.allSatisfy { $0.id == id && $0.object == "contacts" })

            var bad = request(first)
            bad.body = "{\"nope\":1}"
            bad.bodyBase64 = Data(bad.body.utf8).base64EncodedString()
            do {
                _ = try await hubspot.parseWebhook(bad)
                Issue.record("a body without events was parsed")
            } catch let e as CrosswalkError {
                #expect(e.code == .invalidArgument && e.message.contains("JSON array"))
            }
            await hubspot.close()
        }
    }

    @Test("merge, association and object.* (invoice) events; events of one object in one delivery fold into one change")
    func eventKinds() async throws {
        try await HubSpotHarness.with { h in
            let hubspot = try await h.connector()
            let body = """
            [{"eventId":1,"subscriptionType":"contact.propertyChange","objectId":7,"propertyName":"email","propertyValue":"a@b.c","occurredAt":1},
             {"eventId":2,"subscriptionType":"contact.creation","objectId":7,"occurredAt":1},
             {"eventId":3,"subscriptionType":"contact.merge","objectId":9,"primaryObjectId":9,"mergedObjectIds":[8,9],"newObjectId":9,"occurredAt":2},
             {"eventId":4,"subscriptionType":"company.associationChange","fromObjectId":11,"toObjectId":7,"associationType":"COMPANY_TO_CONTACT","occurredAt":3},
             {"eventId":5,"subscriptionType":"object.creation","objectTypeId":"0-53","objectId":12,"occurredAt":4},
             {"eventId":6,"subscriptionType":"deal.deletion","objectId":13,"occurredAt":5},
             {"eventId":7,"subscriptionType":"ticket.creation","objectId":14,"occurredAt":6}]
            """
            let result = try await hubspot.parseWebhook(WebhookRequest(method: "POST", path: "/hooks/hubspot", headers: [:], body: body, verified: true))
            let summary = result.events.map { "\($0.object)/\($0.id) \($0.change.rawValue)\($0.mergedInto.map { "→\($0)" } ?? "")" }
            #expect(summary == ["contacts/7 create", "contacts/8 merge→9", "contacts/9 update", "companies/11 update", "invoices/12 create", "deals/13 delete"],
                    "\(summary)")
            await hubspot.close()
        }
    }
}
