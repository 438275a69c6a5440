import CrosswalkStore
import CrosswalkCore
import Foundation
import Logging

/// The embedded `Store`: one SQLite file, used by one actor whose jobs all run on a thread the
/// store owns, so SQLite's blocking calls never hold up the cooperative pool.
///
/// The database runs in WAL mode (readers never wait for the writer) with `synchronous=FULL`:
/// every commit is on disk before `commitBatch` returns. `NORMAL` would survive a process crash
/// as well, but a power loss could then undo the last commits after the target app had already
/// accepted their writes; a lost ID-map row would make the next run create that record a second
/// time. Batches are large, so one sync per commit costs little. Foreign keys are on, a busy
/// database is waited for up to the busy timeout, and the schema is brought up to date by
/// versioned migrations when the store opens. Reads go through a memory map of up to 256 MiB
/// (about 1.5 million mappings), which made batch lookups 1.6 times as fast as `read` calls in
/// `store-benchmark`; those pages are the kernel's file cache, shared and reclaimable, though
/// they count in RSS.
///
/// ```swift
/// let store = try await SQLiteStore.open(path: "/var/lib/crosswalk/crosswalk.db", logger: logger)
/// let run = try await store.startRun(flow: "ns-to-sf", trigger: .schedule)
/// ```
public actor SQLiteStore: Store {
    nonisolated let executor: DedicatedThreadExecutor
    private let path: String
    private let logger: Logger
    /// Set once open, cleared by `close()`.
    private var tables: (connection: SQLiteConnection, idMap: IDMapTable)?

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(path: String, logger: Logger) {
        self.executor = DedicatedThreadExecutor(name: "crosswalk-store")
        self.path = path
        self.logger = logger
    }

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    ///
    /// - Parameters:
    ///   - path: the database file; its folder must exist. `-wal` and `-shm` files appear beside it.
    ///   - busyTimeout: how long a call waits for another process's write lock before failing
    ///     with `.unavailable`.
    ///   - logger: receives one line per applied migration.
    /// - Throws: `.storeSchemaTooNew` when a newer Crosswalk wrote the database; `.store` when
    ///   the file cannot be opened or is not a database.
    public static func open(path: String, busyTimeout: Duration = .seconds(5), logger: Logger) async throws -> SQLiteStore {
        try await open(path: path, busyTimeout: busyTimeout, migrations: Migration.sqliteStore, logger: logger)
    }

    /// Opens with a given list of migrations (tests use their own).
    static func open(path: String, busyTimeout: Duration = .seconds(5), migrations: [Migration], logger: Logger) async throws -> SQLiteStore {
        let store = SQLiteStore(path: path, logger: logger)
        try await store.setUp(busyTimeout: busyTimeout, migrations: migrations)
        return store
    }

    private func setUp(busyTimeout: Duration, migrations: [Migration]) throws {
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        let connection = try SQLiteConnection(path: path, busyTimeoutMilliseconds: Int32(clamping: milliseconds))
        let mode = try connection.queryFirst("PRAGMA journal_mode = WAL") { $0.text(0) }
        guard mode == "wal" else {
            throw CrosswalkError(.store, "the database could not be switched to WAL mode (it reports \(mode ?? "nothing")); is it on a network file system?", context: ["database": path])
        }
        try connection.execute("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA mmap_size = 268435456")
        try Migrator.migrate(connection, migrations, logger: logger)
        tables = (connection, IDMapTable(connection: connection))
    }

    /// The open connection, or `.store` once closed.
    func database() throws -> SQLiteConnection { try openTables().connection }

    /// The ID map of the open connection, or `.store` once closed.
    func idMapTable() throws -> IDMapTable { try openTables().idMap }

    private func openTables() throws -> (connection: SQLiteConnection, idMap: IDMapTable) {
        guard let tables else { throw CrosswalkError(.store, "the store is closed", context: ["database": path]) }
        return tables
    }

    public func close() {
        tables?.connection.close()
        tables = nil
    }

    /// The highest migration applied to the database.
    public func schemaVersion() throws -> Int {
        try Migrator.version(of: database())
    }

    /// SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound database, otherwise the problems.
    public func integrityCheck() throws -> [String] {
        try database().query("PRAGMA integrity_check") { $0.text(0) }
    }
}

extension SQLiteStore {
    /// One page of a table's rows, in its order (for `crosswalk store migrate`).
    public func exportRows(_ table: StoreTable, limit: Int, offset: Int) throws -> [[StoreValue]] {
        try database().query("SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.orderBy) LIMIT ? OFFSET ?",
                             [.int(limit), .int(offset)]) { row in
            (0..<table.columns.count).map { row.value(Int32($0)) }
        }
    }

    /// How many rows a table holds.
    public func rowCount(_ table: StoreTable) throws -> Int {
        try database().queryFirst("SELECT count(*) FROM \(table.name)") { $0.int(0) } ?? 0
    }
}
