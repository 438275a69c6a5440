import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Crypto
import Foundation
import Testing

/// Aritic's signed, grouped webhook posts received by a local server and parsed by the connector.
@Suite("Aritic connector: webhooks")
struct AriticWebhookTests {
    func request(_ d: WebhookReceiver.Delivery) -> WebhookRequest {
        WebhookRequest(method: "POST", path: d.path, url: d.url, headers: Dictionary(uniqueKeysWithValues: d.headers.map { ($0.key.lowercased(), $0.value) }),
                       body: String(decoding: d.body, as: UTF8.self), bodyBase64: d.body.base64EncodedString(),
                       receivedAt: "2026-01-01T00:00:00Z", verified: true)
    }

    @Test("contact create, edit and delete become change events; Webhook-Signature is the body's base64 HMAC as the manifest declares")
    func deliveries() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { receiver.stop() }
        try await AriticHarness.with { h in
            _ = try await h.control("webhooks", ["url": receiver.url(for: "aritic"), "secret": "hook-secret"])
            let id = try await h.createContact(email: "hook@example.com", firstname: "Hooked")
            #expect(try await h.api("PATCH", "/api/contacts/\(id)/edit", ["firstname": "Hooked again"]).status == 200)
            #expect(try await h.api("DELETE", "/api/contacts/\(id)/delete").status == 200)
            let all = try await receiver.wait(for: 3)
            let aritic = try await h.connector()
            let first = all[0]
            let mac = HMAC<SHA256>.authenticationCode(for: first.body, using: SymmetricKey(data: Data("hook-secret".utf8)))
            let header = first.headers.first { $0.key.lowercased() == "webhook-signature" }?.value
            #expect(header == Data(mac).base64EncodedString())
            #expect(aritic.manifest.webhooks?.signature?.header == "Webhook-Signature")

            var events: [ChangeEvent] = []
            for d in all { events += try await aritic.parseWebhook(request(d)).events }
            #expect(events.map(\.change.rawValue).sorted() == ["create", "delete", "update"])
            #expect(events.allSatisfy { $0.id == id && $0.object == "contacts" })
            let byChange = Dictionary(events.map { ($0.change, $0) }) { a, _ in a }
            #expect(byChange[.create]?.record?.fields["firstname"] == "Hooked" && byChange[.update]?.record?.fields["firstname"] == "Hooked again")
            #expect(byChange[.delete].map { $0.record == nil } == true)

            var bad = request(first)
            bad.body = "{\"nope\":1}"
            bad.bodyBase64 = Data(bad.body.utf8).base64EncodedString()
            do {
                _ = try await aritic.parseWebhook(bad)
                Issue.record("a body without events was parsed")
            } catch let e as CrosswalkError {
                #expect(e.code == .invalidArgument && e.message.contains("mautic"))
            }
            await aritic.close()
        }
    }
}
