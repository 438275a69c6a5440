import Foundation

/// A flow definition kept in the store as JSON (the flow model encodes and decodes it), so the
/// admin API can list and edit flows without the deployment file.
public struct StoredFlow: Sendable, Hashable {
    public var name: String
    /// The flow as JSON text.
    public var json: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(name: String, json: String, createdAt: Date, updatedAt: Date) {
        self.name = name
        self.json = json
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Whether a flow is switched on, as an admin last set it (the admin API's enable/disable). It
/// overrides the flow's `enabled:` in the deployment file, which is only the default.
public struct FlowState: Sendable, Hashable {
    public var name: String
    public var enabled: Bool
    public var updatedAt: Date

    public init(name: String, enabled: Bool, updatedAt: Date) {
        self.name = name
        self.enabled = enabled
        self.updatedAt = updatedAt
    }
}
