import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// The first import of a large object through a Bulk API 2.0 query job.
@Suite("Salesforce connector: Bulk API 2.0 full reads")
struct SalesforceBulkTests {
    @Test("above bulk_threshold the import continues through a query job: CSV quotes, newlines and empty vs null parsed, each record once, same values as REST")
    func bulkImport() async throws {
        try await SalesforceHarness.with { h in
            let rows = Set(try await h.bulkCreate("Contact", count: 2499, secondsAgo: 5000))
            let token = try await h.token()
            let tricky = try await h.create("Contact", [
                "LastName": "Comma, \"Quoted\"", "Description": "line one\nline two, \"three\"\r\nfour", "Title": "", "Department": NSNull(),
                "Email": "csv@example.com",
            ], token: token)
            try await h.waitUntilSettled()
            let sf = try await h.connector(settings: ["bulk_threshold": 1000, "bulk_result_set_size": 1000, "bulk_poll_ms": 10])
            try await h.resetCounters()
            let (records, cursor, _) = try await readAll(sf, ReadRequest(object: "Contact", limit: 500))
            #expect(records.count == 2500)
            #expect(Set(ids(records)) == rows.union([tricky]))
            let counters = try await h.counters()
            #expect(counters["POST /services/data/v60.0/jobs/query"] == 1)
            #expect(counters["GET /services/data/v60.0/jobs/query/{id}/results"] == 2, "the 2,000 rows after the first REST page of 500, in sets of 1,000")
            #expect(counters["DELETE /services/data/v60.0/jobs/query/{id}"] == 1)
            let viaBulk = try #require(records.first { $0.id == tricky })
            #expect(viaBulk.fields["LastName"] == "Comma, \"Quoted\"")
            #expect(viaBulk.fields["Description"] == "line one\nline two, \"three\"\r\nfour")
            #expect(viaBulk.fields["Department"] == .null)
            // The same record read through REST carries the same values and types.
            let viaREST = try #require(try await sf.read(ReadRequest(object: "Contact", ids: [tricky])).records.first)
            #expect(viaBulk.fields == viaREST.fields)
            #expect(viaBulk.links == viaREST.links && viaBulk.modifiedAt == viaREST.modifiedAt)
            // After the import, changes come incrementally.
            try await h.rest("PATCH", "sobjects/Contact/\(tricky)", ["Title": "After import"], token: token)
            try await h.waitUntilSettled()
            let next = try await readAll(sf, ReadRequest(object: "Contact", cursor: cursor))
            #expect(ids(next.records) == [tricky])
            await sf.close()
        }
    }

    @Test("a failed query job is created again from where it started, and reported after three failures")
    func failedJob() async throws {
        try await SalesforceHarness.with { h in
            let rows = Set(try await h.bulkCreate("Account", count: 1500, secondsAgo: 5000))
            _ = try await h.control("app/bulk_query", ["failNext": "simulated failure", "pollsToComplete": 1])
            let sf = try await h.connector(settings: ["bulk_threshold": 100, "bulk_poll_ms": 10])
            let (records, _, _) = try await readAll(sf, ReadRequest(object: "Account", limit: 500))
            #expect(Set(ids(records)) == rows && records.count == rows.count)
            #expect(try await h.counters()["POST /services/data/v60.0/jobs/query"] == 2)
            await sf.close()
        }
    }
}
