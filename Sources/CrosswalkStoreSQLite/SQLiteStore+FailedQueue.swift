import CrosswalkStore
import CrosswalkCore
import Foundation

extension SQLiteStore {
    @discardableResult
    public func enqueueFailure(_ failure: RecordFailure) throws -> Int {
        try database().enqueueFailure(failure, now: Date())
    }

    public func dueFailures(limit: Int, now: Date) throws -> [FailedRecord] {
        try database().query("""
            SELECT flow, source_connection, source_object, source_id, payload, error_code, message, next_retry_at,
                   attempts, first_failed_at, updated_at
            FROM failed_records WHERE next_retry_at <= ? ORDER BY next_retry_at LIMIT ?
            """, [.date(now), .int(limit)]) { row in
            FailedRecord(
                failure: RecordFailure(
                    flow: row.text(0),
                    source: RecordRef(connection: row.text(1), object: row.text(2), id: row.text(3)),
                    payloadJSON: row.text(4),
                    errorCode: CrosswalkError.Code(row.text(5)),
                    message: row.text(6),
                    nextRetryAt: row.date(7)),
                attempts: row.int(8),
                firstFailedAt: row.date(9),
                updatedAt: row.date(10))
        }
    }

    @discardableResult
    public func removeFailure(flow: String, source: RecordRef) throws -> Bool {
        try database().removeFailure(flow: flow, source: source)
    }
}

extension SQLiteConnection {
    /// Inserts the failure or bumps the attempts of the queued one; returns the attempt count.
    func enqueueFailure(_ failure: RecordFailure, now: Date) throws -> Int {
        let attempts = try queryFirst("""
            INSERT INTO failed_records (flow, source_connection, source_object, source_id, payload, error_code, message,
                                        attempts, next_retry_at, first_failed_at, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?9)
            ON CONFLICT (flow, source_connection, source_object, source_id) DO UPDATE SET
                payload = excluded.payload,
                error_code = excluded.error_code,
                message = excluded.message,
                attempts = failed_records.attempts + 1,
                next_retry_at = excluded.next_retry_at,
                updated_at = excluded.updated_at
            RETURNING attempts
            """, [
                .text(failure.flow), .text(failure.source.connection), .text(failure.source.object), .text(failure.source.id),
                .text(failure.payloadJSON), .text(failure.errorCode.rawValue), .text(failure.message),
                .date(failure.nextRetryAt), .date(now),
            ]) { $0.int(0) }
        return attempts ?? 1
    }

    func removeFailure(flow: String, source: RecordRef) throws -> Bool {
        try run("DELETE FROM failed_records WHERE flow = ? AND source_connection = ? AND source_object = ? AND source_id = ?",
                [.text(flow), .text(source.connection), .text(source.object), .text(source.id)]) > 0
    }
}
