@testable import CrosswalkStore
import Foundation
import Testing

@Suite("Vault table")
struct VaultTests {
    @Test("sealed bytes come back, and sit in the database, exactly as given", arguments: StoreBackend.allCases)
    func bytesAsGiven(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            let every = Data((0...255).map { UInt8($0) } + [0, 0])
            try await store.putSealed(name: "sf-prod/oauth", data: every)
            try await store.putSealed(name: "empty", data: Data())
            #expect(try await store.sealed(name: "sf-prod/oauth") == every)
            #expect(try await store.sealed(name: "empty") == Data())
            #expect(try await store.sealed(name: "missing") == nil)
            let stored = try await store.bytes("SELECT data FROM vault WHERE name = 'sf-prod/oauth'")
            #expect(stored == [every])
        }
    }

    @Test("names are listed sorted; replacing and deleting work", arguments: StoreBackend.allCases)
    func names(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.putSealed(name: "b", data: Data([1]))
            try await store.putSealed(name: "a", data: Data([2]))
            try await store.putSealed(name: "b", data: Data([3]))
            #expect(try await store.sealedNames() == ["a", "b"])
            #expect(try await store.sealed(name: "b") == Data([3]))
            #expect(try await store.deleteSealed(name: "a"))
            #expect(try await store.deleteSealed(name: "a") == false)
            #expect(try await store.sealedNames() == ["b"])
        }
    }
}
