import CrosswalkConnectors
import CrosswalkCore
import CrosswalkStore
import Foundation
import Logging

/// On start, resolves the write intents an interrupted run left: each create is looked up in the
/// target by its external id or match key. A record found there gets its ID-map row (it was
/// created before the interruption); one not found is written again by the normal path (its
/// source record is read again, since the cursor did not move, or retried from the failed queue).
/// One that cannot be looked up is never written again automatically.
struct IntentRecovery {
    let store: any Store
    let state: RunState

    func recover() async throws {
        for batch in try await store.pendingIntents(flow: state.flow.name) {
            guard let stepID = batch.items.first?.step, let (pass, step) = state.flow.step(id: stepID) else {
                state.logger.warning("dropping write intents of a step the flow no longer has", metadata: ["intents": "\(batch.id)"])
                try await commit(BatchCommit(flow: state.flow.name, run: state.runID!, resolvedIntents: [batch.id]))
                continue
            }
            try await waitForIndex(step, since: batch.createdAt)
            let results = try await Verifier(state: state, step: step).find(batch.items)
            let planner = Planner(state: state, pass: pass, answers: TwinAnswers(side: pass.side, found: [:]),
                                  environment: MappingEnvironment(runTime: state.startedAt))
            let recorder = Recorder(state: state, pass: pass)
            var pending = PendingCommit()
            let claims = try await Matcher(store: store, state: state, pass: pass, planner: planner)
                .claimedElsewhere(step, results.values.compactMap { if case .found(let id, _) = $0 { id } else { nil } })
            for intent in batch.items {
                let item = Item(record: ConnectorRecord(object: intent.source.object, id: intent.source.id, fields: [:]), from: pass.from)
                let entry = { (action: SyncAction, outcome: SyncOutcome, target: String?, reason: String) in
                    SyncLogEntry(source: intent.source, target: target.map(step.to.record), action: action, outcome: outcome, reason: reason,
                                 durationMs: 0, at: Date())
                }
                switch results[intent.ref] ?? .cannotTell {
                case .found(let id, let field):
                    if let owner = claims[id], owner != intent.source.id { continue }
                    pending.mappings.append(planner.pair(source: intent.source, target: step.to.record(id), targetFingerprint: intent.fingerprint,
                                                         sourceFingerprint: intent.sourceFingerprint))
                    recorder.log(entry(.create, .ok, id, "created before an interruption; found by \(field)"), summary: nil, pending: &pending)
                    state.report.recovered += 1
                case .ambiguous(let ids, let field):
                    let reason = "interrupted while writing; \(ids.count) \(step.to.object) records have this \(field) (\(ids.joined(separator: ", "))): remove the duplicate, then retry"
                    recorder.log(entry(.create, .failed, nil, reason), summary: "duplicate in the target", pending: &pending)
                    recorder.queueFailure(item, code: .duplicate, message: reason, waitingOn: nil, delay: .zero, pending: &pending)
                case .notFound:
                    // Not written: the record syncs again (read again, or retried from the queue).
                    recorder.queueFailure(item, code: .unknownOutcome, message: "interrupted before \(step.to.connection) answered; not found there, so it is written again",
                                          waitingOn: nil, delay: .zero, pending: &pending)
                case .cannotTell where intent.operation == WriteOperation.upsert.rawValue:
                    // An upsert on a match key is safe to send again.
                    recorder.queueFailure(item, code: .unknownOutcome, message: "interrupted before \(step.to.connection) answered; the upsert is sent again",
                                          waitingOn: nil, delay: .zero, pending: &pending)
                case .cannotTell:
                    let reason = "interrupted while creating this record; Crosswalk cannot tell whether \(step.to.object) was created (no external id or match key to look it up): check \(step.to.connection) and retry it"
                    recorder.log(entry(.create, .failed, nil, reason), summary: "unverified earlier write", pending: &pending)
                    recorder.queueFailure(item, code: .unverifiedWrite, message: reason, waitingOn: nil, delay: .zero, pending: &pending)
                }
            }
            pending.resolvedIntents.append(batch.id)
            try await commit(BatchCommit(flow: state.flow.name, run: state.runID!, mappings: pending.mappings, log: pending.log,
                                         failures: pending.failures, resolvedIntents: pending.resolvedIntents))
            state.logger.info("resolved the write intents of an interrupted run",
                              metadata: ["intents": "\(batch.id)", "records": "\(batch.items.count)"])
        }
    }

    private func commit(_ batch: BatchCommit) async throws { try await store.commitBatch(batch) }

    /// Waits until a target that indexes with a delay (HubSpot search) shows what was written.
    private func waitForIndex(_ step: Step, since: Date) async throws {
        guard let lag = step.object?.read?.indexLagMilliseconds, lag > 0 else { return }
        let ready = since.addingTimeInterval(Double(lag) / 1000)
        let wait = ready.timeIntervalSinceNow
        if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
    }
}
