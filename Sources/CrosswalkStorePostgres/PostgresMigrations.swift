import CrosswalkCore
import CrosswalkStore
import Foundation
import Logging
import PostgresNIO

/// One step of the PostgreSQL schema: its statements run once, in one transaction.
struct PostgresMigration: Sendable {
    let version: Int
    let statements: [String]
}

extension PostgresMigration {
    /// Every migration of the PostgreSQL store, oldest first. Append only: a released migration never
    /// changes. Version 1 is the SQLite store's schema up to its migration 5 (tables and columns of
    /// the same names, dates as milliseconds since 1970, ids compared byte by byte with `COLLATE "C"`
    /// like SQLite's), so `crosswalk store migrate` copies rows as they are.
    static let all: [PostgresMigration] = [
        PostgresMigration(version: 1, statements: [
            """
            CREATE TABLE id_map_scopes (
                id BIGSERIAL PRIMARY KEY,
                link TEXT COLLATE "C" NOT NULL,
                connection TEXT COLLATE "C" NOT NULL,
                object TEXT COLLATE "C" NOT NULL,
                UNIQUE (link, connection, object)
            )
            """,
            """
            CREATE TABLE id_map (
                a_scope BIGINT NOT NULL REFERENCES id_map_scopes (id),
                a_id TEXT COLLATE "C" NOT NULL,
                b_scope BIGINT NOT NULL REFERENCES id_map_scopes (id),
                b_id TEXT COLLATE "C" NOT NULL,
                a_fingerprint TEXT,
                b_fingerprint TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (a_scope, a_id, b_scope)
            )
            """,
            "CREATE UNIQUE INDEX id_map_by_b ON id_map (b_scope, b_id, a_scope)",
            """
            CREATE TABLE flow_cursors (
                flow TEXT COLLATE "C" NOT NULL,
                object TEXT COLLATE "C" NOT NULL,
                cursor TEXT NOT NULL CHECK (cursor::json IS NOT NULL),
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (flow, object)
            )
            """,
            """
            CREATE TABLE runs (
                id BIGSERIAL PRIMARY KEY,
                flow TEXT COLLATE "C" NOT NULL,
                trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('schedule', 'webhook', 'manual', 'initial_import', 'retry')),
                status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'cancelled')),
                started_at BIGINT NOT NULL,
                finished_at BIGINT,
                created BIGINT NOT NULL DEFAULT 0,
                updated BIGINT NOT NULL DEFAULT 0,
                deleted BIGINT NOT NULL DEFAULT 0,
                skipped BIGINT NOT NULL DEFAULT 0,
                failed BIGINT NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX runs_by_flow ON runs (flow, id)",
            """
            CREATE TABLE sync_log (
                id BIGSERIAL PRIMARY KEY,
                run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                source_connection TEXT NOT NULL,
                source_object TEXT NOT NULL,
                source_id TEXT NOT NULL,
                target_connection TEXT,
                target_object TEXT,
                target_id TEXT,
                action TEXT NOT NULL CHECK (action IN ('create', 'update', 'skip', 'delete')),
                outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'skipped')),
                reason TEXT,
                duration_ms BIGINT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX sync_log_by_run ON sync_log (run_id, id)",
            """
            CREATE TABLE failed_records (
                flow TEXT COLLATE "C" NOT NULL,
                source_connection TEXT COLLATE "C" NOT NULL,
                source_object TEXT COLLATE "C" NOT NULL,
                source_id TEXT COLLATE "C" NOT NULL,
                payload TEXT NOT NULL CHECK (payload::json IS NOT NULL),
                error_code TEXT NOT NULL,
                message TEXT NOT NULL,
                attempts BIGINT NOT NULL,
                next_retry_at BIGINT NOT NULL,
                first_failed_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                waiting_connection TEXT,
                waiting_object TEXT,
                waiting_id TEXT,
                PRIMARY KEY (flow, source_connection, source_object, source_id)
            )
            """,
            "CREATE INDEX failed_records_by_due ON failed_records (next_retry_at)",
            "CREATE INDEX failed_records_waiting ON failed_records (flow, waiting_id) WHERE waiting_id IS NOT NULL",
            "CREATE INDEX failed_records_by_first ON failed_records (flow, first_failed_at)",
            """
            CREATE TABLE vault (
                name TEXT COLLATE "C" PRIMARY KEY,
                data BYTEA NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE plugin_state (
                instance TEXT COLLATE "C" NOT NULL,
                key TEXT COLLATE "C" NOT NULL,
                value BYTEA NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (instance, key)
            )
            """,
            """
            CREATE TABLE write_intents (
                flow TEXT COLLATE "C" NOT NULL,
                id TEXT COLLATE "C" NOT NULL,
                batch TEXT NOT NULL CHECK (batch::json IS NOT NULL),
                created_at BIGINT NOT NULL,
                PRIMARY KEY (flow, id)
            )
            """,
            """
            CREATE TABLE flows (
                name TEXT COLLATE "C" PRIMARY KEY,
                definition TEXT NOT NULL CHECK (definition::json IS NOT NULL),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE flow_states (
                name TEXT COLLATE "C" PRIMARY KEY,
                enabled BOOLEAN NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE webhook_inbox (
                id BIGSERIAL PRIMARY KEY,
                connection TEXT COLLATE "C" NOT NULL,
                dedupe_key TEXT COLLATE "C" NOT NULL,
                method TEXT NOT NULL,
                path TEXT NOT NULL,
                query TEXT,
                url TEXT NOT NULL,
                headers TEXT NOT NULL CHECK (headers::json IS NOT NULL),
                body BYTEA NOT NULL,
                verified BOOLEAN NOT NULL,
                received_at BIGINT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'processing', 'done', 'failed')),
                attempts BIGINT NOT NULL DEFAULT 0,
                last_error TEXT,
                next_attempt_at BIGINT NOT NULL,
                claimed_until BIGINT,
                duplicates BIGINT NOT NULL DEFAULT 0,
                updated_at BIGINT NOT NULL,
                UNIQUE (connection, dedupe_key)
            )
            """,
            "CREATE INDEX webhook_inbox_open ON webhook_inbox (state, next_attempt_at) WHERE state IN ('pending', 'processing')",
            "CREATE INDEX webhook_inbox_done ON webhook_inbox (updated_at) WHERE state = 'done'",
            """
            CREATE TABLE admin_documents (
                kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('connection', 'model', 'schema')),
                name TEXT COLLATE "C" NOT NULL,
                definition TEXT NOT NULL CHECK (definition::json IS NOT NULL),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (kind, name)
            )
            """,
        ]),
        PostgresMigration(version: 2, statements: [
            """
            -- Work split between hosts (issue 17): who owns a flow or an inbox partition, until when,
            -- and the fencing token that grows on every takeover; a commit carrying an older token is refused.
            CREATE TABLE leases (
                name TEXT COLLATE "C" PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at BIGINT NOT NULL,
                token BIGINT NOT NULL,
                acquired_at BIGINT NOT NULL,
                renewed_at BIGINT NOT NULL
            )
            """,
        ]),
    ]
}

/// Brings a database up to the newest migration this binary knows, recording each step in
/// `schema_migrations`. Hosts starting together take turns through an advisory lock.
enum PostgresMigrator {
    /// An arbitrary constant naming Crosswalk's migration lock among the server's advisory locks.
    static let lockKey: Int64 = 0x4357_5f4d_4947 // "CW_MIG"

    /// Applies the migrations the database lacks, each in its own transaction.
    /// - Throws: `.storeSchemaTooNew` when the database has a migration newer than the binary's
    ///   newest; the database is then left untouched.
    static func migrate(_ connection: PostgresConnection, _ migrations: [PostgresMigration], server: String, logger: Logger) async throws {
        // Hosts starting together take turns: the lock is the session's, released when done (or
        // when the connection closes).
        try await connection.run("SELECT pg_advisory_lock($1)", [.int(lockKey)], logger: logger)
        do {
            try await migrateLocked(connection, migrations, server: server, logger: logger)
            try await connection.run("SELECT pg_advisory_unlock($1)", [.int(lockKey)], logger: logger)
        } catch {
            try? await connection.run("SELECT pg_advisory_unlock($1)", [.int(lockKey)], logger: logger)
            throw error
        }
    }

    private static func migrateLocked(_ connection: PostgresConnection, _ migrations: [PostgresMigration], server: String, logger: Logger) async throws {
        try await connection.run("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)", logger: logger)
        let known = migrations.last?.version ?? 0
        let current = try await version(of: connection, logger: logger)
        guard current <= known else { throw tooNew(current, known, server: server) }
        for migration in migrations where migration.version > current {
            try await connection.run("BEGIN", logger: logger)
            do {
                for statement in migration.statements { try await connection.run(statement, logger: logger) }
                try await connection.run("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                                         [.int(migration.version), .date(Date())], logger: logger)
                try await connection.run("COMMIT", logger: logger)
            } catch {
                try? await connection.run("ROLLBACK", logger: logger)
                throw error
            }
            logger.info("applied store migration", metadata: ["version": "\(migration.version)", "server": "\(server)"])
        }
    }

    /// The highest applied migration, 0 for a new database.
    static func version(of connection: PostgresConnection, logger: Logger) async throws -> Int {
        try await connection.queryFirst("SELECT coalesce(max(version), 0) FROM schema_migrations", logger: logger) { try $0.int(0) } ?? 0
    }

    private static func tooNew(_ current: Int, _ known: Int, server: String) -> CrosswalkError {
        CrosswalkError(
            .storeSchemaTooNew,
            "the database has schema version \(current) but this Crosswalk knows versions up to \(known); run a Crosswalk at least as new as the one that last opened it",
            context: ["server": server])
    }
}
