import CrosswalkConnectors
import CrosswalkConfig
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkTestKit
import Foundation
import Testing

/// Writes record by record: per-record results with NetSuite's messages and fields, links, upserts, call counts,
/// and a storm of concurrency refusals.
@Suite("NetSuite connector: writes", .serialized)
struct NetSuiteWriteTests {
    @Test func aBatchMixingGoodAndBadRecordsAnswersPerRecordWithNetSuitesMessageAndField() async throws {
        try await NetSuiteHarness.with(seed: 2) { h in
            let client = try await h.client()
            let results = try await client.write(WriteRequest(object: "customer", operation: .create, records: [
                WriteItem(ref: "good", fields: ["companyName": "Good Co", "email": "ap@good.example", "externalId": "EXT-GOOD"]),
                WriteItem(ref: "no-name", fields: ["email": "nobody@example.com"]),
                WriteItem(ref: "bad-field", fields: ["companyName": "Typo Co", "compnyName": "x"]),
                WriteItem(ref: "bad-value", fields: ["companyName": "Limit Co", "creditLimit": "lots"]),
                WriteItem(ref: "dup-eid", fields: ["companyName": "Again Co", "externalId": "EXT-GOOD"]),
                WriteItem(ref: "good2", fields: ["companyName": "Second Co", "isPerson": false, "subsidiary": "2"]),
            ])).results
            let byRef = Dictionary(uniqueKeysWithValues: results.map { ($0.ref, $0) })
            #expect(results.count == 6)
            #expect(byRef["good"]?.ok == true && byRef["good"]?.outcome == .created && byRef["good"]?.id?.isEmpty == false)
            #expect(byRef["good2"]?.ok == true)
            let noName = try #require(byRef["no-name"]?.error)
            #expect(noName.code == "conflict" && !noName.retryable)
            #expect(noName.message.contains("Please enter value(s) for: Company Name"))
            #expect(noName.fields == ["companyName"])
            #expect(byRef["bad-field"]?.error?.fields == ["compnyName"], "unknown names refused (X-NetSuite-PropertyNameValidation: error)")
            #expect(byRef["bad-value"]?.error?.message.contains("Invalid Field Value lots") == true)
            #expect(byRef["bad-value"]?.error?.fields == ["creditLimit"])
            #expect(byRef["dup-eid"]?.error?.fields == ["externalId"])
            #expect(results.filter { !$0.ok }.allSatisfy { $0.outcome == .failed })

            // The good ones exist as written (the subsidiary reference sent as {"id": "2"}).
            let read = try await client.read(ReadRequest(object: "customer", ids: [byRef["good"]?.id ?? "", byRef["good2"]?.id ?? ""]))
            #expect(read.records.count == 2)
            #expect(read.records.first { $0.id == byRef["good2"]?.id }?.fields["subsidiary"] == "2")
        }
    }

    @Test func contactsLinkToTheirCompanyAndInvoicesToTheirCustomer() async throws {
        try await NetSuiteHarness.with { h in
            let client = try await h.client()
            let company = try await client.write(WriteRequest(object: "customer", operation: .create, records: [WriteItem(ref: "co", fields: ["companyName": "Linked Co"])]))
            let companyID = try #require(company.results.first?.id)
            let contact = try await client.write(WriteRequest(object: "contact", operation: .create, records: [
                WriteItem(ref: "p", fields: ["firstName": "Grace", "lastName": "Hopper"], links: [RecordLink(object: "customer", id: companyID)]),
                WriteItem(ref: "q", fields: ["firstName": "Alan", "lastName": "Turing"], links: [RecordLink(object: "invoice", id: "1001")]),
            ])).results
            #expect(contact.first { $0.ref == "p" }?.ok == true)
            #expect(contact.first { $0.ref == "q" }?.error?.code == "invalid_argument")
            let invoice = try await client.write(WriteRequest(object: "invoice", operation: .create, records: [
                WriteItem(ref: "i", fields: ["memo": "linked", "item": ["items": [["item": ["id": "10"], "quantity": 2]]]],
                          links: [RecordLink(object: "customer", id: companyID, type: "entity")]),
            ])).results
            #expect(invoice.first?.ok == true, "\(invoice)")
            let contactID = try #require(contact.first { $0.ref == "p" }?.id)
            let read = try await client.read(ReadRequest(object: "contact", ids: [contactID]))
            #expect(read.records.first?.fields["company"] == .string(companyID))
            #expect(read.records.first?.links == [RecordLink(object: "customer", id: companyID, type: "company")])
            let inv = try await client.read(ReadRequest(object: "invoice", ids: [invoice.first?.id ?? ""]))
            #expect(inv.records.first?.fields["entity"] == .string(companyID))
            #expect(inv.records.first?.fields["total"] == 300)
        }
    }

    @Test func upsertsByExternalIdAndByEmailUpdateOrCreate() async throws {
        try await NetSuiteHarness.with { h in
            let client = try await h.client()
            try await h.resetCounters()
            let first = try await client.write(WriteRequest(object: "contact", operation: .upsert, matchKey: "externalId", records: [
                WriteItem(ref: "a", fields: ["externalId": "SF-003A", "firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"]),
            ])).results
            #expect(first.first?.ok == true && first.first?.outcome == .created)
            let id = try #require(first.first?.id)
            let again = try await client.write(WriteRequest(object: "contact", operation: .upsert, matchKey: "externalId", records: [
                WriteItem(ref: "a", id: id, fields: ["externalId": "SF-003A", "title": "Countess"]),
            ])).results
            #expect(again.first?.id == id && again.first?.outcome == .updated)
            let counts = try await h.counters().byRoute
            #expect(counts["PUT /services/rest/record/v1/contact/{id}"] == 2, "\(counts)")
            #expect(try await h.counters().total == 2)

            let noExternal = try await client.write(WriteRequest(object: "contact", operation: .upsert, matchKey: "externalId",
                                                                 records: [WriteItem(ref: "x", fields: ["firstName": "No"])])).results
            #expect(noExternal.first?.error?.fields == ["externalId"])

            // By e-mail (case aside): one lookup for the batch, then PATCH the match and POST the new one.
            _ = try await client.discover(DiscoverRequest(objects: ["contact"]))
            try await h.resetCounters()
            let byEmail = try await client.write(WriteRequest(object: "contact", operation: .upsert, matchKey: "email", records: [
                WriteItem(ref: "ada", fields: ["email": "ADA@example.com", "phone": "555-0100"]),
                WriteItem(ref: "new", fields: ["email": "babbage@example.com", "lastName": "Babbage"]),
            ])).results
            #expect(byEmail.first { $0.ref == "ada" }?.id == id && byEmail.first { $0.ref == "ada" }?.outcome == .updated)
            #expect(byEmail.first { $0.ref == "new" }?.outcome == .created)
            #expect(try await h.counters().total == 3)
        }
    }

    @Test func writingAThousandRecordsCostsOneCallEach() async throws {
        try await NetSuiteHarness.with { h in
            let client = try await h.client()
            _ = try await client.check()
            try await h.resetCounters()
            let ids = try await h.createContacts(client, 1000, prefix: "Bulk")
            #expect(Set(ids).count == 1000)
            let counters = try await h.counters()
            #expect(counters.total == 1000, "NetSuite's record service takes one record per call: \(counters.byRoute)")
            #expect(counters.byRoute["POST /services/rest/record/v1/contact"] == 1000)
        }
    }

    @Test func deletesAreIdempotentAndUpdatesNeedAnId() async throws {
        try await NetSuiteHarness.with(seed: 1) { h in
            let client = try await h.client()
            let ids = try await h.createContacts(client, 1)
            let first = try await h.write(client, "contact", .delete, [WriteItem(ref: "d", id: ids[0])])
            #expect(first.first?.outcome == .deleted)
            let second = try await h.write(client, "contact", .delete, [WriteItem(ref: "d", id: ids[0])])
            #expect(second.first?.ok == true && second.first?.outcome == .unchanged)
            let update = try await h.write(client, "contact", .update, [WriteItem(ref: "u", fields: ["title": "x"])])
            #expect(update.first?.error?.fields == ["id"])
            let gone = try await h.write(client, "contact", .update, [WriteItem(ref: "g", id: ids[0], fields: ["title": "x"])])
            #expect(gone.first?.error?.code == "not_found")
            #expect(gone.first?.error?.message.contains("NONEXISTENT_ID") == true)
        }
    }

    @Test func aStormOfConcurrencyRefusalsEndsWithEveryRecordWrittenOnce() async throws {
        try await NetSuiteHarness.with { h in
            // The account allows 2 requests at once and each takes 40 ms; four instances write 40 records each at
            // the host's default cap of 5, so NetSuite refuses many of them (429, nothing processed).
            try await h.control("POST", "app/concurrency", ["limit": 2])
            try await h.control("POST", "faults", ["latency_ms": 40])
            let clients = try await (0..<4).asyncMap { _ in try await h.client("storm") }
            let results = try await withThrowingTaskGroup(of: [WriteItemResult].self) { group in
                for (n, client) in clients.enumerated() {
                    group.addTask {
                        var pending = (0..<40).map { i in WriteItem(ref: "w\(n)-\(i)", fields: ["externalId": .string("STORM-\(n)-\(i)"),
                                                                                                 "firstName": .string("Storm\(i)"), "lastName": .string("Writer\(n)")]) }
                        var done: [WriteItemResult] = []
                        var rounds = 0
                        // What the engine does: write, then write again what came back retryable.
                        while !pending.isEmpty, rounds < 30 {
                            rounds += 1
                            let answer = try await client.write(WriteRequest(object: "contact", operation: .create, records: pending)).results
                            let retry = Set(answer.filter { !$0.ok && $0.error?.retryable == true && $0.outcome == .failed }.map(\.ref))
                            done += answer.filter { !retry.contains($0.ref) }
                            pending = pending.filter { retry.contains($0.ref) }
                        }
                        return done
                    }
                }
                var all: [WriteItemResult] = []
                for try await part in group { all += part }
                return all
            }
            try await h.control("DELETE", "faults")
            try await h.control("POST", "app/concurrency", ["limit": 20])
            #expect(results.count == 160)
            #expect(results.allSatisfy { $0.ok && $0.outcome == .created }, "\(results.filter { !$0.ok }.prefix(3))")
            let refused = try await TestHTTP.send("GET", h.sandbox.url("netsuite", "/__sandbox/requests")).object["requests"] as? [[String: Any]] ?? []
            #expect(refused.filter { $0["status"] as? Int == 429 }.count > 0, "the storm happened")
            // Every record exists exactly once.
            try await h.untilNextSecond()
            let read = try await h.readAll(try await h.client(), "contact")
            let storm = read.records.compactMap { $0.fields["externalId"]?.stringValue }.filter { $0.hasPrefix("STORM-") }
            #expect(storm.count == 160 && Set(storm).count == 160)
        }
    }

    @Test func theMaxConcurrencySettingSetsTheHostsCap() async throws {
        try await NetSuiteHarness.with(seed: 1) { h in
            // One request at a time for this connection: the account's limit of 1 is never exceeded.
            try await h.control("POST", "app/concurrency", ["limit": 1])
            try await h.control("POST", "faults", ["latency_ms": 30])
            let clients = try await (0..<4).asyncMap { _ in try await h.client("serial", settings: ["max_concurrency": 1]) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in clients { group.addTask { for _ in 0..<3 { _ = try await client.check() } } }
                try await group.waitForAll()
            }
            let log = try await TestHTTP.send("GET", h.sandbox.url("netsuite", "/__sandbox/requests")).object["requests"] as? [[String: Any]] ?? []
            #expect(log.count >= 48)
            #expect(log.allSatisfy { $0["status"] as? Int != 429 }, "the host held the connection to one request at a time")
            try await h.control("DELETE", "faults")
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for e in self { out.append(try await transform(e)) }
        return out
    }
}
