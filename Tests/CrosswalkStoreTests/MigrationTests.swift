import CrosswalkCore
@testable import CrosswalkStore
@testable import CrosswalkStoreSQLite
import Testing

@Suite("Migrations")
struct MigrationTests {
    private let first = Migration(version: 1, sql: "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)")
    private let second = Migration(version: 2, sql: "INSERT INTO t VALUES (2)")

    @Test("opening again applies no migration twice")
    func idempotent() async throws {
        let folder = try TemporaryFolder()
        for _ in 0..<2 {
            let store = try await SQLiteStore.open(path: folder.path("m.db"), migrations: [first], logger: testLogger)
            #expect(try await store.count("t") == 1)
            #expect(try await store.count("schema_migrations") == 1)
            await store.close()
        }
        let store = try await SQLiteStore.open(path: folder.path("m.db"), migrations: [first, second], logger: testLogger)
        let values = try await store.rows("SELECT x FROM t ORDER BY x") { $0.int(0) }
        #expect(values == [1, 2])
        #expect(try await store.schemaVersion() == 2)
        await store.close()
    }

    @Test("the real schema reopens cleanly at its latest version")
    func realSchema() async throws {
        let folder = try TemporaryFolder()
        for _ in 0..<2 {
            let store = try await SQLiteStore.open(path: folder.path("s.db"), logger: testLogger)
            #expect(try await store.schemaVersion() == Migration.sqliteStore.last?.version)
            #expect(try await store.count("schema_migrations") == Migration.sqliteStore.count)
            await store.close()
        }
    }

    @Test("a failing migration leaves nothing of itself behind")
    func failingMigrationRollsBack() async throws {
        let folder = try TemporaryFolder()
        let broken = Migration(version: 2, sql: "CREATE TABLE u (x INTEGER); INSERT INTO missing VALUES (1)")
        await #expect(throws: CrosswalkError.self) {
            try await SQLiteStore.open(path: folder.path("m.db"), migrations: [first, broken], logger: testLogger)
        }
        let store = try await SQLiteStore.open(path: folder.path("m.db"), migrations: [first], logger: testLogger)
        #expect(try await store.schemaVersion() == 1)
        let tables = try await store.rows("SELECT name FROM sqlite_master WHERE name = 'u'") { $0.text(0) }
        #expect(tables.isEmpty)
        await store.close()
    }

    @Test("an older binary refuses a database a newer one migrated")
    func newerSchemaIsRefused() async throws {
        let folder = try TemporaryFolder()
        let newer = try await SQLiteStore.open(path: folder.path("m.db"), migrations: [first, second], logger: testLogger)
        await newer.close()
        let error = await #expect(throws: CrosswalkError.self) {
            try await SQLiteStore.open(path: folder.path("m.db"), migrations: [first], logger: testLogger)
        }
        #expect(error?.code == .storeSchemaTooNew)
        #expect(error?.message.contains("schema version 2") == true)
    }
}
