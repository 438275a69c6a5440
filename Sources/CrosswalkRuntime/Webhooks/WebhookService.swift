import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkPlugins
import CrosswalkStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The host's webhook inbox: receives deliveries (verify, store durably, answer at once) and
/// processes them later (the plugin's `parse_webhook`, then the engine syncs the records named in
/// the change events for every enabled flow with a `webhook` trigger reading that connection and
/// object).
///
/// A delivery is committed to the store (`synchronous=FULL`) before the app is answered, so a crash
/// after the answer loses nothing: processing resumes at the next start. A replayed or retried
/// delivery (same app delivery id, else same body) is answered like the first and not stored
/// twice; a delivery processed twice writes nothing twice (the engine's ID map and fingerprints).
/// A bad signature is answered 401, logged, and never stored.
///
/// `crosswalk serve` calls ``receive(connection:request:)`` from its `/hooks/{connection}` route
/// and runs the service in its `ServiceGroup`; `crosswalk webhooks drain` calls ``drain(now:)``.
///
/// ```swift
/// let webhooks = WebhookService(runtime: runtime)
/// let answer = await webhooks.receive(connection: "spotio", request: InboundWebhook(
///     method: "POST", path: "/hooks/spotio", url: "https://crosswalk.example.com/hooks/spotio",
///     headers: headers, body: body))
/// let report = try await webhooks.drain()
/// ```
public final class WebhookService: Service, Sendable {
    /// How the inbox is processed.
    public struct Configuration: Sendable {
        /// Deliveries claimed at a time.
        public var batchSize = 50
        /// How long a claim holds before another processor may take the delivery over.
        public var lease: Duration = .seconds(300)
        /// Processing attempts before a delivery is marked failed.
        public var maxAttempts = 8
        /// Wait before the second attempt; doubled for each later one, up to ``maxRetryDelay``.
        public var firstRetryDelay: Duration = .seconds(2)
        public var maxRetryDelay: Duration = .seconds(600)
        /// How often ``run()`` looks for due retries when no delivery arrives.
        public var pollInterval: Duration = .seconds(1)
        /// Larger bodies are refused (413) before anything else; `serve` should stop reading there too.
        public var maxBodyBytes = 8 << 20
        /// How long `done` deliveries are kept to recognise replays.
        public var doneRetention: Duration = .seconds(7 * 24 * 3600)

        public init() {}
    }

    /// Counters since the service was made (for `/metrics`).
    public struct Statistics: Sendable, Hashable {
        public var accepted = 0
        public var duplicates = 0
        public var rejected = 0
        public var processed = 0
        public var failed = 0

        public init(accepted: Int = 0, duplicates: Int = 0, rejected: Int = 0, processed: Int = 0, failed: Int = 0) {
            self.accepted = accepted
            self.duplicates = duplicates
            self.rejected = rejected
            self.processed = processed
            self.failed = failed
        }
    }

    /// What one ``drain(now:)`` did.
    public struct DrainReport: Sendable {
        /// Deliveries claimed and processed.
        public var deliveries = 0
        public var done = 0
        /// Put back for a later attempt.
        public var retried = 0
        public var failed = 0
        /// Change events the plugins reported.
        public var events = 0
        /// The engine's report of each sync, in order.
        public var runs: [RunReport] = []
        /// Whether a delivery failed or a synced record did (the CLI exits 1).
        public var anyFailed: Bool { failed > 0 || runs.contains { $0.counts.failed > 0 } }
    }

    public let runtime: HostRuntime
    public let flows: FlowService
    public let configuration: Configuration
    /// Whether a flow is on and how its syncs are made exclusive.
    public let gate: WebhookSyncGate
    private let logger: Logger
    /// Whether other hosts process the same inbox (a shared store): then a start never releases
    /// claims, which may be theirs; a dead host's claims come back when their claim lease expires.
    private let sharedInbox: Bool
    private let wakeup = Wakeup()
    private let counters = Mutex(Statistics())
    /// Set by graceful shutdown of ``run()``: a drain in progress stops before its next delivery.
    private let stopRequested = Mutex(false)

    /// - Parameters:
    ///   - flows: the flows to feed (default: the config's, through `runtime`).
    ///   - gate: whether a flow is on and how its sync runs (default: the config's `enabled:`, at once).
    ///   - logger: default: the runtime's.
    public init(runtime: HostRuntime, flows: FlowService? = nil, configuration: Configuration = Configuration(),
                gate: WebhookSyncGate = .direct, sharedInbox: Bool = false, logger: Logger? = nil) {
        self.runtime = runtime
        self.sharedInbox = sharedInbox
        self.flows = flows ?? FlowService(runtime: runtime)
        self.configuration = configuration
        self.gate = gate
        var logger = logger ?? runtime.logger
        logger[metadataKey: "component"] = "webhooks"
        self.logger = logger
    }

    /// Counters since the service was made.
    public var statistics: Statistics { counters.withLock { $0 } }

    // MARK: Receiving

    /// Verifies, stores and answers one delivery for `connection`. Never throws: every outcome is an
    /// answer (413 body over ``Configuration/maxBodyBytes``, 404 unknown connection or one that takes no webhooks, 401 bad signature, 503 when
    /// the delivery could not be stored — the app retries — else the manifest's static `ack` or 200).
    public func receive(connection name: String, request: InboundWebhook) async -> WebhookAnswer {
        var log = logger
        log[metadataKey: "connection"] = "\(name)"
        guard request.body.count <= configuration.maxBodyBytes else {
            log.warning("webhook refused: body too large", metadata: ["bytes": "\(request.body.count)"])
            return .text(413, "body too large")
        }
        guard let connection = try? runtime.connection(name) else {
            log.notice("webhook for an unknown connection")
            return .text(404, "unknown connection")
        }
        let manifest: ConnectorManifest
        do {
            manifest = try runtime.plugin(for: connection).manifest
        } catch let error as CrosswalkError where error.code == .config {
            log.notice("webhook for a connection whose plugin is not enabled")
            return .text(404, "unknown connection")
        } catch {
            log.error("webhook for a connection whose plugin did not load", metadata: ["error": "\(error)"])
            return .text(503, "connection unavailable")
        }
        guard manifest.has("crosswalk.webhooks/1") else {
            log.notice("webhook for a connection whose connector takes no webhooks", metadata: ["plugin": "\(connection.connector)"])
            return .text(404, "this connection takes no webhooks")
        }
        let verifier = WebhookSignatureVerifier(signature: manifest.webhooks?.signature)
        var secret: Data?
        if verifier.needsSecret {
            do { secret = try await runtime.webhookSecret(for: name) } catch {
                log.error("the webhook secret could not be read", metadata: ["error": "\(error)"])
                return .text(503, "unavailable")
            }
        }
        let verification = verifier.verify(method: request.method, url: request.url, headers: request.headers, body: request.body,
                                            secret: secret, now: Date())
        guard verification.isAccepted else {
            if case .rejected(let reason) = verification {
                log.warning("webhook refused: bad signature", metadata: ["reason": "\(reason)", "path": "\(request.path)", "bytes": "\(request.body.count)"])
            }
            counters.withLock { $0.rejected += 1 }
            return .text(401, "invalid signature")
        }
        var headers: [String: String] = [:]
        let dropped = verifier.signatureHeaders.union(Self.secretHeaders)
        for (key, value) in request.headers {
            let lower = key.lowercased()
            guard !dropped.contains(lower) else { continue }
            headers[lower] = headers[lower].map { $0 + ", " + value } ?? value
        }
        let delivery = NewWebhookDelivery(
            connection: name,
            dedupeKey: WebhookDedupe.key(connection: name, deliveryID: manifest.webhooks?.deliveryID, headers: headers, body: request.body),
            method: request.method, path: request.path, query: request.query, url: request.url, headers: headers, body: request.body,
            receivedAt: request.receivedAt, verified: verification == .verified)
        do {
            switch try await runtime.store.insertWebhookDelivery(delivery) {
            case .stored(let id):
                counters.withLock { $0.accepted += 1 }
                log.debug("webhook stored", metadata: ["delivery": "\(id)"])
                wakeup.signal()
            case .duplicate(let id, let state):
                counters.withLock { $0.duplicates += 1 }
                log.info("webhook repeated: already in the inbox", metadata: ["delivery": "\(id)", "state": "\(state.rawValue)"])
            }
        } catch {
            log.error("webhook not stored", metadata: ["error": "\(error)"])
            return .text(503, "not stored; try again")
        }
        if let ack = manifest.webhooks?.ack {
            return WebhookAnswer(status: ack.status, contentType: ack.contentType, body: ack.body)
        }
        return WebhookAnswer(status: 200)
    }

    /// Headers never stored, whatever the connector: they may carry credentials.
    static let secretHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie"]

    // MARK: Processing

    /// Processes every delivery due at `now` (and those whose claim expired), batch after batch,
    /// until none is left; returns what was done. Deliveries whose processing fails are put back
    /// for a later attempt (doubling delays), and marked failed after ``Configuration/maxAttempts``
    /// or at once when the plugin refuses the delivery as malformed.
    /// - Throws: only when the store fails.
    @discardableResult
    public func drain(now: Date = Date()) async throws -> DrainReport {
        var report = DrainReport()
        // One parsing instance per connection and one read of the flows (and their on/off state) for the whole drain.
        var current: [String: Flow] = [:]
        for (name, flow) in flows.definitions().flows {
            var flow = flow
            flow.enabled = await gate.isEnabled(flow)
            current[name] = flow
        }
        var session = DrainSession(flows: current)
        do {
            claiming: while !Task.isCancelled, !stopRequested.withLock({ $0 }) {
                let claimed = try await runtime.store.claimWebhookDeliveries(limit: configuration.batchSize, now: now, lease: configuration.lease)
                if claimed.isEmpty { break }
                // Shutting down: the batch stays claimed; the next start releases and processes it.
                if stopRequested.withLock({ $0 }) { break claiming }
                for (delivery, outcome) in await process(claimed, session: &session, report: &report) {
                    report.deliveries += 1
                    try await runtime.store.finishWebhookDelivery(id: delivery.id, outcome: outcome)
                    switch outcome {
                    case .done: report.done += 1
                    case .retry: report.retried += 1
                    case .failed: report.failed += 1
                    }
                }
            }
        } catch {
            await session.close()
            throw error
        }
        await session.close()
        counters.withLock {
            $0.processed += report.done
            $0.failed += report.failed
        }
        return report
    }

    /// Processes the inbox until graceful shutdown: claims left by a crashed process are released
    /// first, then every stored delivery is processed, then each new one as it arrives (retries
    /// when due). Old `done` deliveries are pruned once a pass.
    public func run() async throws {
        let released = sharedInbox ? 0 : try await runtime.store.releaseWebhookClaims()
        if released > 0 { logger.notice("webhook deliveries resumed after an interruption", metadata: ["count": "\(released)"]) }
        let stopping = LockedValue(false)
        try await withGracefulShutdownHandler {
            while !stopping.withLock({ $0 }) && !Task.isCancelled {
                do {
                    try await drain()
                    let retention = Double(configuration.doneRetention.components.seconds)
                    try await runtime.store.pruneWebhookDeliveries(doneBefore: Date().addingTimeInterval(-retention))
                } catch {
                    logger.error("webhook inbox processing failed", metadata: ["error": "\(error)"])
                }
                await wakeup.wait(upTo: configuration.pollInterval)
            }
        } onGracefulShutdown: {
            stopping.withLock { $0 = true }
            self.stopRequested.withLock { $0 = true }
            self.wakeup.signal()
        }
    }

    /// Processes a claimed batch: every delivery is parsed by its connection's plugin, then each flow syncs the
    /// records the whole batch names in one run (one read by ids, batched writes — not one run per delivery).
    /// A delivery is done when its events were parsed and every run its records went into ended; a run that
    /// throws puts back (or fails) the deliveries that fed it.
    private func process(_ batch: [WebhookDelivery], session: inout DrainSession,
                         report: inout DrainReport) async -> [(WebhookDelivery, WebhookDeliveryOutcome)] {
        var outcomes: [Int64: WebhookDeliveryOutcome] = [:]
        // (flow, side) → the ids named, in order, and the deliveries that named them.
        var groups: [(flow: Flow, side: FlowSide, ids: [String], seen: Set<String>, deliveries: [WebhookDelivery])] = []
        for stored in batch {
            let events: [ChangeEvent]
            do {
                let client = try await parsingClient(for: stored.delivery.connection, session: &session)
                do { events = try await parse(stored, with: client, session: &session) } catch {
                    outcomes[stored.id] = failure(stored, error, final: Self.isRefusal(error))
                    continue
                }
            } catch {
                outcomes[stored.id] = failure(stored, error, final: false)
                continue
            }
            report.events += events.count
            for (flow, side, ids) in Self.matches(connection: stored.delivery.connection, events: events, flows: session.flows) {
                let index: Int
                if let found = groups.firstIndex(where: { $0.flow.name == flow.name && $0.side == side }) { index = found } else {
                    groups.append((flow, side, [], [], []))
                    index = groups.count - 1
                }
                for id in ids where groups[index].seen.insert(id).inserted { groups[index].ids.append(id) }
                groups[index].deliveries.append(stored)
            }
        }
        for group in groups {
            let flows = self.flows
            var log = logger
            log[metadataKey: "flow"] = "\(group.flow.name)"
            do {
                let run = try await gate.exclusive(group.flow.name) { stop in
                    try await flows.sync(group.flow.name, ids: group.ids, side: group.side, options: RunOptions(trigger: .webhook, stop: stop, keepPlans: 0))
                }
                log.info("webhook synced", metadata: ["deliveries": "\(group.deliveries.count)", "records": "\(group.ids.count)",
                                                      "created": "\(run.counts.created)", "updated": "\(run.counts.updated)", "failed": "\(run.counts.failed)"])
                report.runs.append(run)
            } catch {
                for stored in group.deliveries where outcomes[stored.id] == nil { outcomes[stored.id] = failure(stored, error, final: false) }
            }
        }
        return batch.map { ($0, outcomes[$0.id] ?? .done) }
    }

    /// The plugin refusing a delivery (not its format, not from this account) is final; anything else may pass.
    private static func isRefusal(_ error: any Error) -> Bool {
        let refusals: Set<CrosswalkError.Code> = [.invalidArgument, .unsupported, .auth]
        return (error as? CrosswalkError).map { refusals.contains($0.code) } == true
    }

    /// A failed delivery: failed for good when `final` or out of attempts, else put back with a delay.
    private func failure(_ stored: WebhookDelivery, _ error: any Error, final: Bool) -> WebhookDeliveryOutcome {
        var log = logger
        log[metadataKey: "connection"] = "\(stored.delivery.connection)"
        log[metadataKey: "delivery"] = "\(stored.id)"
        let message = (error as? CrosswalkError)?.description ?? "\(error)"
        if final || stored.attempts >= configuration.maxAttempts {
            log.error("webhook delivery failed", metadata: ["attempts": "\(stored.attempts)", "error": "\(message)"])
            return .failed(error: message)
        }
        let delay = retryDelay(afterAttempt: stored.attempts)
        log.warning("webhook delivery will be retried", metadata: ["attempts": "\(stored.attempts)", "in_s": "\(delay)", "error": "\(message)"])
        return .retry(error: message, retryAt: Date().addingTimeInterval(delay))
    }

    /// Seconds before the attempt after `attempt`.
    func retryDelay(afterAttempt attempt: Int) -> Double {
        let first = Double(configuration.firstRetryDelay.components.seconds) + Double(configuration.firstRetryDelay.components.attoseconds) / 1e18
        let cap = Double(configuration.maxRetryDelay.components.seconds)
        return min(cap, first * pow(2, Double(max(0, attempt - 1))))
    }

    /// The drain's parsing instance of `connection`, made on first use.
    private func parsingClient(for connection: String, session: inout DrainSession) async throws -> any ConnectorClient {
        if let cached = session.clients[connection] { return cached }
        let client = try await runtime.client(for: connection)
        session.clients[connection] = client
        return client
    }

    /// The plugin's change events for a stored delivery.
    private func parse(_ stored: WebhookDelivery, with client: any ConnectorClient, session: inout DrainSession) async throws -> [ChangeEvent] {
        let d = stored.delivery
        do {
            let request = WebhookRequest(method: d.method, path: d.path, query: d.query, url: d.url, headers: d.headers,
                                         body: String(decoding: d.body, as: UTF8.self), bodyBase64: d.body.base64EncodedString(),
                                         receivedAt: Self.timestamp(d.receivedAt), verified: d.verified)
            return try await client.parseWebhook(request).events
        } catch {
            // A fresh instance for the next delivery: this one may be what went wrong.
            session.clients[d.connection] = nil
            await client.close()
            throw error
        }
    }

    /// For each enabled flow with a webhook trigger: the ids its source (or, two-way, its target)
    /// must sync, in the order the events named them. A merge syncs the survivor too.
    static func matches(connection: String, events: [ChangeEvent], flows: [String: Flow]) -> [(Flow, FlowSide, [String])] {
        var result: [(Flow, FlowSide, [String])] = []
        for name in flows.keys.sorted() {
            guard let flow = flows[name], flow.enabled, flow.triggers.contains(.webhook) else { continue }
            var sides: [(FlowSide, String)] = []
            if flow.source.connection == connection { sides.append((.source, flow.source.object)) }
            if flow.isTwoWay, let target = flow.targets.first, target.connection == connection { sides.append((.target, target.object)) }
            for (side, object) in sides {
                var ids: [String] = []
                var seen = Set<String>()
                for event in events where event.object == object {
                    for id in [event.id] + (event.mergedInto.map { [$0] } ?? []) where seen.insert(id).inserted { ids.append(id) }
                }
                if !ids.isEmpty { result.append((flow, side, ids)) }
            }
        }
        return result
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

/// What one drain reuses: the flows as read at its start and one parsing instance per connection.
struct DrainSession {
    let flows: [String: Flow]
    var clients: [String: any ConnectorClient] = [:]

    func close() async {
        for client in clients.values { await client.close() }
    }
}

/// A wake-up call for the processing loop: a signal before the wait is not lost.
final class Wakeup: Sendable {
    private struct State {
        var signalled = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.signalled = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at the next signal (at once if one came since the last wait), or after `timeout`.
    func wait(upTo timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let resumeNow = state.withLock { s -> Bool in
                            if s.signalled || Task.isCancelled {
                                s.signalled = false
                                return true
                            }
                            s.waiter = continuation
                            return false
                        }
                        if resumeNow { continuation.resume() }
                    }
                } onCancel: {
                    let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                        defer { s.waiter = nil }
                        return s.waiter
                    }
                    waiter?.resume()
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }
}

extension WebhookService {
    /// The inbox as a table for `crosswalk webhooks list` (never a body or a header value).
    /// - Parameter state: `pending`, `processing`, `done`, `failed`, or `nil` for all.
    /// - Throws: `.invalidArgument` for an unknown state.
    public func inboxTable(state: String?, connection: String?, limit: Int) async throws -> FlowText.Rows {
        let wanted = try state.map { name -> WebhookDeliveryState in
            guard let s = WebhookDeliveryState(rawValue: name) else {
                throw CrosswalkError(.invalidArgument, "unknown state \"\(name)\" (one of: \(WebhookDeliveryState.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return s
        }
        let rows = try await runtime.store.webhookDeliveries(state: wanted, connection: connection, limit: limit, offset: 0)
        let formatter = ISO8601DateFormatter()
        return (["ID", "CONNECTION", "STATE", "ATTEMPTS", "REPEATS", "RECEIVED", "BYTES", "LAST ERROR"],
                rows.map { d in
                    ["\(d.id)", d.delivery.connection, d.state.rawValue, "\(d.attempts)", "\(d.duplicates)", formatter.string(from: d.delivery.receivedAt),
                     "\(d.delivery.body.count)", d.lastError.map { String($0.prefix(80)) } ?? "-"]
                })
    }

    /// Puts failed deliveries (the given ids, or all) back in the queue; returns how many.
    @discardableResult
    public func retryFailed(ids: [Int64]?) async throws -> Int {
        let count = try await runtime.store.retryFailedWebhookDeliveries(ids: ids)
        if count > 0 { wakeup.signal() }
        return count
    }

    /// `pending 2, processing 0, done 10, failed 1`.
    public func inboxSummary() async throws -> String {
        let counts = try await runtime.store.webhookInboxCounts()
        return WebhookDeliveryState.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
    }

    /// What `crosswalk webhooks drain` prints.
    public static func summary(_ report: DrainReport) -> [String] {
        var lines = ["processed \(report.deliveries) deliveries: \(report.done) done, \(report.retried) to retry, \(report.failed) failed; \(report.events) change events"]
        for run in report.runs { lines += FlowText.summary(run).map { "  " + $0 } }
        return lines
    }
}
