import Foundation

/// One stored value, as a store copy moves it (`crosswalk store migrate`).
public enum StoreValue: Sendable, Hashable {
    case null
    case int(Int64)
    case text(String)
    case bytes(Data)
}

/// A table every store has, with the same name and columns (the PostgreSQL schema follows SQLite's):
/// what a copy between stores moves, in an order that keeps references valid.
public struct StoreTable: Sendable {
    public let name: String
    public let columns: [String]
    /// A unique ordering, so a table is read page by page.
    public let orderBy: String
    /// Columns SQLite keeps as 0/1 and PostgreSQL as booleans.
    public let booleans: Set<String>
    /// The column whose sequence must follow the copied ids (`id`), if any.
    public let serial: String?

    public init(_ name: String, _ columns: [String], orderBy: String, booleans: Set<String> = [], serial: String? = nil) {
        self.name = name
        self.columns = columns
        self.orderBy = orderBy
        self.booleans = booleans
        self.serial = serial
    }

    /// Every table, parents before children.
    public static let all: [StoreTable] = [
        StoreTable("id_map_scopes", ["id", "link", "connection", "object"], orderBy: "id", serial: "id"),
        StoreTable("id_map", ["a_scope", "a_id", "b_scope", "b_id", "a_fingerprint", "b_fingerprint", "created_at", "updated_at"],
                   orderBy: "a_scope, a_id, b_scope"),
        StoreTable("flow_cursors", ["flow", "object", "cursor", "updated_at"], orderBy: "flow, object"),
        StoreTable("runs", ["id", "flow", "trigger_kind", "status", "started_at", "finished_at", "created", "updated", "deleted", "skipped", "failed"],
                   orderBy: "id", serial: "id"),
        StoreTable("sync_log", ["id", "run_id", "source_connection", "source_object", "source_id", "target_connection", "target_object", "target_id",
                                "action", "outcome", "reason", "duration_ms", "at"], orderBy: "id", serial: "id"),
        StoreTable("failed_records", ["flow", "source_connection", "source_object", "source_id", "payload", "error_code", "message", "attempts",
                                      "next_retry_at", "first_failed_at", "updated_at", "waiting_connection", "waiting_object", "waiting_id"],
                   orderBy: "flow, source_connection, source_object, source_id"),
        StoreTable("vault", ["name", "data", "updated_at"], orderBy: "name"),
        StoreTable("plugin_state", ["instance", "key", "value", "updated_at"], orderBy: "instance, key"),
        StoreTable("write_intents", ["flow", "id", "batch", "created_at"], orderBy: "flow, id"),
        StoreTable("flows", ["name", "definition", "created_at", "updated_at"], orderBy: "name"),
        StoreTable("flow_states", ["name", "enabled", "updated_at"], orderBy: "name", booleans: ["enabled"]),
        StoreTable("webhook_inbox", ["id", "connection", "dedupe_key", "method", "path", "query", "url", "headers", "body", "verified", "received_at",
                                     "state", "attempts", "last_error", "next_attempt_at", "claimed_until", "duplicates", "updated_at"],
                   orderBy: "id", booleans: ["verified"], serial: "id"),
        StoreTable("admin_documents", ["kind", "name", "definition", "created_at", "updated_at"], orderBy: "kind, name"),
    ]
}
