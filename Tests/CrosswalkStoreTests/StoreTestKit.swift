@testable import CrosswalkStore
@testable import CrosswalkStoreSQLite
@testable import CrosswalkStorePostgres
import CrosswalkTestKit
import Testing
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

/// Opens a new SQLite store in its own temporary folder, runs `body`, then closes it (tests of
/// SQLite's own settings).
func withSQLiteStore<T>(_ body: (SQLiteStore, TemporaryFolder) async throws -> T) async throws -> T {
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

/// The store backends every conformance test runs against (`@Test(arguments: StoreBackend.allCases)`).
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// Where one test's store lives: a SQLite file in a temporary folder, or a PostgreSQL database of
/// its own on the test server (TestPostgres). `open()` opens another store on the same data, as
/// another process would.
final class StoreSite: Sendable {
    let backend: StoreBackend
    let folder: TemporaryFolder
    /// The SQLite file's path, or the PostgreSQL database's URL.
    let location: String

    init(_ backend: StoreBackend) throws {
        self.backend = backend
        folder = try TemporaryFolder()
        switch backend {
        case .sqlite: location = folder.path("store.db")
        case .postgres: location = try TestPostgres.makeDatabase(prefix: "store")
        }
    }

    /// A new store on this site's data.
    func open() async throws -> any InspectableStore {
        switch backend {
        case .sqlite: return try await SQLiteStore.open(path: location, logger: testLogger)
        case .postgres: return try await PostgresStore.open(try postgresConfiguration(), logger: testLogger)
        }
    }

    /// The PostgreSQL database's settings (a small pool: tests run in parallel on one server).
    func postgresConfiguration() throws -> PostgresStoreConfiguration {
        try PostgresStoreConfiguration(url: location, password: try TestPostgres.server().password, maximumConnections: 4)
    }
}

/// Opens a new store of `backend` on a site of its own, runs `body`, then closes it.
func withStore<T>(_ backend: StoreBackend, _ body: (any InspectableStore, StoreSite) async throws -> T) async throws -> T {
    let site = try StoreSite(backend)
    let store = try await site.open()
    do {
        let result = try await body(store, site)
        try await store.close()
        return result
    } catch {
        try? await store.close()
        throw error
    }
}

/// A store whose rows a test can look at past the public API.
protocol InspectableStore: Store {
    /// The rows of a table.
    func count(_ table: String) async throws -> Int
    /// The rows of `SELECT text, count(*) …` as a dictionary.
    func textCounts(_ sql: String) async throws -> [String: Int]
    /// The first column of `SELECT bytes …`.
    func bytes(_ sql: String) async throws -> [Data]
}

extension SQLiteStore: InspectableStore {
    func textCounts(_ sql: String) async throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try rows(sql) { ($0.text(0), $0.int(1)) })
    }

    func bytes(_ sql: String) async throws -> [Data] { try rows(sql) { $0.blob(0) } }
}

extension PostgresStore: InspectableStore {
    func count(_ table: String) async throws -> Int {
        try await queryFirst("counting", "SELECT count(*) FROM \(table)") { try $0.int(0) } ?? 0
    }

    func textCounts(_ sql: String) async throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try await query("counting", sql) { (try $0.text(0), try $0.int(1)) })
    }

    func bytes(_ sql: String) async throws -> [Data] { try await query("reading", sql) { try $0.bytes(0) } }
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
