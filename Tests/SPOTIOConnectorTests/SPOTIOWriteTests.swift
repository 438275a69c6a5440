import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// Lead and activity writes: per-record results for mixed batches (one call per record, and one bulk job), the
/// API calls 1,000 records cost, deletes.
@Suite("SPOTIO connector: writes")
struct SPOTIOWriteTests {
    static let mixed: [WriteItem] = [
        WriteItem(ref: "good", fields: ["Company": "Good Co", "Email": "good@example.com", "stageId": "12", "field_109": ["Roofing", "EV Charger"]]),
        WriteItem(ref: "bad-email", fields: ["Company": "Bad", "Email": "not an email"]),
        WriteItem(ref: "bad-stage", fields: ["Company": "Staged", "stageId": "99"]),
        WriteItem(ref: "unknown-field", fields: ["Company": "X", "Shoe_Size": 44]),
        WriteItem(ref: "bad-choice", fields: ["Company": "Choice", "field_107": "Carrier Pigeon"]),
        WriteItem(ref: "good-2", fields: ["Company": "Second", "Value": 1250.5, "address": "1 Main St"]),
    ]

    func check(_ result: WriteResult, spotio: PluginConnectorClient) async throws {
        let byRef = Dictionary(uniqueKeysWithValues: result.results.map { ($0.ref, $0) })
        #expect(result.results.count == 6)
        #expect(byRef["good"]?.outcome == .created && byRef["good-2"]?.outcome == .created)
        #expect(byRef["bad-email"]?.outcome == .failed && byRef["bad-email"]?.error?.fields == ["Email"])
        #expect(byRef["bad-email"]?.error?.message.contains("needs an e-mail address, got 'not an email'") == true)
        #expect(byRef["bad-stage"]?.error?.fields == ["stageId"])
        #expect(byRef["unknown-field"]?.error?.fields == ["Shoe_Size"] && byRef["unknown-field"]?.error?.message.contains("no field Shoe_Size") == true)
        #expect(byRef["bad-choice"]?.error?.fields == ["field_107"] && byRef["bad-choice"]?.error?.message.contains("'Carrier Pigeon' is not an option") == true)
        #expect(byRef.values.filter { !$0.ok }.allSatisfy { $0.error?.retryable == false })
        let ids = [byRef["good"]?.id, byRef["good-2"]?.id].compactMap { $0 }
        let back = try await spotio.read(ReadRequest(object: "Lead", ids: ids))
        let good = try #require(back.records.first { $0.id == byRef["good"]?.id })
        #expect(good.fields["Email"] == "good@example.com" && good.fields["stageId"] == "12")
        #expect(good.fields["field_109"] == ["Roofing", "EV Charger"])
        let second = try #require(back.records.first { $0.id == byRef["good-2"]?.id })
        #expect(second.fields["Value"] == .number(try JSONNumber(text: "1250.5")) && second.fields["address"] == "1 Main St")
    }

    @Test("a small mixed batch: a call per record, each result with SPOTIO's message and the offending field")
    func mixedBatchPerRecord() async throws {
        try await SPOTIOHarness.with { h in
            let spotio = try await h.connector(settings: ["bulk_threshold": 100])
            let result = try await spotio.write(WriteRequest(object: "Lead", operation: .create, records: Self.mixed))
            try await check(result, spotio: spotio)
            #expect(try await h.counters()["POST /api/DataObjects"] == 4)
            await spotio.close()
        }
    }

    @Test("the same mixed batch through one bulk job: per-record results from its succeeded and failed files")
    func mixedBatchBulk() async throws {
        try await SPOTIOHarness.with { h in
            let spotio = try await h.connector(settings: ["bulk_threshold": 2])
            let result = try await spotio.write(WriteRequest(object: "Lead", operation: .create, records: Self.mixed))
            try await check(result, spotio: spotio)
            let counts = try await h.counters()
            #expect(counts["POST /api/DataObjects"] == nil)
            #expect(counts.filter { $0.key.contains("/api/jobs/dataObjects/bulk") }.values.reduce(0, +) == 6)
            await spotio.close()
        }
    }

    @Test("1,000 creates cost 6 API calls (one bulk job), 1,000 updates 6 more; deletes one call each")
    func thousandRecords() async throws {
        try await SPOTIOHarness.with { h in
            let spotio = try await h.connector()
            _ = try await spotio.check()
            try await h.resetCounters()
            let items = (0..<1000).map { WriteItem(ref: "r\($0)", fields: ["Company": .string("Bulk \($0)"), "Email": .string("bulk\($0)@example.com")]) }
            let created = try await spotio.write(WriteRequest(object: "Lead", operation: .create, records: items))
            #expect(created.results.count == 1000 && created.results.allSatisfy { $0.outcome == .created })
            #expect(Set(created.results.compactMap(\.id)).count == 1000)
            #expect(try await h.apiCalls() == 6)
            let counts = try await h.counters()
            #expect(counts["PUT /api/jobs/dataObjects/bulk/{id}/data"] == 1 || counts.filter { $0.key.hasSuffix("/data") }.values.reduce(0, +) == 1)

            try await h.resetCounters()
            let updates = created.results.enumerated().map { WriteItem(ref: "u\($0.offset)", id: $0.element.id, fields: ["stageId": "13"]) }
            let updated = try await spotio.write(WriteRequest(object: "Lead", operation: .update, records: updates))
            #expect(updated.results.allSatisfy { $0.outcome == .updated })
            #expect(try await h.apiCalls() == 6)
            let sample = try await spotio.read(ReadRequest(object: "Lead", ids: [created.results[0].id!]))
            #expect(sample.records.first?.fields["stageId"] == "13" && sample.records.first?.fields["Company"] == "Bulk 0")

            let gone = try await spotio.write(WriteRequest(object: "Lead", operation: .delete, records: [
                WriteItem(ref: "d1", id: created.results[0].id), WriteItem(ref: "d2", id: "6650f1c0ffffffffffffffff"),
            ]))
            #expect(gone.results.first { $0.ref == "d1" }?.outcome == .deleted)
            #expect(gone.results.first { $0.ref == "d2" }?.error?.code == "not_found")
            await spotio.close()
        }
    }

    @Test("activities: one ActivitiesV2/many call; an invalid item fails alone and the rest are created")
    func activities() async throws {
        try await SPOTIOHarness.with { h in
            let token = try await h.token()
            let lead = try await h.createLead(email: "act@example.com", token: token)
            let spotio = try await h.connector()
            let result = try await spotio.write(WriteRequest(object: "Activity", operation: .create, records: [
                WriteItem(ref: "call", fields: ["dataObjectId": .string(lead), "type": "Event", "title": "Call", "done": true]),
                WriteItem(ref: "bad-type", fields: ["dataObjectId": .string(lead), "type": "Telepathy"]),
                WriteItem(ref: "note", fields: ["dataObjectId": .string(lead), "type": "Note", "notes": "Met at the door"]),
            ]))
            let byRef = Dictionary(uniqueKeysWithValues: result.results.map { ($0.ref, $0) })
            #expect(byRef["call"]?.outcome == .created && byRef["note"]?.outcome == .created)
            #expect(byRef["bad-type"]?.outcome == .failed && byRef["bad-type"]?.error?.fields == ["type"])
            #expect(byRef["bad-type"]?.error?.message.contains("'Telepathy' is not an activity type") == true)
            // The sandbox templates "ActivitiesV2" (8+ characters with a digit) as {id}.
            let manyCalls = try await h.counters().filter { $0.key.hasPrefix("POST ") && $0.key.hasSuffix("/many") }
            #expect(manyCalls.values.reduce(0, +) == 2, "\(manyCalls)")
            let done = try await spotio.write(WriteRequest(object: "Activity", operation: .update, records: [
                WriteItem(ref: "n", id: byRef["note"]?.id, fields: ["done": true]),
            ]))
            #expect(done.results.first?.outcome == .updated)
            await spotio.close()
        }
    }
}
