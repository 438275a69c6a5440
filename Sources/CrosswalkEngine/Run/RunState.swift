import CrosswalkConnectors
import CrosswalkCore
import CrosswalkFlows
import CrosswalkStore
import Foundation
import Logging

/// The mutable state of one run (or dry run), owned by the run's task.
final class RunState {
    let flow: CompiledFlow
    /// The stored run; `nil` in a dry run.
    let runID: RunID?
    let options: RunOptions
    let configuration: EngineConfiguration
    let logger: Logger
    let startedAt: Date
    let clock = ContinuousClock.now
    var report: RunReport
    /// Source records with a queued failure in this flow: resolved when they sync.
    var failedSources: Set<RecordRef>
    /// Source records whose earlier write could not be verified after an interruption: never
    /// written again automatically (a person checks the target and retries).
    var blocked: Set<RecordRef>
    private var calls: [String: PlannedCall] = [:]
    /// The object being read, for progress.
    var reading = ""
    /// Syncs records of another flow now (its name, the source ids): how a `when_missing: sync`
    /// rule brings a missing parent along. `nil` in a dry run and in a run that is itself such a sync.
    var parentSync: (@Sendable (String, [String]) async throws -> RunReport)?

    init(flow: CompiledFlow, runID: RunID?, options: RunOptions, configuration: EngineConfiguration, logger: Logger,
         failedSources: Set<RecordRef>, blocked: Set<RecordRef>) {
        self.flow = flow
        self.runID = runID
        self.options = options
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "flow"] = "\(flow.name)"
        if let runID { logger[metadataKey: "run"] = "\(runID)" }
        self.logger = logger
        startedAt = Date()
        report = RunReport(flow: flow.name, run: runID, dryRun: options.dryRun)
        self.failedSources = failedSources
        self.blocked = blocked
    }

    var dryRun: Bool { options.dryRun }
    var trigger: RunTrigger { options.trigger }

    /// Whether the run should stop at this batch boundary.
    var shouldStop: Bool { Task.isCancelled || options.stop?.isStopped == true }

    /// Counts a call to an app.
    func count(_ connection: String, _ object: String, _ operation: String, records: Int) {
        let key = "\(connection)\u{0}\(object)\u{0}\(operation)"
        calls[key, default: PlannedCall(connection: connection, object: object, operation: operation, calls: 0, records: 0)].calls += 1
        calls[key]!.records += records
    }

    /// Counts one decision in the report (a dry run has no store to count for it).
    func tally(_ entry: SyncLogEntry, summary: String?) {
        report.counts.add(entry)
        if let summary, entry.outcome != .ok || entry.action == .skip { report.reasons[summary, default: 0] += 1 }
    }

    /// Keeps a dry run's plan.
    func plan(_ planned: PlannedRecord) {
        options.onPlan?(planned)
        if report.plans.count < options.keepPlans { report.plans.append(planned) }
    }

    func finish(status: RunStatus) -> RunReport {
        report.status = status
        report.calls = calls.values.sorted { ($0.connection, $0.object, $0.operation) < ($1.connection, $1.object, $1.operation) }
        report.duration = ContinuousClock.now - clock
        return report
    }

    /// Reports progress to the caller.
    func progressed() {
        guard let progress = options.progress else { return }
        let elapsed = ContinuousClock.now - clock
        let seconds = max(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, 1e-9)
        let rate = Double(report.read) / seconds
        var eta: Duration?
        if let total = options.expectedTotal, rate > 0, total > report.read { eta = .seconds(Double(total - report.read) / rate) }
        progress(RunProgress(flow: flow.name, reading: reading, read: report.read, counts: report.counts, elapsed: elapsed,
                             recordsPerSecond: rate, total: options.expectedTotal, eta: eta))
    }
}
