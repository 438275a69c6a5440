import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// Outbound messages delivered by the emulator to a local receiver, parsed by the plugin.
@Suite("Salesforce connector: outbound messages")
struct SalesforceWebhookTests {
    func request(_ d: WebhookReceiver.Delivery) -> WebhookRequest {
        WebhookRequest(method: "POST", path: d.path, url: d.url, headers: d.headers, body: String(decoding: d.body, as: UTF8.self),
                       bodyBase64: d.body.base64EncodedString(), receivedAt: "2026-01-01T00:00:00Z", verified: false)
    }

    @Test("outbound messages (up to 100 notifications each) become change events with typed records; another org's are refused")
    func outboundMessages() async throws {
        let receiver = try await WebhookReceiver.start { _ in WebhookReceiver.Answer(contentType: "text/xml", body: "<Ack>true</Ack>") }
        defer { receiver.stop() }
        try await SalesforceHarness.with { h in
            _ = try await h.control("webhooks", ["url": receiver.url(for: "salesforce"), "events": ["Contact"]])
            let token = try await h.token()
            let one = try await h.create("Contact", ["LastName": "Hooked <&>", "Email": "hook@example.com", "DoNotCall": true], token: token)
            let first = try #require(try await receiver.wait(for: 1).first)
            #expect(first.headers["soapaction"] != nil)
            let sf = try await h.connector()
            let parsed = try await sf.parseWebhook(request(first))
            let event = try #require(parsed.events.first)
            #expect(parsed.events.count == 1)
            #expect(event.object == "Contact" && event.id == one && event.change == .create)
            let record = try #require(event.record)
            #expect(record.fields["LastName"] == "Hooked <&>")
            #expect(record.fields["Email"] == "hook@example.com")
            #expect(record.fields["DoNotCall"] == true)
            #expect(record.modifiedAt?.hasSuffix("Z") == true)
            #expect(record.modifiedBy == SalesforceApp.apiUserID)

            // The org id came from the host's connection facts (the token's identity URL): no extra call.
            #expect(try await h.counters()["GET /services/oauth2/userinfo"] == nil)

            // 150 contacts in one collection call: two messages of 100 and 50 notifications.
            let records: [[String: Any]] = (0..<150).map { ["attributes": ["type": "Contact"], "LastName": "Batch \($0)"] }
            let created = try await h.rest("POST", "composite/sobjects", ["allOrNone": false, "records": records], token: token)
            #expect(created.status == 200)
            let all = try await receiver.wait(for: 3)
            var events: [ChangeEvent] = []
            for d in all.dropFirst() { events += try await sf.parseWebhook(request(d)).events }
            #expect(events.count == 150)
            #expect(Set(events.map(\.id)).count == 150)

            // The same message claiming another org is refused.
            let forged = String(decoding: first.body, as: UTF8.self).replacingOccurrences(of: SalesforceApp.organizationID, with: "00D000000000001EAA")
            var forgedRequest = request(first)
            forgedRequest.body = forged
            forgedRequest.bodyBase64 = Data(forged.utf8).base64EncodedString()
            do {
                _ = try await sf.parseWebhook(forgedRequest)
                Issue.record("a message from another org was accepted")
            } catch let e as CrosswalkError {
                #expect(e.code == .auth && e.message.contains("00D000000000001EAA"))
            }
            // Not an outbound message at all.
            var junk = request(first)
            junk.body = "<html/>"
            junk.bodyBase64 = Data("<html/>".utf8).base64EncodedString()
            await #expect(throws: CrosswalkError.self) { try await sf.parseWebhook(junk) }
            await sf.close()
        }
    }
}
