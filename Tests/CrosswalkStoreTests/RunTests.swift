import CrosswalkCore
@testable import CrosswalkStore
import Testing

@Suite("Runs")
struct RunTests {
    @Test("a run starts running, finishes with a status, and is listed newest first", arguments: StoreBackend.allCases)
    func lifecycle(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            let first = try await store.startRun(flow: "f", trigger: .webhook)
            let second = try await store.startRun(flow: "f", trigger: .manual)
            _ = try await store.startRun(flow: "g", trigger: .schedule)
            let started = try #require(try await store.run(first))
            #expect(started.status == .running && started.finishedAt == nil && started.trigger == .webhook)
            let finished = try await store.finishRun(first, status: .partial)
            #expect(finished.status == .partial)
            #expect(try #require(finished.finishedAt) >= started.startedAt)
            #expect(try await store.runs(flow: "f", limit: 10).map(\.id) == [second, first])
            #expect(try await store.runs(flow: "f", limit: 1).map(\.id) == [second])
        }
    }

    @Test("finishing a run that does not exist is an error", arguments: StoreBackend.allCases)
    func unknownRun(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            let error = await #expect(throws: CrosswalkError.self) { try await store.finishRun(42, status: .succeeded) }
            #expect(error?.code == .notFound)
        }
    }
}
