import CrosswalkConnectors
import CrosswalkCore
import CrosswalkMapping
import CrosswalkFlows
import CrosswalkStore
import Foundation

/// What reconciling a flow found: the silent gaps between source, target and ID map.
public struct ReconcileReport: Sendable {
    public var flow: String
    public var targets: [TargetReconciliation]
}

/// Reconciliation of one target of a flow.
public struct TargetReconciliation: Sendable {
    /// The flow's target (step) name, and where it writes.
    public var step: String
    public var target: ObjectRef
    /// Live source records read, and how many of them qualify for this target.
    public var sourceRecords = 0
    public var qualifying = 0
    /// Live target records read.
    public var targetRecords = 0
    /// ID-map pairs between the two objects.
    public var mapped = 0
    /// Qualifying source records with no live twin in the target.
    public var missingCount = 0
    public var missing: [RecordRef] = []
    /// Target records paired with a source record that no longer exists.
    public var orphanCount = 0
    public var orphans: [RecordRef] = []
    /// Pairs whose target record no longer exists.
    public var staleCount = 0
    public var stale: [IDMappingPair] = []
    /// Target records that share a match-key value (possible duplicates).
    public var duplicates: [DuplicateGroup] = []
    /// Target records the ID map does not know.
    public var unmappedTargetRecords = 0

    /// Whether source, target and ID map agree.
    public var isClean: Bool { missingCount == 0 && orphanCount == 0 && staleCount == 0 && duplicates.isEmpty }
}

/// A source id and the target id the ID map pairs it with.
public struct IDMappingPair: Sendable, Hashable {
    public var source: String
    public var target: String
    public init(source: String, target: String) {
        self.source = source
        self.target = target
    }
}

/// Target records sharing one value of a match key.
public struct DuplicateGroup: Sendable, Hashable {
    public var field: String
    public var value: String
    public var ids: [String]
    public init(field: String, value: String, ids: [String]) {
        self.field = field
        self.value = value
        self.ids = ids
    }
}

extension SyncEngine {
    /// Compares the flow's source, each target and the ID map (one full read of each), and
    /// reports records missing in the target, orphans, stale pairs and duplicates, with up to
    /// `samples` examples of each.
    public func reconcile(_ flow: Flow, samples: Int = 100) async throws -> ReconcileReport {
        let compiled = try CompiledFlow(flow: flow, connectors: connectors, compiler: compiler)
        let state = RunState(flow: compiled, runID: nil, options: RunOptions(dryRun: true), configuration: configuration, logger: logger,
                             failedSources: [], blocked: [])
        let pass = compiled.passes[0]
        var live = Set<String>()
        var qualifying: [String: Set<String>] = [:]
        try await scan(pass.from, connector: pass.connector, filter: pass.criteria?.pushdown, fields: pass.model?.fields, state: state) { records, applied in
            let environment = try await lookups(records, pass: pass, link: compiled.link)
            for record in records where !record.deleted {
                live.insert(record.id)
                if let criteria = pass.criteria, !(applied == .full && criteria.pushdownIsExact && criteria.pushdown != nil) {
                    guard (try? criteria.evaluate(record, environment: environment))?.matched == true else { continue }
                }
                for step in pass.steps {
                    if let criteria = step.criteria, (try? criteria.evaluate(record, environment: environment))?.matched != true { continue }
                    qualifying[step.id, default: []].insert(record.id)
                }
            }
        }
        var reports: [TargetReconciliation] = []
        for step in pass.steps {
            var report = TargetReconciliation(step: step.id, target: step.to)
            report.sourceRecords = live.count
            let expected = qualifying[step.id] ?? []
            report.qualifying = expected.count
            var pairs: [String: String] = [:]
            var after: String?
            while true {
                let page = try await store.mappings(link: compiled.link, side: pass.side, connection: pass.from.connection, object: pass.from.object,
                                                    otherObject: step.to.object, after: after, limit: 5000)
                for m in page { pairs[m.record(on: pass.side).id] = m.record(on: pass.side.other).id }
                guard page.count == 5000, let last = page.last else { break }
                after = last.record(on: pass.side).id
            }
            report.mapped = pairs.count
            let keyField = step.target.matchKeys.first?.field
            var targets = Set<String>()
            var byValue: [String: [String]] = [:]
            try await scan(step.to, connector: step.connector, filter: nil, fields: nil, state: state) { records, _ in
                for record in records where !record.deleted {
                    targets.insert(record.id)
                    if let keyField, let value = (record.fields[keyField] ?? .null).matchText { byValue[value, default: []].append(record.id) }
                }
            }
            report.targetRecords = targets.count
            let pairedTargets = Set(pairs.values)
            report.unmappedTargetRecords = targets.subtracting(pairedTargets).count
            for id in expected.sorted() where !(pairs[id].map(targets.contains) ?? false) {
                report.missingCount += 1
                if report.missing.count < samples { report.missing.append(pass.from.record(id)) }
            }
            for (source, target) in pairs.sorted(by: { $0.key < $1.key }) {
                if !targets.contains(target) {
                    report.staleCount += 1
                    if report.stale.count < samples { report.stale.append(IDMappingPair(source: source, target: target)) }
                } else if !live.contains(source) {
                    report.orphanCount += 1
                    if report.orphans.count < samples { report.orphans.append(step.to.record(target)) }
                }
            }
            if let keyField {
                report.duplicates = byValue.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }.prefix(samples)
                    .map { DuplicateGroup(field: keyField, value: $0.key, ids: $0.value.sorted()) }
            }
            reports.append(report)
        }
        return ReconcileReport(flow: flow.name, targets: reports)
    }

    /// Reads every record of an object from the beginning, a page at a time.
    private func scan(_ object: ObjectRef, connector: EngineConnector, filter: Filter?, fields: [String]?, state: RunState,
                      _ body: ([ConnectorRecord], FilterApplied?) async throws -> Void) async throws {
        let client = connector.client
        var cursor: JSONValue?
        while true {
            let page = try await client.read(ReadRequest(object: object.object, cursor: cursor, limit: client.readBatchLimit, fields: fields, filter: filter))
            try await body(page.records, filter == nil ? nil : page.filterApplied)
            guard page.hasMore else { return }
            cursor = page.nextCursor
        }
    }

    /// The criteria lookups of a page, answered from the ID map.
    private func lookups(_ records: [ConnectorRecord], pass: Pass, link: String) async throws -> MappingEnvironment {
        var requests: [LookupRequest: TwinQuery] = [:]
        for record in records where !record.deleted {
            for request in (pass.criteria?.lookups(for: record) ?? []) + pass.steps.flatMap({ $0.criteria?.lookups(for: record) ?? [] }) {
                requests[request] = TwinQuery(object: request.sourceObject ?? pass.from.object, id: request.id, otherObject: request.targetObject)
            }
        }
        guard !requests.isEmpty else { return MappingEnvironment(runTime: Date()) }
        let found = try await store.twins(link: link, side: pass.side, connection: pass.from.connection, queries: Array(Set(requests.values)))
        return MappingEnvironment(runTime: Date(), lookups: requests.compactMapValues { found[$0]?.record(on: pass.side.other).id })
    }
}
