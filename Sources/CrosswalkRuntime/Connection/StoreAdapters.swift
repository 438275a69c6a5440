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

/// Links: the ID map keeps the records of two connections per link, named after both.
public enum LinkName {
    /// The link between two connections, the same whichever is named first: `"hubspot~netsuite"`.
    public static func between(_ x: String, _ y: String) -> String { x < y ? "\(x)~\(y)" : "\(y)~\(x)" }
    /// Which side of `between(x, y)` connection `x` is on.
    public static func side(of x: String, with y: String) -> LinkSide { x < y ? .a : .b }
}

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
        let found = try await store.mappings(link: link, side: side, connection: connection, object: r.object, ids: r.ids)
        var ids: [String: JSONValue] = [:]
        for (id, mapping) in found {
            let other = side == .a ? mapping.b : mapping.a
            if r.otherObject == nil || r.otherObject == other.object { ids[id] = .string(other.id) }
        }
        return JSONValue.object(["version": 1, "ids": .object(ids)]).data(sortedKeys: true)
    }
}
