import CrosswalkCore
@testable import CrosswalkStore
import Foundation
import Testing

@Suite("Failed-record queue")
struct FailedQueueTests {
    private func failure(_ id: String, flow: String = "f", retryAt: Double, message: String = "timeout") -> RecordFailure {
        RecordFailure(flow: flow, source: sf(id), payloadJSON: #"{"id":"\#(id)","m":"\#(message)"}"#, errorCode: .timeout, message: message, nextRetryAt: date(retryAt))
    }

    @Test("failing again bumps attempts and replaces the payload, error and retry time", arguments: StoreBackend.allCases)
    func attempts(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            #expect(try await store.enqueueFailure(failure("1", retryAt: 100)) == 1)
            let first = try #require(try await store.dueFailures(limit: 1, now: date(100)).first)
            #expect(try await store.enqueueFailure(failure("1", retryAt: 200, message: "again")) == 2)
            #expect(try await store.dueFailures(limit: 10, now: date(150)).isEmpty)
            let second = try #require(try await store.dueFailures(limit: 10, now: date(200)).first)
            #expect(second.attempts == 2)
            #expect(second.failure == failure("1", retryAt: 200, message: "again"))
            #expect(second.firstFailedAt == first.firstFailedAt)
            // The same record of another flow is its own entry.
            #expect(try await store.enqueueFailure(failure("1", flow: "g", retryAt: 100)) == 1)
        }
    }

    @Test("due returns records whose time has come, earliest first, up to the limit", arguments: StoreBackend.allCases)
    func due(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            for (id, at) in [("late", 300.0), ("early", 100.0), ("middle", 200.0), ("future", 10_000.0)] {
                try await store.enqueueFailure(failure(id, retryAt: at))
            }
            #expect(try await store.dueFailures(limit: 10, now: date(300)).map(\.failure.source.id) == ["early", "middle", "late"])
            #expect(try await store.dueFailures(limit: 2, now: date(300)).map(\.failure.source.id) == ["early", "middle"])
            #expect(try await store.dueFailures(limit: 10, now: date(99)).isEmpty)
        }
    }

    @Test("a record that synced leaves the queue", arguments: StoreBackend.allCases)
    func remove(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.enqueueFailure(failure("1", retryAt: 100))
            #expect(try await store.removeFailure(flow: "f", source: sf("1")))
            #expect(try await store.dueFailures(limit: 10, now: date(1000)).isEmpty)
            #expect(try await store.removeFailure(flow: "f", source: sf("1")) == false)
        }
    }
}
