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
        Migration(version: 2, sql: """
            -- The sync engine (issue 15). A record has at most one twin per object of the other side
            -- (a SPOTIO lead can be a Salesforce Account, Contact and Opportunity): the other side's
            -- scope joins each key.
            CREATE TABLE id_map_v2 (
                a_scope INTEGER NOT NULL REFERENCES id_map_scopes (id),
                a_id TEXT NOT NULL,
                b_scope INTEGER NOT NULL REFERENCES id_map_scopes (id),
                b_id TEXT NOT NULL,
                a_fingerprint TEXT,
                b_fingerprint TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (a_scope, a_id, b_scope)
            ) WITHOUT ROWID;
            INSERT INTO id_map_v2 SELECT a_scope, a_id, b_scope, b_id, a_fingerprint, b_fingerprint, created_at, updated_at FROM id_map;
            DROP TABLE id_map;
            ALTER TABLE id_map_v2 RENAME TO id_map;
            CREATE UNIQUE INDEX id_map_by_b ON id_map (b_scope, b_id, a_scope);

            -- Writes made durable before they are sent; removed with the commit of their answer.
            CREATE TABLE write_intents (
                flow TEXT NOT NULL,
                id TEXT NOT NULL,
                batch TEXT NOT NULL CHECK (json_valid(batch)),
                created_at INTEGER NOT NULL,
                PRIMARY KEY (flow, id)
            ) WITHOUT ROWID;

            -- A failure that waits for another record to be synced first.
            ALTER TABLE failed_records ADD COLUMN waiting_connection TEXT;
            ALTER TABLE failed_records ADD COLUMN waiting_object TEXT;
            ALTER TABLE failed_records ADD COLUMN waiting_id TEXT;
            CREATE INDEX failed_records_waiting ON failed_records (flow, waiting_id) WHERE waiting_id IS NOT NULL;
            CREATE INDEX failed_records_by_first ON failed_records (flow, first_failed_at);

            -- Flow definitions as JSON, for the admin API.
            CREATE TABLE flows (
                name TEXT PRIMARY KEY,
                definition TEXT NOT NULL CHECK (json_valid(definition)),
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
        Migration(version: 3, sql: """
            -- Whether a flow is switched on (the admin API's enable/disable), over the config's `enabled:`.
            CREATE TABLE flow_states (
                name TEXT PRIMARY KEY,
                enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
        Migration(version: 4, sql: """
            -- The webhook inbox (issue 16): verified deliveries, committed before the app is answered,
            -- processed later. One row per (connection, dedupe key): a replay is counted, not stored.
            -- Signature headers are dropped before a row is written; no secret is ever stored here.
            CREATE TABLE webhook_inbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                connection TEXT NOT NULL,
                dedupe_key TEXT NOT NULL,
                method TEXT NOT NULL,
                path TEXT NOT NULL,
                query TEXT,
                url TEXT NOT NULL,
                headers TEXT NOT NULL CHECK (json_valid(headers)),
                body BLOB NOT NULL,
                verified INTEGER NOT NULL,
                received_at INTEGER NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'processing', 'done', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                next_attempt_at INTEGER NOT NULL,
                claimed_until INTEGER,
                duplicates INTEGER NOT NULL DEFAULT 0,
                updated_at INTEGER NOT NULL,
                UNIQUE (connection, dedupe_key)
            );
            CREATE INDEX webhook_inbox_open ON webhook_inbox (state, next_attempt_at) WHERE state IN ('pending', 'processing');
            CREATE INDEX webhook_inbox_done ON webhook_inbox (updated_at) WHERE state = 'done';
            """),
        Migration(version: 5, sql: """
            -- What the admin API creates beside the config file (issue 16): connections (their
            -- secrets are in the vault, never here), models, and each connection's discovered schema.
            CREATE TABLE admin_documents (
                kind TEXT NOT NULL CHECK (kind IN ('connection', 'model', 'schema')),
                name TEXT NOT NULL,
                definition TEXT NOT NULL CHECK (json_valid(definition)),
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (kind, name)
            ) WITHOUT ROWID;
            """),
    ]
}
