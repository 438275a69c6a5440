import CrosswalkCore
@testable import CrosswalkStore
import Testing

@Suite("ID map")
struct IDMapTests {
    private let link = "sf~ns"

    @Test("a mapping is found from either side with its fingerprints", arguments: StoreBackend.allCases)
    func bothDirections(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.upsertMapping(MappingUpsert(link: link, a: sf("003A"), b: ns("77"), aFingerprint: "fa", bFingerprint: "fb"))
            let fromA = try #require(try await store.mapping(link: link, side: .a, record: sf("003A")))
            let fromB = try #require(try await store.mapping(link: link, side: .b, record: ns("77")))
            #expect(fromA == fromB)
            #expect(fromA.b == ns("77") && fromB.a == sf("003A"))
            #expect(fromA.aFingerprint == "fa" && fromA.bFingerprint == "fb")
            #expect(try await store.mapping(link: link, side: .a, record: ns("77")) == nil)
            #expect(try await store.mapping(link: "other", side: .a, record: sf("003A")) == nil)
        }
    }

    @Test("upserting again re-points the mapping and keeps fingerprints it was not given", arguments: StoreBackend.allCases)
    func upsertUpdates(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.upsertMapping(MappingUpsert(link: link, a: sf("1"), b: ns("10"), aFingerprint: "fa", bFingerprint: "fb"))
            let before = try #require(try await store.mapping(link: link, side: .a, record: sf("1")))
            try await store.upsertMapping(MappingUpsert(link: link, a: sf("1"), b: ns("11"), bFingerprint: "fb2"))
            let after = try #require(try await store.mapping(link: link, side: .a, record: sf("1")))
            #expect(after.b == ns("11"))
            #expect(after.aFingerprint == "fa" && after.bFingerprint == "fb2")
            #expect(after.createdAt == before.createdAt && after.updatedAt >= before.updatedAt)
            #expect(try await store.mapping(link: link, side: .b, record: ns("10")) == nil)
            #expect(try await store.mappingCount(link: link) == 1)
        }
    }

    @Test("a record on side B can never map to two records on side A", arguments: StoreBackend.allCases)
    func uniqueness(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.upsertMapping(MappingUpsert(link: link, a: sf("1"), b: ns("10")))
            let error = await #expect(throws: CrosswalkError.self) {
                try await store.upsertMapping(MappingUpsert(link: link, a: sf("2"), b: ns("10")))
            }
            #expect(error?.code == .conflict)
            #expect(try await store.mapping(link: link, side: .b, record: ns("10"))?.a == sf("1"))
            #expect(try await store.mapping(link: link, side: .a, record: sf("2")) == nil)
            // The same pair in another link is another mapping.
            try await store.upsertMapping(MappingUpsert(link: "sf~hubspot", a: sf("2"), b: ns("10")))
            #expect(try await store.mappingCount(link: link) == 1)
        }
    }

    @Test("batch lookups return exactly the mapped ids, from either side", arguments: StoreBackend.allCases)
    func batchLookup(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            let run = try await store.startRun(flow: "f", trigger: .initialImport)
            let upserts = stride(from: 0, to: 500, by: 2).map { MappingUpsert(link: link, a: sf("a\($0)"), b: ns("b\($0)")) }
            try await store.commitBatch(BatchCommit(flow: "f", run: run, mappings: upserts))
            let asked = (0..<500).map { "a\($0)" }
            let found = try await store.mappings(link: link, side: .a, connection: "sf", object: "Contact", ids: asked)
            #expect(found.count == 250)
            #expect(found["a4"]?.b.id == "b4")
            #expect(found["a5"] == nil)
            let back = try await store.mappings(link: link, side: .b, connection: "ns", object: "contact", ids: ["b0", "b1", "b498"])
            #expect(back.mapValues(\.a.id) == ["b0": "a0", "b498": "a498"])
            #expect(try await store.mappings(link: link, side: .a, connection: "sf", object: "Lead", ids: asked).isEmpty)
        }
    }

    @Test("deleting by one side removes the mapping from both", arguments: StoreBackend.allCases)
    func delete(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.upsertMapping(MappingUpsert(link: link, a: sf("1"), b: ns("10")))
            #expect(try await store.deleteMapping(MappingKey(link: link, side: .b, record: ns("10"))))
            #expect(try await store.mapping(link: link, side: .a, record: sf("1")) == nil)
            #expect(try await store.deleteMapping(MappingKey(link: link, side: .a, record: sf("1"))) == false)
            // Once unmapped, the B record may map to another A record.
            try await store.upsertMapping(MappingUpsert(link: link, a: sf("2"), b: ns("10")))
            #expect(try await store.mappingCount(link: link) == 1)
        }
    }
}
