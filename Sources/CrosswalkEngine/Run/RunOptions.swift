import CrosswalkCore
import CrosswalkFlows
import CrosswalkStore
import Foundation

/// Asks a running flow to stop at the next batch boundary: what was read is written and
/// committed, then the run ends as `cancelled` and the next run resumes from its cursor.
public final class StopSignal: Sendable {
    private let flag = LockedValue(false)
    public init() {}
    /// Requests the stop; safe from any thread (a signal handler's task, the admin API).
    public func stop() { flag.withLock { $0 = true } }
    public var isStopped: Bool { flag.withLock { $0 } }
}

/// How one run goes.
public struct RunOptions: Sendable {
    /// What started the run (kept with the run).
    public var trigger: RunTrigger
    /// Plan only: read, decide per record and report the writes it would make; write nothing
    /// to the apps or the store.
    public var dryRun: Bool
    /// A stop request honoured between batches.
    public var stop: StopSignal?
    /// Called after each batch with the run's progress.
    public var progress: (@Sendable (RunProgress) -> Void)?
    /// Called for each planned record of a dry run (the plan with its reason).
    public var onPlan: (@Sendable (PlannedRecord) -> Void)?
    /// How many planned records a dry run keeps in its report.
    public var keepPlans: Int
    /// The number of records expected, when known (an initial import's count), for the ETA.
    public var expectedTotal: Int?
    /// Whether the run syncs parents for another flow's records (`when_missing: sync`); such a
    /// run does not pull parents of its own (one level deep).
    var forDependency = false

    public init(trigger: RunTrigger = .manual, dryRun: Bool = false, stop: StopSignal? = nil,
                progress: (@Sendable (RunProgress) -> Void)? = nil, onPlan: (@Sendable (PlannedRecord) -> Void)? = nil,
                keepPlans: Int = 1000, expectedTotal: Int? = nil) {
        self.trigger = trigger
        self.dryRun = dryRun
        self.stop = stop
        self.progress = progress
        self.onPlan = onPlan
        self.keepPlans = keepPlans
        self.expectedTotal = expectedTotal
    }
}

/// Where a run stands, after each batch.
public struct RunProgress: Sendable, Hashable {
    public var flow: String
    /// The object being read: `connection/object`.
    public var reading: String
    /// Records read so far.
    public var read: Int
    public var counts: RunCounts
    public var elapsed: Duration
    /// Records read per second so far.
    public var recordsPerSecond: Double
    /// The expected total, when known.
    public var total: Int?
    /// Time left at the current rate, when the total is known.
    public var eta: Duration?

    /// `1,234 records · 5,678/s · ETA 0:42`.
    public var line: String {
        var parts = ["\(read) records", String(format: "%.0f/s", recordsPerSecond)]
        if let total { parts[0] = "\(read)/\(total) records" }
        if let eta {
            let s = Int(eta.components.seconds)
            parts.append(String(format: "ETA %d:%02d", s / 60, s % 60))
        }
        return parts.joined(separator: " · ")
    }
}

/// What the plan decided for one record and one target, with its reason and the call it needs.
public struct PlannedRecord: Sendable, Hashable {
    public var source: RecordRef
    /// The flow's target (step) name; `nil` when the record stopped before any target.
    public var step: String?
    public var action: SyncAction
    /// `nil` when the record is written; otherwise skipped or failed.
    public var outcome: SyncOutcome
    public var reason: String?
    /// The target record, when known.
    public var target: RecordRef?
    /// The fields that would be written.
    public var fields: [String: JSONValue]?
    /// The write it needs (`create Contact`), when it needs one.
    public var call: String?
}

/// Calls a run made (or a dry run would make) to one object with one operation.
public struct PlannedCall: Sendable, Hashable, CustomStringConvertible {
    public var connection: String
    public var object: String
    /// `read`, or a write operation.
    public var operation: String
    public var calls: Int
    public var records: Int

    public var description: String { "\(connection) \(operation) \(object): \(calls) call\(calls == 1 ? "" : "s"), \(records) record\(records == 1 ? "" : "s")" }
}

/// What a run did.
public struct RunReport: Sendable {
    public var flow: String
    /// The stored run; `nil` for a dry run.
    public var run: RunID?
    public var status: RunStatus
    public var dryRun: Bool
    /// Source records read (all passes).
    public var read = 0
    public var counts = RunCounts()
    /// How often each reason for a skip or a failure came up, in short form.
    public var reasons: [String: Int] = [:]
    /// A dry run's plans (the first ``RunOptions/keepPlans``).
    public var plans: [PlannedRecord] = []
    /// Calls to the apps by connection, object and operation (a dry run: the writes it would make).
    public var calls: [PlannedCall] = []
    /// Writes found in the target after an interruption (intents resolved on start).
    public var recovered = 0
    /// Whether a stop request or cancellation ended the run early.
    public var stoppedEarly = false
    public var duration: Duration = .zero

    /// A report of a run just started (`running`, nothing counted yet).
    public init(flow: String, run: RunID?, dryRun: Bool) {
        self.flow = flow
        self.run = run
        self.dryRun = dryRun
        status = .running
    }

    /// Whether any record failed.
    public var hasFailures: Bool { counts.failed > 0 }

    /// Calls made to `connection` for `operation` (`read`, `create`…; all when `nil`).
    public func callCount(connection: String, operation: String? = nil) -> Int {
        calls.filter { $0.connection == connection && (operation == nil || $0.operation == operation) }.reduce(0) { $0 + $1.calls }
    }
}
