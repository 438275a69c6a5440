import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkTestKit
import Crypto
import Foundation
import Hummingbird
import Logging
import Testing

@Suite("NetSuite connector: change notifications", .serialized)
struct NetSuiteWebhookTests {
    /// What the host checks, as the manifest's `webhooks.signature` declares it.
    static func verify(_ n: WebhookReceiver.Delivery, secret: String, signature: ConnectorManifest.Webhooks.Signature) -> Bool {
        guard let header = n.headers[(signature.header ?? "").lowercased()], let timestamp = n.headers[(signature.timestampHeader ?? "").lowercased()] else { return false }
        let given = header.hasPrefix(signature.prefix ?? "") ? String(header.dropFirst((signature.prefix ?? "").count)) : header
        var signed = Data()
        for (index, part) in (signature.signed ?? []).enumerated() {
            if index > 0 { signed += Data((signature.separator ?? "").utf8) }
            switch part {
            case "timestamp": signed += Data(timestamp.utf8)
            case "body": signed += n.body
            case "method": signed += Data("POST".utf8)
            case "url": signed += Data(n.url.utf8)
            default: return false
            }
        }
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).map { String(format: "%02x", $0) }.joined() == given
    }

    @Test func signedNotificationsOfCreateEditAndDeleteBecomeChangeEvents() async throws {
        try await NetSuiteHarness.with(seed: 1) { h in
            let receiver = try await WebhookReceiver.start()
            defer { receiver.stop() }
            try await h.control("POST", "webhooks", ["url": "\(receiver.base)/hooks/netsuite", "secret": "ns-hook-secret", "events": ["contact.*"]])
            let client = try await h.client()
            let company = try #require(try await h.readAll(client, "customer").records.first?.id)
            let created = try await client.write(WriteRequest(object: "contact", operation: .create, records: [
                WriteItem(ref: "c", fields: ["firstName": "Hedy", "lastName": "Lamarr"], links: [RecordLink(object: "customer", id: company)]),
            ])).results
            let id = try #require(created.first?.id)
            _ = try await client.write(WriteRequest(object: "contact", operation: .update, records: [WriteItem(ref: "u", id: id, fields: ["title": "Inventor"])]))
            _ = try await client.write(WriteRequest(object: "contact", operation: .delete, records: [WriteItem(ref: "d", id: id)]))
            let deliveries = try await receiver.wait(for: 3)
            let signature = try #require(h.plugin.manifest.webhooks?.signature)
            var events: [ChangeEvent] = []
            for n in deliveries {
                #expect(Self.verify(n, secret: "ns-hook-secret", signature: signature), "the declared signature block verifies the delivery")
                #expect(!Self.verify(n, secret: "another-secret", signature: signature))
                let request = WebhookRequest(method: "POST", path: n.path, url: n.url, headers: n.headers, body: String(decoding: n.body, as: UTF8.self),
                                             bodyBase64: n.body.base64EncodedString(), receivedAt: "2026-12-02T10:00:00Z", verified: true)
                let result = try await client.parseWebhook(request)
                #expect(result.response == nil)
                events += result.events
            }
            // Deliveries may arrive in any order.
            #expect(events.map(\.change.rawValue).sorted() == ["create", "delete", "update"])
            #expect(events.allSatisfy { $0.object == "contact" && $0.id == id })
            let record = try #require(events.first { $0.change == .create }?.record)
            #expect(record.fields["firstName"] == "Hedy" && record.fields["company"] == .string(company))
            #expect(record.links == [RecordLink(object: "customer", id: company, type: "company")])
            #expect(record.modifiedAt?.hasSuffix("Z") == true)
            #expect(events.first { $0.change == .update }?.record?.fields["title"] == "Inventor")
            #expect(events.first { $0.change == .delete }?.record == nil)
        }
    }

    @Test func aBodyThatIsNotJSONIsRefused() async throws {
        try await NetSuiteHarness.with { h in
            let client = try await h.client()
            await #expect(throws: CrosswalkError.self) {
                try await client.parseWebhook(WebhookRequest(method: "POST", path: "/hooks/netsuite", headers: [:], body: "not json"))
            }
            let other = try await client.parseWebhook(WebhookRequest(method: "POST", path: "/hooks/netsuite", headers: [:],
                                                                     body: #"{"eventType":"create","recordType":"employee","recordId":"5"}"#))
            #expect(other.events.isEmpty, "record types the connector does not offer are skipped")
        }
    }
}
