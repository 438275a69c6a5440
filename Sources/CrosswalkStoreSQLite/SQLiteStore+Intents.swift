import CrosswalkCore
import CrosswalkStore
import Foundation

extension SQLiteStore {
    public func recordIntents(_ batch: IntentBatch) throws {
        let database = try database()
        try database.transaction { try database.putIntents(batch) }
    }

    public func pendingIntents(flow: String) throws -> [IntentBatch] {
        try database().query("SELECT batch FROM write_intents WHERE flow = ? ORDER BY created_at, id", [.text(flow)]) { row in
            try IntentCoding.decode(row.text(0))
        }
    }
}

extension SQLiteConnection {
    /// Inserts or replaces one intent batch.
    func putIntents(_ batch: IntentBatch) throws {
        try run("""
            INSERT INTO write_intents (flow, id, batch, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (flow, id) DO UPDATE SET batch = excluded.batch
            """, [.text(batch.flow), .text(batch.id), .text(try IntentCoding.encode(batch)), .date(batch.createdAt)])
    }

    func removeIntents(flow: String, id: String) throws {
        try run("DELETE FROM write_intents WHERE flow = ? AND id = ?", [.text(flow), .text(id)])
    }
}
