import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkStore
import Foundation

/// A one-way record sync between two connectors, for `crosswalk demo`: read pages of changes,
/// qualify, map, skip what the ID map says is unchanged, write in the target's batches, and
/// commit ID map, sync log and cursor together per batch. It stands in for the sync engine,
/// which replaces it; it uses the same typed client and store calls the engine does.
public struct DemoFlow: Sendable {
    public let name: String
    public let source: any ConnectorClient
    public let sourceObject: String
    public let target: any ConnectorClient
    public let targetObject: String
    /// Target field ← source field.
    public let mapping: [(target: String, source: String)]
    /// A record needs a non-empty value in each of these source fields.
    public let required: [String]
    public let store: any Store

    public init(name: String, source: any ConnectorClient, sourceObject: String, target: any ConnectorClient, targetObject: String,
                mapping: [(target: String, source: String)], required: [String], store: any Store) {
        self.name = name
        self.source = source
        self.sourceObject = sourceObject
        self.target = target
        self.targetObject = targetObject
        self.mapping = mapping
        self.required = required
        self.store = store
    }

    /// What one run did.
    public struct Summary: Sendable {
        public var read = 0
        public var counts = RunCounts()
        public var reasons: [String: Int] = [:]
        public var samples: [(String, String)] = []
    }

    /// Runs the flow once; `progress` gets a line per page.
    public func run(progress: @Sendable (String) -> Void) async throws -> Summary {
        let link = LinkName.between(source.connection, target.connection)
        let side = LinkName.side(of: source.connection, with: target.connection)
        let runID = try await store.startRun(flow: name, trigger: .manual)
        var summary = Summary()
        var cursor = try await store.cursor(flow: name, object: sourceObject).flatMap { try? JSONValue(parsing: $0.json) }
        var page = 0
        do {
            while true {
                page += 1
                let answer = try await source.read(ReadRequest(object: sourceObject, cursor: cursor ?? .null, limit: source.readBatchLimit))
                summary.read += answer.records.count
                try await sync(answer.records, next: answer.nextCursor ?? .null, runID: runID, link: link, side: side, summary: &summary)
                progress("  page \(page): \(answer.records.count) records read, \(summary.counts.created) created, \(summary.counts.skipped) skipped so far")
                cursor = answer.nextCursor
                if !answer.hasMore { break }
            }
            try await store.finishRun(runID, status: summary.counts.failed == 0 ? .succeeded : .partial)
        } catch {
            _ = try? await store.finishRun(runID, status: .failed)
            throw error
        }
        return summary
    }

    /// One page: decide per record, write the creates in batches, commit each batch with its log rows.
    private func sync(_ records: [ConnectorRecord], next: JSONValue, runID: RunID, link: String, side: LinkSide,
                      summary: inout Summary) async throws {
        let mapped = try await store.mappings(link: link, side: side, connection: source.connection, object: sourceObject, ids: records.map(\.id))
        var log: [SyncLogEntry] = []
        var creates: [(ref: RecordRef, fields: [String: JSONValue], fingerprint: String)] = []
        let now = Date()
        for record in records {
            let ref = RecordRef(connection: source.connection, object: sourceObject, id: record.id)
            if let missing = required.first(where: { (record.fields[$0]?.stringValue ?? "").isEmpty }) {
                log.append(SyncLogEntry(source: ref, target: nil, action: .skip, outcome: .skipped, reason: "no \(missing)", durationMs: 0, at: now))
                summary.reasons["no \(missing)", default: 0] += 1
                continue
            }
            var out: [String: JSONValue] = [:]
            for (t, s) in mapping { out[t] = record.fields[s] ?? .null }
            let fingerprint = Fingerprint.of(fields: out)
            if let existing = mapped[record.id] {
                let written = side == .a ? existing.bFingerprint : existing.aFingerprint
                let reason = written == fingerprint ? "unchanged since the last sync" : "changed (updates come with the sync engine)"
                log.append(SyncLogEntry(source: ref, target: side == .a ? existing.b : existing.a, action: .skip, outcome: .skipped,
                                        reason: reason, durationMs: 0, at: now))
                summary.reasons[reason, default: 0] += 1
                continue
            }
            creates.append((ref, out, fingerprint))
        }
        // Skips of this page are logged with the first batch (or alone); the cursor moves with the last.
        let size = target.writeBatchLimit
        let batches = stride(from: 0, to: max(creates.count, 1), by: size).map { Array(creates[$0..<min($0 + size, creates.count)]) }
        for (index, batch) in batches.enumerated() {
            var mappings: [MappingUpsert] = []
            var entries = index == 0 ? log : []
            if !batch.isEmpty {
                let started = Date()
                let request = WriteRequest(object: targetObject, operation: .create,
                                           records: batch.map { WriteItem(ref: $0.ref.id, fields: $0.fields) })
                let results = try await target.write(request).results
                let ms = Int(Date().timeIntervalSince(started) * 1000)
                for item in batch {
                    let result = results.first { $0.ref == item.ref.id }
                    if let result, result.ok, let newID = result.id, !newID.isEmpty {
                        let targetRef = RecordRef(connection: target.connection, object: targetObject, id: newID)
                        mappings.append(side == .a
                            ? MappingUpsert(link: link, a: item.ref, b: targetRef, bFingerprint: item.fingerprint)
                            : MappingUpsert(link: link, a: targetRef, b: item.ref, aFingerprint: item.fingerprint))
                        entries.append(SyncLogEntry(source: item.ref, target: targetRef, action: .create, outcome: .ok, durationMs: ms, at: Date()))
                        if summary.samples.count < 3 { summary.samples.append((item.ref.id, newID)) }
                    } else {
                        let message = result?.error?.message ?? "no result for this record"
                        entries.append(SyncLogEntry(source: item.ref, target: nil, action: .create, outcome: .failed, reason: message, durationMs: ms, at: Date()))
                        summary.reasons[message, default: 0] += 1
                    }
                }
            }
            entries.forEach { summary.counts.add($0) }
            let last = index == batches.count - 1
            try await store.commitBatch(BatchCommit(flow: name, run: runID, mappings: mappings, log: entries,
                                                    cursor: last ? CursorUpdate(object: sourceObject, json: next.text) : nil))
        }
    }
}
