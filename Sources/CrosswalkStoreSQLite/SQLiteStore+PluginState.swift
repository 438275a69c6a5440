import CrosswalkStore
import Foundation

extension SQLiteStore {
    public func state(instance: String, key: String) throws -> Data? {
        try database().queryFirst("SELECT value FROM plugin_state WHERE instance = ? AND key = ?", [.text(instance), .text(key)]) { $0.blob(0) }
    }

    public func putState(instance: String, key: String, value: Data) throws {
        try database().run("""
            INSERT INTO plugin_state (instance, key, value, updated_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (instance, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """, [.text(instance), .text(key), .blob(value), .date(Date())])
    }

    @discardableResult
    public func deleteState(instance: String, key: String) throws -> Bool {
        try database().run("DELETE FROM plugin_state WHERE instance = ? AND key = ?", [.text(instance), .text(key)]) > 0
    }

    public func stateKeys(instance: String) throws -> [String] {
        try database().query("SELECT key FROM plugin_state WHERE instance = ? ORDER BY key", [.text(instance)]) { $0.text(0) }
    }
}
