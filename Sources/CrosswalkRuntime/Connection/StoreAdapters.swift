import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkStore
import Foundation

/// The vault's sealed secrets kept in the store's vault table.
public struct StoreSealedStorage: SealedSecretStorage {
    let store: any Store
    public init(store: any Store) { self.store = store }
    public func putSealed(name: String, data: Data) async throws { try await store.putSealed(name: name, data: data) }
    public func sealed(name: String) async throws -> Data? { try await store.sealed(name: name) }
    public func deleteSealed(name: String) async throws { try await store.deleteSealed(name: name) }
    public func sealedNames() async throws -> [String] { try await store.sealedNames() }
}

/// A plugin instance's `crosswalk.state/1` kept in the store, per connection.
public struct StorePluginState: PluginStateStore {
    let store: any Store
    let connection: String
    public init(store: any Store, connection: String) {
        self.store = store
        self.connection = connection
    }
    public func get(_ key: String) async throws -> Data? { try await store.state(instance: connection, key: key) }
    public func put(_ key: String, _ value: Data) async throws { try await store.putState(instance: connection, key: key, value: value) }
    public func remove(_ key: String) async throws { try await store.deleteState(instance: connection, key: key) }
}

// `LinkName` (the link between two connections) lives in CrosswalkStore beside the ID map.

/// `crosswalk.idmap/1` answered from the store: the ids of `other_connection` mapped to these ids.
public struct IDMapLookup: Sendable {
    let store: any Store
    let connection: String
    public init(store: any Store, connection: String) {
        self.store = store
        self.connection = connection
    }

    struct Request: Decodable {
        var object: String
        var ids: [String]
        var otherConnection: String
        var otherObject: String?
        enum CodingKeys: String, CodingKey {
            case object, ids
            case otherConnection = "other_connection"
            case otherObject = "other_object"
        }
    }

    /// Answers one request JSON with `{"version":1,"ids":{"<id>":"<other id>"}}`.
    public func callAsFunction(_ request: Data) async throws -> Data {
        let r: Request
        do { r = try JSONValueDecoder().decode(Request.self, from: request) } catch {
            throw CrosswalkError(.invalidArgument, "crosswalk.idmap/1 request needs object, ids and other_connection")
        }
        let link = LinkName.between(connection, r.otherConnection)
        let side = LinkName.side(of: connection, with: r.otherConnection)
        var ids: [String: JSONValue] = [:]
        if let otherObject = r.otherObject {
            // A record may have one twin per object of the other side: ask for that object's.
            let queries = r.ids.map { TwinQuery(object: r.object, id: $0, otherObject: otherObject) }
            for (query, mapping) in try await store.twins(link: link, side: side, connection: connection, queries: queries) {
                ids[query.id] = .string(mapping.record(on: side.other).id)
            }
        } else {
            for (id, mapping) in try await store.mappings(link: link, side: side, connection: connection, object: r.object, ids: r.ids) {
                ids[id] = .string(mapping.record(on: side.other).id)
            }
        }
        return JSONValue.object(["version": 1, "ids": .object(ids)]).data(sortedKeys: true)
    }
}
