import CrosswalkConnectors
import CrosswalkCore
import CrosswalkFlows
import CrosswalkStore
import Foundation
import Logging

/// Runs flows: reads pages of changes, applies criteria and dependency rules, maps, plans per
/// record, writes in the target's batches and commits the ID map, sync log and cursor together.
///
/// ```swift
/// let engine = SyncEngine(store: store, connectors: ["netsuite": ns, "salesforce": sf], compiler: compiler, logger: logger)
/// let report = try await engine.run(flow)                                // one run from the saved cursor
/// let plan = try await engine.run(flow, options: RunOptions(dryRun: true)) // what it would do, writing nothing
/// try await engine.sync(flow, ids: ["1042"])                             // one record, now
/// try await engine.retry(flow)                                          // every failed record
/// let gaps = try await engine.reconcile(flow)                            // missing, orphans, duplicates
/// ```
///
/// Exactly once in effect: creates are recorded as intents before they are sent and resolved in
/// the commit of their answer; a run first looks up any intent left by an interrupted run in the
/// target (by external id or match key) before anything is written again.
public struct SyncEngine: Sendable {
    public let store: any Store
    public let connectors: [String: EngineConnector]
    public let compiler: any FlowCompiler
    public let configuration: EngineConfiguration
    /// The deployment's other flows by name, for dependency rules that sync a missing parent
    /// through one of them (`when_missing: sync`); their connections must be in `connectors`.
    public let flows: [String: Flow]
    let logger: Logger

    public init(store: any Store, connectors: [String: EngineConnector], compiler: any FlowCompiler = MappingLanguageCompiler(),
                configuration: EngineConfiguration = EngineConfiguration(), flows: [String: Flow] = [:], logger: Logger) {
        self.store = store
        self.connectors = connectors
        self.compiler = compiler
        self.configuration = configuration
        self.flows = flows
        self.logger = logger
    }

    /// Compiles a flow against the open connections (to check it without running it).
    public func check(_ flow: Flow) throws {
        _ = try CompiledFlow(flow: flow, connectors: connectors, compiler: compiler)
    }

    /// Runs the flow once from its saved cursors (both directions of a two-way flow), or plans
    /// it with `options.dryRun`.
    @discardableResult
    public func run(_ flow: Flow, options: RunOptions = RunOptions()) async throws -> RunReport {
        try await withRun(flow, options: options) { state in
            for pass in state.flow.passes {
                try await read(pass, state: state)
                if state.report.stoppedEarly { break }
            }
            if !state.dryRun && !state.report.stoppedEarly { try await retryWaiting(state) }
        }
    }

    /// Syncs the given source records now (a "Sync" button): read by id, whatever the cursor.
    /// `side: .target` syncs target records back in a two-way flow.
    @discardableResult
    public func sync(_ flow: Flow, ids: [String], side: FlowSide = .source, options: RunOptions = RunOptions()) async throws -> RunReport {
        try await withRun(flow, options: options) { state in
            guard let pass = state.flow.passes.first(where: { $0.direction == side }) else {
                throw CrosswalkError(.invalidArgument, "flow \(flow.name) does not sync from its \(side.rawValue)", context: ["flow": flow.name])
            }
            try await syncByID(pass, ids: ids, state: state)
        }
    }

    /// Retries failed records of the flow: the given ones, or every queued one (the app's reason
    /// of the last failure stays in the queue until the record syncs).
    @discardableResult
    public func retry(_ flow: Flow, records: [RecordRef]? = nil, options: RunOptions = RunOptions(trigger: .retry)) async throws -> RunReport {
        try await withRun(flow, options: options) { state in
            var queued: [FailedRecord] = []
            if let records {
                for record in records { if let f = try await store.failure(flow: flow.name, source: record) { queued.append(f) } }
            } else {
                queued = try await store.failures(flow: flow.name, limit: configuration.retryLimit, offset: 0)
            }
            try await retryQueued(queued, state: state)
        }
    }

    // MARK: Runs

    private func withRun(_ flow: Flow, options: RunOptions, _ body: (RunState) async throws -> Void) async throws -> RunReport {
        let compiled = try CompiledFlow(flow: flow, connectors: connectors, compiler: compiler)
        let runID = options.dryRun ? nil : try await store.startRun(flow: flow.name, trigger: options.trigger)
        let state = RunState(flow: compiled, runID: runID, options: options, configuration: configuration, logger: logger,
                             failedSources: [], blocked: [])
        if !options.dryRun && !options.forDependency {
            // One level deep: a parent flow's own `sync` rules wait instead of pulling further.
            state.parentSync = { name, ids in
                var nested = RunOptions(trigger: .manual, stop: options.stop)
                nested.forDependency = true
                return try await sync(try parentFlow(name, for: flow), ids: ids, options: nested)
            }
        }
        state.logger.info("run started", metadata: ["trigger": "\(options.trigger.rawValue)", "dry_run": "\(options.dryRun)"])
        do {
            if !options.dryRun { try await IntentRecovery(store: store, state: state).recover() }
            let (failed, blocked) = try await queuedFailures(flow.name)
            state.failedSources = failed
            state.blocked = blocked
            try await body(state)
        } catch {
            state.logger.error("run failed", metadata: ["error": "\(error)"])
            if let runID { _ = try? await store.finishRun(runID, status: .failed) }
            throw error
        }
        let status: RunStatus = state.report.stoppedEarly ? .cancelled : (state.report.counts.failed > 0 ? .partial : .succeeded)
        if let runID { try await store.finishRun(runID, status: status) }
        let report = state.finish(status: status)
        state.logger.info("run finished", metadata: [
            "status": "\(status.rawValue)", "read": "\(report.read)", "created": "\(report.counts.created)", "updated": "\(report.counts.updated)",
            "deleted": "\(report.counts.deleted)", "skipped": "\(report.counts.skipped)", "failed": "\(report.counts.failed)",
        ])
        return report
    }

    /// The flow a `when_missing: sync` rule names.
    private func parentFlow(_ name: String, for flow: Flow) throws -> Flow {
        guard let parent = flows[name] else {
            throw CrosswalkError(.config, "flow \(flow.name) syncs missing parents through flow \(name), which is not defined",
                                 context: ["flow": flow.name, "parent_flow": name])
        }
        return parent
    }

    /// Every failed source record of the flow, and those blocked by an unverifiable write.
    private func queuedFailures(_ flow: String) async throws -> (Set<RecordRef>, Set<RecordRef>) {
        var failed = Set<RecordRef>()
        var blocked = Set<RecordRef>()
        var offset = 0
        while true {
            let page = try await store.failures(flow: flow, limit: 10_000, offset: offset)
            for f in page {
                failed.insert(f.failure.source)
                if f.failure.errorCode == .unverifiedWrite { blocked.insert(f.failure.source) }
            }
            guard page.count == 10_000 else { break }
            offset += page.count
        }
        return (failed, blocked)
    }

    /// Reads a pass's changes from its cursor in chunks, syncing each.
    private func read(_ pass: Pass, state: RunState) async throws {
        state.reading = pass.cursorKey
        let client = pass.connector.client
        let flow = state.flow.flow
        var cursor: JSONValue? = try await store.cursor(flow: flow.name, object: pass.cursorKey).map { try JSONValue(parsing: $0.json) }
        if cursor == nil && flow.start == .now && state.trigger != .initialImport {
            let head = try await client.read(ReadRequest(object: pass.from.object, start: "now"))
            state.count(pass.from.connection, pass.from.object, "read", records: 0)
            cursor = head.nextCursor ?? .null
            if !state.dryRun, let run = state.runID {
                try await store.commitBatch(BatchCommit(flow: flow.name, run: run, cursor: CursorUpdate(object: pass.cursorKey, json: (cursor ?? .null).text)))
            }
            state.logger.info("starting from now", metadata: ["object": "\(pass.cursorKey)"])
        }
        let filter = pass.criteria?.pushdown
        let fields = pass.model?.fields
        var more = true
        while more {
            var chunk: [ConnectorRecord] = []
            var applied: FilterApplied? = .full
            repeat {
                let page = try await client.read(ReadRequest(object: pass.from.object, cursor: cursor, limit: client.readBatchLimit, fields: fields,
                                                             filter: filter))
                state.count(pass.from.connection, pass.from.object, "read", records: page.records.count)
                state.report.read += page.records.count
                chunk += page.records
                if page.filterApplied != .full { applied = page.filterApplied }
                cursor = page.nextCursor ?? .null
                more = page.hasMore
            } while more && chunk.count < configuration.chunkSize && !state.shouldStop
            try await ChunkSync(store: store, state: state, pass: pass)
                .run(chunk, filterApplied: filter == nil ? nil : applied, cursor: CursorUpdate(object: pass.cursorKey, json: (cursor ?? .null).text))
            state.progressed()
            if more && state.shouldStop {
                state.report.stoppedEarly = true
                state.logger.info("stopped at a batch boundary", metadata: ["object": "\(pass.cursorKey)"])
                return
            }
        }
    }

    /// Reads records by id and syncs them, without moving the cursor.
    func syncByID(_ pass: Pass, ids: [String], state: RunState, payloads: [String: ConnectorRecord] = [:]) async throws {
        let client = pass.connector.client
        let byIDs = client.manifest.object(pass.from.object)?.read?.byIDs ?? true
        state.reading = pass.cursorKey
        for start in stride(from: 0, to: ids.count, by: min(client.readBatchLimit, configuration.chunkSize)) {
            let chunk = Array(ids[start..<min(start + min(client.readBatchLimit, configuration.chunkSize), ids.count)])
            var records: [ConnectorRecord] = []
            var gone: [RecordRef] = []
            if byIDs {
                let page = try await client.read(ReadRequest(object: pass.from.object, fields: pass.model?.fields, ids: chunk))
                state.count(pass.from.connection, pass.from.object, "read", records: page.records.count)
                records = page.records
                let found = Set(page.records.map(\.id))
                gone = (page.missing ?? chunk.filter { !found.contains($0) }).map(pass.from.record)
            } else {
                records = chunk.compactMap { payloads[$0] }
            }
            state.report.read += records.count
            var pending = PendingCommit()
            let recorder = Recorder(state: state, pass: pass)
            for ref in gone {
                recorder.log(SyncLogEntry(source: ref, target: nil, action: .skip, outcome: .skipped, reason: "no longer exists in \(ref.connection)",
                                          durationMs: 0, at: Date()), summary: "no longer in the source", pending: &pending)
            }
            if !pending.log.isEmpty, let run = state.runID {
                try await store.commitBatch(BatchCommit(flow: state.flow.name, run: run, log: pending.log,
                                                        resolvedFailures: gone.filter { state.failedSources.contains($0) }))
                state.failedSources.subtract(gone)
            }
            try await ChunkSync(store: store, state: state, pass: pass).run(records, filterApplied: nil, cursor: nil)
            state.progressed()
            if state.shouldStop {
                state.report.stoppedEarly = start + chunk.count < ids.count
                return
            }
        }
    }

    private func retryQueued(_ queued: [FailedRecord], state: RunState) async throws {
        let byObject = Dictionary(grouping: queued) { ObjectRef(connection: $0.failure.source.connection, object: $0.failure.source.object) }
        for (object, failures) in byObject.sorted(by: { $0.key.description < $1.key.description }) {
            guard let pass = state.flow.pass(reading: object) else { continue }
            var payloads: [String: ConnectorRecord] = [:]
            for f in failures {
                if let record = try? JSONValueDecoder().decode(ConnectorRecord.self, from: Data(f.failure.payloadJSON.utf8)), !record.fields.isEmpty {
                    payloads[f.failure.source.id] = record
                }
            }
            try await syncByID(pass, ids: failures.map(\.failure.source.id), state: state, payloads: payloads)
            if state.report.stoppedEarly { return }
        }
    }

    /// Retries the flow's waiting records whose parent has been synced since.
    private func retryWaiting(_ state: RunState) async throws {
        let waiting = try await store.waitingFailures(flow: state.flow.name, limit: configuration.retryLimit)
        guard !waiting.isEmpty, let pass = state.flow.passes.first else { return }
        var due: [FailedRecord] = []
        let byObject = Dictionary(grouping: waiting) { $0.failure.waitingOn!.object }
        for (object, failures) in byObject {
            let rule = pass.dependencies.first { $0.object == object }
            let queries = failures.map { TwinQuery(object: object, id: $0.failure.waitingOn!.id, otherObject: rule?.targetObject) }
            let found = try await store.twins(link: state.flow.link, side: pass.side, connection: pass.from.connection, queries: queries)
            // A rule that syncs its parent tries again on each later run (the parent flow's failure may be gone).
            let pulls = rule?.whenMissing == .sync && state.parentSync != nil
            due += zip(failures, queries).filter { found[$0.1] != nil || (pulls && $0.0.updatedAt < state.startedAt) }.map(\.0)
        }
        guard !due.isEmpty else { return }
        state.logger.info("retrying records whose parent is now synced", metadata: ["count": "\(due.count)"])
        try await retryQueued(due, state: state)
    }
}
