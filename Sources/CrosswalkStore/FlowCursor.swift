import Foundation

/// A flow's saved position in one object, as the source plugin gave it.
public struct FlowCursor: Sendable, Hashable {
    /// The plugin's cursor, JSON text the store keeps as given.
    public var json: String
    public var updatedAt: Date

    public init(json: String, updatedAt: Date) {
        self.json = json
        self.updatedAt = updatedAt
    }
}
