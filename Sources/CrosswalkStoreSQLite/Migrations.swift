import CrosswalkStore
import CrosswalkCore
import Foundation
import Logging

/// One step of the schema: migration `version` runs once, in its own transaction.
struct Migration: Sendable {
    let version: Int
    let sql: String
}

/// Brings a database up to the newest migration this binary knows, recording each applied step in
/// `schema_migrations`.
enum Migrator {
    /// Applies the migrations the database lacks, in order.
    ///
    /// - Throws: `.storeSchemaTooNew` when the database already has a migration newer than the
    ///   last of `migrations` (a newer Crosswalk wrote it); the database is then left untouched.
    static func migrate(_ connection: SQLiteConnection, _ migrations: [Migration], logger: Logger) throws {
        precondition(zip(migrations, migrations.dropFirst()).allSatisfy { $0.version < $1.version }, "migrations must be in increasing order")
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                applied_at INTEGER NOT NULL
            )
            """)
        let known = migrations.last?.version ?? 0
        let current = try version(of: connection)
        guard current <= known else {
            throw CrosswalkError(
                .storeSchemaTooNew,
                "the database has schema version \(current) but this Crosswalk knows versions up to \(known); run a Crosswalk at least as new as the one that last opened it",
                context: ["database": connection.path])
        }
        for migration in migrations where migration.version > current {
            let applied = try connection.transaction {
                // Another process may have applied it while this one waited for the write lock.
                guard try version(of: connection) < migration.version else { return false }
                try connection.execute(migration.sql)
                try connection.run("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", [.int(migration.version), .date(Date())])
                return true
            }
            if applied {
                logger.info("applied store migration", metadata: ["version": "\(migration.version)", "database": "\(connection.path)"])
            }
        }
    }

    /// The highest applied migration, 0 for a new database.
    static func version(of connection: SQLiteConnection) throws -> Int {
        try connection.queryFirst("SELECT coalesce(max(version), 0) FROM schema_migrations") { $0.int(0) } ?? 0
    }
}
