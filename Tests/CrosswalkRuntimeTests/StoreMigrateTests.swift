import CrosswalkCore
import CrosswalkStore
import CrosswalkStorePostgres
import CrosswalkStoreSQLite
import CrosswalkTestKit
import Foundation
import Logging
import Testing

/// `crosswalk store migrate`: an embedded deployment's SQLite file copied into PostgreSQL.
@Suite("store migrate")
struct StoreMigrateTests {
    let logger = Logger(label: "crosswalk.tests.store-migrate")

    @Test("every table is copied in pages and verified by counts; rows read back the same; a non-empty target is refused unless --replace")
    func copiesEverything() async throws {
        let folder = try TestFiles.temporaryFolder("store-migrate")
        let file = folder.appendingPathComponent("crosswalk.db").path
        let sqlite = try await SQLiteStore.open(path: file, logger: logger)
        let link = "hubspot~aritic"
        for chunk in stride(from: 0, to: 2500, by: 500) {
            let run = try await sqlite.startRun(flow: "f", trigger: .schedule)
            let upserts = (chunk..<chunk + 500).map {
                MappingUpsert(link: link, a: RecordRef(connection: "aritic", object: "contact", id: "a\($0)"),
                              b: RecordRef(connection: "hubspot", object: "contacts", id: "h\($0)"), aFingerprint: "fa\($0)")
            }
            let log = upserts.map { SyncLogEntry(source: $0.b, target: $0.a, action: .create, outcome: .ok, reason: nil, durationMs: 3, at: Date(storeMilliseconds: 1_700_000_000_123)) }
            try await sqlite.commitBatch(BatchCommit(flow: "f", run: run, mappings: upserts, log: log, cursor: CursorUpdate(object: "contacts", json: #"{"after":\#(chunk)}"#)))
            try await sqlite.finishRun(run, status: .succeeded)
        }
        let sealed = Data((0...255).map { UInt8($0) })
        try await sqlite.putSealed(name: "hubspot", data: sealed)
        try await sqlite.putState(instance: "hubspot", key: "k", value: Data([1, 2, 3]))
        try await sqlite.putFlow(name: "api-flow", json: #"{"name":"api-flow"}"#)
        try await (sqlite as any Store).setFlowEnabled(name: "f", enabled: true)
        try await (sqlite as any Store).putDocument(kind: .model, name: "m", json: #"{"fields":["email"]}"#)
        try await sqlite.enqueueFailure(RecordFailure(flow: "f", source: RecordRef(connection: "hubspot", object: "contacts", id: "bad"), payloadJSON: "{}",
                                                     errorCode: .rateLimited, message: "slow", nextRetryAt: Date(storeMilliseconds: 1_800_000_000_000)))
        _ = try await sqlite.insertWebhookDelivery(NewWebhookDelivery(connection: "hubspot", dedupeKey: "d1", method: "POST", path: "/hooks/hubspot",
                                                                      url: "http://x/hooks/hubspot", headers: ["content-type": "application/json"],
                                                                      body: Data("[]".utf8), receivedAt: Date(storeMilliseconds: 1_700_000_000_000), verified: true))
        let runs = try await sqlite.runs(flow: "f", limit: 10)
        let firstLog = try await sqlite.syncLog(run: runs.last!.id, limit: 600, offset: 0)
        await sqlite.close()

        let url = try TestPostgres.makeDatabase(prefix: "migrate")
        let environment = ["CROSSWALK_STORE_PASSWORD": try TestPostgres.server().password]
        let copy = try CrosswalkProcess.run(["store", "migrate", "--from", file, "--to", url, "--page-size", "700"], environment: environment)
        #expect(copy.status == 0, "\(copy.stderr)")
        let lines = copy.stdout.replacingOccurrences(of: " +", with: " ", options: .regularExpression)
        #expect(lines.contains("id_map 2500 → 2500") && lines.contains("sync_log 2500 → 2500") && lines.contains("vault 1 → 1"), "\(copy.stdout)")
        #expect(copy.stdout.contains("every table's count matches"))
        #expect(!copy.stdout.contains(environment["CROSSWALK_STORE_PASSWORD"]!) && !copy.stderr.contains(environment["CROSSWALK_STORE_PASSWORD"]!))

        let postgres = try await PostgresStore.open(try PostgresStoreConfiguration(url: url, password: environment["CROSSWALK_STORE_PASSWORD"]), logger: logger)
        #expect(try await postgres.mappingCount(link: link) == 2500)
        let mapping = try await postgres.mapping(link: link, side: .b, record: RecordRef(connection: "hubspot", object: "contacts", id: "h1234"))
        #expect(mapping?.a.id == "a1234" && mapping?.aFingerprint == "fa1234")
        #expect(try await postgres.cursor(flow: "f", object: "contacts")?.json == #"{"after":2000}"#)
        #expect(try await postgres.runs(flow: "f", limit: 10) == runs)
        #expect(try await postgres.syncLog(run: runs.last!.id, limit: 600, offset: 0) == firstLog)
        #expect(try await postgres.sealed(name: "hubspot") == sealed, "vault rows copied sealed, byte for byte")
        #expect(try await postgres.state(instance: "hubspot", key: "k") == Data([1, 2, 3]))
        #expect(try await postgres.flow(name: "api-flow")?.json == #"{"name":"api-flow"}"#)
        #expect(try await postgres.flowState(name: "f")?.enabled == true)
        #expect(try await postgres.document(kind: .model, name: "m") != nil)
        #expect(try await postgres.failureCount(flow: "f") == 1)
        #expect(try await postgres.webhookDeliveries(state: nil, connection: "hubspot", limit: 5, offset: 0).map(\.delivery.verified) == [true])
        // The sequences follow the copied ids: a new run gets the next id.
        #expect(try await postgres.startRun(flow: "f", trigger: .manual) == runs.map(\.id).max()! + 1)
        try await postgres.close()

        let again = try CrosswalkProcess.run(["store", "migrate", "--from", file, "--to", url], environment: environment)
        #expect(again.status != 0 && again.stderr.contains("--replace"), "\(again.stderr)")
        let replaced = try CrosswalkProcess.run(["store", "migrate", "--from", file, "--to", url, "--replace"], environment: environment)
        #expect(replaced.status == 0 && replaced.stdout.replacingOccurrences(of: " +", with: " ", options: .regularExpression).contains("runs 5 → 5"), "\(replaced.stdout) \(replaced.stderr)")
    }
}
