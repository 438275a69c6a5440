import CrosswalkCore
import CrosswalkStore
import Foundation

/// A store that forwards everything to another, and fails `commitBatch` while armed: the engine's
/// process "dies" after the app answered and before the answer was committed.
final class CommitFailingStore: Store, Sendable {
    let base: any Store
    /// How many commits still go through before the next one fails; `nil`: none fails.
    let commitsBeforeFailure = LockedValue<Int?>(nil)

    init(base: any Store) { self.base = base }

    func commitBatch(_ batch: BatchCommit) async throws {
        let fail = commitsBeforeFailure.withLock { left -> Bool in
            guard let n = left else { return false }
            if n == 0 {
                left = nil
                return true
            }
            left = n - 1
            return false
        }
        if fail { throw CrosswalkError(.store, "simulated crash before the commit") }
        try await base.commitBatch(batch)
    }

    func mapping(link: String, side: LinkSide, record: RecordRef) async throws -> IDMapping? { try await base.mapping(link: link, side: side, record: record) }
    func mappings(link: String, side: LinkSide, connection: String, object: String, ids: [String]) async throws -> [String: IDMapping] {
        try await base.mappings(link: link, side: side, connection: connection, object: object, ids: ids)
    }
    func upsertMapping(_ upsert: MappingUpsert) async throws { try await base.upsertMapping(upsert) }
    func deleteMapping(_ key: MappingKey) async throws -> Bool { try await base.deleteMapping(key) }
    func mappingCount(link: String) async throws -> Int { try await base.mappingCount(link: link) }
    func cursor(flow: String, object: String) async throws -> FlowCursor? { try await base.cursor(flow: flow, object: object) }
    func setCursor(flow: String, object: String, json: String) async throws { try await base.setCursor(flow: flow, object: object, json: json) }
    func startRun(flow: String, trigger: RunTrigger) async throws -> RunID { try await base.startRun(flow: flow, trigger: trigger) }
    func finishRun(_ id: RunID, status: RunStatus) async throws -> Run { try await base.finishRun(id, status: status) }
    func run(_ id: RunID) async throws -> Run? { try await base.run(id) }
    func runs(flow: String, limit: Int) async throws -> [Run] { try await base.runs(flow: flow, limit: limit) }
    func syncLog(run: RunID, limit: Int, offset: Int) async throws -> [SyncLogEntry] { try await base.syncLog(run: run, limit: limit, offset: offset) }
    func enqueueFailure(_ failure: RecordFailure) async throws -> Int { try await base.enqueueFailure(failure) }
    func dueFailures(limit: Int, now: Date) async throws -> [FailedRecord] { try await base.dueFailures(limit: limit, now: now) }
    func removeFailure(flow: String, source: RecordRef) async throws -> Bool { try await base.removeFailure(flow: flow, source: source) }
    func putSealed(name: String, data: Data) async throws { try await base.putSealed(name: name, data: data) }
    func sealed(name: String) async throws -> Data? { try await base.sealed(name: name) }
    func deleteSealed(name: String) async throws -> Bool { try await base.deleteSealed(name: name) }
    func sealedNames() async throws -> [String] { try await base.sealedNames() }
    func state(instance: String, key: String) async throws -> Data? { try await base.state(instance: instance, key: key) }
    func putState(instance: String, key: String, value: Data) async throws { try await base.putState(instance: instance, key: key, value: value) }
    func deleteState(instance: String, key: String) async throws -> Bool { try await base.deleteState(instance: instance, key: key) }
    func stateKeys(instance: String) async throws -> [String] { try await base.stateKeys(instance: instance) }
    func twins(link: String, side: LinkSide, connection: String, queries: [TwinQuery]) async throws -> [TwinQuery: IDMapping] {
        try await base.twins(link: link, side: side, connection: connection, queries: queries)
    }
    func mappings(link: String, side: LinkSide, connection: String, object: String, otherObject: String, after afterID: String?,
                  limit: Int) async throws -> [IDMapping] {
        try await base.mappings(link: link, side: side, connection: connection, object: object, otherObject: otherObject, after: afterID, limit: limit)
    }
    func recordIntents(_ batch: IntentBatch) async throws { try await base.recordIntents(batch) }
    func insertWebhookDelivery(_ delivery: NewWebhookDelivery) async throws -> WebhookInsertResult { try await base.insertWebhookDelivery(delivery) }
    func claimWebhookDeliveries(limit: Int, now: Date, lease: Duration) async throws -> [WebhookDelivery] {
        try await base.claimWebhookDeliveries(limit: limit, now: now, lease: lease)
    }
    func finishWebhookDelivery(id: Int64, outcome: WebhookDeliveryOutcome) async throws { try await base.finishWebhookDelivery(id: id, outcome: outcome) }
    func releaseWebhookClaims() async throws -> Int { try await base.releaseWebhookClaims() }
    func retryFailedWebhookDeliveries(ids: [Int64]?) async throws -> Int { try await base.retryFailedWebhookDeliveries(ids: ids) }
    func webhookDelivery(id: Int64) async throws -> WebhookDelivery? { try await base.webhookDelivery(id: id) }
    func webhookDeliveries(state: WebhookDeliveryState?, connection: String?, limit: Int, offset: Int) async throws -> [WebhookDelivery] {
        try await base.webhookDeliveries(state: state, connection: connection, limit: limit, offset: offset)
    }
    func webhookInboxCounts() async throws -> [WebhookDeliveryState: Int] { try await base.webhookInboxCounts() }
    func pruneWebhookDeliveries(doneBefore before: Date) async throws -> Int { try await base.pruneWebhookDeliveries(doneBefore: before) }
    func pendingIntents(flow: String) async throws -> [IntentBatch] { try await base.pendingIntents(flow: flow) }
    func failures(flow: String?, limit: Int, offset: Int) async throws -> [FailedRecord] { try await base.failures(flow: flow, limit: limit, offset: offset) }
    func failure(flow: String, source: RecordRef) async throws -> FailedRecord? { try await base.failure(flow: flow, source: source) }
    func failureCount(flow: String?) async throws -> Int { try await base.failureCount(flow: flow) }
    func waitingFailures(flow: String, limit: Int) async throws -> [FailedRecord] { try await base.waitingFailures(flow: flow, limit: limit) }
    func putFlow(name: String, json: String) async throws { try await base.putFlow(name: name, json: json) }
    func flow(name: String) async throws -> StoredFlow? { try await base.flow(name: name) }
    func flows() async throws -> [StoredFlow] { try await base.flows() }
    func deleteFlow(name: String) async throws -> Bool { try await base.deleteFlow(name: name) }
    func close() async throws { try await base.close() }
}
