import CrosswalkConnectors
import CrosswalkCore
import CrosswalkFlows
import CrosswalkStore
import Foundation
import Logging

/// Writes a step's planned records in the target's largest batches, exactly once in effect: the
/// creates' intents are made durable first, and a write whose outcome is unknown is looked up in
/// the target (by external id or match key) before anything writes that record again.
struct Writer {
    let store: any Store
    let state: RunState
    let pass: Pass
    let planner: Planner
    let recorder: Recorder

    func write(_ step: Step, _ writes: [PlannedWrite], items: inout [Item], pending: inout PendingCommit) async throws {
        guard !writes.isEmpty else { return }
        if state.dryRun {
            plan(step, writes, items: &items)
            return
        }
        let creating = writes.filter { $0.operation == .create || $0.operation == .upsert }
        var intents: IntentBatch?
        if !creating.isEmpty {
            let batch = IntentBatch(id: UUID().uuidString, flow: state.flow.name, target: step.to, items: creating.map { intent(step, $0, items) },
                                    createdAt: Date())
            try await store.recordIntents(batch)
            intents = batch
        }
        let started = ContinuousClock.now
        var results: [String: WriteItemResult] = [:]
        var thrown: [String: CrosswalkError] = [:]
        for group in Self.groups(writes) {
            for start in stride(from: 0, to: group.count, by: step.writeLimit) {
                let chunk = Array(group[start..<min(start + step.writeLimit, group.count)])
                let request = WriteRequest(object: step.to.object, operation: chunk[0].operation, matchKey: chunk[0].matchKey,
                                           records: chunk.map { WriteItem(ref: $0.ref, id: $0.targetID, fields: $0.fields, links: $0.links) })
                do {
                    for result in try await send(step, request).results { results[result.ref] = result }
                } catch {
                    let failure = error as? CrosswalkError ?? CrosswalkError(.internalError, "\(error)")
                    for write in chunk { thrown[write.ref] = failure }
                }
            }
        }
        let milliseconds = Self.milliseconds(ContinuousClock.now - started) / max(1, writes.count)

        var successes: [(PlannedWrite, String, WriteOutcome, String?)] = []
        var unknown: [(PlannedWrite, String)] = []
        for write in writes {
            if let result = results[write.ref] {
                switch result.effectiveOutcome {
                case .created, .updated, .unchanged, .deleted:
                    guard let id = result.id ?? write.targetID, !id.isEmpty else {
                        fail(step, write, code: .internalError, message: "\(step.connector.client.pluginID) answered OK for this record without an id",
                             retryable: false, items: &items, pending: &pending, milliseconds: milliseconds)
                        continue
                    }
                    successes.append((write, id, result.effectiveOutcome, nil))
                case .failed:
                    let error = result.error ?? WriteError(code: "internal", message: "the app gave no reason")
                    failFromApp(step, write, error, items: &items, pending: &pending, milliseconds: milliseconds)
                case .unknown:
                    unknown.append((write, result.error?.message ?? "sent, but no answer came"))
                }
            } else if let error = thrown[write.ref] {
                if error.context[CrosswalkError.notSentKey] != nil || error.code == .invalidArgument || error.code == .auth || error.code == .unsupported {
                    // Refused before anything was written.
                    fail(step, write, code: error.code, message: error.message, retryable: error.code.isRetryable, items: &items, pending: &pending,
                         milliseconds: milliseconds)
                } else {
                    unknown.append((write, error.message))
                }
            } else {
                unknown.append((write, "the app answered no result for this record"))
            }
        }

        // Writes with an unknown outcome: creates are looked up; updates and deletes are retried.
        var unresolved = Set<String>()
        let verifier = Verifier(state: state, step: step)
        let creates = unknown.filter { $0.0.operation == .create || $0.0.operation == .upsert }
        let found = try? await verifier.find(creates.map { intent(step, $0.0, items) })
        for (write, message) in unknown {
            guard write.operation == .create || write.operation == .upsert else {
                fail(step, write, code: .unknownOutcome, message: "\(message); it will be written again", retryable: true, items: &items,
                     pending: &pending, milliseconds: milliseconds)
                continue
            }
            switch found?[write.ref] {
            case .found(let id, let field)?:
                successes.append((write, id, .created, "the app did not answer (\(message)); found by \(field)"))
            case .ambiguous(let ids, let field)?:
                unresolved.insert(write.ref)
                fail(step, write, code: .duplicate, message: "the app did not answer (\(message)) and \(ids.count) \(step.to.object) records have this \(field): \(ids.joined(separator: ", "))",
                     retryable: false, items: &items, pending: &pending, milliseconds: milliseconds)
            case .notFound(let fields)?:
                unresolved.insert(write.ref)
                fail(step, write, code: .unknownOutcome, message: "the app did not answer (\(message)) and no \(step.to.object) has this \(fields.joined(separator: " or ")) yet; it is looked up again before it is written again",
                     retryable: true, items: &items, pending: &pending, milliseconds: milliseconds)
            case .cannotTell?, nil:
                unresolved.insert(write.ref)
                fail(step, write, code: .unknownOutcome, message: "the app did not answer (\(message)) and Crosswalk cannot check whether it was created",
                     retryable: true, items: &items, pending: &pending, milliseconds: milliseconds)
            }
        }

        // An id the app answered that is already paired with another source record is not paired again.
        let fresh = successes.filter { $0.2 != .deleted && $0.0.targetID != $0.1 }.map(\.1)
        let claims = try await Matcher(store: store, state: state, pass: pass, planner: planner).claimedElsewhere(step, Array(Set(fresh)))
        var taken: [String: String] = [:]
        for (write, id, outcome, note) in successes {
            let source = items[write.item].source
            if outcome != .deleted {
                if let owner = claims[id], owner != source.id {
                    fail(step, write, code: .duplicate,
                         message: "\(step.to.connection) answered with \(step.to.object) \(id), which is already synced with \(pass.from.object) \(owner) (did the app merge them?)",
                         retryable: false, items: &items, pending: &pending, milliseconds: milliseconds)
                    continue
                }
                if let other = taken[id], other != source.id {
                    fail(step, write, code: .duplicate, message: "\(step.to.connection) answered with \(step.to.object) \(id) for \(pass.from.object) \(other) too",
                         retryable: false, items: &items, pending: &pending, milliseconds: milliseconds)
                    continue
                }
                taken[id] = source.id
            }
            succeed(step, write, id: id, outcome: outcome, note: note, items: &items, pending: &pending, milliseconds: milliseconds)
        }

        if let intents {
            let remaining = intents.items.filter { unresolved.contains($0.ref) }
            if remaining.isEmpty {
                pending.resolvedIntents.append(intents.id)
            } else {
                var kept = intents
                kept.items = remaining
                pending.pendingIntents.append(kept)
            }
        }
    }

    // MARK: Outcomes

    private func succeed(_ step: Step, _ write: PlannedWrite, id: String, outcome: WriteOutcome, note: String?, items: inout [Item],
                         pending: inout PendingCommit, milliseconds: Int) {
        let source = items[write.item].source
        let action: SyncAction
        if write.action == .delete || outcome == .deleted {
            action = .delete
            pending.removed.append(MappingKey(link: state.flow.link, side: pass.side, record: source, otherObject: step.to.object))
            items[write.item].targets[step.id] = nil
        } else {
            action = outcome == .created ? .create : .update
            pending.mappings.append(planner.pair(source: source, target: step.to.record(id), targetFingerprint: write.fingerprint,
                                                 sourceFingerprint: write.sourceFingerprint))
            items[write.item].targets[step.id] = id
        }
        let reason = note ?? (write.reason == "new" || write.reason == "changed since the last sync" ? nil : write.reason)
        recorder.log(SyncLogEntry(source: source, target: step.to.record(id), action: action, outcome: .ok, reason: reason,
                                  durationMs: milliseconds, at: Date()), summary: nil, pending: &pending)
        state.logger.trace("synced", metadata: ["record": "\(source.id)", "target": "\(id)", "action": "\(action.rawValue)"])
    }

    private func failFromApp(_ step: Step, _ write: PlannedWrite, _ error: WriteError, items: inout [Item], pending: inout PendingCommit,
                             milliseconds: Int) {
        if error.code == CrosswalkError.Code.notFound.rawValue, let id = write.targetID {
            if write.action == .delete {
                // Already gone: the delete is done.
                succeed(step, write, id: id, outcome: .deleted, note: "already deleted in \(step.to.connection)", items: &items, pending: &pending,
                        milliseconds: milliseconds)
                return
            }
            // The twin was deleted in the target: forget the pair, so a retry creates it again.
            pending.removed.append(MappingKey(link: state.flow.link, side: pass.side, record: items[write.item].source, otherObject: step.to.object))
            fail(step, write, code: .notFound,
                 message: "\(step.to.object) \(id) no longer exists in \(step.to.connection) (\(error.message)); a retry creates it again",
                 retryable: false, items: &items, pending: &pending, milliseconds: milliseconds)
            return
        }
        fail(step, write, code: CrosswalkError.Code(error.code), message: error.message, retryable: error.retryable,
             retryAfter: error.retryAfterMilliseconds.map { .milliseconds($0) }, items: &items, pending: &pending, milliseconds: milliseconds)
    }

    private func fail(_ step: Step, _ write: PlannedWrite, code: CrosswalkError.Code, message: String, retryable: Bool, retryAfter: Duration? = nil,
                      items: inout [Item], pending: inout PendingCommit, milliseconds: Int) {
        let item = items[write.item]
        recorder.log(SyncLogEntry(source: item.source, target: write.targetID.map(step.to.record), action: write.action, outcome: .failed,
                                  reason: message, durationMs: milliseconds, at: Date()),
                     summary: "\(write.action.rawValue) failed: \(code.rawValue)", pending: &pending)
        let delay = retryAfter ?? (retryable ? .seconds(60) : state.configuration.failureRetryDelay)
        recorder.queueFailure(item, code: code, message: message, waitingOn: nil, delay: delay, pending: &pending)
        items[write.item].failed = true
        items[write.item].done = true
        state.logger.debug("write failed", metadata: ["record": "\(item.source.id)", "code": "\(code.rawValue)", "reason": "\(message)"])
    }

    // MARK: Calls

    /// Sends one batch, retrying a retryable failure of the whole batch.
    private func send(_ step: Step, _ request: WriteRequest) async throws -> WriteResult {
        var delay = state.configuration.writeRetryDelay
        for attempt in 1...state.configuration.writeAttempts {
            do {
                state.count(step.to.connection, step.to.object, request.operation.rawValue, records: request.records.count)
                return try await step.connector.client.write(request)
            } catch let error as CrosswalkError where error.code.isRetryable && attempt < state.configuration.writeAttempts {
                let wait = error.retryAfterMilliseconds.map { Duration.milliseconds($0) } ?? delay
                state.logger.info("write batch failed, retrying", metadata: ["attempt": "\(attempt)", "error": "\(error.message)"])
                try? await Task.sleep(for: wait)
                delay *= 2
            }
        }
        preconditionFailure("the last attempt returns or throws")
    }

    /// Writes grouped by operation (and match key), in a fixed order.
    static func groups(_ writes: [PlannedWrite]) -> [[PlannedWrite]] {
        var order: [String] = []
        var groups: [String: [PlannedWrite]] = [:]
        for write in writes {
            let key = "\(write.operation.rawValue)\u{0}\(write.matchKey ?? "")"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(write)
        }
        return order.map { groups[$0]! }
    }

    private func intent(_ step: Step, _ write: PlannedWrite, _ items: [Item]) -> WriteIntent {
        WriteIntent(ref: write.ref, step: step.id, source: items[write.item].source, operation: write.operation.rawValue, targetID: write.targetID,
                    lookups: write.lookups, fingerprint: write.fingerprint, sourceFingerprint: write.sourceFingerprint)
    }

    // MARK: Dry run

    private func plan(_ step: Step, _ writes: [PlannedWrite], items: inout [Item]) {
        for group in Self.groups(writes) {
            let operation = group[0].operation.rawValue
            for start in stride(from: 0, to: group.count, by: step.writeLimit) {
                state.count(step.to.connection, step.to.object, operation, records: min(step.writeLimit, group.count - start))
            }
        }
        for write in writes {
            let item = items[write.item]
            let call = "\(write.operation.rawValue) \(step.to.connection)/\(step.to.object)\(write.targetID.map { " \($0)" } ?? "")"
            state.plan(PlannedRecord(source: item.source, step: step.id, action: write.action, outcome: .ok, reason: write.reason,
                                     target: write.targetID.map(step.to.record), fields: write.fields, call: call))
            state.tally(SyncLogEntry(source: item.source, target: nil, action: write.action, outcome: .ok, durationMs: 0, at: Date()), summary: nil)
            // Later steps link to the record this one would create.
            items[write.item].targets[step.id] = write.targetID ?? "(new \(step.to.object))"
        }
    }

    static func milliseconds(_ d: Duration) -> Int { Int(d.components.seconds) * 1000 + Int(d.components.attoseconds / 1_000_000_000_000_000) }
}
