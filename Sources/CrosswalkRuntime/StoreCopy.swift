import CrosswalkCore
import CrosswalkStore
import CrosswalkStorePostgres
import CrosswalkStoreSQLite
import Foundation
import Logging

/// `crosswalk store migrate`: an embedded deployment's SQLite file copied into a PostgreSQL
/// database (the shared store several hosts use): every table — ID map, cursors, runs and sync
/// log, failed queue, vault rows (still sealed: the same vault key opens them), plugin state,
/// flows, flow states, inbox, admin documents — streamed in pages in one transaction, then
/// verified by counting each table on both sides.
public enum StoreCopy {
    /// One table's counts.
    public struct TableReport: Sendable, Equatable {
        public let table: String
        public let source: Int
        public let target: Int
    }

    /// Copies `path` into the database `configuration` names (its schema created or brought up to date first).
    /// - Parameters:
    ///   - replace: empty the target's tables first; otherwise a target holding rows is refused (`.conflict`).
    ///   - pageSize: rows read and written at a time (memory stays bounded by one page).
    /// - Throws: `.store` when a count differs after the copy (the copy is then already committed:
    ///   run it again with `replace`).
    public static func sqliteToPostgres(from path: String, toURL url: String, password: String?, replace: Bool,
                                        pageSize: Int = 1000, logger: Logger) async throws -> [TableReport] {
        try await sqliteToPostgres(from: path, to: try PostgresStoreConfiguration(url: url, password: password), replace: replace,
                                   pageSize: pageSize, logger: logger)
    }

    public static func sqliteToPostgres(from path: String, to configuration: PostgresStoreConfiguration, replace: Bool,
                                        pageSize: Int = 1000, logger: Logger) async throws -> [TableReport] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CrosswalkError(.notFound, "there is no SQLite database at \(path)", context: ["path": path])
        }
        let source = try await SQLiteStore.open(path: path, logger: logger)
        defer { Task { await source.close() } }
        let target = try await PostgresStore.open(configuration, logger: logger)
        do {
            let tables = StoreTable.all
            _ = try await target.importTables(tables, replace: replace) { table, offset in
                try await source.exportRows(table, limit: pageSize, offset: offset)
            }
            var reports: [TableReport] = []
            for table in tables {
                reports.append(TableReport(table: table.name, source: try await source.rowCount(table), target: try await target.rowCount(table)))
            }
            try await target.close()
            await source.close()
            if let wrong = reports.first(where: { $0.source != $0.target }) {
                throw CrosswalkError(.store, "the copy of \(wrong.table) holds \(wrong.target) rows, the source \(wrong.source)", context: ["table": wrong.table])
            }
            return reports
        } catch {
            try? await target.close()
            throw error
        }
    }
}
