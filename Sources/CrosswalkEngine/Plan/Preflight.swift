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

    func check(_ items: inout [Item], filterApplied: FilterApplied?) -> [Settled] {
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
                let parentRef = pass.from.record(parent).with(object: rule.object)
                let to = pass.steps.first.map { " to \($0.to.connection)" } ?? ""
                let reason = "waits for its \(rule.object) \(parent) (\(rule.field ?? rule.linkType ?? "link")) to be synced\(to) first"
                settled.append(Settled(item: index, action: .skip, outcome: rule.whenMissing == .wait ? .skipped : .failed, reason: reason,
                                       summary: "waits for its \(rule.object)", failure: (.dependency, parentRef, nil)))
                items[index].done = true
                break
            }
        }
        return settled
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
