@testable import CrosswalkStore
@testable import CrosswalkStoreSQLite
import CrosswalkTestKit
import Foundation
import Testing

@Suite("Crash safety")
struct CrashSafetyTests {
    @Test("kill -9 while a batch is being committed leaves only whole batches, and every committed one", arguments: StoreBackend.allCases)
    func killedMidBatch(_ backend: StoreBackend) async throws {
        let site = try StoreSite(backend)
        let database = site.location
        let password = backend == .postgres ? try TestPostgres.server().password : nil
        let perBatch = 300
        let killAt = 20
        let committed = try await onOwnThread {
            try CrashChild.commitUntilKilled(database: database, password: password, perBatch: perBatch, killAt: killAt)
        }
        #expect(committed >= killAt - 1)

        let store = try await site.open()
        if let sqlite = store as? SQLiteStore { #expect(try await sqlite.integrityCheck() == ["ok"]) }
        let cursor = try #require(try await store.cursor(flow: "crash", object: "Record"))
        let last = try #require(try JSONSerialization.jsonObject(with: Data(cursor.json.utf8)) as? [String: Int])["batch"]
        let lastBatch = try #require(last)
        // Every batch reported committed is there; the one in flight is wholly there or wholly absent.
        #expect(lastBatch == committed || lastBatch == committed + 1)

        let whole = Dictionary(uniqueKeysWithValues: (0...lastBatch).map { ("\($0)", perBatch) })
        #expect(try await store.textCounts("SELECT a_fingerprint, count(*) FROM id_map GROUP BY a_fingerprint") == whole)
        #expect(try await store.textCounts("SELECT reason, count(*) FROM sync_log GROUP BY reason") == whole)
        #expect(try await store.runs(flow: "crash", limit: 1).first?.counts.created == (lastBatch + 1) * perBatch)
        try await store.close()
    }
}
