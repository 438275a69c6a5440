import CrosswalkCore
import CrosswalkStore
import Foundation
import PostgresNIO

// MARK: Cursors

extension PostgresStore {
    public func cursor(flow: String, object: String) async throws -> FlowCursor? {
        try await queryFirst("reading a cursor", "SELECT cursor, updated_at FROM flow_cursors WHERE flow = $1 AND object = $2",
                             [.text(flow), .text(object)]) { FlowCursor(json: try $0.text(0), updatedAt: try $0.date(1)) }
    }

    public func setCursor(flow: String, object: String, json: String) async throws {
        try await read("saving a cursor") { try await setCursor(flow: flow, object: object, json: json, now: Date(), on: $0) }
    }

    func setCursor(flow: String, object: String, json: String, now: Date, on db: PostgresConnection) async throws {
        try await db.run("""
            INSERT INTO flow_cursors (flow, object, cursor, updated_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (flow, object) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
            """, [.text(flow), .text(object), .text(json), .date(now)], logger: logger)
    }
}

// MARK: Runs and sync log

extension PostgresStore {
    private static let runSelect = "SELECT id, flow, trigger_kind, status, started_at, finished_at, created, updated, deleted, skipped, failed FROM runs"

    private static func run(_ row: PGRow) throws -> Run {
        Run(id: try row.int64(0), flow: try row.text(1), trigger: try row.value(2, as: RunTrigger.self), status: try row.value(3, as: RunStatus.self),
            startedAt: try row.date(4), finishedAt: try row.optionalDate(5),
            counts: RunCounts(created: try row.int(6), updated: try row.int(7), deleted: try row.int(8), skipped: try row.int(9), failed: try row.int(10)))
    }

    public func startRun(flow: String, trigger: RunTrigger) async throws -> RunID {
        try await queryFirst("starting a run", "INSERT INTO runs (flow, trigger_kind, status, started_at) VALUES ($1, $2, 'running', $3) RETURNING id",
                             [.text(flow), .text(trigger.rawValue), .date(Date())]) { try $0.int64(0) } ?? 0
    }

    @discardableResult
    public func finishRun(_ id: RunID, status: RunStatus) async throws -> Run {
        let run = try await queryFirst("finishing a run", """
            UPDATE runs SET status = $1, finished_at = $2 WHERE id = $3
            RETURNING id, flow, trigger_kind, status, started_at, finished_at, created, updated, deleted, skipped, failed
            """, [.text(status.rawValue), .date(Date()), .int(id)], Self.run)
        guard let run else { throw CrosswalkError(.notFound, "there is no run \(id)", context: ["run": String(id)]) }
        return run
    }

    public func run(_ id: RunID) async throws -> Run? {
        try await queryFirst("reading a run", "\(Self.runSelect) WHERE id = $1", [.int(id)], Self.run)
    }

    public func runs(flow: String, limit: Int) async throws -> [Run] {
        try await query("reading runs", "\(Self.runSelect) WHERE flow = $1 ORDER BY id DESC LIMIT $2", [.text(flow), .int(limit)], Self.run)
    }

    public func syncLog(run: RunID, limit: Int, offset: Int) async throws -> [SyncLogEntry] {
        try await query("reading the sync log", """
            SELECT source_connection, source_object, source_id, target_connection, target_object, target_id,
                   action, outcome, reason, duration_ms, at
            FROM sync_log WHERE run_id = $1 ORDER BY id LIMIT $2 OFFSET $3
            """, [.int(run), .int(limit), .int(offset)]) { row in
            let target: RecordRef? = row.isNull(5) ? nil : RecordRef(connection: try row.text(3), object: try row.text(4), id: try row.text(5))
            return SyncLogEntry(
                source: RecordRef(connection: try row.text(0), object: try row.text(1), id: try row.text(2)),
                target: target, action: try row.value(6, as: SyncAction.self), outcome: try row.value(7, as: SyncOutcome.self),
                reason: try row.optionalText(8), durationMs: try row.int(9), at: try row.date(10))
        }
    }

    /// Adds log entries to a run's counts, then appends them (one statement for all of them).
    func appendLog(_ entries: [SyncLogEntry], run: RunID, on db: PostgresConnection) async throws {
        guard !entries.isEmpty else { return }
        var counts = RunCounts()
        for entry in entries { counts.add(entry) }
        let changed = try await db.run("""
            UPDATE runs SET created = created + $1, updated = updated + $2, deleted = deleted + $3, skipped = skipped + $4, failed = failed + $5
            WHERE id = $6 RETURNING 1
            """, [.int(counts.created), .int(counts.updated), .int(counts.deleted), .int(counts.skipped), .int(counts.failed), .int(run)], logger: logger)
        guard changed == 1 else { throw CrosswalkError(.notFound, "there is no run \(run) to log into", context: ["run": String(run)]) }
        // All entries in one statement: a JSON array of rows, inserted in its order (the log's).
        struct Row: Encodable {
            var sc, so, si: String
            var tc, to, ti: String?
            var action, outcome: String
            var reason: String?
            var d, t: Int64
        }
        let rows = entries.map {
            Row(sc: $0.source.connection, so: $0.source.object, si: $0.source.id, tc: $0.target?.connection, to: $0.target?.object, ti: $0.target?.id,
                action: $0.action.rawValue, outcome: $0.outcome.rawValue, reason: $0.reason, d: Int64($0.durationMs), t: $0.at.storeMilliseconds)
        }
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        try await db.run("""
            INSERT INTO sync_log (run_id, source_connection, source_object, source_id, target_connection, target_object, target_id,
                                  action, outcome, reason, duration_ms, at)
            SELECT $1, r.sc, r.so, r.si, r.tc, r."to", r.ti, r.action, r.outcome, r.reason, r.d, r.t
            FROM json_to_recordset($2::json) AS r(sc text, so text, si text, tc text, "to" text, ti text, action text, outcome text,
                                                  reason text, d bigint, t bigint)
            """, [.int(run), .text(json)], logger: logger)
    }
}

// MARK: Failed-record queue

extension PostgresStore {
    private static let failureSelect = """
        SELECT flow, source_connection, source_object, source_id, payload, error_code, message, next_retry_at,
               attempts, first_failed_at, updated_at, waiting_connection, waiting_object, waiting_id
        FROM failed_records
        """

    private static func failure(_ row: PGRow) throws -> FailedRecord {
        let waiting: RecordRef? = row.isNull(13) ? nil : RecordRef(connection: try row.text(11), object: try row.text(12), id: try row.text(13))
        return FailedRecord(
            failure: RecordFailure(flow: try row.text(0), source: RecordRef(connection: try row.text(1), object: try row.text(2), id: try row.text(3)),
                                   payloadJSON: try row.text(4), errorCode: CrosswalkError.Code(try row.text(5)), message: try row.text(6),
                                   nextRetryAt: try row.date(7), waitingOn: waiting),
            attempts: try row.int(8), firstFailedAt: try row.date(9), updatedAt: try row.date(10))
    }

    @discardableResult
    public func enqueueFailure(_ failure: RecordFailure) async throws -> Int {
        try await read("queueing a failure") { try await enqueueFailure(failure, now: Date(), on: $0) }
    }

    func enqueueFailure(_ failure: RecordFailure, now: Date, on db: PostgresConnection) async throws -> Int {
        try await db.queryFirst("""
            INSERT INTO failed_records (flow, source_connection, source_object, source_id, payload, error_code, message,
                                        attempts, next_retry_at, first_failed_at, updated_at, waiting_connection, waiting_object, waiting_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $9, $10, $11, $12)
            ON CONFLICT (flow, source_connection, source_object, source_id) DO UPDATE SET
                payload = excluded.payload, error_code = excluded.error_code, message = excluded.message,
                attempts = failed_records.attempts + 1, next_retry_at = excluded.next_retry_at, updated_at = excluded.updated_at,
                waiting_connection = excluded.waiting_connection, waiting_object = excluded.waiting_object, waiting_id = excluded.waiting_id
            RETURNING attempts
            """, [.text(failure.flow), .text(failure.source.connection), .text(failure.source.object), .text(failure.source.id),
                  .text(failure.payloadJSON), .text(failure.errorCode.rawValue), .text(failure.message), .date(failure.nextRetryAt), .date(now),
                  .optionalText(failure.waitingOn?.connection), .optionalText(failure.waitingOn?.object), .optionalText(failure.waitingOn?.id)],
            logger: logger) { try $0.int(0) } ?? 1
    }

    func removeFailure(flow: String, source: RecordRef, on db: PostgresConnection) async throws -> Bool {
        try await db.run("DELETE FROM failed_records WHERE flow = $1 AND source_connection = $2 AND source_object = $3 AND source_id = $4 RETURNING 1",
                         [.text(flow), .text(source.connection), .text(source.object), .text(source.id)], logger: logger) > 0
    }

    public func dueFailures(limit: Int, now: Date) async throws -> [FailedRecord] {
        try await query("reading due failures", "\(Self.failureSelect) WHERE next_retry_at <= $1 ORDER BY next_retry_at LIMIT $2",
                        [.date(now), .int(limit)], Self.failure)
    }

    @discardableResult
    public func removeFailure(flow: String, source: RecordRef) async throws -> Bool {
        try await read("removing a failure") { try await removeFailure(flow: flow, source: source, on: $0) }
    }

    public func failures(flow: String?, limit: Int, offset: Int) async throws -> [FailedRecord] {
        if let flow {
            return try await query("reading failures", "\(Self.failureSelect) WHERE flow = $1 ORDER BY first_failed_at, source_id LIMIT $2 OFFSET $3",
                                   [.text(flow), .int(limit), .int(offset)], Self.failure)
        }
        return try await query("reading failures", "\(Self.failureSelect) ORDER BY first_failed_at, flow, source_id LIMIT $1 OFFSET $2",
                               [.int(limit), .int(offset)], Self.failure)
    }

    public func failure(flow: String, source: RecordRef) async throws -> FailedRecord? {
        try await queryFirst("reading a failure", "\(Self.failureSelect) WHERE flow = $1 AND source_connection = $2 AND source_object = $3 AND source_id = $4",
                             [.text(flow), .text(source.connection), .text(source.object), .text(source.id)], Self.failure)
    }

    public func failureCount(flow: String?) async throws -> Int {
        if let flow {
            return try await queryFirst("counting failures", "SELECT count(*) FROM failed_records WHERE flow = $1", [.text(flow)]) { try $0.int(0) } ?? 0
        }
        return try await queryFirst("counting failures", "SELECT count(*) FROM failed_records") { try $0.int(0) } ?? 0
    }

    public func waitingFailures(flow: String, limit: Int) async throws -> [FailedRecord] {
        try await query("reading waiting failures",
                        "\(Self.failureSelect) WHERE flow = $1 AND waiting_id IS NOT NULL ORDER BY first_failed_at, source_id LIMIT $2",
                        [.text(flow), .int(limit)], Self.failure)
    }
}

// MARK: Vault and plugin state

extension PostgresStore {
    public func putSealed(name: String, data: Data) async throws {
        try await run("saving a vault entry", """
            INSERT INTO vault (name, data, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at
            """, [.text(name), .bytes(data), .date(Date())])
    }

    public func sealed(name: String) async throws -> Data? {
        try await queryFirst("reading a vault entry", "SELECT data FROM vault WHERE name = $1", [.text(name)]) { try $0.bytes(0) }
    }

    @discardableResult
    public func deleteSealed(name: String) async throws -> Bool {
        try await run("removing a vault entry", "DELETE FROM vault WHERE name = $1 RETURNING 1", [.text(name)]) > 0
    }

    public func sealedNames() async throws -> [String] {
        try await query("listing the vault", "SELECT name FROM vault ORDER BY name") { try $0.text(0) }
    }

    public func state(instance: String, key: String) async throws -> Data? {
        try await queryFirst("reading plugin state", "SELECT value FROM plugin_state WHERE instance = $1 AND key = $2",
                             [.text(instance), .text(key)]) { try $0.bytes(0) }
    }

    public func putState(instance: String, key: String, value: Data) async throws {
        try await run("saving plugin state", """
            INSERT INTO plugin_state (instance, key, value, updated_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (instance, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """, [.text(instance), .text(key), .bytes(value), .date(Date())])
    }

    @discardableResult
    public func deleteState(instance: String, key: String) async throws -> Bool {
        try await run("removing plugin state", "DELETE FROM plugin_state WHERE instance = $1 AND key = $2 RETURNING 1", [.text(instance), .text(key)]) > 0
    }

    public func stateKeys(instance: String) async throws -> [String] {
        try await query("listing plugin state", "SELECT key FROM plugin_state WHERE instance = $1 ORDER BY key", [.text(instance)]) { try $0.text(0) }
    }
}

// MARK: Write intents

extension PostgresStore {
    /// Under a lease (``Fencing/lease``) the intents are recorded only while it is still this
    /// host's: a host that lost its flow is stopped before it writes to the app, not only at its commit.
    public func recordIntents(_ batch: IntentBatch) async throws {
        guard let lease = Fencing.lease else {
            return try await read("recording write intents") { try await putIntents(batch, on: $0) }
        }
        try await transaction("recording write intents") { db in
            try await checkFencing(lease, on: db)
            try await putIntents(batch, on: db)
        }
    }

    public func pendingIntents(flow: String) async throws -> [IntentBatch] {
        try await query("reading write intents", "SELECT batch FROM write_intents WHERE flow = $1 ORDER BY created_at, id", [.text(flow)]) {
            try IntentCoding.decode(try $0.text(0))
        }
    }

    func putIntents(_ batch: IntentBatch, on db: PostgresConnection) async throws {
        try await db.run("""
            INSERT INTO write_intents (flow, id, batch, created_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (flow, id) DO UPDATE SET batch = excluded.batch
            """, [.text(batch.flow), .text(batch.id), .text(try IntentCoding.encode(batch)), .date(batch.createdAt)], logger: logger)
    }
}

// MARK: Flows, flow states, admin documents

extension PostgresStore {
    private static func storedFlow(_ row: PGRow) throws -> StoredFlow {
        StoredFlow(name: try row.text(0), json: try row.text(1), createdAt: try row.date(2), updatedAt: try row.date(3))
    }

    public func putFlow(name: String, json: String) async throws {
        try await run("saving a flow", """
            INSERT INTO flows (name, definition, created_at, updated_at) VALUES ($1, $2, $3, $3)
            ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
            """, [.text(name), .text(json), .date(Date())])
    }

    public func flow(name: String) async throws -> StoredFlow? {
        try await queryFirst("reading a flow", "SELECT name, definition, created_at, updated_at FROM flows WHERE name = $1", [.text(name)], Self.storedFlow)
    }

    public func flows() async throws -> [StoredFlow] {
        try await query("reading flows", "SELECT name, definition, created_at, updated_at FROM flows ORDER BY name", [], Self.storedFlow)
    }

    @discardableResult
    public func deleteFlow(name: String) async throws -> Bool {
        try await run("removing a flow", "DELETE FROM flows WHERE name = $1 RETURNING 1", [.text(name)]) > 0
    }

    private static func flowState(_ row: PGRow) throws -> FlowState {
        FlowState(name: try row.text(0), enabled: try row.bool(1), updatedAt: try row.date(2))
    }

    public func flowState(name: String) async throws -> FlowState? {
        try await queryFirst("reading a flow state", "SELECT name, enabled, updated_at FROM flow_states WHERE name = $1", [.text(name)], Self.flowState)
    }

    public func flowStates() async throws -> [FlowState] {
        try await query("reading flow states", "SELECT name, enabled, updated_at FROM flow_states ORDER BY name", [], Self.flowState)
    }

    public func setFlowEnabled(name: String, enabled: Bool) async throws {
        try await run("switching a flow", """
            INSERT INTO flow_states (name, enabled, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at
            """, [.text(name), .bool(enabled), .date(Date())])
    }

    private static func document(_ row: PGRow) throws -> AdminDocument {
        AdminDocument(kind: AdminDocumentKind(rawValue: try row.text(0)) ?? .connection, name: try row.text(1), json: try row.text(2),
                      createdAt: try row.date(3), updatedAt: try row.date(4))
    }

    public func putDocument(kind: AdminDocumentKind, name: String, json: String) async throws {
        try await run("saving an admin document", """
            INSERT INTO admin_documents (kind, name, definition, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
            ON CONFLICT (kind, name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
            """, [.text(kind.rawValue), .text(name), .text(json), .date(Date())])
    }

    public func document(kind: AdminDocumentKind, name: String) async throws -> AdminDocument? {
        try await queryFirst("reading an admin document",
                             "SELECT kind, name, definition, created_at, updated_at FROM admin_documents WHERE kind = $1 AND name = $2",
                             [.text(kind.rawValue), .text(name)], Self.document)
    }

    public func documents(kind: AdminDocumentKind) async throws -> [AdminDocument] {
        try await query("reading admin documents",
                        "SELECT kind, name, definition, created_at, updated_at FROM admin_documents WHERE kind = $1 ORDER BY name",
                        [.text(kind.rawValue)], Self.document)
    }

    @discardableResult
    public func deleteDocument(kind: AdminDocumentKind, name: String) async throws -> Bool {
        try await run("removing an admin document", "DELETE FROM admin_documents WHERE kind = $1 AND name = $2 RETURNING 1",
                      [.text(kind.rawValue), .text(name)]) > 0
    }
}

// MARK: Batches

extension PostgresStore {
    /// Commits with the fencing token of the task's lease (``Fencing/lease``), if it runs under one.
    public func commitBatch(_ batch: BatchCommit) async throws {
        try await commitBatch(batch, fencing: Fencing.lease)
    }

    /// Commits a batch in one transaction; with `fencing`, only while that lease is still held with
    /// that token (checked inside the transaction, the lease row locked until the commit).
    /// - Throws: `.fenced` when the lease was taken over (or lost), and nothing is written.
    public func commitBatch(_ batch: BatchCommit, fencing: LeaseToken?) async throws {
        let now = Date()
        try await createScopes(for: batch.mappings)
        try await transaction("committing a batch") { db in
            if let fencing { try await checkFencing(fencing, on: db) }
            // Removals first: a mapping may move to another record in the same batch (a merge).
            for key in batch.removedMappings { _ = try await delete(key, on: db) }
            try await upsertAll(batch.mappings, now: now, on: db)
            try await appendLog(batch.log, run: batch.run, on: db)
            for failure in batch.failures { _ = try await enqueueFailure(failure, now: now, on: db) }
            for source in batch.resolvedFailures { _ = try await removeFailure(flow: batch.flow, source: source, on: db) }
            for id in batch.resolvedIntents {
                try await db.run("DELETE FROM write_intents WHERE flow = $1 AND id = $2", [.text(batch.flow), .text(id)], logger: logger)
            }
            for pending in batch.pendingIntents { try await putIntents(pending, on: db) }
            if let cursor = batch.cursor {
                try await setCursor(flow: batch.flow, object: cursor.object, json: cursor.json, now: now, on: db)
            }
        }
    }
}
