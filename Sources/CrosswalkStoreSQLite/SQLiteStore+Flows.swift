import CrosswalkStore
import Foundation

extension SQLiteStore {
    public func putFlow(name: String, json: String) throws {
        try database().run("""
            INSERT INTO flows (name, definition, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
            ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
            """, [.text(name), .text(json), .date(Date())])
    }

    public func flow(name: String) throws -> StoredFlow? {
        try database().queryFirst("SELECT name, definition, created_at, updated_at FROM flows WHERE name = ?", [.text(name)], Self.storedFlow)
    }

    public func flows() throws -> [StoredFlow] {
        try database().query("SELECT name, definition, created_at, updated_at FROM flows ORDER BY name", [], Self.storedFlow)
    }

    @discardableResult
    public func deleteFlow(name: String) throws -> Bool {
        try database().run("DELETE FROM flows WHERE name = ?", [.text(name)]) > 0
    }

    private static func storedFlow(_ row: Row) -> StoredFlow {
        StoredFlow(name: row.text(0), json: row.text(1), createdAt: row.date(2), updatedAt: row.date(3))
    }
}

extension SQLiteStore {
    public func flowState(name: String) throws -> FlowState? {
        try database().queryFirst("SELECT name, enabled, updated_at FROM flow_states WHERE name = ?", [.text(name)], Self.flowState)
    }

    public func flowStates() throws -> [FlowState] {
        try database().query("SELECT name, enabled, updated_at FROM flow_states ORDER BY name", [], Self.flowState)
    }

    public func setFlowEnabled(name: String, enabled: Bool) throws {
        try database().run("""
            INSERT INTO flow_states (name, enabled, updated_at) VALUES (?1, ?2, ?3)
            ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at
            """, [.text(name), .int(enabled ? 1 : 0), .date(Date())])
    }

    private static func flowState(_ row: Row) -> FlowState {
        FlowState(name: row.text(0), enabled: row.int(1) != 0, updatedAt: row.date(2))
    }
}

extension SQLiteStore {
    public func putDocument(kind: AdminDocumentKind, name: String, json: String) throws {
        try database().run("""
            INSERT INTO admin_documents (kind, name, definition, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
            ON CONFLICT (kind, name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
            """, [.text(kind.rawValue), .text(name), .text(json), .date(Date())])
    }

    public func document(kind: AdminDocumentKind, name: String) throws -> AdminDocument? {
        try database().queryFirst("SELECT kind, name, definition, created_at, updated_at FROM admin_documents WHERE kind = ? AND name = ?",
                                  [.text(kind.rawValue), .text(name)], Self.document)
    }

    public func documents(kind: AdminDocumentKind) throws -> [AdminDocument] {
        try database().query("SELECT kind, name, definition, created_at, updated_at FROM admin_documents WHERE kind = ? ORDER BY name",
                             [.text(kind.rawValue)], Self.document)
    }

    @discardableResult
    public func deleteDocument(kind: AdminDocumentKind, name: String) throws -> Bool {
        try database().run("DELETE FROM admin_documents WHERE kind = ? AND name = ?", [.text(kind.rawValue), .text(name)]) > 0
    }

    private static func document(_ row: Row) -> AdminDocument {
        AdminDocument(kind: AdminDocumentKind(rawValue: row.text(0)) ?? .connection, name: row.text(1), json: row.text(2),
                      createdAt: row.date(3), updatedAt: row.date(4))
    }
}
