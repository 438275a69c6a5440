import CrosswalkStore
import CrosswalkCore
import Foundation

extension SQLiteStore {
    public func startRun(flow: String, trigger: RunTrigger) throws -> RunID {
        let database = try database()
        try database.run("INSERT INTO runs (flow, trigger_kind, status, started_at) VALUES (?, ?, 'running', ?)", [.text(flow), .text(trigger.rawValue), .date(Date())])
        return database.lastInsertedRowID
    }

    @discardableResult
    public func finishRun(_ id: RunID, status: RunStatus) throws -> Run {
        let database = try database()
        return try database.transaction {
            try database.run("UPDATE runs SET status = ?, finished_at = ? WHERE id = ?", [.text(status.rawValue), .date(Date()), .integer(id)])
            guard let run = try database.queryFirst("\(RunSQL.select) WHERE id = ?", [.integer(id)], RunSQL.run) else {
                throw CrosswalkError(.notFound, "there is no run \(id)", context: ["run": String(id)])
            }
            return run
        }
    }

    public func run(_ id: RunID) throws -> Run? {
        try database().queryFirst("\(RunSQL.select) WHERE id = ?", [.integer(id)], RunSQL.run)
    }

    public func runs(flow: String, limit: Int) throws -> [Run] {
        try database().query("\(RunSQL.select) WHERE flow = ? ORDER BY id DESC LIMIT ?", [.text(flow), .int(limit)], RunSQL.run)
    }

    public func syncLog(run: RunID, limit: Int, offset: Int) throws -> [SyncLogEntry] {
        try database().query("""
            SELECT source_connection, source_object, source_id, target_connection, target_object, target_id,
                   action, outcome, reason, duration_ms, at
            FROM sync_log WHERE run_id = ? ORDER BY id LIMIT ? OFFSET ?
            """, [.integer(run), .int(limit), .int(offset)]) { row in
            let target: RecordRef? = row.isNull(5) ? nil : RecordRef(connection: row.text(3), object: row.text(4), id: row.text(5))
            return SyncLogEntry(
                source: RecordRef(connection: row.text(0), object: row.text(1), id: row.text(2)),
                target: target,
                action: try row.value(6, as: SyncAction.self),
                outcome: try row.value(7, as: SyncOutcome.self),
                reason: row.optionalText(8),
                durationMs: row.int(9),
                at: row.date(10))
        }
    }
}

extension SQLiteConnection {
    /// Appends log entries to a run and adds them to its counts.
    func appendLog(_ entries: [SyncLogEntry], run: RunID) throws {
        guard !entries.isEmpty else { return }
        var counts = RunCounts()
        for entry in entries {
            counts.add(entry)
            try self.run("""
                INSERT INTO sync_log (run_id, source_connection, source_object, source_id, target_connection, target_object, target_id,
                                      action, outcome, reason, duration_ms, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                    .integer(run),
                    .text(entry.source.connection), .text(entry.source.object), .text(entry.source.id),
                    .optionalText(entry.target?.connection), .optionalText(entry.target?.object), .optionalText(entry.target?.id),
                    .text(entry.action.rawValue), .text(entry.outcome.rawValue), .optionalText(entry.reason),
                    .int(entry.durationMs), .date(entry.at),
                ])
        }
        let changed = try self.run("""
            UPDATE runs SET created = created + ?, updated = updated + ?, deleted = deleted + ?, skipped = skipped + ?, failed = failed + ?
            WHERE id = ?
            """, [.int(counts.created), .int(counts.updated), .int(counts.deleted), .int(counts.skipped), .int(counts.failed), .integer(run)])
        guard changed == 1 else { throw CrosswalkError(.notFound, "there is no run \(run) to log into", context: ["run": String(run)]) }
    }
}

private enum RunSQL {
    static let select = """
        SELECT id, flow, trigger_kind, status, started_at, finished_at, created, updated, deleted, skipped, failed FROM runs
        """

    static func run(_ row: Row) throws -> Run {
        Run(
            id: row.int64(0),
            flow: row.text(1),
            trigger: try row.value(2, as: RunTrigger.self),
            status: try row.value(3, as: RunStatus.self),
            startedAt: row.date(4),
            finishedAt: row.optionalDate(5),
            counts: RunCounts(created: row.int(6), updated: row.int(7), deleted: row.int(8), skipped: row.int(9), failed: row.int(10)))
    }
}
