import CrosswalkConnections
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkStore
import Foundation

/// A one-way contact sync between two plugin instances, for `crosswalk demo`: read pages of
/// changes, qualify, map, skip what the ID map says is unchanged, write in the target's batches,
/// and commit ID map, sync log and cursor together per batch. It stands in for the sync engine,
/// which is its own issue; it uses the same store and plugin calls the engine will.
struct DemoFlow {
    let name: String
    let source: PluginInstance
    let sourceObject: String
    let target: PluginInstance
    let targetObject: String
    /// Target field ← source field.
    let mapping: [(target: String, source: String)]
    /// A record needs a non-empty value in each of these source fields.
    let required: [String]
    let store: any Store
    let writeBatch: Int

    struct Summary {
        var read = 0
        var counts = RunCounts()
        var reasons: [String: Int] = [:]
        var samples: [(String, String)] = []
    }

    func run(progress: (String) -> Void) async throws -> Summary {
        let link = LinkName.between(source.connection, target.connection)
        let side = LinkName.side(of: source.connection, with: target.connection)
        let runID = try await store.startRun(flow: name, trigger: .manual)
        var summary = Summary()
        var cursor: Any = try await store.cursor(flow: name, object: sourceObject)
            .flatMap { try? JSONSerialization.jsonObject(with: Data($0.json.utf8), options: [.fragmentsAllowed]) } ?? NSNull()
        var page = 0
        do {
            while true {
                page += 1
                let answer = try Self.object(try await source.read(Self.json(["version": 1, "object": sourceObject, "cursor": cursor])))
                let records = answer["records"] as? [[String: Any]] ?? []
                summary.read += records.count
                let next = answer["next_cursor"] ?? NSNull()
                try await sync(records, page: page, next: next, runID: runID, link: link, side: side, summary: &summary)
                progress("  page \(page): \(records.count) contacts read, \(summary.counts.created) created, \(summary.counts.skipped) skipped so far")
                cursor = next
                if answer["has_more"] as? Bool != true { break }
            }
            try await store.finishRun(runID, status: summary.counts.failed == 0 ? .succeeded : .partial)
        } catch {
            _ = try? await store.finishRun(runID, status: .failed)
            throw error
        }
        return summary
    }

    /// One page: decide per record, write the creates in batches, commit each batch with its log rows.
    private func sync(_ records: [[String: Any]], page: Int, next: Any, runID: RunID, link: String, side: LinkSide,
                      summary: inout Summary) async throws {
        let ids = records.compactMap { $0["id"] as? String }
        let mapped = try await store.mappings(link: link, side: side, connection: source.connection, object: sourceObject, ids: ids)
        var log: [SyncLogEntry] = []
        var creates: [(ref: RecordRef, fields: [String: Any], fingerprint: String)] = []
        let now = Date()
        for record in records {
            guard let id = record["id"] as? String else { continue }
            let ref = RecordRef(connection: source.connection, object: sourceObject, id: id)
            let fields = record["fields"] as? [String: Any] ?? [:]
            if let missing = required.first(where: { (fields[$0] as? String ?? "").isEmpty }) {
                log.append(SyncLogEntry(source: ref, target: nil, action: .skip, outcome: .skipped, reason: "no \(missing)", durationMs: 0, at: now))
                summary.reasons["no \(missing)", default: 0] += 1
                continue
            }
            var out: [String: Any] = [:]
            for (t, s) in mapping { out[t] = fields[s] ?? NSNull() }
            let fingerprint = Fingerprint.of(out)
            if let existing = mapped[id] {
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
        let batches = stride(from: 0, to: max(creates.count, 1), by: writeBatch).map { Array(creates[$0..<min($0 + writeBatch, creates.count)]) }
        for (index, batch) in batches.enumerated() {
            var mappings: [MappingUpsert] = []
            var entries = index == 0 ? log : []
            if !batch.isEmpty {
                let started = Date()
                let request: [String: Any] = ["version": 1, "object": targetObject, "operation": "create",
                                              "records": batch.map { ["ref": $0.ref.id, "fields": $0.fields] }]
                let results = (try Self.object(try await target.write(Self.json(request)))["results"] as? [[String: Any]]) ?? []
                let ms = Int(Date().timeIntervalSince(started) * 1000)
                for item in batch {
                    let result = results.first { $0["ref"] as? String == item.ref.id }
                    if result?["ok"] as? Bool == true, let newID = result?["id"] as? String, !newID.isEmpty {
                        let targetRef = RecordRef(connection: target.connection, object: targetObject, id: newID)
                        mappings.append(side == .a
                            ? MappingUpsert(link: link, a: item.ref, b: targetRef, bFingerprint: item.fingerprint)
                            : MappingUpsert(link: link, a: targetRef, b: item.ref, aFingerprint: item.fingerprint))
                        entries.append(SyncLogEntry(source: item.ref, target: targetRef, action: .create, outcome: .ok, durationMs: ms, at: Date()))
                        if summary.samples.count < 3 { summary.samples.append((item.ref.id, newID)) }
                    } else {
                        let message = (result?["error"] as? [String: Any])?["message"] as? String ?? "no result for this record"
                        entries.append(SyncLogEntry(source: item.ref, target: nil, action: .create, outcome: .failed, reason: message, durationMs: ms, at: Date()))
                        summary.reasons[message, default: 0] += 1
                    }
                }
            }
            entries.forEach { summary.counts.add($0) }
            let last = index == batches.count - 1
            let cursorText = String(decoding: try JSONSerialization.data(withJSONObject: next, options: [.fragmentsAllowed]), as: UTF8.self)
            try await store.commitBatch(BatchCommit(flow: name, run: runID, mappings: mappings, log: entries,
                                                    cursor: last ? CursorUpdate(object: sourceObject, json: cursorText) : nil))
        }
    }

    static func json(_ object: Any) throws -> Data { try JSONSerialization.data(withJSONObject: object) }
    static func object(_ data: Data) throws -> [String: Any] { try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:] }
}

/// A stable fingerprint of what was written (FNV-1a over sorted JSON), to recognise unchanged records.
enum Fingerprint {
    static func of(_ fields: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}
