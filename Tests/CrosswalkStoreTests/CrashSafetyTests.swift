@testable import CrosswalkStore
@testable import CrosswalkStoreSQLite
import Foundation
import Testing

@Suite("Crash safety")
struct CrashSafetyTests {
    @Test("kill -9 while a batch is being committed leaves only whole batches, and every committed one")
    func killedMidBatch() async throws {
        let folder = try TemporaryFolder()
        let database = folder.path("crash.db")
        let perBatch = 300
        let killAt = 20
        let committed = try await onOwnThread {
            try CrashChild.commitUntilKilled(database: database, perBatch: perBatch, killAt: killAt)
        }
        #expect(committed >= killAt - 1)

        let store = try await SQLiteStore.open(path: database, logger: testLogger)
        #expect(try await store.integrityCheck() == ["ok"])
        let cursor = try #require(try await store.cursor(flow: "crash", object: "Record"))
        let last = try #require(try JSONSerialization.jsonObject(with: Data(cursor.json.utf8)) as? [String: Int])["batch"]
        let lastBatch = try #require(last)
        // Every batch reported committed is there; the one in flight is wholly there or wholly absent.
        #expect(lastBatch == committed || lastBatch == committed + 1)

        let whole = Dictionary(uniqueKeysWithValues: (0...lastBatch).map { ("\($0)", perBatch) })
        let mappings = try await store.rows("SELECT a_fingerprint, count(*) FROM id_map GROUP BY a_fingerprint") { ($0.text(0), $0.int(1)) }
        #expect(Dictionary(uniqueKeysWithValues: mappings) == whole)
        let log = try await store.rows("SELECT reason, count(*) FROM sync_log GROUP BY reason") { ($0.text(0), $0.int(1)) }
        #expect(Dictionary(uniqueKeysWithValues: log) == whole)
        #expect(try await store.runs(flow: "crash", limit: 1).first?.counts.created == (lastBatch + 1) * perBatch)
        await store.close()
    }
}
