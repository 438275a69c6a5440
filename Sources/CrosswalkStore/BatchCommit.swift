/// Everything one written batch changes, committed in one transaction by `Store.commitBatch(_:)`:
/// the ID map, the sync log, the failed-record queue, the write intents and the flow's cursor move
/// together or not at all, so a crash can never leave the cursor past records whose mappings were
/// not saved. Removed mappings go before inserted ones, so a mapping can move to another record
/// in one batch (a merge).
public struct BatchCommit: Sendable, Hashable {
    /// The flow whose cursor moves and whose failures are resolved.
    public var flow: String
    /// The run the log entries belong to; its counts grow by them.
    public var run: RunID
    /// ID-map rows to insert or update.
    public var mappings: [MappingUpsert]
    /// ID-map rows to remove (the record was deleted on both sides).
    public var removedMappings: [MappingKey]
    /// One entry per record handled in the batch.
    public var log: [SyncLogEntry]
    /// Records that failed and go into (or stay in) the failed-record queue.
    public var failures: [RecordFailure]
    /// Source records of `flow` that synced now and leave the failed-record queue.
    public var resolvedFailures: [RecordRef]
    /// The flow's new position, if it moves.
    public var cursor: CursorUpdate?
    /// Intent batches (``IntentBatch/id``) the app has answered for: removed.
    public var resolvedIntents: [String]
    /// Intent batches to keep (or put) pending: writes whose outcome is still unknown.
    public var pendingIntents: [IntentBatch]

    public init(
        flow: String, run: RunID, mappings: [MappingUpsert] = [], removedMappings: [MappingKey] = [],
        log: [SyncLogEntry] = [], failures: [RecordFailure] = [], resolvedFailures: [RecordRef] = [],
        cursor: CursorUpdate? = nil, resolvedIntents: [String] = [], pendingIntents: [IntentBatch] = []
    ) {
        self.flow = flow
        self.run = run
        self.mappings = mappings
        self.removedMappings = removedMappings
        self.log = log
        self.failures = failures
        self.resolvedFailures = resolvedFailures
        self.cursor = cursor
        self.resolvedIntents = resolvedIntents
        self.pendingIntents = pendingIntents
    }
}

/// A new cursor for one object of a flow.
public struct CursorUpdate: Sendable, Hashable {
    public var object: String
    /// The source plugin's cursor, JSON text.
    public var json: String

    public init(object: String, json: String) {
        self.object = object
        self.json = json
    }
}
