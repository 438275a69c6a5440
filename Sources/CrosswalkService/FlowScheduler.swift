import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkRuntime
import CrosswalkStore
import Foundation
import Logging
import ServiceLifecycle

/// Runs the deployment's scheduled flows through the same ``FlowService`` as `crosswalk run`.
///
/// - No overlap: a flow's run starts only when the ``RunCoordinator`` has none in flight for it
///   (a run that outlasts its interval is followed by one run at once, not by a pile-up).
/// - Missed runs: at start (and when a flow is switched on) the due time is computed from the
///   flow's last run in the store; one that fell due while the service was down runs once, now.
///   A flow that never ran is due at once.
/// - Jitter: each due time gets a random delay up to the schedule's jitter.
/// - Graceful shutdown: no new runs; the runs in flight are asked to stop at their next batch
///   boundary, and the service returns when they have.
public actor FlowScheduler: Service {
    private let flows: FlowService
    private let catalog: ServiceCatalog
    /// The flows as they are now (the API and a reload change them).
    private var definitions: FlowDefinitions { catalog.definitions }
    /// Each scheduled flow's schedule when it was last (re)scheduled, to see a changed one.
    private var known: [String: String] = [:]
    private let coordinator: RunCoordinator
    private let logger: Logger
    private let tick: Duration
    private var due: [String: Date] = [:]
    private var shuttingDown = false

    init(flows: FlowService, catalog: ServiceCatalog, coordinator: RunCoordinator, logger: Logger, tick: Duration = .milliseconds(200)) {
        self.flows = flows
        self.catalog = catalog
        self.coordinator = coordinator
        self.logger = logger
        self.tick = tick
    }

    /// When the flow runs next, if it is scheduled and on.
    func nextRun(_ flow: String) -> Date? { due[flow] }

    /// Recomputes a flow's due time from its last run (after it is switched on, or at start).
    func reschedule(_ flow: String) async {
        guard let schedule = definitions.schedules[flow], let definition = definitions.flows[flow] else {
            if due[flow] != .distantFuture { due[flow] = nil }
            known[flow] = nil
            return
        }
        known[flow] = schedule.description
        guard await coordinator.isEnabled(flow, configDefault: definition.enabled) else {
            due[flow] = nil
            return
        }
        let last = try? await flows.runtime.store.runs(flow: flow, limit: 1).first?.startedAt
        let now = Date()
        guard let last else {
            due[flow] = now
            return
        }
        due[flow] = max(jittered(schedule.next(after: last), schedule), now)
    }

    private func jittered(_ date: Date, _ schedule: FlowSchedule) -> Date {
        schedule.jitterSeconds > 0 ? date.addingTimeInterval(Double.random(in: 0...schedule.jitterSeconds)) : date
    }

    /// Takes up the flows as they are now: a new or changed schedule is computed again, a flow
    /// no longer scheduled (or no longer defined) is dropped — a run of it in flight finishes.
    func sync() async {
        let schedules = definitions.schedules
        for name in Set(known.keys).union(due.keys).subtracting(schedules.keys).sorted() { await reschedule(name) }
        for (name, schedule) in schedules.sorted(by: { $0.key < $1.key }) where known[name] != schedule.description {
            guard due[name] != .distantFuture else {
                known[name] = schedule.description
                continue
            }
            await reschedule(name)
            logger.info("flow scheduled", metadata: ["flow": "\(name)", "schedule": "\(schedule)",
                                                     "next_run_at": "\(due[name].map { JSON.timestamp($0) } ?? "off")"])
        }
    }

    public func run() async throws {
        for name in definitions.schedules.keys.sorted() {
            await reschedule(name)
            logger.info("flow scheduled", metadata: ["flow": "\(name)", "schedule": "\(definitions.schedules[name]!)",
                                                     "next_run_at": "\(due[name].map { JSON.timestamp($0) } ?? "off")"])
        }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                while !shuttingDown, !Task.isCancelled {
                    let now = Date()
                    for (name, at) in due.sorted(by: { $0.key < $1.key }) where at <= now {
                        guard let definition = definitions.flows[name], await coordinator.isEnabled(name, configDefault: definition.enabled) else {
                            due[name] = nil
                            continue
                        }
                        guard await !coordinator.isRunning(name) else { continue }
                        due[name] = .distantFuture
                        group.addTask { await self.runScheduled(name) }
                    }
                    try? await Task.sleep(for: tick)
                }
                await coordinator.stopAll()
            }
        } onGracefulShutdown: {
            Task { await self.beginShutdown() }
        }
        logger.info("scheduler stopped")
    }

    private func beginShutdown() async {
        shuttingDown = true
        await coordinator.stopAll()
    }

    private func runScheduled(_ name: String) async {
        let started = Date()
        var log = logger
        log[metadataKey: "flow"] = "\(name)"
        log.info("scheduled run starting")
        do {
            let shared = await coordinator.leases != nil
            let schedule = definitions.schedules[name]
            let store = flows.runtime.store
            let report = try await coordinator.exclusive(name) { signal in
                // Hosts sharing a store: the lease is held now, so the store's last run is final. If
                // another host already ran the flow for this due time, it is not due any more.
                if shared, let schedule, let last = try await store.runs(flow: name, limit: 1).first?.startedAt,
                   schedule.next(after: last) > Date() {
                    throw SkippedRun()
                }
                return try await self.flows.run(name, options: RunOptions(trigger: .schedule, stop: signal, keepPlans: 0))
            }
            log.info("scheduled run finished", metadata: [
                "run": "\(report.run.map(String.init) ?? "-")", "status": "\(report.status.rawValue)", "read": "\(report.read)",
                "created": "\(report.counts.created)", "updated": "\(report.counts.updated)", "deleted": "\(report.counts.deleted)",
                "skipped": "\(report.counts.skipped)", "failed": "\(report.counts.failed)",
                "duration_ms": "\(report.duration.components.seconds * 1000 + report.duration.components.attoseconds / 1_000_000_000_000_000)",
            ])
        } catch is SkippedRun {
            log.debug("scheduled run skipped: another host ran the flow for this due time")
        } catch let e as CrosswalkError where e.code == .conflict {
            log.debug("scheduled run skipped: the flow is running")
        } catch let e as CrosswalkError {
            log.error("scheduled run failed", metadata: ["error": "\(e.code)", "message": "\(e.message)"])
        } catch {
            log.error("scheduled run failed", metadata: ["error": "\(type(of: error))"])
        }
        guard let schedule = definitions.schedules[name] else {
            due[name] = nil
            return
        }
        if due[name] == .distantFuture { due[name] = max(jittered(schedule.next(after: started), schedule), Date()) }
        if let definition = definitions.flows[name], await !coordinator.isEnabled(name, configDefault: definition.enabled) { due[name] = nil }
    }
}
