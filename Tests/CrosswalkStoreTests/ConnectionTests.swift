import CrosswalkCore
@testable import CrosswalkStore
@testable import CrosswalkStoreSQLite
import Foundation
import Testing

@Suite("Connection")
struct ConnectionTests {
    @Test("the database runs in WAL mode with full sync and foreign keys, on the store's own thread")
    func connectionSettings() async throws {
        try await withSQLiteStore { store, _ in
            let journal = try await store.rows("PRAGMA journal_mode") { $0.text(0) }
            let synchronous = try await store.rows("PRAGMA synchronous") { $0.int(0) }
            let foreignKeys = try await store.rows("PRAGMA foreign_keys") { $0.int(0) }
            #expect(journal == ["wal"])
            #expect(synchronous == [2], "2 is FULL")
            #expect(foreignKeys == [1])
            #expect(await store.runsOnItsOwnThread())
        }
    }

    @Test("two stores on one file (a CLI beside the service) see each other's commits")
    func twoStoresOneFile() async throws {
        let folder = try TemporaryFolder()
        let first = try await SQLiteStore.open(path: folder.path("shared.db"), logger: testLogger)
        let second = try await SQLiteStore.open(path: folder.path("shared.db"), logger: testLogger)
        try await first.putSealed(name: "k", data: Data([1, 2]))
        try await second.upsertMapping(MappingUpsert(link: "l", a: sf("1"), b: ns("2")))
        #expect(try await second.sealed(name: "k") == Data([1, 2]))
        #expect(try await first.mapping(link: "l", side: .b, record: ns("2"))?.a == sf("1"))
        await first.close()
        await second.close()
    }

    @Test("a closed store refuses calls")
    func closed() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(path: folder.path("c.db"), logger: testLogger)
        await store.close()
        await #expect(throws: CrosswalkError.self) { try await store.sealedNames() }
    }
}
