import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkStore
import Foundation

/// What the flow commands print, as lines and table rows, so the CLI (which may not see the
/// store's types) only prints.
public enum FlowText {
    /// A table: headers and rows of cells.
    public typealias Rows = (headers: [String], rows: [[String]])

    /// `contacts: read 25, created 20, updated 0, deleted 0, skipped 5, failed 0 (succeeded, run 7, 1.2 s)`,
    /// then the reasons and the API calls.
    public static func summary(_ r: RunReport) -> [String] {
        let c = r.counts
        let seconds = Double(r.duration.components.seconds) + Double(r.duration.components.attoseconds) / 1e18
        var head = "\(r.flow): read \(r.read), created \(c.created), updated \(c.updated), deleted \(c.deleted), skipped \(c.skipped), failed \(c.failed)"
        head += " (\(r.dryRun ? "dry run, nothing written" : r.status.rawValue)\(r.run.map { ", run \($0)" } ?? ""), \(String(format: "%.1f", seconds)) s)"
        var lines = [head]
        if r.recovered > 0 { lines.append("  \(r.recovered) write(s) of an interrupted run found in the target and recorded") }
        for (reason, n) in r.reasons.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) { lines.append("  \(n) × \(reason)") }
        if !r.calls.isEmpty {
            lines.append(r.dryRun ? "  API calls it would make:" : "  API calls:")
            for call in r.calls.sorted(by: { ($0.connection, $0.object, $0.operation) < ($1.connection, $1.object, $1.operation) }) {
                lines.append("    \(call)")
            }
        }
        return lines
    }

    /// A dry run's plan, one row per record and target.
    public static func plan(_ r: RunReport) -> Rows {
        (["SOURCE", "TARGET STEP", "ACTION", "CALL", "REASON"], r.plans.map { p in
            [p.source.id, p.step ?? "-", p.outcome == .ok ? p.action.rawValue : p.outcome.rawValue, p.call ?? "-",
             p.reason ?? (p.target.map { "target \($0.id)" } ?? "")]
        })
    }

    public static func runs(_ runs: [Run]) -> Rows {
        let format = ISO8601DateFormatter()
        return (["RUN", "FLOW", "TRIGGER", "STATUS", "STARTED", "CREATED", "UPDATED", "DELETED", "SKIPPED", "FAILED"], runs.map { r in
            [String(r.id), r.flow, r.trigger.rawValue, r.status.rawValue, format.string(from: r.startedAt), String(r.counts.created),
             String(r.counts.updated), String(r.counts.deleted), String(r.counts.skipped), String(r.counts.failed)]
        })
    }

    public static func errors(_ failures: [FailedRecord]) -> Rows {
        let format = ISO8601DateFormatter()
        return (["FLOW", "RECORD", "ATTEMPTS", "CODE", "NEXT RETRY", "REASON"], failures.map { f in
            let waiting = f.failure.waitingOn.map { " (waiting for \($0))" } ?? ""
            return [f.failure.flow, "\(f.failure.source.object)/\(f.failure.source.id)", String(f.attempts), f.failure.errorCode.rawValue,
                    format.string(from: f.failure.nextRetryAt), f.failure.message + waiting]
        })
    }

    public static func log(_ entries: [SyncLogEntry]) -> Rows {
        (["SOURCE", "TARGET", "ACTION", "OUTCOME", "REASON"], entries.map { e in
            ["\(e.source.object)/\(e.source.id)", e.target.map { "\($0.connection) \($0.object)/\($0.id)" } ?? "-", e.action.rawValue,
             e.outcome.rawValue, e.reason ?? ""]
        })
    }

    /// The twins of `record` in each mapping.
    public static func idmap(_ mappings: [IDMapping], connection: String, object: String, id: String) -> Rows {
        let format = ISO8601DateFormatter()
        return (["LINK", "CONNECTION", "OBJECT", "ID", "UPDATED"], mappings.map { m in
            let twin = (m.a.connection == connection && m.a.object == object && m.a.id == id) ? m.b : m.a
            return [m.link, twin.connection, twin.object, twin.id, format.string(from: m.updatedAt)]
        })
    }

    public static func reconcile(_ report: ReconcileReport) -> [String] {
        var lines: [String] = []
        for t in report.targets {
            lines.append("\(report.flow) → \(t.step) (\(t.target.connection) \(t.target.object)): \(t.isClean ? "clean" : "GAPS FOUND")")
            lines.append("  source \(t.sourceRecords) (\(t.qualifying) qualify), target \(t.targetRecords), ID map \(t.mapped), target records unknown to the ID map \(t.unmappedTargetRecords)")
            if t.missingCount > 0 { lines.append("  missing in the target: \(t.missingCount): " + t.missing.map(\.id).joined(separator: ", ")) }
            if t.orphanCount > 0 { lines.append("  orphans (source gone): \(t.orphanCount): " + t.orphans.map(\.id).joined(separator: ", ")) }
            if t.staleCount > 0 { lines.append("  stale pairs (target gone): \(t.staleCount): " + t.stale.map { "\($0.source)→\($0.target)" }.joined(separator: ", ")) }
            for d in t.duplicates { lines.append("  duplicates: \(d.field) = \(d.value): " + d.ids.joined(separator: ", ")) }
        }
        return lines
    }

    /// A flow's definition for `flows show`: source, targets, mappings as written.
    public static func show(_ flow: Flow) -> [String] {
        var lines = ["flow \(flow.name)\(flow.enabled ? "" : " (disabled)")" + (flow.description.map { ": \($0)" } ?? "")]
        lines.append("  source: \(flow.source.connection) \(flow.source.object)" + (flow.source.model.map { " (model \($0.name): \($0.fields.joined(separator: ", ")))" } ?? ""))
        lines.append("  direction: \(flow.isTwoWay ? "two-way" : "one-way"), start: \(flow.start.rawValue)")
        if let c = flow.criteria { lines.append("  criteria: \(c)") }
        for t in flow.targets {
            let keys = t.matchKeys.map { key -> String in
                switch key {
                case .externalID(let f): "external id \(f)"
                case .field(let f): f
                }
            }
            lines.append("  target \(t.name): \(t.connection) \(t.object), mode \(t.mode.rawValue)" + (keys.isEmpty ? "" : ", match \(keys.joined(separator: " → "))"))
            if t.mode == .mirror { lines.append("    on delete in the source: \(describe(t.deletePolicy))") }
            if let c = t.criteria { lines.append("    criteria: \(c)") }
            for line in t.mapping.split(separator: "\n") { lines.append("    \(line)") }
            for link in t.links {
                let to = link.field.map { "field \($0)" } ?? "link" + (link.type.map { " \($0)" } ?? "")
                let from = link.lookup.map { "the twin of \($0) (\(link.sourceObject ?? flow.source.object))" + (link.object.map { " in \($0)" } ?? "") }
                    ?? "target \(link.step ?? "?")"
                lines.append("    \(to) ← \(from)")
            }
        }
        if !flow.dependencies.isEmpty {
            for rule in flow.dependencies {
                lines.append("  waits for: \(rule.label)" + (rule.targetObject.map { " (twin in \($0))" } ?? "") + ", \(rule.whenMissing.rawValue) while missing" + (rule.flow.map { " (through flow \($0))" } ?? ""))
            }
        }
        if case .twoWay(let s) = flow.direction {
            lines.append("  back (\(s.conflict.rawValue)):")
            for line in s.reverseMapping.split(separator: "\n") { lines.append("    \(line)") }
        }
        return lines
    }

    /// What a delete policy does, as `flows show` prints it.
    static func describe(_ policy: DeletePolicy) -> String {
        switch policy {
        case .nothing: "do nothing (the target record stays)"
        case .delete: "delete the target record"
        case .archive(let fields):
            "archive: set " + fields.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ")
        }
    }
}
