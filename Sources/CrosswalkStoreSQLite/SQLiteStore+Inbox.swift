import CrosswalkCore
import CrosswalkStore
import Foundation

extension SQLiteStore {
    public func insertWebhookDelivery(_ delivery: NewWebhookDelivery) throws -> WebhookInsertResult {
        let headers = try InboxSQL.headersJSON(delivery.headers)
        let now = Date()
        return try database().transaction {
            let db = try database()
            if let existing = try db.queryFirst("SELECT id, state FROM webhook_inbox WHERE connection = ? AND dedupe_key = ?",
                                                [.text(delivery.connection), .text(delivery.dedupeKey)], { ($0.int64(0), $0.text(1)) }) {
                try db.run("UPDATE webhook_inbox SET duplicates = duplicates + 1 WHERE id = ?", [.integer(existing.0)])
                return .duplicate(of: existing.0, state: WebhookDeliveryState(rawValue: existing.1) ?? .pending)
            }
            let id = try db.queryFirst("""
                INSERT INTO webhook_inbox (connection, dedupe_key, method, path, query, url, headers, body, verified, received_at,
                                           state, attempts, next_attempt_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'pending', 0, ?11, ?11)
                RETURNING id
                """, [
                    .text(delivery.connection), .text(delivery.dedupeKey), .text(delivery.method), .text(delivery.path),
                    .optionalText(delivery.query), .text(delivery.url), .text(headers), .blob(delivery.body),
                    .int(delivery.verified ? 1 : 0), .date(delivery.receivedAt), .date(now),
                ]) { $0.int64(0) }
            guard let id else { throw CrosswalkError(.store, "the webhook delivery was not stored") }
            return .stored(id)
        }
    }

    public func claimWebhookDeliveries(limit: Int, now: Date, lease: Duration) throws -> [WebhookDelivery] {
        let until = now.addingTimeInterval(Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18)
        return try database().transaction {
            let db = try database()
            let ids = try db.query("""
                SELECT id FROM webhook_inbox
                WHERE (state = 'pending' AND next_attempt_at <= ?1) OR (state = 'processing' AND claimed_until <= ?1)
                ORDER BY id LIMIT ?2
                """, [.date(now), .int(limit)]) { $0.int64(0) }
            var claimed: [WebhookDelivery] = []
            for id in ids {
                if let row = try db.queryFirst("""
                    UPDATE webhook_inbox SET state = 'processing', attempts = attempts + 1, claimed_until = ?2, updated_at = ?3
                    WHERE id = ?1
                    RETURNING \(InboxSQL.columns)
                    """, [.integer(id), .date(until), .date(now)], InboxSQL.row) {
                    claimed.append(row)
                }
            }
            return claimed
        }
    }

    public func finishWebhookDelivery(id: Int64, outcome: WebhookDeliveryOutcome) throws {
        let now = Date()
        let changed: Int
        switch outcome {
        case .done:
            changed = try database().run("UPDATE webhook_inbox SET state = 'done', last_error = NULL, claimed_until = NULL, updated_at = ? WHERE id = ?",
                                         [.date(now), .integer(id)])
        case .retry(let error, let retryAt):
            changed = try database().run("""
                UPDATE webhook_inbox SET state = 'pending', last_error = ?, next_attempt_at = ?, claimed_until = NULL, updated_at = ? WHERE id = ?
                """, [.text(error), .date(retryAt), .date(now), .integer(id)])
        case .failed(let error):
            changed = try database().run("UPDATE webhook_inbox SET state = 'failed', last_error = ?, claimed_until = NULL, updated_at = ? WHERE id = ?",
                                         [.text(error), .date(now), .integer(id)])
        }
        guard changed > 0 else { throw CrosswalkError(.notFound, "no webhook delivery \(id) in the inbox", context: ["delivery": "\(id)"]) }
    }

    @discardableResult
    public func releaseWebhookClaims() throws -> Int {
        try database().run("UPDATE webhook_inbox SET state = 'pending', claimed_until = NULL, next_attempt_at = ?1, updated_at = ?1 WHERE state = 'processing'",
                           [.date(Date())])
    }

    @discardableResult
    public func retryFailedWebhookDeliveries(ids: [Int64]?) throws -> Int {
        let sql = "UPDATE webhook_inbox SET state = 'pending', attempts = 0, next_attempt_at = ?1, updated_at = ?1 WHERE state = 'failed'"
        guard let ids else { return try database().run(sql, [.date(Date())]) }
        return try database().transaction {
            var count = 0
            for id in ids { count += try database().run(sql + " AND id = ?2", [.date(Date()), .integer(id)]) }
            return count
        }
    }

    public func webhookDelivery(id: Int64) throws -> WebhookDelivery? {
        try database().queryFirst("SELECT \(InboxSQL.columns) FROM webhook_inbox WHERE id = ?", [.integer(id)], InboxSQL.row)
    }

    public func webhookDeliveries(state: WebhookDeliveryState?, connection: String?, limit: Int, offset: Int) throws -> [WebhookDelivery] {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let state {
            conditions.append("state = ?")
            values.append(.text(state.rawValue))
        }
        if let connection {
            conditions.append("connection = ?")
            values.append(.text(connection))
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try database().query("SELECT \(InboxSQL.columns) FROM webhook_inbox \(filter) ORDER BY id LIMIT ? OFFSET ?",
                                    values + [.int(limit), .int(offset)], InboxSQL.row)
    }

    public func webhookInboxCounts() throws -> [WebhookDeliveryState: Int] {
        var counts: [WebhookDeliveryState: Int] = [:]
        for (state, count) in try database().query("SELECT state, count(*) FROM webhook_inbox GROUP BY state", [], { ($0.text(0), $0.int(1)) }) {
            if let s = WebhookDeliveryState(rawValue: state) { counts[s] = count }
        }
        return counts
    }

    @discardableResult
    public func pruneWebhookDeliveries(doneBefore before: Date) throws -> Int {
        try database().run("DELETE FROM webhook_inbox WHERE state = 'done' AND updated_at < ?", [.date(before)])
    }
}

private enum InboxSQL {
    static let columns = """
        id, connection, dedupe_key, method, path, query, url, headers, body, verified, received_at, state, attempts, last_error, \
        next_attempt_at, duplicates, updated_at
        """

    static func headersJSON(_ headers: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(headers), as: UTF8.self)
    }

    /// A row as a delivery.
    static func row(_ row: Row) throws -> WebhookDelivery {
        let headers = try JSONDecoder().decode([String: String].self, from: Data(row.text(7).utf8))
        guard let state = WebhookDeliveryState(rawValue: row.text(11)) else {
            throw CrosswalkError(.store, "webhook delivery \(row.int64(0)) has an unknown state \"\(row.text(11))\"")
        }
        let delivery = NewWebhookDelivery(connection: row.text(1), dedupeKey: row.text(2), method: row.text(3), path: row.text(4),
                                          query: row.optionalText(5), url: row.text(6), headers: headers, body: row.blob(8),
                                          receivedAt: row.date(10), verified: row.int(9) != 0)
        return WebhookDelivery(id: row.int64(0), delivery: delivery, state: state, attempts: row.int(12), lastError: row.optionalText(13),
                               nextAttemptAt: row.date(14), duplicates: row.int(15), updatedAt: row.date(16))
    }
}
