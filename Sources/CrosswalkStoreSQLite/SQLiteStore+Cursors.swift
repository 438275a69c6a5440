import CrosswalkStore
import Foundation

extension SQLiteStore {
    public func cursor(flow: String, object: String) throws -> FlowCursor? {
        try database().queryFirst("SELECT cursor, updated_at FROM flow_cursors WHERE flow = ? AND object = ?", [.text(flow), .text(object)]) {
            FlowCursor(json: $0.text(0), updatedAt: $0.date(1))
        }
    }

    public func setCursor(flow: String, object: String, json: String) throws {
        try database().setCursor(flow: flow, object: object, json: json, now: Date())
    }
}

extension SQLiteConnection {
    func setCursor(flow: String, object: String, json: String, now: Date) throws {
        try run("""
            INSERT INTO flow_cursors (flow, object, cursor, updated_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (flow, object) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
            """, [.text(flow), .text(object), .text(json), .date(now)])
    }
}
