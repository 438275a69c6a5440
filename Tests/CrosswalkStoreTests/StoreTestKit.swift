@testable import CrosswalkStore
@testable import CrosswalkStoreSQLite
import Foundation
import Logging

/// A folder of its own for one test's database files, removed when released.
final class TemporaryFolder: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("crosswalk-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` inside the folder.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

let testLogger = Logger(label: "crosswalk.store.tests")

/// Opens a new store in its own temporary folder, runs `body`, then closes it.
func withStore<T>(_ body: (SQLiteStore, TemporaryFolder) async throws -> T) async throws -> T {
    let folder = try TemporaryFolder()
    let store = try await SQLiteStore.open(path: folder.path("store.db"), logger: testLogger)
    do {
        let result = try await body(store, folder)
        await store.close()
        return result
    } catch {
        await store.close()
        throw error
    }
}

/// A record of the test apps: Salesforce-like on side A, NetSuite-like on side B.
func sf(_ id: String, _ object: String = "Contact") -> RecordRef { RecordRef(connection: "sf", object: object, id: id) }
func ns(_ id: String, _ object: String = "contact") -> RecordRef { RecordRef(connection: "ns", object: object, id: id) }

/// A date with whole milliseconds, which the store keeps exactly.
func date(_ secondsSince1970: Double) -> Date { Date(timeIntervalSince1970: secondsSince1970) }

extension SQLiteStore {
    /// Runs a query on the store's own connection, for checks the public API does not offer.
    func rows<T>(_ sql: String, _ map: (Row) throws -> T) throws -> [T] {
        try database().query(sql, [], map)
    }

    /// Counts the rows of a table.
    func count(_ table: String) throws -> Int {
        try rows("SELECT count(*) FROM \(table)") { $0.int(0) }.first ?? 0
    }

    /// Whether this actor's code runs on the thread its executor owns.
    func runsOnItsOwnThread() -> Bool { executor.isCurrentThread }
}
