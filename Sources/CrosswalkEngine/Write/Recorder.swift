import CrosswalkConnectors
import CrosswalkCore
import CrosswalkStore
import Foundation

/// Puts decisions where they belong: the sync log and failed queue of the next commit, or a dry
/// run's plans; and the run's counts either way.
struct Recorder {
    let state: RunState
    let pass: Pass

    func log(_ entry: SyncLogEntry, summary: String?, step: String? = nil, pending: inout PendingCommit) {
        state.tally(entry, summary: summary ?? entry.reason)
        if state.dryRun {
            state.plan(PlannedRecord(source: entry.source, step: step, action: entry.action, outcome: entry.outcome, reason: entry.reason,
                                     target: entry.target, fields: nil, call: nil))
        } else {
            pending.log.append(entry)
        }
    }

    func queueFailure(_ item: Item, code: CrosswalkError.Code, message: String, waitingOn: RecordRef?, delay: Duration, pending: inout PendingCommit) {
        guard !state.dryRun else { return }
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        pending.failures.append(RecordFailure(flow: state.flow.name, source: item.source, payloadJSON: Self.payload(item.record), errorCode: code,
                                              message: message, nextRetryAt: Date().addingTimeInterval(seconds), waitingOn: waitingOn))
        state.failedSources.insert(item.source)
    }

    /// Records a decision that writes nothing.
    func settle(_ settled: Settled, step: Step?, items: inout [Item], pending: inout PendingCommit) {
        let item = items[settled.item]
        pending.mappings += settled.mappings
        pending.removed += settled.removed
        if let target = settled.target, let step { items[settled.item].targets[step.id] = target }
        if settled.reason != nil || settled.summary != nil {
            log(SyncLogEntry(source: item.source, target: settled.target.flatMap { id in step.map { $0.to.record(id) } }, action: settled.action,
                             outcome: settled.outcome, reason: settled.reason, durationMs: 0, at: Date()),
                summary: settled.summary, step: step?.id, pending: &pending)
        }
        if let failure = settled.failure {
            let delay = failure.retryAfter ?? (failure.waitingOn != nil ? .zero : state.configuration.failureRetryDelay)
            queueFailure(item, code: failure.code, message: settled.reason ?? failure.code.rawValue, waitingOn: failure.waitingOn, delay: delay,
                         pending: &pending)
            items[settled.item].failed = true
        }
        if !settled.continues { items[settled.item].done = true }
    }

    /// A source record as the failed queue keeps it (a retry that cannot read by id uses it).
    static func payload(_ record: ConnectorRecord) -> String {
        (try? JSONValueEncoder().encode(record, sortedKeys: true)).map { String(decoding: $0, as: UTF8.self) } ?? #"{}"#
    }
}
