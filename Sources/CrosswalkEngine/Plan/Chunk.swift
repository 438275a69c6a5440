import Foundation
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkStore

/// A source record being synced in a chunk, with what its steps decided so far.
struct Item {
    var record: ConnectorRecord
    let source: RecordRef
    /// Stopped (skipped or failed) before its remaining steps.
    var done = false
    var failed = false
    /// Each step's target id, known from the ID map or written in this chunk.
    var targets: [String: String] = [:]

    init(record: ConnectorRecord, from: ObjectRef) {
        self.record = record
        source = from.record(record.id)
    }
}

/// The ID map's answers for a chunk, asked in one store call.
struct TwinAnswers {
    let side: LinkSide
    var found: [TwinQuery: IDMapping]

    /// The mapping of `id` (of `object`) with its twin in `otherObject`.
    func mapping(_ object: String, _ id: String, in otherObject: String?) -> IDMapping? {
        found[TwinQuery(object: object, id: id, otherObject: otherObject)]
    }

    /// The twin's id.
    func twin(_ object: String, _ id: String, in otherObject: String?) -> String? {
        mapping(object, id, in: otherObject)?.record(on: side.other).id
    }
}

/// The chunk's sync-log entries, failures and ID-map changes not yet committed.
struct PendingCommit {
    var mappings: [MappingUpsert] = []
    var removed: [MappingKey] = []
    var log: [SyncLogEntry] = []
    var failures: [RecordFailure] = []
    var resolvedIntents: [String] = []
    var pendingIntents: [IntentBatch] = []

    var isEmpty: Bool {
        mappings.isEmpty && removed.isEmpty && log.isEmpty && failures.isEmpty && resolvedIntents.isEmpty && pendingIntents.isEmpty
    }
}

/// What to write for one record and one step.
struct PlannedWrite {
    let item: Int
    var operation: WriteOperation
    var action: SyncAction
    var targetID: String?
    var fields: [String: JSONValue]
    var links: [RecordLink]?
    /// Fingerprint of what is written (the target side's).
    var fingerprint: String?
    /// Two-way: fingerprint of the source record's side.
    var sourceFingerprint: String?
    /// Why, for the dry run and the log.
    var reason: String?
    /// The match key an upsert matches on.
    var matchKey: String?
    /// The idempotency key (`ref`).
    let ref: String
    /// Target fields and values that find the record once created.
    var lookups: [IntentLookup] = []
}

/// The end of a step for one record that writes nothing.
struct Settled {
    let item: Int
    var action: SyncAction
    var outcome: SyncOutcome
    var reason: String?
    /// Short form for the report's reason counts.
    var summary: String?
    var target: String?
    var mappings: [MappingUpsert] = []
    var removed: [MappingKey] = []
    /// A failure to queue (outcome `.failed`, or a wait).
    var failure: (code: CrosswalkError.Code, waitingOn: RecordRef?, retryAfter: Duration?)?
    /// Whether later steps still run for the record.
    var continues = false
}
