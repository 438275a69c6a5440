import CrosswalkConfig
import CrosswalkCore
import CrosswalkEngine
import CrosswalkStore
import Foundation
import Logging

/// What one finished run means for a chat channel: a flow that starts failing is announced once
/// (a run that failed as a whole, or one whose share of failed records passed the threshold), and
/// once more when it recovers; the runs in between say nothing, so a flow failing every minute on
/// its schedule posts one message, never one per run or per record. Pure: ``RunNotifier`` keeps
/// the per-flow state and delivers.
public struct NotificationPolicy: Sendable, Equatable {
    public var failureRate: Double
    public var minRecords: Int

    public init(failureRate: Double = 0.1, minRecords: Int = 10) {
        self.failureRate = failureRate
        self.minRecords = minRecords
    }

    public init(_ config: NotificationsConfig) {
        self.init(failureRate: config.failureRate, minRecords: config.minRecords)
    }

    /// What a run's outcome is worth telling.
    public enum Outcome: Sendable, Equatable {
        /// The run did its work (or too few records failed to matter).
        case healthy
        /// The run failed as a whole, or too many of its records did; the text says how.
        case failing(String)
        /// Nothing to judge by (a dry run, a run stopped by shutdown).
        case neutral
    }

    /// Judges one run's report.
    public func outcome(of report: RunReport) -> Outcome {
        if report.dryRun || report.status == .cancelled || report.status == .running { return .neutral }
        let c = report.counts
        let handled = c.created + c.updated + c.deleted + c.skipped + c.failed
        let reasons = Self.topReasons(report.reasons)
        if report.status == .failed {
            return .failing("run \(report.run.map { String($0) } ?? "-") failed: \(c.failed) of \(handled) records failed" + reasons)
        }
        guard c.failed > 0, handled >= minRecords else { return .healthy }
        let share = Double(c.failed) / Double(handled)
        guard share > failureRate else { return .healthy }
        return .failing("run \(report.run.map { String($0) } ?? "-"): \(c.failed) of \(handled) records failed (\(Self.percent(share)), over the \(Self.percent(failureRate)) threshold)" + reasons)
    }

    /// A run that threw before it had a report (a connection that cannot be used, a store error).
    public func outcome(ofError error: any Error) -> Outcome {
        if let e = error as? CrosswalkError, e.code == .cancelled { return .neutral }
        return .failing("the run could not start or finish: \(Self.oneLine(error))")
    }

    static func percent(_ share: Double) -> String { String(format: share < 0.1 ? "%.1f%%" : "%.0f%%", share * 100) }

    static func topReasons(_ reasons: [String: Int]) -> String {
        let top = reasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3)
        guard !top.isEmpty else { return "" }
        return ". Most frequent: " + top.map { "\($0.key) (\($0.value))" }.joined(separator: "; ")
    }

    static func oneLine(_ error: any Error) -> String {
        let text = (error as? CrosswalkError)?.message ?? String(describing: error)
        let line = text.split(separator: "\n").first.map(String.init) ?? text
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }
}

/// Posts ``NotificationPolicy``'s messages to a Slack-compatible incoming webhook
/// (`{"text": "…"}`): one when a flow starts failing, one when it recovers. Deliveries go out in
/// order on one background queue, with a few retries on a 5xx, a 429 or a network error, and never
/// hold a run up; a delivery that still fails is logged (with the webhook's host only: its URL
/// is a secret).
public actor RunNotifier {
    private let url: String
    private let policy: NotificationPolicy
    private let client: any HTTPClient
    private let logger: Logger
    private let service: String
    /// The flows announced as failing and not yet recovered.
    private var failing: Set<String> = []
    private var queue: [String] = []
    private var delivering = false
    private let retryDelays: [Duration]

    /// - Parameters:
    ///   - url: The webhook URL (a secret: never logged).
    ///   - service: How the messages name this deployment (its public URL or host name).
    public init(url: String, policy: NotificationPolicy, client: any HTTPClient, service: String, logger: Logger,
                retryDelays: [Duration] = [.milliseconds(500), .seconds(2), .seconds(5)]) {
        self.url = url
        self.policy = policy
        self.client = client
        self.service = service
        self.logger = logger
        self.retryDelays = retryDelays
    }

    /// Takes a finished run's report into account.
    public func observe(_ report: RunReport) { handle(flow: report.flow, policy.outcome(of: report)) }

    /// Takes a run that ended with an error into account.
    public func observe(flow: String, error: any Error) { handle(flow: flow, policy.outcome(ofError: error)) }

    /// The flows currently announced as failing.
    public var failingFlows: Set<String> { failing }

    private func handle(flow: String, _ outcome: NotificationPolicy.Outcome) {
        switch outcome {
        case .neutral: return
        case .failing(let text):
            guard failing.insert(flow).inserted else { return }
            enqueue(":red_circle: Crosswalk (\(service)): flow *\(flow)* is failing — \(text). Later failing runs of this flow are not announced until it recovers.")
        case .healthy:
            guard failing.remove(flow) != nil else { return }
            enqueue(":large_green_circle: Crosswalk (\(service)): flow *\(flow)* recovered — its last run synced without failures over the threshold.")
        }
    }

    private func enqueue(_ text: String) {
        queue.append(text)
        guard !delivering else { return }
        delivering = true
        Task { await self.drain() }
    }

    private func drain() async {
        while !queue.isEmpty {
            let text = queue.removeFirst()
            await deliver(text)
        }
        delivering = false
    }

    private func deliver(_ text: String) async {
        let body = (try? JSONSerialization.data(withJSONObject: ["text": text], options: [.sortedKeys])) ?? Data()
        let request = HTTPRequest(method: "POST", url: url, headers: ["Content-Type": "application/json"], body: body, timeoutMilliseconds: 10_000)
        let host = URLComponents(string: url)?.host ?? "the webhook"
        var problem = ""
        for (attempt, delay) in ([Duration.zero] + retryDelays).enumerated() {
            if attempt > 0 { try? await Task.sleep(for: delay) }
            do {
                let response = try await client.send(request)
                if (200..<300).contains(response.status) { return }
                problem = "answered \(response.status)"
                if response.status != 429 && response.status < 500 { break }
            } catch {
                problem = NotificationPolicy.oneLine(error).replacingOccurrences(of: url, with: host)
            }
        }
        logger.warning("notification not delivered", metadata: ["webhook_host": "\(host)", "problem": "\(problem)"])
    }
}
