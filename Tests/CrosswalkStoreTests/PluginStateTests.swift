@testable import CrosswalkStore
import Foundation
import Testing

@Suite("Plugin-instance state")
struct PluginStateTests {
    @Test("values are kept per instance and key; put replaces, delete removes, keys are listed sorted", arguments: StoreBackend.allCases)
    func keyValue(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.putState(instance: "hubspot-1", key: "webhook-secret-id", value: Data("w1".utf8))
            try await store.putState(instance: "hubspot-1", key: "last-schema", value: Data())
            try await store.putState(instance: "hubspot-2", key: "webhook-secret-id", value: Data("w2".utf8))
            try await store.putState(instance: "hubspot-1", key: "webhook-secret-id", value: Data("w3".utf8))
            #expect(try await store.state(instance: "hubspot-1", key: "webhook-secret-id") == Data("w3".utf8))
            #expect(try await store.state(instance: "hubspot-1", key: "last-schema") == Data())
            #expect(try await store.state(instance: "hubspot-2", key: "webhook-secret-id") == Data("w2".utf8))
            #expect(try await store.stateKeys(instance: "hubspot-1") == ["last-schema", "webhook-secret-id"])
            #expect(try await store.deleteState(instance: "hubspot-1", key: "last-schema"))
            #expect(try await store.deleteState(instance: "hubspot-1", key: "last-schema") == false)
            #expect(try await store.state(instance: "hubspot-1", key: "last-schema") == nil)
            #expect(try await store.stateKeys(instance: "nobody").isEmpty)
        }
    }
}
