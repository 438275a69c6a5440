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
