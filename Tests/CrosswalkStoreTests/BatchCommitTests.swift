import CrosswalkCore
@testable import CrosswalkStore
import Foundation
import Testing

@Suite("Batch commit")
struct BatchCommitTests {
    private let link = "sf~ns"
    private let flow = "sf-to-ns"

    private func failure(_ id: String, retryAt: Date = date(1_700_000_000)) -> RecordFailure {
        RecordFailure(flow: flow, source: sf(id), payloadJSON: #"{"id":"\#(id)"}"#, errorCode: .rateLimited, message: "slow down", nextRetryAt: retryAt)
    }

    private func entry(_ id: String, _ action: SyncAction, _ outcome: SyncOutcome) -> SyncLogEntry {
        SyncLogEntry(source: sf(id), target: ns("n\(id)"), action: action, outcome: outcome, reason: outcome == .ok ? nil : "because", durationMs: 7, at: date(1_700_000_000.5))
    }

    @Test("a batch writes mappings, log, counts, failures and cursor together", arguments: StoreBackend.allCases)
    func commits(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            let run = try await store.startRun(flow: flow, trigger: .schedule)
            try await store.enqueueFailure(failure("old"))
            try await store.upsertMapping(MappingUpsert(link: link, a: sf("gone"), b: ns("ngone")))
            let log = [entry("1", .create, .ok), entry("2", .update, .ok), entry("3", .create, .failed), entry("4", .skip, .skipped), entry("gone", .delete, .ok)]
            try await store.commitBatch(BatchCommit(
                flow: flow, run: run,
                mappings: [MappingUpsert(link: link, a: sf("1"), b: ns("n1")), MappingUpsert(link: link, a: sf("2"), b: ns("n2"))],
                removedMappings: [MappingKey(link: link, side: .a, record: sf("gone"))],
                log: log,
                failures: [failure("3")],
                resolvedFailures: [sf("old")],
                cursor: CursorUpdate(object: "Contact", json: #"{"v":1,"since":"2026-01-01T00:00:00Z"}"#)))

            #expect(try await store.mappingCount(link: link) == 2)
            #expect(try await store.mapping(link: link, side: .a, record: sf("gone")) == nil)
            #expect(try await store.syncLog(run: run, limit: 100, offset: 0) == log)
            #expect(try await store.syncLog(run: run, limit: 2, offset: 3) == Array(log[3...]))
            #expect(try await store.run(run)?.counts == RunCounts(created: 1, updated: 1, deleted: 1, skipped: 1, failed: 1))
            #expect(try await store.dueFailures(limit: 10, now: date(1_800_000_000)).map(\.failure.source) == [sf("3")])
            #expect(try await store.cursor(flow: flow, object: "Contact")?.json == #"{"v":1,"since":"2026-01-01T00:00:00Z"}"#)
        }
    }

    /// Ways a batch can fail after some of its writes have already been made.
    enum Breakage: String, CaseIterable, Sendable {
        case mappingConflict, invalidCursor, unknownRun
    }

    @Test("a failing batch leaves nothing behind", arguments: StoreBackend.allCases, Breakage.allCases)
    func failingBatchIsAtomic(_ backend: StoreBackend, _ breakage: Breakage) async throws {
        try await withStore(backend) { store, _ in
            let run = try await store.startRun(flow: flow, trigger: .schedule)
            try await store.upsertMapping(MappingUpsert(link: link, a: sf("taken"), b: ns("n-taken")))
            try await store.upsertMapping(MappingUpsert(link: link, a: sf("kept"), b: ns("n-kept")))
            try await store.setCursor(flow: flow, object: "Contact", json: #"{"v":0}"#)
            try await store.enqueueFailure(failure("old"))

            var mappings = [MappingUpsert(link: link, a: sf("new"), b: ns("n-new"))]
            // Removals go first in a batch, so the conflict is with a mapping the batch keeps.
            if breakage == .mappingConflict { mappings.append(MappingUpsert(link: link, a: sf("other"), b: ns("n-kept"))) }
            let batch = BatchCommit(
                flow: flow, run: breakage == .unknownRun ? run + 1000 : run,
                mappings: mappings,
                removedMappings: [MappingKey(link: link, side: .a, record: sf("taken"))],
                log: [entry("new", .create, .ok)],
                failures: [failure("bad")],
                resolvedFailures: [sf("old")],
                cursor: CursorUpdate(object: "Contact", json: breakage == .invalidCursor ? "{not json" : #"{"v":1}"#))
            let error = await #expect(throws: CrosswalkError.self) { try await store.commitBatch(batch) }
            let expected: [Breakage: CrosswalkError.Code] = [.mappingConflict: .conflict, .invalidCursor: .invalidArgument, .unknownRun: .notFound]
            #expect(error?.code == expected[breakage])

            #expect(try await store.mapping(link: link, side: .a, record: sf("new")) == nil)
            #expect(try await store.mapping(link: link, side: .a, record: sf("taken"))?.b == ns("n-taken"))
            #expect(try await store.count("sync_log") == 0)
            #expect(try await store.run(run)?.counts == RunCounts())
            #expect(try await store.dueFailures(limit: 10, now: date(1_800_000_000)).map(\.failure.source) == [sf("old")])
            #expect(try await store.cursor(flow: flow, object: "Contact")?.json == #"{"v":0}"#)
        }
    }
}
