import CrosswalkCore
import CrosswalkStore
import Foundation
import PostgresNIO

/// The webhook inbox. Claims use `FOR UPDATE SKIP LOCKED`, so hosts claiming together each get
/// different deliveries, never the same one twice.
extension PostgresStore {
    private static let columns = """
        id, connection, dedupe_key, method, path, query, url, headers, body, verified, received_at, state, attempts, last_error, \
        next_attempt_at, duplicates, updated_at
        """

    private static func delivery(_ row: PGRow) throws -> WebhookDelivery {
        let headers = try JSONDecoder().decode([String: String].self, from: Data(try row.text(7).utf8))
        let raw = try row.text(11)
        guard let state = WebhookDeliveryState(rawValue: raw) else {
            throw CrosswalkError(.store, "webhook delivery \(try row.int64(0)) has an unknown state \"\(raw)\"")
        }
        let delivery = NewWebhookDelivery(connection: try row.text(1), dedupeKey: try row.text(2), method: try row.text(3), path: try row.text(4),
                                          query: try row.optionalText(5), url: try row.text(6), headers: headers, body: try row.bytes(8),
                                          receivedAt: try row.date(10), verified: try row.bool(9))
        return WebhookDelivery(id: try row.int64(0), delivery: delivery, state: state, attempts: try row.int(12), lastError: try row.optionalText(13),
                               nextAttemptAt: try row.date(14), duplicates: try row.int(15), updatedAt: try row.date(16))
    }

    public func insertWebhookDelivery(_ delivery: NewWebhookDelivery) async throws -> WebhookInsertResult {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let headers = String(decoding: try encoder.encode(delivery.headers), as: UTF8.self)
        // One statement: a replay bumps the stored row's duplicates; xmax = 0 tells a new row.
        let result = try await queryFirst("storing a webhook delivery", """
            INSERT INTO webhook_inbox AS w (connection, dedupe_key, method, path, query, url, headers, body, verified, received_at,
                                            state, attempts, next_attempt_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', 0, $11, $11)
            ON CONFLICT (connection, dedupe_key) DO UPDATE SET duplicates = w.duplicates + 1
            RETURNING id, state, (xmax = 0)
            """, [.text(delivery.connection), .text(delivery.dedupeKey), .text(delivery.method), .text(delivery.path),
                  .optionalText(delivery.query), .text(delivery.url), .text(headers), .bytes(delivery.body),
                  .bool(delivery.verified), .date(delivery.receivedAt), .date(Date())]) { (try $0.int64(0), try $0.text(1), try $0.bool(2)) }
        guard let result else { throw CrosswalkError(.store, "the webhook delivery was not stored") }
        return result.2 ? .stored(result.0) : .duplicate(of: result.0, state: WebhookDeliveryState(rawValue: result.1) ?? .pending)
    }

    public func claimWebhookDeliveries(limit: Int, now: Date, lease: Duration) async throws -> [WebhookDelivery] {
        let until = now.addingTimeInterval(Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18)
        return try await query("claiming webhook deliveries", """
            WITH due AS (
                SELECT id FROM webhook_inbox
                WHERE (state = 'pending' AND next_attempt_at <= $1) OR (state = 'processing' AND claimed_until <= $1)
                ORDER BY id LIMIT $2
                FOR UPDATE SKIP LOCKED
            )
            UPDATE webhook_inbox w SET state = 'processing', attempts = w.attempts + 1, claimed_until = $3, updated_at = $1
            FROM due WHERE w.id = due.id
            RETURNING \(Self.columns.split(separator: ",").map { "w." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", "))
            """, [.date(now), .int(limit), .date(until)], Self.delivery).sorted { $0.id < $1.id }
    }

    public func finishWebhookDelivery(id: Int64, outcome: WebhookDeliveryOutcome) async throws {
        let now = Date()
        let changed: Int
        switch outcome {
        case .done:
            changed = try await run("finishing a webhook delivery",
                                    "UPDATE webhook_inbox SET state = 'done', last_error = NULL, claimed_until = NULL, updated_at = $1 WHERE id = $2 RETURNING 1",
                                    [.date(now), .int(id)])
        case .retry(let error, let retryAt):
            changed = try await run("finishing a webhook delivery", """
                UPDATE webhook_inbox SET state = 'pending', last_error = $1, next_attempt_at = $2, claimed_until = NULL, updated_at = $3 WHERE id = $4
                RETURNING 1
                """, [.text(error), .date(retryAt), .date(now), .int(id)])
        case .failed(let error):
            changed = try await run("finishing a webhook delivery",
                                    "UPDATE webhook_inbox SET state = 'failed', last_error = $1, claimed_until = NULL, updated_at = $2 WHERE id = $3 RETURNING 1",
                                    [.text(error), .date(now), .int(id)])
        }
        guard changed > 0 else { throw CrosswalkError(.notFound, "no webhook delivery \(id) in the inbox", context: ["delivery": "\(id)"]) }
    }

    @discardableResult
    public func releaseWebhookClaims() async throws -> Int {
        try await run("releasing webhook claims", """
            UPDATE webhook_inbox SET state = 'pending', claimed_until = NULL, next_attempt_at = $1, updated_at = $1 WHERE state = 'processing'
            RETURNING 1
            """, [.date(Date())])
    }

    @discardableResult
    public func retryFailedWebhookDeliveries(ids: [Int64]?) async throws -> Int {
        let sql = "UPDATE webhook_inbox SET state = 'pending', attempts = 0, next_attempt_at = $1, updated_at = $1 WHERE state = 'failed'"
        guard let ids else { return try await run("retrying webhook deliveries", sql + " RETURNING 1", [.date(Date())]) }
        return try await run("retrying webhook deliveries", sql + " AND id = ANY($2) RETURNING 1", [.date(Date()), .ints(ids)])
    }

    public func webhookDelivery(id: Int64) async throws -> WebhookDelivery? {
        try await queryFirst("reading a webhook delivery", "SELECT \(Self.columns) FROM webhook_inbox WHERE id = $1", [.int(id)], Self.delivery)
    }

    public func webhookDeliveries(state: WebhookDeliveryState?, connection: String?, limit: Int, offset: Int) async throws -> [WebhookDelivery] {
        var conditions: [String] = []
        var values: [PGValue] = []
        if let state {
            values.append(.text(state.rawValue))
            conditions.append("state = $\(values.count)")
        }
        if let connection {
            values.append(.text(connection))
            conditions.append("connection = $\(values.count)")
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try await query("reading webhook deliveries",
                               "SELECT \(Self.columns) FROM webhook_inbox \(filter) ORDER BY id LIMIT $\(values.count + 1) OFFSET $\(values.count + 2)",
                               values + [.int(limit), .int(offset)], Self.delivery)
    }

    public func webhookInboxCounts() async throws -> [WebhookDeliveryState: Int] {
        var counts: [WebhookDeliveryState: Int] = [:]
        for (state, count) in try await query("counting webhook deliveries", "SELECT state, count(*) FROM webhook_inbox GROUP BY state", [], {
            (try $0.text(0), try $0.int(1))
        }) {
            if let s = WebhookDeliveryState(rawValue: state) { counts[s] = count }
        }
        return counts
    }

    @discardableResult
    public func pruneWebhookDeliveries(doneBefore before: Date) async throws -> Int {
        try await run("pruning webhook deliveries", "DELETE FROM webhook_inbox WHERE state = 'done' AND updated_at < $1 RETURNING 1", [.date(before)])
    }
}
