import CrosswalkCore
@testable import CrosswalkStore
@testable import CrosswalkStorePostgres
import CrosswalkTestKit
import Foundation
import Testing

/// What only the shared store has: reaching the server, its schema guard, leases and fencing.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    @Test("a server that cannot be reached is a clear .unavailable naming host:port, never the password")
    func unreachable() async throws {
        // Port 1 on loopback: privileged, nothing listens there, the connection is refused.
        let port = 1
        let configuration = PostgresStoreConfiguration(host: "127.0.0.1", port: port, user: "crosswalk", password: "hunter2-secret",
                                                       database: "crosswalk", connectTimeout: .seconds(5))
        let error = await #expect(throws: CrosswalkError.self) { try await PostgresStore.open(configuration, logger: testLogger) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        #expect(!"\(String(describing: error))".contains("hunter2"))
    }

    @Test("a wrong password is .auth, and the error does not repeat it")
    func wrongPassword() async throws {
        let url = try TestPostgres.makeDatabase(prefix: "auth")
        let configuration = try PostgresStoreConfiguration(url: url, password: "not-the-password-42")
        let error = await #expect(throws: CrosswalkError.self) { try await PostgresStore.open(configuration, logger: testLogger) }
        #expect(error?.code == .auth)
        #expect(!"\(String(describing: error))".contains("not-the-password-42"))
    }

    @Test("a URL holding a password is refused without repeating it")
    func passwordInURL() {
        let error = #expect(throws: CrosswalkError.self) { try PostgresStoreConfiguration(url: "postgres://cw:s3cret@db/x", password: nil) }
        #expect(error?.code == .config)
        #expect(error?.message.contains("s3cret") == false)
    }

    @Test("a database written by a newer Crosswalk is refused and left untouched")
    func schemaTooNew() async throws {
        try await withStore(.postgres) { store, site in
            let postgres = try #require(store as? PostgresStore)
            #expect(try await postgres.schemaVersion() == PostgresMigration.all.last?.version)
            try TestPostgres.psql(url: site.location, "INSERT INTO schema_migrations VALUES (99, 0)")
            let error = await #expect(throws: CrosswalkError.self) { try await site.open() }
            #expect(error?.code == .storeSchemaTooNew)
            #expect(try TestPostgres.psql(url: site.location, "SELECT max(version) FROM schema_migrations") == "99")
        }
    }

    @Test("hosts opening a new database together apply each migration once")
    func concurrentMigrations() async throws {
        let site = try StoreSite(.postgres)
        let stores = try await withThrowingTaskGroup(of: (any InspectableStore).self) { group in
            for _ in 0..<4 { group.addTask { try await site.open() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(try await stores[0].count("schema_migrations") == PostgresMigration.all.count)
        for store in stores { try await store.close() }
    }

    @Test("a lease has one holder; after it lapses another takes it over with a larger token, and the old holder is fenced")
    func leasesAndFencing() async throws {
        try await withStore(.postgres) { store, _ in
            let postgres = try #require(store as? PostgresStore)
            // A lease that lapses at once (ttl 0), as if its holder had been paused past it.
            let first = try #require(try await postgres.acquireLease(name: "flow:a", holder: "host-1", ttl: .zero))
            let second = try #require(try await postgres.acquireLease(name: "flow:a", holder: "host-2", ttl: .seconds(60)))
            #expect(second.token == first.token + 1)
            #expect(try await postgres.acquireLease(name: "flow:a", holder: "host-1", ttl: .seconds(60)) == nil, "held by host-2")
            #expect(try await postgres.acquireLease(name: "flow:a", holder: "host-2", ttl: .seconds(60)) == second, "re-acquiring keeps the token")
            #expect(try await postgres.renewLease(first, ttl: .seconds(60)) == false)
            #expect(try await postgres.renewLease(second, ttl: .seconds(60)) == true)

            let run = try await postgres.startRun(flow: "a", trigger: .schedule)
            let batch = BatchCommit(flow: "a", run: run,
                                    mappings: [MappingUpsert(link: "sf~ns", a: RecordRef(connection: "sf", object: "Contact", id: "1"),
                                                             b: RecordRef(connection: "ns", object: "contact", id: "10"))],
                                    log: [SyncLogEntry(source: RecordRef(connection: "sf", object: "Contact", id: "1"), target: nil, action: .create,
                                                       outcome: .ok, reason: nil, durationMs: 1, at: Date())],
                                    cursor: CursorUpdate(object: "Contact", json: #"{"v":1}"#))
            let error = await #expect(throws: CrosswalkError.self) { try await postgres.commitBatch(batch, fencing: first) }
            #expect(error?.code == .fenced)
            #expect(try await postgres.mappingCount(link: "sf~ns") == 0)
            #expect(try await postgres.count("sync_log") == 0)
            #expect(try await postgres.cursor(flow: "a", object: "Contact") == nil)

            try await postgres.commitBatch(batch, fencing: second)
            #expect(try await postgres.mappingCount(link: "sf~ns") == 1)
            try await postgres.releaseLease(second)
            let third = try #require(try await postgres.acquireLease(name: "flow:a", holder: "host-3", ttl: .seconds(60)))
            #expect(third.token == second.token + 1)
            #expect(try await postgres.leases().map(\.holder) == ["host-3"])
        }
    }

    @Test("of many hosts racing for a free lease exactly one wins")
    func racingForALease() async throws {
        let site = try StoreSite(.postgres)
        let stores = try await withThrowingTaskGroup(of: (any InspectableStore).self) { group in
            for _ in 0..<3 { group.addTask { try await site.open() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let winners = try await withThrowingTaskGroup(of: LeaseToken?.self) { group in
            for i in 0..<12 {
                let store = try #require(stores[i % 3] as? PostgresStore)
                group.addTask { try await store.acquireLease(name: "inbox:0", holder: "host-\(i)", ttl: .seconds(60)) }
            }
            return try await group.reduce(into: [LeaseToken]()) { if let token = $1 { $0.append(token) } }
        }
        #expect(winners.count == 1)
        for store in stores { try await store.close() }
    }

    @Test("hosts claiming the webhook inbox together never get the same delivery")
    func disjointClaims() async throws {
        let site = try StoreSite(.postgres)
        let a = try await site.open()
        let b = try await site.open()
        for i in 0..<60 {
            _ = try await a.insertWebhookDelivery(NewWebhookDelivery(connection: "spotio", dedupeKey: "k\(i)", method: "POST", path: "/hooks/spotio",
                                                                     url: "http://x/hooks/spotio", headers: [:], body: Data("{}".utf8),
                                                                     receivedAt: Date(), verified: true))
        }
        async let fromA = withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<3 { group.addTask { try await a.claimWebhookDeliveries(limit: 10, now: Date(), lease: .seconds(60)).map(\.id) } }
            return try await group.reduce(into: [Int64]()) { $0 += $1 }
        }
        async let fromB = withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<3 { group.addTask { try await b.claimWebhookDeliveries(limit: 10, now: Date(), lease: .seconds(60)).map(\.id) } }
            return try await group.reduce(into: [Int64]()) { $0 += $1 }
        }
        let all = try await fromA + fromB
        #expect(all.count == 60)
        #expect(Set(all).count == 60)
        try await a.close()
        try await b.close()
    }
}
