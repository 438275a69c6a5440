import CrosswalkConnectors
import CrosswalkCore
import CrosswalkFlows
import CrosswalkStore
import Foundation

/// Two-way flows: before an update, reads the twins it would overwrite. A twin that already holds
/// the values is left alone (the sides converged); a twin that changed since the last sync too
/// is a conflict, settled by the flow's rule.
struct ConflictCheck {
    let state: RunState
    let pass: Pass
    let answers: TwinAnswers
    let planner: Planner

    func check(_ step: Step, _ writes: [PlannedWrite], items: [Item], settled: inout [Settled]) async throws -> [PlannedWrite] {
        let updates = writes.filter { $0.operation == .update && $0.fingerprint != nil && $0.targetID != nil }
        guard !updates.isEmpty, let rule = pass.conflict else { return writes }
        let client = step.connector.client
        var twins: [String: ConnectorRecord] = [:]
        let ids = updates.compactMap(\.targetID)
        for start in stride(from: 0, to: ids.count, by: client.readBatchLimit) {
            let chunk = Array(ids[start..<min(start + client.readBatchLimit, ids.count)])
            let page = try await client.read(ReadRequest(object: step.to.object, ids: chunk))
            state.count(step.to.connection, step.to.object, "read", records: page.records.count)
            for record in page.records { twins[record.id] = record }
        }
        var kept: [PlannedWrite] = []
        for write in writes {
            guard write.operation == .update, let fingerprint = write.fingerprint, let id = write.targetID, let twin = twins[id], !twin.deleted else {
                kept.append(write)
                continue
            }
            let record = items[write.item].record
            let current = Fingerprints.of(twin.fields, over: step.written)
            let stored = answers.mapping(pass.from.object, record.id, in: step.to.object)?.fingerprint(on: pass.side.other)
            if current == fingerprint {
                settled.append(Settled(item: write.item, action: .skip, outcome: .skipped, reason: "unchanged: \(step.to.object) \(id) already has these values",
                                       summary: "unchanged since the last sync", target: id,
                                       mappings: [planner.pair(source: items[write.item].source, target: step.to.record(id),
                                                               targetFingerprint: fingerprint, sourceFingerprint: write.sourceFingerprint)],
                                       continues: true))
                continue
            }
            if let stored, current != stored, !wins(rule, record, over: twin) {
                let other = pass.direction == .source ? "target" : "source"
                settled.append(Settled(item: write.item, action: .skip, outcome: .skipped,
                                       reason: "conflict: both records changed since the last sync and the \(other)'s \(step.to.object) \(id) wins (\(rule.rawValue.replacingOccurrences(of: "_", with: " ")))",
                                       summary: "conflict (the other side wins)", target: id))
                continue
            }
            kept.append(write)
        }
        return kept
    }

    /// Whether this pass's record wins a conflict with its twin.
    func wins(_ rule: ConflictRule, _ record: ConnectorRecord, over twin: ConnectorRecord) -> Bool {
        switch rule {
        case .sourceWins: return pass.direction == .source
        case .targetWins: return pass.direction == .target
        case .lastModifiedWins:
            guard let mine = record.modifiedAt, let theirs = twin.modifiedAt else { return pass.direction == .source }
            if let a = Self.date(mine), let b = Self.date(theirs) { return a == b ? pass.direction == .source : a > b }
            return mine == theirs ? pass.direction == .source : mine > theirs
        }
    }

    static func date(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle()))
    }
}
