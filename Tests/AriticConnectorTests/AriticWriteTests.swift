import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// Batch writes: per-record results of a mixed batch, the calls 1,000 contacts cost, updates and deletes.
@Suite("Aritic connector: writes")
struct AriticWriteTests {
    @Test("a mixed batch: per-record results with Mautic's message and the offending field")
    func mixedBatch() async throws {
        try await AriticHarness.with { h in
            let aritic = try await h.connector()
            let result = try await aritic.write(WriteRequest(object: "contacts", operation: .create, records: [
                WriteItem(ref: "good", fields: ["email": "good@example.com", "firstname": "Good"]),
                WriteItem(ref: "bad-email", fields: ["email": "not an email", "firstname": "Bad"]),
                WriteItem(ref: "bad-points", fields: ["email": "points@example.com", "points": "many"]),
                WriteItem(ref: "good-2", fields: ["email": "second@example.com"]),
            ]))
            let byRef = Dictionary(uniqueKeysWithValues: result.results.map { ($0.ref, $0) })
            #expect(result.results.count == 4)
            #expect(byRef["good"]?.outcome == .created && byRef["good-2"]?.outcome == .created)
            #expect(byRef["bad-email"]?.outcome == .failed && byRef["bad-email"]?.error?.fields == ["email"])
            #expect(byRef["bad-email"]?.error?.message.contains("A valid email is required.") == true)
            #expect(byRef["bad-points"]?.outcome == .failed && byRef["bad-points"]?.error?.fields != nil)
            #expect(byRef.values.filter { !$0.ok }.allSatisfy { $0.error?.retryable == false })
            let goodID = try #require(byRef["good"]?.id)
            let back = try await aritic.read(ReadRequest(object: "contacts", ids: [goodID]))
            #expect(back.records.first?.fields["email"] == "good@example.com")

            // Updates and deletes: one edit of a missing id fails alone.
            let update = try await aritic.write(WriteRequest(object: "contacts", operation: .update, records: [
                WriteItem(ref: "u1", id: goodID, fields: ["firstname": "Better"]),
                WriteItem(ref: "u2", id: "999999", fields: ["firstname": "Nobody"]),
            ]))
            #expect(update.results.first { $0.ref == "u1" }?.outcome == .updated)
            #expect(update.results.first { $0.ref == "u2" }?.error?.message.contains("Item was not found.") == true)
            let delete = try await aritic.write(WriteRequest(object: "contacts", operation: .delete, records: [WriteItem(ref: "d1", id: goodID)]))
            #expect(delete.results.first?.outcome == .deleted)
            let gone = try await aritic.read(ReadRequest(object: "contacts", ids: [goodID]))
            #expect(gone.missing == [goodID])
            await aritic.close()
        }
    }

    @Test("1,000 contacts cost 5 calls of 200 (batch/new), asserted from the sandbox's counters")
    func thousandInFiveCalls() async throws {
        try await AriticHarness.with { h in
            let aritic = try await h.connector()
            try await h.resetCounters()
            let records = (0..<1000).map { WriteItem(ref: "r\($0)", fields: ["email": .string("bulk\($0)@example.com"), "firstname": "Bulk"]) }
            let result = try await aritic.write(WriteRequest(object: "contacts", operation: .create, records: records))
            #expect(result.results.count == 1000 && result.results.allSatisfy { $0.outcome == .created })
            #expect(Set(result.results.compactMap(\.id)).count == 1000)
            let calls = try await h.counters().filter { !$0.key.contains("__sandbox") }
            #expect(calls == ["POST /api/contacts/batch/new": 5])
            let total = try await h.api("GET", "/api/contacts?limit=1").object["total"] as? String
            #expect(total == "1000")
            await aritic.close()
        }
    }
}
