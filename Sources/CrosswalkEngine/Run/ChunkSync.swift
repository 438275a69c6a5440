import CrosswalkConnectors
import CrosswalkCore
import CrosswalkMapping
import CrosswalkFlows
import CrosswalkStore
import Foundation
import Logging

/// Syncs one chunk of source records through a pass: one ID-map lookup for the whole chunk, the
/// checks, then each step in order (plan, match, conflicts, write, commit). The last step's commit
/// carries the cursor, so the cursor never moves past records whose writes are not recorded.
struct ChunkSync {
    let store: any Store
    let state: RunState
    let pass: Pass

    /// - Parameters:
    ///   - gone: source records asked for by id that no longer exist (their failures resolve).
    func run(_ records: [ConnectorRecord], filterApplied: FilterApplied?, cursor: CursorUpdate?, gone: [RecordRef] = []) async throws {
        var items = Self.unique(records).map { Item(record: project($0), from: pass.from) }
        var (answers, environment) = try await resolve(items)
        let recorder = Recorder(state: state, pass: pass)
        var pending = PendingCommit()
        var pulls: [(Int, DependencyRule, String)] = []
        var checked = Preflight(state: state, pass: pass, answers: answers, environment: environment)
            .check(&items, filterApplied: filterApplied, pulls: &pulls)
        if !pulls.isEmpty, let parentSync = state.parentSync {
            // Missing parents are synced through their flow first (a run of its own), then the
            // chunk's ID-map answers are asked again.
            var why: [String: String] = [:]
            let byFlow = Dictionary(grouping: pulls) { $0.1.flow ?? "" }
            for (flow, group) in byFlow.sorted(by: { $0.key < $1.key }) {
                var ids: [String] = []
                for (_, _, parent) in group where !ids.contains(parent) { ids.append(parent) }
                state.logger.info("syncing missing parents first", metadata: ["parent_flow": "\(flow)", "count": "\(ids.count)"])
                let report = try await parentSync(flow, ids)
                if let run = report.run, report.counts.created + report.counts.updated < ids.count {
                    for entry in try await store.syncLog(run: run, limit: ids.count * 4 + 16, offset: 0) where entry.outcome != .ok {
                        if let reason = entry.reason { why[entry.source.id] = reason }
                    }
                }
            }
            (answers, environment) = try await resolve(items)
            checked += Preflight(state: state, pass: pass, answers: answers, environment: environment).recheck(&items, pulls, why: why)
        }
        let planner = Planner(state: state, pass: pass, answers: answers, environment: environment)
        for settled in checked {
            recorder.settle(settled, step: nil, items: &items, pending: &pending)
        }
        for (index, step) in pass.steps.enumerated() {
            var (writes, settled) = planner.plan(step, items: &items)
            writes = try await Matcher(store: store, state: state, pass: pass, planner: planner).match(step, writes, items: items, settled: &settled)
            if pass.isTwoWay {
                writes = try await ConflictCheck(state: state, pass: pass, answers: answers, planner: planner)
                    .check(step, writes, items: items, settled: &settled)
            }
            for s in settled { recorder.settle(s, step: step, items: &items, pending: &pending) }
            try await Writer(store: store, state: state, pass: pass, planner: planner, recorder: recorder)
                .write(step, writes, items: &items, pending: &pending)
            let last = index == pass.steps.count - 1
            var resolved: [RecordRef] = []
            if last {
                resolved = items.filter { !$0.failed && state.failedSources.contains($0.source) }.map(\.source)
                resolved += gone.filter { state.failedSources.contains($0) }
            }
            try await commit(&pending, cursor: last ? cursor : nil, resolved: resolved)
            if last { state.failedSources.subtract(resolved) }
            try await writeBack(step, items: &items, recorder: recorder)
        }
    }

    /// The chunk's records with one entry per id (the last read wins).
    static func unique(_ records: [ConnectorRecord]) -> [ConnectorRecord] {
        var position: [String: Int] = [:]
        var unique: [ConnectorRecord] = []
        unique.reserveCapacity(records.count)
        for record in records {
            if let at = position[record.id] { unique[at] = record } else {
                position[record.id] = unique.count
                unique.append(record)
            }
        }
        return unique
    }

    /// The record as the flow sees it: a model keeps only its fields.
    private func project(_ record: ConnectorRecord) -> ConnectorRecord {
        guard let model = pass.model else { return record }
        var r = record
        r.fields = record.fields.filter { model.fields.contains($0.key) }
        return r
    }

    /// Every ID-map question of the chunk in one store call: each step's twin, merge survivors,
    /// dependency parents, and the lookups of criteria and mappings.
    private func resolve(_ items: [Item]) async throws -> (TwinAnswers, MappingEnvironment) {
        var queries = Set<TwinQuery>()
        var lookups: [LookupRequest: TwinQuery] = [:]
        func ask(_ request: LookupRequest) {
            let query = TwinQuery(object: request.sourceObject ?? pass.from.object, id: request.id, otherObject: request.targetObject)
            lookups[request] = query
            queries.insert(query)
        }
        for item in items {
            let record = item.record
            for step in pass.steps {
                queries.insert(TwinQuery(object: pass.from.object, id: record.id, otherObject: step.to.object))
                if let survivor = record.mergedInto { queries.insert(TwinQuery(object: pass.from.object, id: survivor, otherObject: step.to.object)) }
                if record.effectiveChange == .upsert {
                    for link in step.target.links {
                        guard let referenced = Planner.referenced(link, record) else { continue }
                        queries.insert(TwinQuery(object: link.sourceObject ?? pass.from.object, id: referenced, otherObject: link.object))
                    }
                    step.mapper.lookups(for: record).forEach(ask)
                    step.criteria?.lookups(for: record).forEach(ask)
                }
            }
            guard record.effectiveChange == .upsert else { continue }
            pass.criteria?.lookups(for: record).forEach(ask)
            for rule in pass.dependencies {
                if let parent = Preflight.parentID(rule, record) { queries.insert(TwinQuery(object: rule.object, id: parent, otherObject: rule.targetObject)) }
            }
        }
        let found = queries.isEmpty ? [:] : try await store.twins(link: state.flow.link, side: pass.side, connection: pass.from.connection,
                                                                   queries: Array(queries))
        var table: [LookupRequest: String] = [:]
        for (request, query) in lookups {
            if let mapping = found[query] { table[request] = mapping.record(on: pass.side.other).id }
        }
        return (TwinAnswers(side: pass.side, found: found), MappingEnvironment(runTime: state.startedAt, lookups: table))
    }

    private func commit(_ pending: inout PendingCommit, cursor: CursorUpdate?, resolved: [RecordRef]) async throws {
        defer { pending = PendingCommit() }
        guard !state.dryRun, let run = state.runID else { return }
        guard !pending.isEmpty || cursor != nil || !resolved.isEmpty else { return }
        try await store.commitBatch(BatchCommit(
            flow: state.flow.name, run: run, mappings: pending.mappings, removedMappings: pending.removed, log: pending.log,
            failures: pending.failures, resolvedFailures: resolved, cursor: cursor, resolvedIntents: pending.resolvedIntents,
            pendingIntents: pending.pendingIntents))
    }

    /// Writes each target record's id back into a source field (`write_back`), where it is not there yet.
    private func writeBack(_ step: Step, items: inout [Item], recorder: Recorder) async throws {
        guard let field = step.target.writeBack else { return }
        var updates: [(Int, WriteItem)] = []
        for (index, item) in items.enumerated() where !item.failed && item.record.effectiveChange == .upsert {
            guard let id = item.targets[step.id], (item.record.fields[field] ?? .null).matchText != id else { continue }
            updates.append((index, WriteItem(ref: "wb-" + IdempotencyKey.of(flow: state.flow.name, step: step.id, source: item.source),
                                             id: item.record.id, fields: [field: .string(id)])))
        }
        guard !updates.isEmpty else { return }
        let client = pass.connector.client
        var pending = PendingCommit()
        for start in stride(from: 0, to: updates.count, by: client.writeBatchLimit) {
            let chunk = Array(updates[start..<min(start + client.writeBatchLimit, updates.count)])
            state.count(pass.from.connection, pass.from.object, "update", records: chunk.count)
            if state.dryRun { continue }
            var failures: [String: String] = [:]
            do {
                let result = try await client.write(WriteRequest(object: pass.from.object, operation: .update, records: chunk.map(\.1)))
                for r in result.results where !r.ok { failures[r.ref] = r.error?.message ?? "the app gave no reason" }
            } catch {
                for (_, item) in chunk { failures[item.ref] = Planner.describe(error) }
            }
            for (index, item) in chunk {
                guard let message = failures[item.ref] else { continue }
                let reason = "could not write the \(step.to.object) id back into \(field): \(message)"
                recorder.log(SyncLogEntry(source: items[index].source, target: step.to.record(items[index].targets[step.id] ?? ""), action: .update,
                                          outcome: .failed, reason: reason, durationMs: 0, at: Date()),
                             summary: "write-back failed", step: step.id, pending: &pending)
                recorder.queueFailure(items[index], code: .unavailable, message: reason, waitingOn: nil, delay: .seconds(60), pending: &pending)
            }
        }
        try await commit(&pending, cursor: nil, resolved: [])
    }
}
