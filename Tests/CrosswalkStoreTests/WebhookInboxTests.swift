import CrosswalkCore
@testable import CrosswalkStore
import Foundation
import Testing

@Suite("Webhook inbox")
struct WebhookInboxTests {
    private func delivery(_ key: String, connection: String = "spotio", body: String = #"{"payload":[]}"#) -> NewWebhookDelivery {
        NewWebhookDelivery(connection: connection, dedupeKey: key, method: "POST", path: "/hooks/\(connection)", query: "a=1",
                           url: "https://crosswalk.example.com/hooks/\(connection)?a=1", headers: ["content-type": "application/json"],
                           body: Data(body.utf8), receivedAt: Date(timeIntervalSince1970: 1_764_500_000.123), verified: true)
    }

    @Test("a delivery is stored once per connection and key; repeats are counted, not stored; everything reads back exactly", arguments: StoreBackend.allCases)
    func dedupe(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            let first = try await store.insertWebhookDelivery(delivery("k1"))
            guard case .stored(let id) = first else { Issue.record("not stored: \(first)"); return }
            #expect(try await store.insertWebhookDelivery(delivery("k1")) == .duplicate(of: id, state: .pending))
            #expect(try await store.insertWebhookDelivery(delivery("k1", body: "other body")) == .duplicate(of: id, state: .pending),
                    "the key decides, not the body")
            guard case .stored(let other) = try await store.insertWebhookDelivery(delivery("k1", connection: "aritic")) else {
                Issue.record("the same key of another connection is another delivery")
                return
            }
            #expect(other != id)
            let stored = try #require(try await store.webhookDelivery(id: id))
            #expect(stored.delivery == delivery("k1"))
            #expect(stored.state == .pending && stored.attempts == 0 && stored.duplicates == 2 && stored.lastError == nil)
            #expect(try await store.webhookInboxCounts() == [.pending: 2])
            let empty = try await store.insertWebhookDelivery(delivery("k2", body: ""))
            #expect(try await store.webhookDelivery(id: empty.id)?.delivery.body == Data(), "an empty body")
        }
    }

    @Test("claims take due pending deliveries oldest first, count attempts, and expire; outcomes: done, retry later, failed", arguments: StoreBackend.allCases)
    func claims(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            for key in ["a", "b", "c"] { _ = try await store.insertWebhookDelivery(delivery(key)) }
            let now = Date().addingTimeInterval(1)
            let batch = try await store.claimWebhookDeliveries(limit: 2, now: now, lease: .seconds(60))
            #expect(batch.map(\.delivery.dedupeKey) == ["a", "b"])
            #expect(batch.allSatisfy { $0.state == .processing && $0.attempts == 1 })
            #expect(try await store.claimWebhookDeliveries(limit: 10, now: now, lease: .seconds(60)).map(\.delivery.dedupeKey) == ["c"])
            #expect(try await store.claimWebhookDeliveries(limit: 10, now: now, lease: .seconds(60)).isEmpty, "claimed ones are not claimed again")
            // A dead processor's claims are taken over once they expire.
            let later = try await store.claimWebhookDeliveries(limit: 10, now: now.addingTimeInterval(61), lease: .seconds(60))
            #expect(later.map(\.delivery.dedupeKey) == ["a", "b", "c"] && later.allSatisfy { $0.attempts == 2 })

            try await store.finishWebhookDelivery(id: later[0].id, outcome: .done)
            try await store.finishWebhookDelivery(id: later[1].id, outcome: .retry(error: "timeout: SPOTIO did not answer", retryAt: now.addingTimeInterval(120)))
            try await store.finishWebhookDelivery(id: later[2].id, outcome: .failed(error: "invalid_argument: not a SPOTIO delivery"))
            #expect(try await store.webhookInboxCounts() == [.done: 1, .pending: 1, .failed: 1])
            #expect(try await store.claimWebhookDeliveries(limit: 10, now: now.addingTimeInterval(119), lease: .seconds(60)).isEmpty, "not yet due")
            let retried = try await store.claimWebhookDeliveries(limit: 10, now: now.addingTimeInterval(120), lease: .seconds(60))
            #expect(retried.map(\.delivery.dedupeKey) == ["b"] && retried.first?.lastError == "timeout: SPOTIO did not answer" && retried.first?.attempts == 3)
            let failed = try await store.webhookDeliveries(state: .failed, connection: nil, limit: 10, offset: 0)
            #expect(failed.map(\.delivery.dedupeKey) == ["c"] && failed.first?.lastError == "invalid_argument: not a SPOTIO delivery")
            #expect(try await store.insertWebhookDelivery(delivery("a")) == .duplicate(of: later[0].id, state: .done), "a replay of a done delivery")
            #expect(try await store.retryFailedWebhookDeliveries(ids: [later[0].id]) == 0, "only failed ones are retried")
            #expect(try await store.retryFailedWebhookDeliveries(ids: nil) == 1)
            let again = try await store.claimWebhookDeliveries(limit: 10, now: Date().addingTimeInterval(1), lease: .seconds(60))
            #expect(again.map(\.delivery.dedupeKey) == ["c"] && again.first?.attempts == 1)
            await #expect(throws: CrosswalkError.self) { try await store.finishWebhookDelivery(id: 999, outcome: .done) }
        }
    }

    @Test("at start, claims of a crashed run are released at once; done deliveries are pruned after their retention", arguments: StoreBackend.allCases)
    func releaseAndPrune(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, folder in
            for key in ["a", "b"] { _ = try await store.insertWebhookDelivery(delivery(key)) }
            let claimed = try await store.claimWebhookDeliveries(limit: 10, now: Date(), lease: .seconds(300))
            try await store.finishWebhookDelivery(id: claimed[0].id, outcome: .done)
            // Reopened (the process died with "b" claimed): released, and claimable again at once.
            try await store.close()
            let reopened = try await folder.open()
            #expect(try await reopened.releaseWebhookClaims() == 1)
            #expect(try await reopened.claimWebhookDeliveries(limit: 10, now: Date(), lease: .seconds(300)).map(\.delivery.dedupeKey) == ["b"])
            #expect(try await reopened.pruneWebhookDeliveries(doneBefore: Date().addingTimeInterval(-60)) == 0)
            #expect(try await reopened.pruneWebhookDeliveries(doneBefore: Date().addingTimeInterval(1)) == 1)
            #expect(try await reopened.webhookInboxCounts() == [.processing: 1])
            #expect(try await reopened.webhookDeliveries(state: nil, connection: "spotio", limit: 10, offset: 0).count == 1)
            #expect(try await reopened.webhookDeliveries(state: nil, connection: "aritic", limit: 10, offset: 0).isEmpty)
            try await reopened.close()
        }
    }
}
