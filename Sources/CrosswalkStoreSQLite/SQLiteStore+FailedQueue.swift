import CrosswalkStore
import CrosswalkCore
import Foundation

extension SQLiteStore {
    @discardableResult
    public func enqueueFailure(_ failure: RecordFailure) throws -> Int {
        try database().enqueueFailure(failure, now: Date())
    }

    public func dueFailures(limit: Int, now: Date) throws -> [FailedRecord] {
        try database().query("\(FailureSQL.select) WHERE next_retry_at <= ? ORDER BY next_retry_at LIMIT ?", [.date(now), .int(limit)], FailureSQL.row)
    }

    @discardableResult
    public func removeFailure(flow: String, source: RecordRef) throws -> Bool {
        try database().removeFailure(flow: flow, source: source)
    }

    public func failures(flow: String?, limit: Int, offset: Int) throws -> [FailedRecord] {
        if let flow {
            return try database().query("\(FailureSQL.select) WHERE flow = ? ORDER BY first_failed_at, source_id LIMIT ? OFFSET ?",
                                        [.text(flow), .int(limit), .int(offset)], FailureSQL.row)
        }
        return try database().query("\(FailureSQL.select) ORDER BY first_failed_at, flow, source_id LIMIT ? OFFSET ?", [.int(limit), .int(offset)], FailureSQL.row)
    }

    public func failure(flow: String, source: RecordRef) throws -> FailedRecord? {
        try database().queryFirst("\(FailureSQL.select) WHERE flow = ? AND source_connection = ? AND source_object = ? AND source_id = ?",
                                  [.text(flow), .text(source.connection), .text(source.object), .text(source.id)], FailureSQL.row)
    }

    public func failureCount(flow: String?) throws -> Int {
        if let flow { return try database().queryFirst("SELECT count(*) FROM failed_records WHERE flow = ?", [.text(flow)]) { $0.int(0) } ?? 0 }
        return try database().queryFirst("SELECT count(*) FROM failed_records") { $0.int(0) } ?? 0
    }

    public func waitingFailures(flow: String, limit: Int) throws -> [FailedRecord] {
        try database().query("\(FailureSQL.select) WHERE flow = ? AND waiting_id IS NOT NULL ORDER BY first_failed_at, source_id LIMIT ?",
                             [.text(flow), .int(limit)], FailureSQL.row)
    }
}

private enum FailureSQL {
    static let select = """
        SELECT flow, source_connection, source_object, source_id, payload, error_code, message, next_retry_at,
               attempts, first_failed_at, updated_at, waiting_connection, waiting_object, waiting_id
        FROM failed_records
        """

    static func row(_ row: Row) -> FailedRecord {
        let waiting: RecordRef? = row.isNull(13) ? nil : RecordRef(connection: row.text(11), object: row.text(12), id: row.text(13))
        return FailedRecord(
            failure: RecordFailure(
                flow: row.text(0),
                source: RecordRef(connection: row.text(1), object: row.text(2), id: row.text(3)),
                payloadJSON: row.text(4),
                errorCode: CrosswalkError.Code(row.text(5)),
                message: row.text(6),
                nextRetryAt: row.date(7),
                waitingOn: waiting),
            attempts: row.int(8),
            firstFailedAt: row.date(9),
            updatedAt: row.date(10))
    }
}

extension SQLiteConnection {
    /// Inserts the failure or bumps the attempts of the queued one; returns the attempt count.
    func enqueueFailure(_ failure: RecordFailure, now: Date) throws -> Int {
        let attempts = try queryFirst("""
            INSERT INTO failed_records (flow, source_connection, source_object, source_id, payload, error_code, message,
                                        attempts, next_retry_at, first_failed_at, updated_at, waiting_connection, waiting_object, waiting_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?9, ?10, ?11, ?12)
            ON CONFLICT (flow, source_connection, source_object, source_id) DO UPDATE SET
                payload = excluded.payload,
                error_code = excluded.error_code,
                message = excluded.message,
                attempts = failed_records.attempts + 1,
                next_retry_at = excluded.next_retry_at,
                updated_at = excluded.updated_at,
                waiting_connection = excluded.waiting_connection,
                waiting_object = excluded.waiting_object,
                waiting_id = excluded.waiting_id
            RETURNING attempts
            """, [
                .text(failure.flow), .text(failure.source.connection), .text(failure.source.object), .text(failure.source.id),
                .text(failure.payloadJSON), .text(failure.errorCode.rawValue), .text(failure.message),
                .date(failure.nextRetryAt), .date(now),
                .optionalText(failure.waitingOn?.connection), .optionalText(failure.waitingOn?.object), .optionalText(failure.waitingOn?.id),
            ]) { $0.int(0) }
        return attempts ?? 1
    }

    func removeFailure(flow: String, source: RecordRef) throws -> Bool {
        try run("DELETE FROM failed_records WHERE flow = ? AND source_connection = ? AND source_object = ? AND source_id = ?",
                [.text(flow), .text(source.connection), .text(source.object), .text(source.id)]) > 0
    }
}
