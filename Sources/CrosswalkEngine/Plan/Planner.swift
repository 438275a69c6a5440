import CrosswalkConnectors
import CrosswalkCore
import CrosswalkFlows
import CrosswalkStore
import Foundation

/// Decides per record and step: create, update, delete or skip, from the ID map (then match
/// keys, see ``Matcher``), the fingerprints of the last sync and the flow's mode and policies.
struct Planner {
    let state: RunState
    let pass: Pass
    let answers: TwinAnswers
    let environment: MappingEnvironment

    var link: String { state.flow.link }

    /// Plans one step for every item still going.
    func plan(_ step: Step, items: inout [Item]) -> (writes: [PlannedWrite], settled: [Settled]) {
        var writes: [PlannedWrite] = []
        var settled: [Settled] = []
        // A merge survivor the ID map does not know adopts the loser's twin, also when the
        // survivor itself is in this chunk.
        var adopted: [String: IDMapping] = [:]
        for item in items where item.record.effectiveChange == .merge {
            guard let survivor = item.record.mergedInto, answers.mapping(pass.from.object, survivor, in: step.to.object) == nil,
                  let loser = answers.mapping(pass.from.object, item.record.id, in: step.to.object) else { continue }
            var moved = loser
            if pass.side == .a { moved.a = pass.from.record(survivor) } else { moved.b = pass.from.record(survivor) }
            adopted[survivor] = moved
        }
        for index in items.indices where !items[index].done {
            let record = items[index].record
            let mapping = answers.mapping(pass.from.object, record.id, in: step.to.object)
                ?? (record.effectiveChange == .upsert ? adopted[record.id] : nil)
            let twin = mapping?.record(on: pass.side.other).id
            if let twin { items[index].targets[step.id] = twin }
            let ref = IdempotencyKey.of(flow: state.flow.name, step: step.id, source: items[index].source)
            if twin == nil, state.blocked.contains(items[index].source), state.trigger != .retry {
                settled.append(Settled(item: index, action: .create, outcome: .failed,
                                       reason: "Crosswalk was interrupted while creating this record and cannot tell whether \(step.to.object) was created (the flow has no external id or match key): check \(step.to.connection) and retry it",
                                       summary: "unverified earlier write", failure: (.unverifiedWrite, nil, nil)))
                continue
            }
            switch record.effectiveChange {
            case .delete:
                planDelete(step, index, mapping, twin, ref, &writes, &settled)
            case .merge:
                planMerge(step, index, record, mapping, twin, ref, &writes, &settled)
            case .upsert:
                planUpsert(step, index, items[index], mapping, twin, ref, &writes, &settled)
            }
        }
        return (writes, settled)
    }

    private func planUpsert(_ step: Step, _ index: Int, _ item: Item, _ mapping: IDMapping?, _ twin: String?, _ ref: String,
                            _ writes: inout [PlannedWrite], _ settled: inout [Settled]) {
        let record = item.record
        if let criteria = step.criteria {
            do {
                let verdict = try criteria.evaluate(record, environment: environment)
                if !verdict.matched {
                    let why = verdict.reason ?? "the criteria are not met"
                    settled.append(Settled(item: index, action: .skip, outcome: .skipped, reason: "not for \(step.id): \(why)",
                                           summary: "not for \(step.id): \(why)", target: twin, continues: true))
                    return
                }
            } catch {
                settled.append(failed(index, "the criteria of \(step.id) failed: \(Self.describe(error))", summary: "criteria error", code: .mappingFailed))
                return
            }
        }
        var links: [RecordLink] = []
        var linkFields: [String: JSONValue] = [:]
        for link in step.target.links {
            if link.lookup != nil {
                // A lookup link without a twin yet is left out (a dependency rule makes the record wait instead).
                guard let (object, id) = lookupTwin(link, record) else { continue }
                if let field = link.field { linkFields[field] = .string(id) } else { links.append(RecordLink(object: object, id: id, type: link.type)) }
                continue
            }
            let name = link.step ?? ""
            guard let id = item.targets[name], let earlier = state.flow.flow.target(named: name) else {
                settled.append(Settled(item: index, action: .skip, outcome: .skipped,
                                       reason: "needs its \(state.flow.flow.target(named: name)?.object ?? name) first, which did not sync",
                                       summary: "needs \(name) first", target: twin, continues: true))
                return
            }
            if let field = link.field { linkFields[field] = .string(id) } else { links.append(RecordLink(object: earlier.object, id: id, type: link.type)) }
        }
        let mapped: MappedRecord
        do { mapped = try step.mapper.map(record, environment: environment) } catch {
            settled.append(failed(index, "the mapping to \(step.to.object) failed: \(Self.describe(error))", summary: "mapping error", code: .mappingFailed))
            return
        }
        var fields: [String: JSONValue] = Dictionary(minimumCapacity: step.written.count + linkFields.count)
        for name in step.written { fields[name] = mapped.fields[name] ?? .null }
        fields.merge(linkFields) { _, link in link }
        let names = linkFields.isEmpty ? step.written : step.written + linkFields.keys.sorted()
        let fingerprint = Fingerprints.of(fields, over: names, links: links)
        let sourceFingerprint = step.sourceProjection.map { Fingerprints.of(record.fields, over: $0) }
        if let twin, let mapping {
            if step.mode == .createOnly {
                settled.append(Settled(item: index, action: .skip, outcome: .skipped, reason: "already synced (create only)",
                                       summary: "already synced (create only)", target: twin, continues: true))
                return
            }
            if fingerprint == mapping.fingerprint(on: pass.side.other) {
                settled.append(Settled(item: index, action: .skip, outcome: .skipped, reason: "unchanged since the last sync",
                                       summary: "unchanged since the last sync", target: twin, continues: true))
                return
            }
            writes.append(PlannedWrite(item: index, operation: .update, action: .update, targetID: twin, fields: fields,
                                       links: links.isEmpty ? nil : links, fingerprint: fingerprint, sourceFingerprint: sourceFingerprint,
                                       reason: "changed since the last sync", ref: ref))
            return
        }
        var lookups: [IntentLookup] = []
        for key in step.target.matchKeys {
            let value: JSONValue? = switch key {
            case .externalID: .string(record.id)
            case .field(let field): fields[field]
            }
            if let value, value.matchText != nil { lookups.append(IntentLookup(field: key.field, valueJSON: value.text)) }
        }
        if step.mode == .updateOnly && step.target.matchKeys.isEmpty {
            settled.append(Settled(item: index, action: .skip, outcome: .skipped, reason: "not synced yet, and the mode is update only",
                                   summary: "not synced (update only)", continues: true))
            return
        }
        writes.append(PlannedWrite(item: index, operation: .create, action: .create, targetID: nil, fields: fields,
                                   links: links.isEmpty ? nil : links, fingerprint: fingerprint, sourceFingerprint: sourceFingerprint,
                                   reason: "new", ref: ref, lookups: lookups))
    }

    /// The twin (object, id) of the source record a lookup link's field names, from the ID map.
    func lookupTwin(_ link: StepLink, _ record: ConnectorRecord) -> (String, String)? {
        guard let referenced = Self.referenced(link, record),
              let mapping = answers.mapping(link.sourceObject ?? pass.from.object, referenced, in: link.object) else { return nil }
        let twin = mapping.record(on: pass.side.other)
        return (twin.object, twin.id)
    }

    /// The id a lookup link names: the source field's value, else the record's link of that type
    /// (an Aritic contact's `company`).
    static func referenced(_ link: StepLink, _ record: ConnectorRecord) -> String? {
        guard let name = link.lookup else { return nil }
        if let value = (record.fields[name] ?? .null).matchText { return value }
        return record.links.first { $0.type == name && (link.sourceObject == nil || $0.object == link.sourceObject) }?.id
    }

    private func planDelete(_ step: Step, _ index: Int, _ mapping: IDMapping?, _ twin: String?, _ ref: String,
                            _ writes: inout [PlannedWrite], _ settled: inout [Settled]) {
        guard let twin else {
            settled.append(Settled(item: index, action: .skip, outcome: .skipped, reason: "deleted in the source before it was synced",
                                   summary: "deleted before it was synced", continues: true))
            return
        }
        guard step.mode == .mirror else {
            settled.append(Settled(item: index, action: .skip, outcome: .skipped,
                                   reason: "deleted in the source; mode \(step.mode.rawValue) keeps the \(step.to.object)",
                                   summary: "deleted in the source (kept)", target: twin, continues: true))
            return
        }
        switch step.target.deletePolicy {
        case .nothing:
            settled.append(Settled(item: index, action: .skip, outcome: .skipped,
                                   reason: "deleted in the source; the delete policy keeps the \(step.to.object)",
                                   summary: "deleted in the source (kept)", target: twin, continues: true))
        case .archive(let fields):
            writes.append(PlannedWrite(item: index, operation: .update, action: .update, targetID: twin, fields: fields,
                                       reason: "deleted in the source: archived", ref: ref))
        case .delete:
            writes.append(PlannedWrite(item: index, operation: .delete, action: .delete, targetID: twin, fields: [:],
                                       reason: "deleted in the source", ref: ref))
        }
    }

    private func planMerge(_ step: Step, _ index: Int, _ record: ConnectorRecord, _ mapping: IDMapping?, _ twin: String?, _ ref: String,
                           _ writes: inout [PlannedWrite], _ settled: inout [Settled]) {
        let survivor = record.mergedInto ?? ""
        guard let twin, let mapping else {
            settled.append(Settled(item: index, action: .skip, outcome: .skipped, reason: "merged into \(survivor) before it was synced",
                                   summary: "merged", continues: true))
            return
        }
        let loser = MappingKey(link: link, side: pass.side, record: pass.from.record(record.id), otherObject: step.to.object)
        let survivorTwin = survivor.isEmpty ? nil : answers.twin(pass.from.object, survivor, in: step.to.object)
        if survivor.isEmpty || survivorTwin == twin {
            settled.append(Settled(item: index, action: .skip, outcome: .skipped, reason: "merged into \(survivor)", summary: "merged",
                                   target: twin, removed: [loser], continues: true))
            return
        }
        guard let survivorTwin else {
            // The ID map follows the merge: the survivor is now the twin's pair.
            let moved = pair(source: pass.from.record(survivor), target: step.to.record(twin),
                             targetFingerprint: mapping.fingerprint(on: pass.side.other), sourceFingerprint: mapping.fingerprint(on: pass.side))
            settled.append(Settled(item: index, action: .skip, outcome: .skipped,
                                   reason: "merged into \(survivor): the ID map now pairs \(survivor) with \(step.to.object) \(twin)",
                                   summary: "merged (ID map follows)", target: twin, mappings: [moved], removed: [loser], continues: true))
            return
        }
        if step.mode == .mirror, case .delete = step.target.deletePolicy {
            settled.append(Settled(item: index, action: .skip, outcome: .skipped, reason: nil, summary: nil, removed: [loser], continues: true))
            writes.append(PlannedWrite(item: index, operation: .delete, action: .delete, targetID: twin, fields: [:],
                                       reason: "merged into \(survivor), which is synced as \(survivorTwin): the duplicate is deleted", ref: ref))
            return
        }
        settled.append(Settled(item: index, action: .skip, outcome: .skipped,
                               reason: "merged into \(survivor), which is synced as \(step.to.object) \(survivorTwin); \(twin) is kept",
                               summary: "merged (duplicate kept)", target: twin, removed: [loser], continues: true))
    }

    /// A mapping between a source-side and a target-side record of this pass.
    func pair(source: RecordRef, target: RecordRef, targetFingerprint: String?, sourceFingerprint: String?) -> MappingUpsert {
        pass.side == .a
            ? MappingUpsert(link: link, a: source, b: target, aFingerprint: sourceFingerprint, bFingerprint: targetFingerprint)
            : MappingUpsert(link: link, a: target, b: source, aFingerprint: targetFingerprint, bFingerprint: sourceFingerprint)
    }

    private func failed(_ index: Int, _ reason: String, summary: String, code: CrosswalkError.Code) -> Settled {
        Settled(item: index, action: .skip, outcome: .failed, reason: reason, summary: summary, failure: (code, nil, nil))
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? CrosswalkError { return e.message }
        return "\(error)"
    }
}

extension CrosswalkError.Code {
    /// A mapping or criteria could not be evaluated for a record.
    public static let mappingFailed = CrosswalkError.Code("mapping_failed")
    /// A record waits for another record to be synced first.
    public static let dependency = CrosswalkError.Code("dependency")
    /// The app did not say whether a write happened, and it could not be found.
    public static let unknownOutcome = CrosswalkError.Code("unknown_outcome")
    /// An interrupted create that cannot be checked (no external id or match key).
    public static let unverifiedWrite = CrosswalkError.Code("unverified_write")
    /// More than one target record matches a record, or the match is synced with another record.
    public static let duplicate = CrosswalkError.Code("duplicate")
}
