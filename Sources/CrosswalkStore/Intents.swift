import Foundation

/// The writes of one batch, made durable before the batch is sent to the target app and resolved
/// in the same transaction as the ID map once the app has answered (`BatchCommit.resolvedIntents`).
///
/// A batch still pending when the engine starts again was sent, or about to be sent, when the
/// process died: the app may or may not have created its records. The engine looks each one up in
/// the target (by external id or match key) before it writes that record again, so a crash between
/// the app's answer and the commit never creates a record twice.
public struct IntentBatch: Sendable, Hashable, Codable {
    /// Unique in the store; names the batch in `BatchCommit.resolvedIntents`.
    public var id: String
    /// The flow that writes.
    public var flow: String
    /// Where the records are written.
    public var target: ObjectRef
    /// One entry per record of the write.
    public var items: [WriteIntent]
    public var createdAt: Date

    public init(id: String, flow: String, target: ObjectRef, items: [WriteIntent], createdAt: Date) {
        self.id = id
        self.flow = flow
        self.target = target
        self.items = items
        self.createdAt = createdAt
    }
}

/// One record of an ``IntentBatch``: what was about to be written, and how to find it afterwards.
public struct WriteIntent: Sendable, Hashable, Codable {
    /// The write's `ref`: a stable idempotency key per (flow, source record, target object).
    public var ref: String
    /// The flow's step (target) the write belongs to.
    public var step: String
    /// The source record.
    public var source: RecordRef
    /// `create`, `update`, `upsert` or `delete` (the ABI's write operation names).
    public var operation: String
    /// The target record, for updates and deletes.
    public var targetID: String?
    /// Target fields and values that find the record if it was created: an external-id field
    /// holding the source id, then match keys, in the flow's order. Empty when nothing can.
    public var lookups: [IntentLookup]
    /// The fingerprint of what was written, stored in the ID map when the record is found.
    public var fingerprint: String?
    /// The fingerprint of the source side's content, stored with the mapping (two-way flows).
    public var sourceFingerprint: String?

    public init(ref: String, step: String, source: RecordRef, operation: String, targetID: String? = nil, lookups: [IntentLookup] = [],
                fingerprint: String? = nil, sourceFingerprint: String? = nil) {
        self.ref = ref
        self.step = step
        self.source = source
        self.operation = operation
        self.targetID = targetID
        self.lookups = lookups
        self.fingerprint = fingerprint
        self.sourceFingerprint = sourceFingerprint
    }
}

/// "The target record whose `field` is `value`" (values are JSON text, exact).
public struct IntentLookup: Sendable, Hashable, Codable {
    public var field: String
    /// The value as JSON text (`"\"a@b.c\""`, `42`).
    public var valueJSON: String

    public init(field: String, valueJSON: String) {
        self.field = field
        self.valueJSON = valueJSON
    }
}

/// An object of one connection: `("sf-prod", "Contact")`.
public struct ObjectRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public var connection: String
    public var object: String

    public init(connection: String, object: String) {
        self.connection = connection
        self.object = object
    }

    /// The record `id` of this object.
    public func record(_ id: String) -> RecordRef { RecordRef(connection: connection, object: object, id: id) }

    public var description: String { "\(connection)/\(object)" }
}
