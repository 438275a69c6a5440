import CrosswalkCore
@testable import CrosswalkStore
@testable import CrosswalkStoreSQLite
import Foundation
import Testing

@Suite("Store: what the sync engine needs")
struct EngineStoreTests {
    private let link = "sf~spotio"
    private func lead(_ id: String) -> RecordRef { RecordRef(connection: "spotio", object: "lead", id: id) }

    @Test("one record has one twin per object of the other side, asked for in one batch", arguments: StoreBackend.allCases)
    func twinsPerObject(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            let run = try await store.startRun(flow: "leads", trigger: .manual)
            try await store.commitBatch(BatchCommit(flow: "leads", run: run, mappings: [
                MappingUpsert(link: link, a: sf("001A", "Account"), b: lead("L1"), aFingerprint: "fa"),
                MappingUpsert(link: link, a: sf("003C", "Contact"), b: lead("L1")),
                MappingUpsert(link: link, a: sf("006O", "Opportunity"), b: lead("L1")),
                MappingUpsert(link: link, a: sf("001B", "Account"), b: lead("L2")),
            ]))
            let queries = [TwinQuery(object: "lead", id: "L1", otherObject: "Account"), TwinQuery(object: "lead", id: "L1", otherObject: "Contact"),
                           TwinQuery(object: "lead", id: "L1", otherObject: "Opportunity"), TwinQuery(object: "lead", id: "L2", otherObject: "Contact"),
                           TwinQuery(object: "lead", id: "L2"), TwinQuery(object: "lead", id: "nope", otherObject: "Account")]
            let found = try await store.twins(link: link, side: .b, connection: "spotio", queries: queries)
            #expect(found.mapValues(\.a.id) == [queries[0]: "001A", queries[1]: "003C", queries[2]: "006O", queries[4]: "001B"])
            #expect(found[queries[0]]?.aFingerprint == "fa")
            // From the other side, and a record's twin in one object may not be taken by another of the same object.
            let back = try await store.twins(link: link, side: .a, connection: "sf", queries: [TwinQuery(object: "Contact", id: "003C", otherObject: "lead")])
            #expect(back.values.first?.b == lead("L1"))
            let taken = await #expect(throws: CrosswalkError.self) {
                try await store.upsertMapping(MappingUpsert(link: link, a: sf("003X", "Contact"), b: lead("L1")))
            }
            #expect(taken?.code == .conflict)
            // Removing one twin keeps the others.
            try await store.commitBatch(BatchCommit(flow: "leads", run: run, removedMappings: [MappingKey(link: link, side: .b, record: lead("L1"), otherObject: "Contact")]))
            #expect(try await store.twins(link: link, side: .b, connection: "spotio", queries: Array(queries[0...2])).count == 2)
            #expect(try await store.mappingCount(link: link) == 3)
        }
    }

    @Test("the ID map pages in id order for reconciliation", arguments: StoreBackend.allCases)
    func pages(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            let run = try await store.startRun(flow: "f", trigger: .manual)
            try await store.commitBatch(BatchCommit(flow: "f", run: run, mappings: (0..<25).map {
                MappingUpsert(link: "sf~ns", a: sf(String(format: "%03d", $0)), b: ns("n\($0)"))
            } + [MappingUpsert(link: "sf~ns", a: sf("x", "Account"), b: ns("acct", "customer"))]))
            var ids: [String] = []
            var after: String?
            while true {
                let page = try await store.mappings(link: "sf~ns", side: .a, connection: "sf", object: "Contact", otherObject: "contact", after: after, limit: 10)
                ids += page.map(\.a.id)
                guard page.count == 10 else { break }
                after = page.last?.a.id
            }
            #expect(ids == (0..<25).map { String(format: "%03d", $0) })
            let fromB = try await store.mappings(link: "sf~ns", side: .b, connection: "ns", object: "contact", otherObject: "Contact", after: "n20", limit: 100)
            #expect(fromB.map(\.b.id) == ["n21", "n22", "n23", "n24", "n3", "n4", "n5", "n6", "n7", "n8", "n9"])
        }
    }

    @Test("a merge moves a mapping to another record in one batch (removals go first)", arguments: StoreBackend.allCases)
    func moveInOneBatch(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            let run = try await store.startRun(flow: "f", trigger: .manual)
            try await store.upsertMapping(MappingUpsert(link: "sf~ns", a: sf("loser"), b: ns("10"), bFingerprint: "fb"))
            try await store.commitBatch(BatchCommit(flow: "f", run: run, mappings: [MappingUpsert(link: "sf~ns", a: sf("survivor"), b: ns("10"), bFingerprint: "fb")],
                                                    removedMappings: [MappingKey(link: "sf~ns", side: .a, record: sf("loser"))]))
            #expect(try await store.mapping(link: "sf~ns", side: .b, record: ns("10"))?.a == sf("survivor"))
        }
    }

    @Test("intents: durable before the write, resolved or kept in the commit of the answer", arguments: StoreBackend.allCases)
    func intents(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, folder in
            let items = (0..<3).map { WriteIntent(ref: "r\($0)", step: "contact", source: sf("s\($0)"), operation: "create",
                                                   lookups: [IntentLookup(field: "SrcId", valueJSON: "\"s\($0)\"")], fingerprint: "f\($0)") }
            let batch = IntentBatch(id: "b1", flow: "f", target: ObjectRef(connection: "ns", object: "contact"), items: items, createdAt: date(1000.5))
            try await store.recordIntents(batch)
            try await store.recordIntents(IntentBatch(id: "b2", flow: "g", target: batch.target, items: [], createdAt: date(1001)))
            // Another process sees it at once (it is on disk).
            let other = try await folder.open()
            #expect(try await other.pendingIntents(flow: "f") == [batch])
            try await other.close()
            let run = try await store.startRun(flow: "f", trigger: .manual)
            var kept = batch
            kept.items = [items[1]]
            try await store.commitBatch(BatchCommit(flow: "f", run: run, pendingIntents: [kept]))
            #expect(try await store.pendingIntents(flow: "f") == [kept])
            try await store.commitBatch(BatchCommit(flow: "f", run: run, resolvedIntents: ["b1"]))
            #expect(try await store.pendingIntents(flow: "f").isEmpty)
            #expect(try await store.pendingIntents(flow: "g").count == 1)
        }
    }

    @Test("failed queue: list by flow, one record, count, and records waiting for a parent", arguments: StoreBackend.allCases)
    func failures(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            func failure(_ id: String, flow: String = "contacts", waiting: RecordRef? = nil) -> RecordFailure {
                RecordFailure(flow: flow, source: ns(id), payloadJSON: "{}", errorCode: .conflict, message: "DUPLICATE_VALUE \(id)",
                              nextRetryAt: date(5000), waitingOn: waiting)
            }
            try await store.enqueueFailure(failure("1"))
            try await store.enqueueFailure(failure("2", waiting: sf("001A", "Account")))
            try await store.enqueueFailure(failure("3", flow: "other"))
            #expect(try await store.failures(flow: "contacts", limit: 10, offset: 0).map(\.failure.source.id) == ["1", "2"])
            #expect(try await store.failures(flow: nil, limit: 10, offset: 0).count == 3)
            #expect(try await store.failures(flow: "contacts", limit: 1, offset: 1).map(\.failure.source.id) == ["2"])
            #expect(try await store.failureCount(flow: "contacts") == 2)
            #expect(try await store.failureCount(flow: nil) == 3)
            #expect(try await store.failure(flow: "contacts", source: ns("2"))?.failure == failure("2", waiting: sf("001A", "Account")))
            #expect(try await store.waitingFailures(flow: "contacts", limit: 10).map(\.failure.source.id) == ["2"])
            // Failing again without a parent clears the wait.
            try await store.enqueueFailure(failure("2"))
            #expect(try await store.waitingFailures(flow: "contacts", limit: 10).isEmpty)
        }
    }

    @Test("a version-1 database keeps its ID map through the migration to one twin per object")
    func migrationKeepsMappings() async throws {
        let folder = try TemporaryFolder()
        let v1 = try await SQLiteStore.open(path: folder.path("m.db"), migrations: Array(Migration.sqliteStore.prefix(1)), logger: testLogger)
        // Written as version 1 wrote it (this binary's statements need version 2).
        _ = try await v1.rows("INSERT INTO id_map_scopes (id, link, connection, object) VALUES (1, 'sf~ns', 'sf', 'Contact'), (2, 'sf~ns', 'ns', 'contact')") { _ in 0 }
        _ = try await v1.rows("INSERT INTO id_map VALUES (1, '1', 2, '10', 'fa', 'fb', 1000, 2000)") { _ in 0 }
        await v1.close()
        let store = try await SQLiteStore.open(path: folder.path("m.db"), logger: testLogger)
        let mapping = try #require(try await store.mapping(link: "sf~ns", side: .b, record: ns("10")))
        #expect(mapping.a == sf("1") && mapping.aFingerprint == "fa" && mapping.bFingerprint == "fb")
        try await store.upsertMapping(MappingUpsert(link: "sf~ns", a: sf("1"), b: ns("acct", "customer")))
        #expect(try await store.mappingCount(link: "sf~ns") == 2)
        #expect(try await store.integrityCheck() == ["ok"])
        try await store.close()
    }
}
