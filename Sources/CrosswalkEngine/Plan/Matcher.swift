import Foundation
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkFlows
import CrosswalkStore

/// Finds the target record of records the ID map does not know, by the step's match keys in
/// order (external id, then e-mail…): one search per key per chunk. When the target cannot be
/// searched but offers upsert on the first key, the app matches instead.
struct Matcher {
    let store: any Store
    let state: RunState
    let pass: Pass
    let planner: Planner

    func match(_ step: Step, _ writes: [PlannedWrite], items: [Item], settled: inout [Settled]) async throws -> [PlannedWrite] {
        let keys = step.target.matchKeys
        guard !keys.isEmpty, writes.contains(where: { $0.action == .create }) else { return writes }
        let finder = TargetFinder(state: state, step: step)
        guard finder.canSearch else {
            // The app matches: upsert on the first key it knows.
            let known = Set((step.object?.matchKeys ?? []) + (step.object?.externalIDFields ?? []))
            guard step.object?.supports("upsert") == true, let key = keys.first(where: { known.contains($0.field) }) else { return writes }
            var result: [PlannedWrite] = []
            for var write in writes {
                if write.action == .create {
                    if step.mode == .updateOnly {
                        settled.append(Settled(item: write.item, action: .skip, outcome: .skipped,
                                               reason: "not synced yet; \(step.to.connection) cannot be searched by \(key.field), and the mode is update only",
                                               summary: "no match (update only)", continues: true))
                        continue
                    }
                    write.operation = .upsert
                    write.matchKey = key.field
                    write.reason = "new, or matched by the app on \(key.field)"
                }
                result.append(write)
            }
            return result
        }
        var open = Set(writes.indices.filter { writes[$0].action == .create })
        var matched: [Int: (id: String, key: String)] = [:]
        for key in keys where !open.isEmpty {
            var values: [Int: JSONValue] = [:]
            for index in open {
                let value: JSONValue? = switch key {
                case .externalID: .string(items[writes[index].item].record.id)
                case .field(let field): writes[index].fields[field]
                }
                if let value, value.matchText != nil { values[index] = value }
            }
            guard !values.isEmpty else { continue }
            let found = try await finder.find(field: key.field, values: Array(values.values))
            for (index, value) in values {
                guard let text = value.matchText, let records = found[text], !records.isEmpty else { continue }
                open.remove(index)
                if records.count > 1 {
                    settled.append(Settled(item: writes[index].item, action: .create, outcome: .failed,
                                           reason: "\(records.count) \(step.to.object) records have \(key.field) = \(value.text) (\(records.prefix(3).map(\.id).joined(separator: ", "))): remove the duplicate, then retry",
                                           summary: "duplicate in the target", failure: (.duplicate, nil, nil)))
                    matched[index] = nil
                    continue
                }
                matched[index] = (records[0].id, key.field)
            }
        }
        // A match already synced with another source record (or claimed twice in the chunk) is no match.
        let claims = try await claimedElsewhere(step, Array(Set(matched.values.map(\.id))))
        var taken: [String: Int] = [:]
        var settledItems = Set(settled.map(\.item))
        var result: [PlannedWrite] = []
        for (index, write) in writes.enumerated() {
            guard write.action == .create, !settledItems.contains(write.item) else {
                if write.action != .create { result.append(write) }
                continue
            }
            let source = items[write.item].source
            if let (id, field) = matched[index] {
                if let owner = claims[id], owner != source.id {
                    settled.append(Settled(item: write.item, action: .create, outcome: .failed,
                                           reason: "\(step.to.object) \(id) has the same \(field), but it is already synced with \(pass.from.object) \(owner)",
                                           summary: "match synced with another record", failure: (.duplicate, nil, nil)))
                    settledItems.insert(write.item)
                    continue
                }
                if let other = taken[id] {
                    settled.append(Settled(item: write.item, action: .create, outcome: .failed,
                                           reason: "\(step.to.object) \(id) also matches \(pass.from.object) \(items[other].source.id) by \(field)",
                                           summary: "match synced with another record", failure: (.duplicate, nil, nil)))
                    settledItems.insert(write.item)
                    continue
                }
                taken[id] = write.item
                if step.mode == .createOnly {
                    settled.append(Settled(item: write.item, action: .skip, outcome: .skipped, reason: "already in \(step.to.object) (matched by \(field))",
                                           summary: "already in the target (create only)", target: id,
                                           mappings: [planner.pair(source: source, target: step.to.record(id), targetFingerprint: nil,
                                                                   sourceFingerprint: write.sourceFingerprint)],
                                           continues: true))
                    continue
                }
                var w = write
                w.operation = .update
                w.action = .update
                w.targetID = id
                w.reason = "matched by \(field)"
                result.append(w)
            } else if step.mode == .updateOnly {
                settled.append(Settled(item: write.item, action: .skip, outcome: .skipped,
                                       reason: "no matching \(step.to.object) (by \(keys.map(\.field).joined(separator: ", "))), and the mode is update only",
                                       summary: "no match (update only)", continues: true))
            } else {
                result.append(write)
            }
        }
        return result
    }

    /// The target ids among `ids` already paired with a source record, and with which one.
    func claimedElsewhere(_ step: Step, _ ids: [String]) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let queries = ids.map { TwinQuery(object: step.to.object, id: $0, otherObject: pass.from.object) }
        let found = try await store.twins(link: state.flow.link, side: pass.side.other, connection: step.to.connection, queries: queries)
        return Dictionary(found.map { ($0.key.id, $0.value.record(on: pass.side).id) }, uniquingKeysWith: { a, _ in a })
    }
}
