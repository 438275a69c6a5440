import CrosswalkStore
import Foundation

extension SQLiteStore {
    public func putSealed(name: String, data: Data) throws {
        try database().run("""
            INSERT INTO vault (name, data, updated_at) VALUES (?1, ?2, ?3)
            ON CONFLICT (name) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at
            """, [.text(name), .blob(data), .date(Date())])
    }

    public func sealed(name: String) throws -> Data? {
        try database().queryFirst("SELECT data FROM vault WHERE name = ?", [.text(name)]) { $0.blob(0) }
    }

    @discardableResult
    public func deleteSealed(name: String) throws -> Bool {
        try database().run("DELETE FROM vault WHERE name = ?", [.text(name)]) > 0
    }

    public func sealedNames() throws -> [String] {
        try database().query("SELECT name FROM vault ORDER BY name") { $0.text(0) }
    }
}
