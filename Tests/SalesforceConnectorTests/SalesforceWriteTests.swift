import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// Writes through sObject Collections: per-record results, the minimum number of calls, upserts,
/// lookups, deletes, and records whose call got no answer.
@Suite("Salesforce connector: writes")
struct SalesforceWriteTests {
    @Test("a batch mixing good and bad records: each bad one carries Salesforce's code, message and fields; the good ones are written")
    func mixedBatch() async throws {
        try await SalesforceHarness.with { h in
            let account = try #require(try await h.bulkCreate("Account", count: 1).first)
            let sf = try await h.connector()
            let result = try await sf.write(WriteRequest(object: "Contact", operation: .create, records: [
                WriteItem(ref: "good", fields: ["LastName": "Lovelace", "Email": "ada@example.com"], links: [RecordLink(object: "Account", id: account, type: "AccountId")]),
                WriteItem(ref: "no-name", fields: ["FirstName": "Nameless"]),
                WriteItem(ref: "bad-email", fields: ["LastName": "Bad", "Email": "not an email"]),
                WriteItem(ref: "unknown-field", fields: ["LastName": "X", "Shoe_Size__c": 44]),
                WriteItem(ref: "good-2", fields: ["LastName": "Hopper", "AccountId": .string(account)]),
            ]))
            let byRef = Dictionary(uniqueKeysWithValues: result.results.map { ($0.ref, $0) })
            #expect(result.results.count == 5)
            #expect(byRef["good"]?.outcome == .created && byRef["good"]?.id?.hasPrefix("003") == true)
            #expect(byRef["good-2"]?.outcome == .created)
            let noName = try #require(byRef["no-name"]?.error)
            #expect(byRef["no-name"]?.outcome == .failed)
            #expect(noName.message == "REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]")
            #expect(noName.fields == ["LastName"] && !noName.retryable && noName.code == "conflict")
            let badEmail = try #require(byRef["bad-email"]?.error)
            #expect(badEmail.message.hasPrefix("INVALID_EMAIL_ADDRESS: ") && badEmail.fields == ["Email"])
            #expect(byRef["unknown-field"]?.error?.message.hasPrefix("INVALID_FIELD: ") == true)
            // The written records are there, with their lookup.
            let read = try await sf.read(ReadRequest(object: "Contact", ids: [byRef["good"]!.id!, byRef["good-2"]!.id!]))
            #expect(read.records.allSatisfy { $0.fields["AccountId"]?.stringValue == account })
            #expect(read.records.first { $0.fields["LastName"] == "Lovelace" }?.links.contains(RecordLink(object: "Account", id: account, type: "AccountId")) == true)
            await sf.close()
        }
    }

    @Test("writing 1,000 records costs 5 calls (sObject Collections of 200), counted by the sandbox; updates and deletes too")
    func thousandRecordsInFiveCalls() async throws {
        try await SalesforceHarness.with { h in
            let sf = try await h.connector()
            _ = try await sf.check()
            try await h.resetCounters()
            let items = (0..<1000).map { WriteItem(ref: "r\($0)", fields: ["LastName": .string("Bulk \($0)"), "Company": "Crosswalk", "Email": .string("bulk\($0)@example.com")]) }
            var created: [String] = []
            let summary = try await BatchedWrite(object: "Lead", operation: .create, items: items).run(sf) { r in
                if let id = r.id, r.ok { created.append(id) }
            }
            #expect(summary.batches == 5 && created.count == 1000)
            var counters = try await h.counters()
            #expect(counters["POST /services/data/v60.0/composite/sobjects"] == 5)
            #expect(counters.values.reduce(0, +) == 6, "the describe of Lead and the five collection calls")

            let updates = created.enumerated().map { WriteItem(ref: "u\($0.offset)", id: $0.element, fields: ["Title": "Updated"]) }
            let updated = try await BatchedWrite(object: "Lead", operation: .update, items: updates).run(sf) { #expect($0.outcome == .updated) }
            #expect(updated.outcomes[.updated] == 1000)
            let deletes = created.enumerated().map { WriteItem(ref: "d\($0.offset)", id: $0.element) }
            let deleted = try await BatchedWrite(object: "Lead", operation: .delete, items: deletes).run(sf) { #expect($0.outcome == .deleted) }
            #expect(deleted.outcomes[.deleted] == 1000)
            counters = try await h.counters()
            #expect(counters["PATCH /services/data/v60.0/composite/sobjects"] == 5)
            #expect(counters["DELETE /services/data/v60.0/composite/sobjects"] == 5)
            await sf.close()
        }
    }

    @Test("upsert by an external id in one call (created, then updated), and by Email through one lookup query")
    func upserts() async throws {
        try await SalesforceHarness.with { h in
            let sf = try await h.connector()
            let first = try await sf.write(WriteRequest(object: "Contact", operation: .upsert, matchKey: "NetSuite_Id__c", records: [
                WriteItem(ref: "a", fields: ["NetSuite_Id__c": "NS-1", "LastName": "One"]),
                WriteItem(ref: "b", fields: ["NetSuite_Id__c": "NS-2", "LastName": "Two"]),
                WriteItem(ref: "c", fields: ["LastName": "No key"]),
            ]))
            let r1 = Dictionary(uniqueKeysWithValues: first.results.map { ($0.ref, $0) })
            #expect(r1["a"]?.outcome == .created && r1["b"]?.outcome == .created)
            #expect(r1["c"]?.outcome == .failed && r1["c"]?.error?.fields == ["NetSuite_Id__c"])
            let second = try await sf.write(WriteRequest(object: "Contact", operation: .upsert, matchKey: "NetSuite_Id__c", records: [
                WriteItem(ref: "a", fields: ["NetSuite_Id__c": "NS-1", "LastName": "One again"]),
            ]))
            #expect(second.results.first?.outcome == .updated && second.results.first?.id == r1["a"]?.id)
            #expect(try await h.counters()["PATCH /services/data/v60.0/composite/sobjects/Contact/NetSuite_Id__c"] == 2)

            let byEmail = try await sf.write(WriteRequest(object: "Lead", operation: .upsert, matchKey: "Email", records: [
                WriteItem(ref: "x", fields: ["Email": "lead@example.com", "LastName": "Lead", "Company": "C"]),
            ]))
            #expect(byEmail.results.first?.outcome == .created)
            let again = try await sf.write(WriteRequest(object: "Lead", operation: .upsert, matchKey: "Email", records: [
                WriteItem(ref: "x", fields: ["Email": "LEAD@example.com", "LastName": "Lead", "Company": "C2"]),
                WriteItem(ref: "y", fields: ["Email": "other@example.com", "LastName": "Other", "Company": "C"]),
            ]))
            let r2 = Dictionary(uniqueKeysWithValues: again.results.map { ($0.ref, $0) })
            #expect(r2["x"]?.outcome == .updated && r2["x"]?.id == byEmail.results.first?.id)
            #expect(r2["y"]?.outcome == .created)
            await sf.close()
        }
    }

    @Test("records of a call that got no answer are unknown, not failed")
    func noAnswerIsUnknown() async throws {
        try await SalesforceHarness.with { h in
            let sf = try await h.connector()
            _ = try await sf.read(ReadRequest(object: "Contact", ids: [])) // the describe, cached
            // The next request hangs: the POST is sent and no answer comes before the deadline.
            _ = try await h.control("faults", ["timeout_burst": 1])
            let result = try await sf.write(WriteRequest(object: "Contact", operation: .create, records: [
                WriteItem(ref: "a", fields: ["LastName": "Maybe"]), WriteItem(ref: "b", fields: ["LastName": "Maybe too"]),
            ], deadlineMilliseconds: 1_500))
            #expect(result.results.count == 2)
            #expect(result.results.allSatisfy { $0.outcome == .unknown && $0.error?.retryable == true })
            _ = try await h.control("faults", method: "DELETE")
            await sf.close()
        }
    }
}
