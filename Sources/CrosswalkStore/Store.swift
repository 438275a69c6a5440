import CrosswalkCore
import Foundation

/// Where Crosswalk keeps what it must not forget: the ID map, flow cursors, runs and the sync log,
/// the failed-record queue, sealed vault secrets, plugin-instance state and the webhook inbox.
///
/// `SQLiteStore` (module `CrosswalkStoreSQLite`) is the embedded implementation; a PostgreSQL one can follow behind the same
/// protocol. Every method may throw a `CrosswalkError`: `.conflict` when a unique rule would be
/// broken (a record mapped twice), `.unavailable` when the database stayed busy past its timeout,
/// `.store` for anything else.
public protocol Store: Sendable {
    // MARK: ID map

    /// The mapping whose record on `side` is `record`, or `nil`.
    func mapping(link: String, side: LinkSide, record: RecordRef) async throws -> IDMapping?

    /// The mappings of many records of one object on one side, keyed by the given ids; ids with
    /// no mapping are absent. Example: the B ids for 500 A ids.
    func mappings(link: String, side: LinkSide, connection: String, object: String, ids: [String]) async throws -> [String: IDMapping]

    /// Inserts the mapping, or updates the one of `upsert.a`. Throws `.conflict` when `upsert.b`
    /// is already mapped to another record.
    func upsertMapping(_ upsert: MappingUpsert) async throws

    /// Removes the mapping whose record on `key.side` is `key.record`; returns whether one existed.
    @discardableResult
    func deleteMapping(_ key: MappingKey) async throws -> Bool

    /// How many mappings `link` holds.
    func mappingCount(link: String) async throws -> Int

    // MARK: Cursors

    /// The flow's saved cursor for `object`, or `nil` before its first batch.
    func cursor(flow: String, object: String) async throws -> FlowCursor?

    /// Saves the flow's cursor for `object` (valid JSON text, else `.invalidArgument`).
    func setCursor(flow: String, object: String, json: String) async throws

    // MARK: Runs and sync log

    /// Records the start of a run and returns its id.
    func startRun(flow: String, trigger: RunTrigger) async throws -> RunID

    /// Records the end of a run and returns it with its final counts.
    @discardableResult
    func finishRun(_ id: RunID, status: RunStatus) async throws -> Run

    /// The run, or `nil`.
    func run(_ id: RunID) async throws -> Run?

    /// The flow's most recent runs, newest first.
    func runs(flow: String, limit: Int) async throws -> [Run]

    /// The run's log entries in the order they were written.
    func syncLog(run: RunID, limit: Int, offset: Int) async throws -> [SyncLogEntry]

    // MARK: Failed-record queue

    /// Puts a failure in the queue, or, when the record is already there, bumps its attempts and
    /// replaces its payload, error and retry time. Returns the attempt count.
    @discardableResult
    func enqueueFailure(_ failure: RecordFailure) async throws -> Int

    /// Up to `limit` queued records whose retry time is at or before `now`, earliest first.
    func dueFailures(limit: Int, now: Date) async throws -> [FailedRecord]

    /// Takes a record out of the queue (it synced); returns whether it was there.
    @discardableResult
    func removeFailure(flow: String, source: RecordRef) async throws -> Bool

    // MARK: Vault (sealed bytes only; the vault module encrypts)

    /// Stores sealed bytes under `name`, replacing what was there.
    func putSealed(name: String, data: Data) async throws

    /// The sealed bytes stored under `name`, exactly as given, or `nil`.
    func sealed(name: String) async throws -> Data?

    /// Removes `name`; returns whether it existed.
    @discardableResult
    func deleteSealed(name: String) async throws -> Bool

    /// Every stored name, sorted.
    func sealedNames() async throws -> [String]

    // MARK: Plugin-instance state

    /// The value a plugin instance stored under `key`, or `nil`.
    func state(instance: String, key: String) async throws -> Data?

    /// Stores `value` under `key` for a plugin instance, replacing what was there.
    func putState(instance: String, key: String, value: Data) async throws

    /// Removes `key` of a plugin instance; returns whether it existed.
    @discardableResult
    func deleteState(instance: String, key: String) async throws -> Bool

    /// The keys a plugin instance stored, sorted.
    func stateKeys(instance: String) async throws -> [String]

    // MARK: Batches

    /// Writes a batch's ID-map changes (removals first), sync-log entries, failed-queue changes,
    /// resolved and pending write intents and new cursor in one transaction: all of it or, if
    /// anything throws, none of it.
    func commitBatch(_ batch: BatchCommit) async throws

    // MARK: ID map for the sync engine

    /// The twins of many records of `connection` on `side`, in one read: each query's mapping, if
    /// it has one. A query naming no `otherObject` gets any one twin of the record.
    func twins(link: String, side: LinkSide, connection: String, queries: [TwinQuery]) async throws -> [TwinQuery: IDMapping]

    /// Up to `limit` mappings between `object` of `connection` (on `side`) and `otherObject` on
    /// the other side, ordered by the id on `side`, after `afterID` (from the start when `nil`):
    /// reconciliation pages through the ID map with it.
    func mappings(link: String, side: LinkSide, connection: String, object: String, otherObject: String,
                  after afterID: String?, limit: Int) async throws -> [IDMapping]

    // MARK: Write intents

    /// Makes a batch's intents durable (on disk when it returns), before the batch is written.
    func recordIntents(_ batch: IntentBatch) async throws

    /// The flow's intent batches still pending, oldest first.
    func pendingIntents(flow: String) async throws -> [IntentBatch]

    // MARK: Failed-record queue for the sync engine

    /// The flow's queued failures (every flow's when `nil`), oldest first, for listing and
    /// "retry all".
    func failures(flow: String?, limit: Int, offset: Int) async throws -> [FailedRecord]

    /// The queued failure of one source record of a flow, or `nil`.
    func failure(flow: String, source: RecordRef) async throws -> FailedRecord?

    /// How many failures the flow has queued (every flow's when `nil`).
    func failureCount(flow: String?) async throws -> Int

    /// The flow's failures that wait for another record to be synced first, oldest first.
    func waitingFailures(flow: String, limit: Int) async throws -> [FailedRecord]

    // MARK: Flows

    /// Stores a flow definition (JSON text, else `.invalidArgument`) under `name`, replacing it.
    func putFlow(name: String, json: String) async throws

    /// The stored flow named `name`, or `nil`.
    func flow(name: String) async throws -> StoredFlow?

    /// Every stored flow, by name.
    func flows() async throws -> [StoredFlow]

    /// Removes a stored flow; returns whether it existed.
    @discardableResult
    func deleteFlow(name: String) async throws -> Bool

    // MARK: Admin documents (connections, models and schemas the admin API keeps)

    /// Stores a document (JSON text, else `.invalidArgument`) under `kind` and `name`, replacing it
    /// (its `createdAt` is kept).
    func putDocument(kind: AdminDocumentKind, name: String, json: String) async throws

    /// The document, or `nil`.
    func document(kind: AdminDocumentKind, name: String) async throws -> AdminDocument?

    /// Every document of one kind, by name.
    func documents(kind: AdminDocumentKind) async throws -> [AdminDocument]

    /// Removes a document; returns whether it existed.
    @discardableResult
    func deleteDocument(kind: AdminDocumentKind, name: String) async throws -> Bool

    // MARK: Flow states

    /// The flow's on/off state as last set, or `nil` when it was never set (the config decides).
    func flowState(name: String) async throws -> FlowState?

    /// Every flow state that was set, by name.
    func flowStates() async throws -> [FlowState]

    /// Switches a flow on or off, replacing what was set before.
    func setFlowEnabled(name: String, enabled: Bool) async throws

    // MARK: Webhook inbox

    /// Puts a verified delivery in the inbox as `pending`, durably (on disk when it returns, so the
    /// app may be answered), unless the connection already has a delivery with the same
    /// `dedupeKey`: then nothing is stored and that one's `duplicates` count goes up.
    func insertWebhookDelivery(_ delivery: NewWebhookDelivery) async throws -> WebhookInsertResult

    /// Claims up to `limit` deliveries for processing, oldest first: `pending` ones due at `now`,
    /// and `processing` ones whose claim has expired (their processor died). Each becomes
    /// `processing` until `now + lease`, its attempts counted up.
    func claimWebhookDeliveries(limit: Int, now: Date, lease: Duration) async throws -> [WebhookDelivery]

    /// Records how processing a claimed delivery ended.
    func finishWebhookDelivery(id: Int64, outcome: WebhookDeliveryOutcome) async throws

    /// Puts every `processing` delivery back to `pending` (at start, when this process is the only
    /// one processing the inbox: claims of a crashed run need not wait for their lease). Returns how many.
    @discardableResult
    func releaseWebhookClaims() async throws -> Int

    /// Puts `failed` deliveries (the given ids, or all when `nil`) back to `pending`, due now, their
    /// attempts reset. Returns how many.
    @discardableResult
    func retryFailedWebhookDeliveries(ids: [Int64]?) async throws -> Int

    /// One delivery, or `nil`.
    func webhookDelivery(id: Int64) async throws -> WebhookDelivery?

    /// Deliveries in one state (every state when `nil`), of one connection (every one when `nil`), oldest first.
    func webhookDeliveries(state: WebhookDeliveryState?, connection: String?, limit: Int, offset: Int) async throws -> [WebhookDelivery]

    /// How many deliveries each state holds (states with none are absent).
    func webhookInboxCounts() async throws -> [WebhookDeliveryState: Int]

    /// Removes `done` deliveries last updated before `before` (they are kept so that replays are
    /// recognised; keep them at least as long as the apps retry). Returns how many.
    @discardableResult
    func pruneWebhookDeliveries(doneBefore before: Date) async throws -> Int

    /// Closes the store; later calls throw.
    func close() async throws
}

extension Store {
    /// Stores that keep no flow states (test wrappers) answer "never set".
    public func flowState(name: String) async throws -> FlowState? { nil }
    public func flowStates() async throws -> [FlowState] { [] }
    public func setFlowEnabled(name: String, enabled: Bool) async throws {
        throw CrosswalkError(.unsupported, "this store keeps no flow states")
    }
}
