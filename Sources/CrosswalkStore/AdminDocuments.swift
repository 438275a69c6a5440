import CrosswalkCore
import Foundation

/// What kind of thing an ``AdminDocument`` is.
public enum AdminDocumentKind: String, Sendable, CaseIterable {
    /// A connection created through the admin API (name, plugin, settings; its secrets are in the vault).
    case connection
    /// A model: a named view of chosen fields of one object of a connection.
    case model
    /// A connection's discovered objects and fields, with whether discovery is pending, ready or failed.
    case schema
}

/// A definition the admin API keeps in the store as JSON, next to the deployment file's: the
/// store is what makes an API-created connection or model survive a restart. Never holds a secret.
public struct AdminDocument: Sendable, Hashable {
    public var kind: AdminDocumentKind
    public var name: String
    /// The definition as JSON text.
    public var json: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(kind: AdminDocumentKind, name: String, json: String, createdAt: Date, updatedAt: Date) {
        self.kind = kind
        self.name = name
        self.json = json
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Admin documents for stores that keep none (test wrappers): reading finds nothing, writing is refused.
extension Store {
    public func putDocument(kind: AdminDocumentKind, name: String, json: String) async throws {
        throw CrosswalkError(.unsupported, "this store keeps no admin documents")
    }
    public func document(kind: AdminDocumentKind, name: String) async throws -> AdminDocument? { nil }
    public func documents(kind: AdminDocumentKind) async throws -> [AdminDocument] { [] }
    @discardableResult
    public func deleteDocument(kind: AdminDocumentKind, name: String) async throws -> Bool { false }
}
