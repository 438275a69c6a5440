import CrosswalkConnectors
import CrosswalkCore
import CrosswalkRuntime
import Foundation
import Testing

/// The batching and paging logic behind `crosswalk write` and `read` (pure logic over the in-memory connector).
@Suite struct RecordOperationsTests {
    @Test func writesGoInTheConnectorsBatchesWithOneResultPerRecordInOrder() async throws {
        let app = InMemoryConnector(connection: "mem", objects: ["Contact"], batchLimits: .init(read: 3, write: 4))
        let lines = (1...10).map { #"{"fields":{"email":"u\#($0)@example.com"}}"# }.joined(separator: "\n") + "\n"
        let items = try BatchedWrite.items(jsonLines: Data(lines.utf8))
        #expect(items.map(\.ref) == (1...10).map { "line-\($0)" })
        let results = LockedValue<[String]>([])
        let summary = try await BatchedWrite(object: "Contact", operation: .create, items: items).run(app) { r in
            results.withLock { $0.append(r.ref) }
        }
        #expect(summary.batches == 3)
        #expect(app.counters.writes == 3)
        #expect(summary.outcomes[.created] == 10)
        #expect(results.withLock { $0 } == items.map(\.ref))

        // Records as `crosswalk read` prints them are accepted too; a ref used twice is not.
        let read = #"{"object":"Contact","id":"7","fields":{"email":"a@b.c"},"modified_at":"2026-01-01T00:00:00Z","deleted":false}"#
        #expect(try BatchedWrite.items(jsonLines: Data(read.utf8)).first?.id == "7")
        #expect(throws: CrosswalkError.self) { try BatchedWrite.items(jsonLines: Data("{\"ref\":\"a\"}\n{\"ref\":\"a\"}\n".utf8)) }
    }

    @Test func aPagedReadFollowsHasMoreUntilCaughtUp() async throws {
        let app = InMemoryConnector(connection: "mem", objects: ["Contact"], batchLimits: .init(read: 3, write: 4))
        for n in 1...8 { _ = app.put("Contact", fields: ["n": .number(JSONNumber(n))]) }
        let pages = LockedValue<[Int]>([])
        let outcome = try await PagedRead(request: ReadRequest(object: "Contact"), all: true).run(app) { _, page in
            pages.withLock { $0.append(page.records.count) }
        }
        #expect(outcome.records == 8)
        #expect(pages.withLock { $0 } == [3, 3, 2])
        #expect(outcome.hasMore == false)
        let one = try await PagedRead(request: ReadRequest(object: "Contact"), all: false).run(app) { _, _ in }
        #expect(one.pages == 1 && one.hasMore)
    }
}
