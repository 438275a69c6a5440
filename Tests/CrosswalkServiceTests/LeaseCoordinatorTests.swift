import CrosswalkCore
@testable import CrosswalkEngine
@testable import CrosswalkService
import CrosswalkStore
import CrosswalkStorePostgres
import CrosswalkTestKit
import Foundation
import Logging
import Testing

/// Two hosts' coordinators on one PostgreSQL store: a flow runs on one host at a time, under its
/// lease's fencing token; a webhook sync on the other host waits for the run instead of failing.
@Suite struct LeaseCoordinatorTests {
    @Test("a flow's run holds its lease: the other host is refused (conflict), its webhook sync waits and runs after; commits carry the token")
    func oneHostAtATime() async throws {
        var logger = Logger(label: "lease-coordinator-test")
        logger.logLevel = .error
        let configuration = try PostgresStoreConfiguration(url: try TestPostgres.makeDatabase(prefix: "coord"), password: try TestPostgres.server().password,
                                                           maximumConnections: 4)
        let storeA = try await PostgresStore.open(configuration, logger: logger)
        let storeB = try await PostgresStore.open(configuration, logger: logger)
        let hostA = RunCoordinator(store: storeA, metrics: ServiceMetrics(), leases: LeaseKeeper(store: storeA, ttl: .seconds(30), logger: logger), logger: logger)
        let hostB = RunCoordinator(store: storeB, metrics: ServiceMetrics(), leases: LeaseKeeper(store: storeB, ttl: .seconds(30), logger: logger), logger: logger)

        let (release, releaser) = AsyncStream.makeStream(of: Void.self)
        let (started, starter) = AsyncStream.makeStream(of: Void.self)
        let tokens = LockedValue<[String: LeaseToken]>([:])
        let running = Task {
            try await hostA.exclusive("f") { _ in
                tokens.withLock { $0["a"] = Fencing.lease }
                starter.yield()
                for await _ in release { break }
                return RunReport(flow: "f", run: nil, dryRun: false)
            }
        }
        for await _ in started { break }
        let error = await #expect(throws: CrosswalkError.self) {
            try await hostB.exclusive("f") { _ in RunReport(flow: "f", run: nil, dryRun: false) }
        }
        #expect(error?.code == .conflict && error?.context["lease"] == "flow:f")
        #expect(try await storeB.leases().first?.holder == hostA.leases?.holder)

        let webhook = Task {
            try await hostB.exclusiveWhenFree("f") { _ in
                tokens.withLock { $0["b"] = Fencing.lease }
                return RunReport(flow: "f", run: nil, dryRun: false)
            }
        }
        releaser.yield()
        _ = try await running.value
        _ = try await webhook.value
        let a = try #require(tokens.withLock { $0["a"] })
        let b = try #require(tokens.withLock { $0["b"] })
        #expect(a.name == "flow:f" && b.name == "flow:f" && a.holder != b.holder)
        #expect(b.token == a.token + 1, "B took the lease over after A gave it up")
        // A's token is stale now: a commit under it is refused.
        let run = try await storeA.startRun(flow: "f", trigger: .schedule)
        let fenced = await #expect(throws: CrosswalkError.self) {
            try await Fencing.$lease.withValue(a) { try await storeA.commitBatch(BatchCommit(flow: "f", run: run, cursor: CursorUpdate(object: "o", json: "{}"))) }
        }
        #expect(fenced?.code == .fenced)
        #expect(try await storeA.cursor(flow: "f", object: "o") == nil)
        try await storeA.close()
        try await storeB.close()
    }
}
