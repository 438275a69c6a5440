import CrosswalkStore
import Foundation

extension SQLiteStore {
    public func commitBatch(_ batch: BatchCommit) throws {
        let database = try database()
        let idMap = try idMapTable()
        let now = Date()
        try idMap.createScopes(for: batch.mappings)
        try database.transaction {
            // Removals first: a mapping may move to another record in the same batch (a merge).
            for key in batch.removedMappings { _ = try idMap.delete(key) }
            for upsert in batch.mappings { try idMap.upsert(upsert, now: now) }
            try database.appendLog(batch.log, run: batch.run)
            for failure in batch.failures { _ = try database.enqueueFailure(failure, now: now) }
            for source in batch.resolvedFailures { _ = try database.removeFailure(flow: batch.flow, source: source) }
            for id in batch.resolvedIntents { try database.removeIntents(flow: batch.flow, id: id) }
            for pending in batch.pendingIntents { try database.putIntents(pending) }
            if let cursor = batch.cursor {
                try database.setCursor(flow: batch.flow, object: cursor.object, json: cursor.json, now: now)
            }
        }
    }
}
