import Foundation
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkFlows
import CrosswalkStore

/// The checks before any target: qualification criteria, echoes of Crosswalk's own writes, and
/// dependency rules. A record that fails one is settled for every step.
struct Preflight {
    let state: RunState
    let pass: Pass
    let answers: TwinAnswers
    let environment: MappingEnvironment

    /// Checks each item; records whose parent a `when_missing: sync` rule can bring along are
    /// left going and returned in `pulls` (item, rule, parent id) for the caller to sync and
    /// check again with ``recheck(_:_:)``.
    func check(_ items: inout [Item], filterApplied: FilterApplied?, pulls: inout [(Int, DependencyRule, String)]) -> [Settled] {
        var settled: [Settled] = []
        let evaluateCriteria = pass.criteria.map { !(filterApplied == .full && $0.pushdownIsExact && $0.pushdown != nil) } ?? false
        for index in items.indices {
            let record = items[index].record
            guard record.effectiveChange == .upsert else { continue }
            if evaluateCriteria, let criteria = pass.criteria {
                do {
                    let verdict = try criteria.evaluate(record, environment: environment)
                    if !verdict.matched {
                        let why = verdict.reason ?? "the criteria are not met"
                        settled.append(Settled(item: index, action: .skip, outcome: .skipped, reason: "does not qualify: \(why)", summary: why))
                        items[index].done = true
                        continue
                    }
                } catch {
                    settled.append(Settled(item: index, action: .skip, outcome: .failed, reason: "the criteria failed: \(Planner.describe(error))",
                                           summary: "criteria error", failure: (.mappingFailed, nil, nil)))
                    items[index].done = true
                    continue
                }
            }
            if let user = pass.connector.integrationUser, record.modifiedBy == user, pass.steps.contains(where: { isEcho(record, $0) }) {
                settled.append(Settled(item: index, action: .skip, outcome: .skipped, reason: "echo of Crosswalk's own write (modified by the integration user)",
                                       summary: "echo of Crosswalk's own write"))
                items[index].done = true
                continue
            }
            for rule in pass.dependencies {
                guard let parent = Self.parentID(rule, record) else {
                    if rule.required {
                        settled.append(Settled(item: index, action: .skip, outcome: .failed,
                                               reason: "has no \(rule.field ?? rule.linkType ?? rule.object), which it needs to sync",
                                               summary: "no \(rule.field ?? rule.linkType ?? rule.object)", failure: (.dependency, nil, nil)))
                        items[index].done = true
                        break
                    }
                    continue
                }
                guard answers.twin(rule.object, parent, in: rule.targetObject) == nil else { continue }
                if rule.whenMissing == .sync, state.parentSync != nil {
                    pulls.append((index, rule, parent))
                    break
                }
                settled.append(waiting(index, rule, parent, record))
                items[index].done = true
                break
            }
        }
        return settled
    }

    /// After the parents were synced: each pulled item goes on if its parent has a twin now,
    /// else waits with the parent flow's reason.
    func recheck(_ items: inout [Item], _ pulls: [(Int, DependencyRule, String)], why: [String: String]) -> [Settled] {
        var settled: [Settled] = []
        for (index, rule, parent) in pulls where !items[index].done {
            guard answers.twin(rule.object, parent, in: rule.targetObject) == nil else { continue }
            var s = waiting(index, rule, parent, items[index].record)
            let reason = why[parent].map { ": \($0)" } ?? ""
            s.reason = "waits for its \(rule.object) \(parent), which flow \(rule.flow ?? "?") did not sync\(reason)"
            settled.append(s)
            items[index].done = true
        }
        return settled
    }

    /// The record waits (or fails) for its parent.
    private func waiting(_ index: Int, _ rule: DependencyRule, _ parent: String, _ record: ConnectorRecord) -> Settled {
        let parentRef = pass.from.record(parent).with(object: rule.object)
        let to = pass.steps.first.map { " to \($0.to.connection)" } ?? ""
        let reason = "waits for its \(rule.object) \(parent) (\(rule.field ?? rule.linkType ?? "link")) to be synced\(to) first"
        return Settled(item: index, action: .skip, outcome: rule.whenMissing == .fail ? .failed : .skipped, reason: reason,
                       summary: "waits for its \(rule.object)", failure: (.dependency, parentRef, nil))
    }

    /// Whether a record last changed by the integration user only repeats what Crosswalk wrote to
    /// it: it is paired, Crosswalk wrote to its side, and (two-way flows, where the fields written
    /// to this side are known) those fields still hold what was written. A side that owns fields
    /// may have had them changed by a person before Crosswalk's write, so it is never an echo.
    func isEcho(_ record: ConnectorRecord, _ step: Step) -> Bool {
        guard let mapping = answers.mapping(pass.from.object, record.id, in: step.to.object), let stored = mapping.fingerprint(on: pass.side) else {
            return false
        }
        guard let projection = step.sourceProjection else { return true }
        guard !step.fromSideOwnsFields else { return false }
        return Fingerprints.of(record.fields, over: projection) == stored
    }

    /// The parent's id a rule reads from a record.
    static func parentID(_ rule: DependencyRule, _ record: ConnectorRecord) -> String? {
        if let field = rule.field { return (record.fields[field] ?? .null).matchText }
        return record.links.first { $0.type == rule.linkType && $0.object == rule.object }?.id
            ?? record.links.first { $0.type == rule.linkType }?.id
    }
}

extension RecordRef {
    func with(object: String) -> RecordRef { RecordRef(connection: connection, object: object, id: id) }
}
