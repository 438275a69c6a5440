import CrosswalkCore
import CrosswalkEngine
import CrosswalkStore
import Foundation
import Logging
import Metrics

/// Who may write through a flow right now: one run (scheduled, "run now", sync, retry) per flow
/// at a time, each with a ``StopSignal`` that graceful shutdown pulls so the batch in flight is
/// committed and the run ends as `cancelled` (the next one resumes from its cursor).
///
/// Also the one place the flows' on/off state is read and written: the store's flow state over
/// the config's `enabled:`.
public actor RunCoordinator {
    private var running: [String: StopSignal] = [:]
    /// Those waiting in ``exclusiveWhenFree(_:_:)`` for a flow's run to end.
    private var waiters: [String: [Int: CheckedContinuation<Void, Never>]] = [:]
    private var nextWaiter = 0
    private var stopping = false
    private var enabledByAPI: [String: Bool] = [:]
    private let store: any Store
    private let metrics: ServiceMetrics
    private let notifier: RunNotifier?
    private let logger: Logger
    /// With a shared store: the leases that make this host a flow's only writer among the hosts.
    let leases: LeaseKeeper?

    init(store: any Store, metrics: ServiceMetrics, notifier: RunNotifier? = nil, leases: LeaseKeeper? = nil, logger: Logger) {
        self.store = store
        self.metrics = metrics
        self.notifier = notifier
        self.leases = leases
        self.logger = logger
    }

    /// Reads the flow states the store holds.
    func load() async throws {
        for state in try await store.flowStates() { enabledByAPI[state.name] = state.enabled }
    }

    /// Whether the flow is on: as set through the API, else the config's `enabled:`.
    func isEnabled(_ flow: String, configDefault: Bool) -> Bool { enabledByAPI[flow] ?? configDefault }

    /// Whether the API set the flow's state (rather than the config).
    func isSetByAPI(_ flow: String) -> Bool { enabledByAPI[flow] != nil }

    /// Switches a flow on or off, durably.
    func setEnabled(_ flow: String, _ enabled: Bool) async throws {
        try await store.setFlowEnabled(name: flow, enabled: enabled)
        enabledByAPI[flow] = enabled
        logger.info("flow \(enabled ? "enabled" : "disabled")", metadata: ["flow": "\(flow)"])
    }

    func isRunning(_ flow: String) -> Bool { running[flow] != nil }

    var isStopping: Bool { stopping }

    private func begin(_ flow: String) throws -> StopSignal {
        guard !stopping else { throw CrosswalkError(.unavailable, "the service is shutting down", context: ["flow": flow]) }
        guard running[flow] == nil else {
            throw CrosswalkError(.conflict, "flow \(flow) is running; try again when its run has finished", context: ["flow": flow])
        }
        let signal = StopSignal()
        running[flow] = signal
        return signal
    }

    private func end(_ flow: String) {
        running[flow] = nil
        for waiter in (waiters.removeValue(forKey: flow) ?? [:]).values { waiter.resume() }
    }

    /// Asks every run in flight to stop at its next batch boundary and refuses new ones (those
    /// waiting for a flow are woken to be refused).
    func stopAll() {
        stopping = true
        for signal in running.values { signal.stop() }
        let all = waiters.values.flatMap(\.values)
        waiters = [:]
        for waiter in all { waiter.resume() }
    }

    /// Returns when the flow has no run in flight (or at shutdown, or when the task is cancelled).
    private func untilFree(_ flow: String) async {
        while running[flow] != nil, !stopping, !Task.isCancelled {
            let id = nextWaiter
            nextWaiter += 1
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    if Task.isCancelled || running[flow] == nil || stopping {
                        continuation.resume()
                    } else {
                        waiters[flow, default: [:]][id] = continuation
                    }
                }
            } onCancel: {
                Task { await self.cancelWait(flow, id) }
            }
        }
    }

    /// How many wait in ``exclusiveWhenFree(_:_:)`` for the flow (for tests and logs).
    func waiting(_ flow: String) -> Int { waiters[flow]?.count ?? 0 }

    private func cancelWait(_ flow: String, _ id: Int) {
        waiters[flow]?.removeValue(forKey: id)?.resume()
    }

    /// Like ``exclusive(_:_:)``, but waits while another run of the flow is in flight instead of
    /// refusing: how webhook-triggered syncs queue behind a scheduled run of the same flow.
    /// - Throws: `.unavailable` during shutdown, `.cancelled` when the task is cancelled while waiting.
    /// With a shared store, a run of the flow on another host is waited for too (its lease checked
    /// every third of the TTL, for at most `leaseWait`), so a webhook delivery does not spend its attempts on it.
    func exclusiveWhenFree(_ flow: String, leaseWait: Duration = .seconds(300),
                           _ body: @Sendable (StopSignal) async throws -> RunReport) async throws -> RunReport {
        let deadline = ContinuousClock.now + leaseWait
        while true {
            await untilFree(flow)
            if Task.isCancelled, !stopping { throw CrosswalkError(.cancelled, "cancelled while waiting for flow \(flow)'s run to end", context: ["flow": flow]) }
            do {
                return try await exclusive(flow, body)
            } catch let e as CrosswalkError where e.code == .conflict && e.context["lease"] != nil {
                guard let leases, ContinuousClock.now < deadline, !stopping else { throw e }
                try await Task.sleep(for: leases.ttl / 3)
            }
        }
    }

    /// Runs `body` as the flow's only writer.
    /// - Throws: `.conflict` when the flow already runs, `.unavailable` during shutdown.
    func exclusive(_ flow: String, _ body: @Sendable (StopSignal) async throws -> RunReport) async throws -> RunReport {
        let signal = try begin(flow)
        // With a shared store, also the only writer among the hosts: the flow's lease, its token on every commit.
        var lease: LeaseToken?
        if let leases {
            do { lease = try await leases.acquire("flow:\(flow)", onLost: { signal.stop() }) } catch {
                end(flow)
                throw error
            }
            guard lease != nil else {
                end(flow)
                throw CrosswalkError(.conflict, "flow \(flow) is running on another host", context: ["flow": flow, "lease": "flow:\(flow)"])
            }
        }
        do {
            let report = try await Fencing.$lease.withValue(lease) { try await body(signal) }
            if let lease { await leases?.release(lease) }
            end(flow)
            metrics.record(report)
            await notifier?.observe(report)
            return report
        } catch let skipped as SkippedRun {
            if let lease { await leases?.release(lease) }
            end(flow)
            throw skipped
        } catch {
            if let lease { await leases?.release(lease) }
            end(flow)
            metrics.recordFailure(flow: flow)
            await notifier?.observe(flow: flow, error: error)
            throw error
        }
    }
}

/// A scheduled run found, once it held the flow's lease, that another host had already run the
/// flow for this due time: nothing ran, nothing is counted.
struct SkippedRun: Error {}

/// What `/metrics` reports, through swift-metrics (the executable bootstraps Prometheus):
/// `crosswalk_runs_total{flow,status}`, `crosswalk_records_synced_total{flow}`,
/// `crosswalk_records_failed_total{flow}`, `crosswalk_run_duration_seconds{flow}`.
struct ServiceMetrics: Sendable {
    func record(_ report: RunReport) {
        guard !report.dryRun else { return }
        Counter(label: "crosswalk_runs_total", dimensions: [("flow", report.flow), ("status", report.status.rawValue)]).increment()
        let synced = report.counts.created + report.counts.updated + report.counts.deleted
        Counter(label: "crosswalk_records_synced_total", dimensions: [("flow", report.flow)]).increment(by: synced)
        Counter(label: "crosswalk_records_failed_total", dimensions: [("flow", report.flow)]).increment(by: report.counts.failed)
        let c = report.duration.components
        Metrics.Timer(label: "crosswalk_run_duration_seconds", dimensions: [("flow", report.flow)], preferredDisplayUnit: .seconds)
            .recordNanoseconds(c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000)
    }

    func recordFailure(flow: String) {
        Counter(label: "crosswalk_runs_total", dimensions: [("flow", flow), ("status", "error")]).increment()
    }
}
