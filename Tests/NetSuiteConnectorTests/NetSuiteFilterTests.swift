import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkTestKit
import Foundation
import Testing

/// Filters pushed into SuiteQL's WHERE with the ABI's null rules, quoting, and dates at a day's boundary.
@Suite("NetSuite connector: filter push-down and dates", .serialized)
struct NetSuiteFilterTests {
    /// Reads `object` with `filter` pushed down and checks it against the host's own evaluation over a full read.
    private func expectPushedDown(_ h: NetSuiteHarness, _ client: any ConnectorClient, _ object: String, _ filter: Filter,
                                  all: [ConnectorRecord], sourceLocation: SourceLocation = #_sourceLocation) async throws -> [ConnectorRecord] {
        let first: ReadResult
        do { first = try await client.read(ReadRequest(object: object, limit: 1000, filter: filter)) } catch {
            Issue.record("\(filter): \(error)", sourceLocation: sourceLocation)
            return []
        }
        #expect(first.filterApplied == .full, sourceLocation: sourceLocation)
        let read = try await h.readAll(client, object, filter: filter)
        let expected = all.filter { filter.matches($0.fields) }.map(\.id)
        #expect(read.records.map(\.id) == expected, "\(filter)", sourceLocation: sourceLocation)
        return read.records
    }

    @Test func filtersMatchTheHostsSemanticsIncludingNulls() async throws {
        try await NetSuiteHarness.with(seed: 20) { h in
            let client = try await h.client()
            _ = try await h.write(client, "contact", .create, [
                WriteItem(ref: "o", fields: ["firstName": "Miles", "lastName": "O'Brien", "email": "obrien@example.com"]),
                WriteItem(ref: "n", fields: ["firstName": "Nolast", "email": "nolast@example.com"]),
            ])
            try await h.untilNextSecond()
            let all = try await h.readAll(client, "contact").records
            let withoutLastName = all.filter { $0.fields["lastName"] == .null }
            #expect(!withoutLastName.isEmpty, "some contacts have no last name")

            // ne matches null (a missing value is null): written (F != v OR F IS NULL).
            let ne = try await expectPushedDown(h, client, "contact", .compare(.ne, field: "lastName", value: "O'Brien"), all: all)
            #expect(ne.count == all.count - 1)
            #expect(Set(withoutLastName.map(\.id)).isSubset(of: Set(ne.map(\.id))))
            // A quote in a value is doubled.
            let quoted = try await expectPushedDown(h, client, "contact", .compare(.eq, field: "lastName", value: "O'Brien"), all: all)
            #expect(quoted.count == 1)
            // not(eq) is exact with nulls too; is_null; in with a null member; and/or; ordered comparisons on text.
            _ = try await expectPushedDown(h, client, "contact", .not(.compare(.eq, field: "lastName", value: "O'Brien")), all: all)
            _ = try await expectPushedDown(h, client, "contact", .isNull(field: "lastName", true), all: all)
            _ = try await expectPushedDown(h, client, "contact", .oneOf(field: "lastName", values: ["O'Brien", .null]), all: all)
            _ = try await expectPushedDown(h, client, "contact",
                                           .or([.compare(.lt, field: "firstName", value: "M"), .and([.compare(.ge, field: "email", value: "n"),
                                                                                                   .not(.isNull(field: "company", true))])]), all: all)
            let company = try #require(all.first { $0.fields["company"]?.stringValue != nil }?.fields["company"])
            _ = try await expectPushedDown(h, client, "contact", .compare(.eq, field: "company", value: company), all: all)
            _ = try await expectPushedDown(h, client, "contact", .compare(.eq, field: "isInactive", value: false), all: all)

            let customers = try await h.readAll(client, "customer").records
            _ = try await expectPushedDown(h, client, "customer", .compare(.gt, field: "creditLimit", value: 40_000), all: customers)
            _ = try await expectPushedDown(h, client, "customer", .compare(.eq, field: "id", value: .string(customers[2].id)), all: customers)
            let invoices = try await h.readAll(client, "invoice").records
            let day = try #require(invoices.map { $0.fields["tranDate"]?.stringValue ?? "" }.sorted()[invoices.count / 2] as String?)
            _ = try await expectPushedDown(h, client, "invoice", .compare(.ge, field: "tranDate", value: .string(day)), all: invoices)

            // What SuiteQL cannot compare like the ABI stays with the host: ids ordered as text, a number against a string.
            let partial = try await client.read(ReadRequest(object: "customer", filter: .and([.compare(.gt, field: "id", value: "5"),
                                                                                           .compare(.eq, field: "isPerson", value: false)])))
            #expect(partial.filterApplied == .partial)
            let none = try await client.read(ReadRequest(object: "customer", filter: .compare(.eq, field: "creditLimit", value: "5000")))
            #expect(none.filterApplied == FilterApplied.none)
        }
    }

    @Test func recordsAtADaysBoundaryAreEachReadOnceAndFilteredByInstant() async throws {
        try await NetSuiteHarness.with { h in
            let client = try await h.client()
            // The last second of a day and the first two of the next, in the account's zone (UTC for the
            // emulator's SuiteQL): a date-only window would lose or repeat these.
            let midnight = floor(Date().timeIntervalSince1970 / 86_400) * 86_400 - 86_400
            var ids: [String] = []
            for (n, offset) in [-1.0, 0, 1].enumerated() {
                h.clock.hold(at: Date(timeIntervalSince1970: midnight + offset))
                ids += try await h.createContacts(client, 2, prefix: "Edge\(n)")
            }
            h.clock.release()
            // One record per page: every page boundary falls inside or between the boundary seconds.
            let read = try await h.readAll(client, "contact", limit: 1)
            #expect(read.records.map(\.id) == ids)
            #expect(read.records.map { $0.modifiedAt ?? "" } == [-1.0, -1, 0, 0, 1, 1].map { NetSuiteRecordTime.rfc3339(Date(timeIntervalSince1970: midnight + $0)) })
            let dayStart = NetSuiteRecordTime.rfc3339(Date(timeIntervalSince1970: midnight))
            let onOrAfter = try await h.readAll(client, "contact", filter: .compare(.ge, field: "lastModifiedDate", value: .string(dayStart)))
            #expect(onOrAfter.records.map(\.id) == Array(ids[2...]))
            let before = try await h.readAll(client, "contact", filter: .compare(.lt, field: "lastModifiedDate", value: .string(dayStart)))
            #expect(before.records.map(\.id) == Array(ids[..<2]))
        }
    }
}
