extension Migration {
    /// Every migration of the SQLite store, oldest first. Append only: a released migration
    /// never changes.
    static let sqliteStore: [Migration] = [
        Migration(version: 1, sql: """
            -- Each (link, connection, object) once, so the ID map's keys are a small integer and an id.
            CREATE TABLE id_map_scopes (
                id INTEGER PRIMARY KEY,
                link TEXT NOT NULL,
                connection TEXT NOT NULL,
                object TEXT NOT NULL,
                UNIQUE (link, connection, object)
            );

            -- A record maps at most once per link, from either side.
            CREATE TABLE id_map (
                a_scope INTEGER NOT NULL REFERENCES id_map_scopes (id),
                a_id TEXT NOT NULL,
                b_scope INTEGER NOT NULL REFERENCES id_map_scopes (id),
                b_id TEXT NOT NULL,
                a_fingerprint TEXT,
                b_fingerprint TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (a_scope, a_id)
            ) WITHOUT ROWID;
            CREATE UNIQUE INDEX id_map_by_b ON id_map (b_scope, b_id);

            CREATE TABLE flow_cursors (
                flow TEXT NOT NULL,
                object TEXT NOT NULL,
                cursor TEXT NOT NULL CHECK (json_valid(cursor)),
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (flow, object)
            ) WITHOUT ROWID;

            CREATE TABLE runs (
                id INTEGER PRIMARY KEY,
                flow TEXT NOT NULL,
                trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('schedule', 'webhook', 'manual', 'initial_import', 'retry')),
                status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'cancelled')),
                started_at INTEGER NOT NULL,
                finished_at INTEGER,
                created INTEGER NOT NULL DEFAULT 0,
                updated INTEGER NOT NULL DEFAULT 0,
                deleted INTEGER NOT NULL DEFAULT 0,
                skipped INTEGER NOT NULL DEFAULT 0,
                failed INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX runs_by_flow ON runs (flow, id);

            CREATE TABLE sync_log (
                id INTEGER PRIMARY KEY,
                run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                source_connection TEXT NOT NULL,
                source_object TEXT NOT NULL,
                source_id TEXT NOT NULL,
                target_connection TEXT,
                target_object TEXT,
                target_id TEXT,
                action TEXT NOT NULL CHECK (action IN ('create', 'update', 'skip', 'delete')),
                outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'skipped')),
                reason TEXT,
                duration_ms INTEGER NOT NULL,
                at INTEGER NOT NULL
            );
            CREATE INDEX sync_log_by_run ON sync_log (run_id);

            CREATE TABLE failed_records (
                flow TEXT NOT NULL,
                source_connection TEXT NOT NULL,
                source_object TEXT NOT NULL,
                source_id TEXT NOT NULL,
                payload TEXT NOT NULL CHECK (json_valid(payload)),
                error_code TEXT NOT NULL,
                message TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                next_retry_at INTEGER NOT NULL,
                first_failed_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (flow, source_connection, source_object, source_id)
            );
            CREATE INDEX failed_records_by_due ON failed_records (next_retry_at);

            -- Sealed (encrypted) secrets: the vault module seals, the store keeps bytes.
            CREATE TABLE vault (
                name TEXT PRIMARY KEY,
                data BLOB NOT NULL,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE plugin_state (
                instance TEXT NOT NULL,
                key TEXT NOT NULL,
                value BLOB NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (instance, key)
            ) WITHOUT ROWID;
            """),
    ]
}
