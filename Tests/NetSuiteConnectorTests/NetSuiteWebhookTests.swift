import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkTestKit
import Crypto
import Foundation
import Hummingbird
import Logging
import Testing

/// One POST the receiver got.
struct ReceivedNotification: Sendable {
    var url: String
    var path: String
    var headers: [String: String]
    var body: Data
}

/// A receiver on a free loopback port that keeps every POST to `/hooks/netsuite`.
struct NotificationReceiver {
    let base: String
    let received: AsyncStream<ReceivedNotification>
    let task: Task<Void, any Error>

    static func start() async throws -> NotificationReceiver {
        let (received, record) = AsyncStream.makeStream(of: ReceivedNotification.self)
        let (ports, portReady) = AsyncStream.makeStream(of: Int.self)
        let router = Router()
        router.post("/hooks/netsuite") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            record.yield(ReceivedNotification(url: "http://\(request.head.authority ?? "")\(request.uri)", path: request.uri.path,
                                              headers: headers, body: Data(body.readableBytesView)))
            return Response(status: .ok)
        }
        var logger = Logger(label: "netsuite-receiver")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { portReady.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        let port = try await withTimeout(10) {
            for await port in ports { return port }
            throw TestKitError(description: "the receiver did not start")
        }
        return NotificationReceiver(base: "http://127.0.0.1:\(port)", received: received, task: task)
    }

    /// The first `count` deliveries, waiting 10 s at most.
    func first(_ count: Int) async throws -> [ReceivedNotification] {
        let received = self.received
        return try await withTimeout(10) {
            var all: [ReceivedNotification] = []
            for await n in received {
                all.append(n)
                if all.count == count { return all }
            }
            throw TestKitError(description: "the receiver stopped after \(all.count) deliveries")
        }
    }
}

@Suite("NetSuite connector: change notifications", .serialized)
struct NetSuiteWebhookTests {
    /// What the host checks, as the manifest's `webhooks.signature` declares it.
    static func verify(_ n: ReceivedNotification, secret: String, signature: ConnectorManifest.Webhooks.Signature) -> Bool {
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
            let receiver = try await NotificationReceiver.start()
            defer { receiver.task.cancel() }
            try await h.control("POST", "webhooks", ["url": "\(receiver.base)/hooks/netsuite", "secret": "ns-hook-secret", "events": ["contact.*"]])
            let client = try await h.client()
            let company = try #require(try await h.readAll(client, "customer").records.first?.id)
            let created = try await client.write(WriteRequest(object: "contact", operation: .create, records: [
                WriteItem(ref: "c", fields: ["firstName": "Hedy", "lastName": "Lamarr"], links: [RecordLink(object: "customer", id: company)]),
            ])).results
            let id = try #require(created.first?.id)
            _ = try await client.write(WriteRequest(object: "contact", operation: .update, records: [WriteItem(ref: "u", id: id, fields: ["title": "Inventor"])]))
            _ = try await client.write(WriteRequest(object: "contact", operation: .delete, records: [WriteItem(ref: "d", id: id)]))
            let deliveries = try await receiver.first(3)
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
