import CrosswalkCore
@testable import CrosswalkEngine
@testable import CrosswalkService
import CrosswalkStoreSQLite
import CrosswalkTestKit
import Foundation
import Logging
import Testing

/// The one-writer-per-flow rule between the schedule (refused while the flow runs) and webhooks
/// (queued behind the run), over a real SQLite store.
@Suite struct RunCoordinatorTests {
    func coordinator() async throws -> (RunCoordinator, SQLiteStore) {
        var logger = Logger(label: "coordinator-test")
        logger.logLevel = .error
        let dir = try TestFiles.temporaryFolder("coordinator")
        let store = try await SQLiteStore.open(path: dir.appendingPathComponent("c.db").path, logger: logger)
        return (RunCoordinator(store: store, metrics: ServiceMetrics(), logger: logger), store)
    }

    /// A run of `flow` that holds it until `release` yields.
    func holding(_ coordinator: RunCoordinator, _ flow: String, events: LockedValue<[String]>) async throws
        -> (task: Task<RunReport, any Error>, release: AsyncStream<Void>.Continuation) {
        let (release, releaser) = AsyncStream.makeStream(of: Void.self)
        let (started, starter) = AsyncStream.makeStream(of: Void.self)
        let task = Task {
            try await coordinator.exclusive(flow) { stop in
                events.withLock { $0.append("scheduled start") }
                starter.yield()
                for await _ in release { break }
                events.withLock { $0.append(stop.isStopped ? "scheduled stopped" : "scheduled end") }
                return RunReport(flow: flow, run: nil, dryRun: false)
            }
        }
        for await _ in started { break }
        return (task, releaser)
    }

    @Test("a webhook sync waits for the flow's scheduled run and runs after it; the schedule is refused while either runs; other flows are not held")
    func webhookSyncQueuesBehindTheRun() async throws {
        let (coordinator, store) = try await coordinator()
        defer { Task { await store.close() } }
        let events = LockedValue<[String]>([])
        let (scheduled, release) = try await holding(coordinator, "f", events: events)
        let webhook = Task {
            try await coordinator.exclusiveWhenFree("f") { _ in
                events.withLock { $0.append("webhook") }
                return RunReport(flow: "f", run: nil, dryRun: false)
            }
        }
        try await eventually("the webhook sync waits", within: 10) { await coordinator.waiting("f") == 1 }
        await #expect(throws: CrosswalkError.self) {
            try await coordinator.exclusive("f") { _ in RunReport(flow: "f", run: nil, dryRun: false) }
        }
        // Another flow runs at once.
        _ = try await coordinator.exclusiveWhenFree("g") { _ in RunReport(flow: "g", run: nil, dryRun: false) }
        #expect(events.withLock { $0 } == ["scheduled start"])
        release.yield()
        _ = try await scheduled.value
        _ = try await webhook.value
        #expect(events.withLock { $0 } == ["scheduled start", "scheduled end", "webhook"])
        #expect(await coordinator.isRunning("f") == false)
        #expect(await coordinator.waiting("f") == 0)
    }

    @Test("shutdown stops the run in flight and wakes a waiting webhook sync with unavailable (the delivery is retried at the next start)")
    func shutdownWakesWaiters() async throws {
        let (coordinator, store) = try await coordinator()
        defer { Task { await store.close() } }
        let events = LockedValue<[String]>([])
        let (scheduled, release) = try await holding(coordinator, "f", events: events)
        let webhook = Task {
            try await coordinator.exclusiveWhenFree("f") { _ in
                events.withLock { $0.append("webhook") }
                return RunReport(flow: "f", run: nil, dryRun: false)
            }
        }
        try await eventually("the webhook sync waits", within: 10) { await coordinator.waiting("f") == 1 }
        await coordinator.stopAll()
        do {
            _ = try await webhook.value
            Issue.record("the waiting sync ran during shutdown")
        } catch let e as CrosswalkError {
            #expect(e.code == .unavailable, "\(e)")
        }
        release.yield()
        _ = try await scheduled.value
        #expect(events.withLock { $0 } == ["scheduled start", "scheduled stopped"])
    }
}
