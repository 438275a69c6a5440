import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Crypto
import Foundation
import Testing

/// SPOTIO's signed, batched webhook posts received by a local server and parsed by the connector.
@Suite("SPOTIO connector: webhooks")
struct SPOTIOWebhookTests {
    func request(_ d: WebhookReceiver.Delivery) -> WebhookRequest {
        WebhookRequest(method: "POST", path: d.path, url: d.url, headers: Dictionary(uniqueKeysWithValues: d.headers.map { ($0.key.lowercased(), $0.value) }),
                       body: String(decoding: d.body, as: UTF8.self), bodyBase64: d.body.base64EncodedString(),
                       receivedAt: "2026-01-01T00:00:00Z", verified: true)
    }

    @Test("lead and activity events become change events with records; the X-Signature is the body's HMAC as the manifest declares")
    func deliveries() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { receiver.stop() }
        try await SPOTIOHarness.with { h in
            _ = try await h.control("webhooks", ["url": receiver.url(for: "spotio"), "secret": "hook-secret"])
            let token = try await h.token()
            let lead = try await h.createLead(email: "hook@example.com", company: "Hooked", token: token)
            try await h.renameLead(lead, company: "Hooked again", token: token)
            try await h.api("POST", "/api/ActivitiesV2", ["dataObjectId": lead, "type": "Note", "notes": "hi"], token: token)
            try await h.deleteLead(lead, token: token)
            let all = try await receiver.wait(for: 4)
            let spotio = try await h.connector()
            // The signature the host checks: hex HMAC-SHA256 of the exact body with the account secret.
            let first = all[0]
            let mac = HMAC<SHA256>.authenticationCode(for: first.body, using: SymmetricKey(data: Data("hook-secret".utf8)))
            let header = first.headers.first { $0.key.lowercased() == "x-signature" }?.value
            #expect(header == mac.map { String(format: "%02x", $0) }.joined())
            #expect(spotio.manifest.webhooks?.signature?.header == "X-Signature")

            var events: [ChangeEvent] = []
            for d in all { events += try await spotio.parseWebhook(request(d)).events }
            let leadEvents = events.filter { $0.object == "Lead" }
            // Deliveries are concurrent posts and may arrive in any order, as SPOTIO's do.
            #expect(leadEvents.map(\.change.rawValue).sorted() == ["create", "delete", "update"])
            #expect(leadEvents.allSatisfy { $0.id == lead })
            let byChange = Dictionary(leadEvents.map { ($0.change, $0) }) { a, _ in a }
            #expect(byChange[.create]?.record?.fields["Company"] == "Hooked" && byChange[.update]?.record?.fields["Company"] == "Hooked again")
            #expect(byChange[.delete].map { $0.record == nil } == true)
            let activity = try #require(events.first { $0.object == "Activity" })
            #expect(activity.change == .create && activity.record?.fields["dataObjectId"] == .string(lead))

            var bad = request(first)
            bad.body = "{\"nope\":1}"
            bad.bodyBase64 = Data(bad.body.utf8).base64EncodedString()
            do {
                _ = try await spotio.parseWebhook(bad)
                Issue.record("a body without a payload was parsed")
            } catch let e as CrosswalkError {
                #expect(e.code == .invalidArgument && e.message.contains("payload"))
            }
            await spotio.close()
        }
    }
}
