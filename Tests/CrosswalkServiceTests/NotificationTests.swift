import CrosswalkConfig
import CrosswalkCore
import CrosswalkEngine
import CrosswalkRuntime
import CrosswalkService
import CrosswalkStore
import CrosswalkTestKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `service.notifications`: a failing flow is announced once to a Slack-compatible webhook, and
/// once when it recovers.
@Suite("Notifications of failed runs")
struct NotificationTests {
    func report(_ status: RunStatus, created: Int = 0, failed: Int = 0, skipped: Int = 0, reasons: [String: Int] = [:], dryRun: Bool = false) -> RunReport {
        var r = RunReport(flow: "f", run: 7, dryRun: dryRun)
        r.status = status
        r.counts = RunCounts(created: created, skipped: skipped, failed: failed)
        r.reasons = reasons
        return r
    }

    @Test("the policy: a failed run or a failure share over the threshold fails; few records, dry runs and shutdowns do not")
    func policy() {
        let p = NotificationPolicy(failureRate: 0.1, minRecords: 10)
        guard case .failing(let whole) = p.outcome(of: report(.failed, failed: 3, reasons: ["HTTP 500 from Aritic": 3])) else {
            Issue.record("a failed run is failing")
            return
        }
        #expect(whole.contains("run 7 failed") && whole.contains("HTTP 500 from Aritic (3)"), "\(whole)")
        guard case .failing(let share) = p.outcome(of: report(.partial, created: 80, failed: 20)) else {
            Issue.record("20% failed is over 10%")
            return
        }
        #expect(share.contains("20 of 100 records failed (20%, over the 10% threshold)"), "\(share)")
        #expect(p.outcome(of: report(.partial, created: 95, failed: 5)) == .healthy, "5% is under the threshold")
        #expect(p.outcome(of: report(.partial, created: 5, failed: 4)) == .healthy, "9 records are under min_records")
        #expect(p.outcome(of: report(.succeeded, created: 100)) == .healthy)
        #expect(p.outcome(of: report(.failed, failed: 50, dryRun: true)) == .neutral)
        #expect(p.outcome(of: report(.cancelled, failed: 50)) == .neutral)
        #expect(p.outcome(ofError: CrosswalkError(.cancelled, "stopping")) == .neutral)
        guard case .failing(let thrown) = p.outcome(ofError: CrosswalkError(.unavailable, "connection aritic: connection refused\nmore")) else {
            Issue.record("an error is failing")
            return
        }
        #expect(thrown == "the run could not start or finish: connection aritic: connection refused")
    }

    @Test("service.notifications is read from the file; a URL written in it, a bad share or a missing URL key is refused")
    func config() throws {
        let dir = try TestFiles.temporaryFolder("notify-config")
        let good = dir.appendingPathComponent("good.yaml").path
        try Data("version: 1\nservice:\n  notifications: {webhook_url: {env: CW_HOOK}, failure_rate: 0.25, min_records: 3}\n".utf8).write(to: URL(fileURLWithPath: good))
        let config = try DeploymentConfig.load(path: good)
        #expect(config.service.notifications == NotificationsConfig(webhookURL: .environment("CW_HOOK"), failureRate: 0.25, minRecords: 3))

        let bad = dir.appendingPathComponent("bad.yaml").path
        try Data("""
            version: 1
            service:
              notifications:
                webhook_url: https://hooks.slack.com/services/T000/B000/sekrit
                failure_rate: 1.5
                min_records: 0

            """.utf8).write(to: URL(fileURLWithPath: bad))
        let r = try CrosswalkProcess.run(["config", "check", bad])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.yaml:4: service.notifications.webhook_url: the webhook URL never goes in the file"), "\(r.stderr)")
        #expect(r.stderr.contains("bad.yaml:5: service.notifications.failure_rate: failure_rate is a share between 0 and 1"), "\(r.stderr)")
        #expect(r.stderr.contains("bad.yaml:6: service.notifications.min_records: min_records must be 1 or more"), "\(r.stderr)")
        #expect(!r.stderr.contains("sekrit"), "the URL is not echoed")

        let missing = dir.appendingPathComponent("missing.yaml").path
        try Data("version: 1\nservice:\n  notifications: {failure_rate: 0.2}\n".utf8).write(to: URL(fileURLWithPath: missing))
        let m = try CrosswalkProcess.run(["config", "check", missing])
        #expect(m.status == 2)
        #expect(m.stderr.contains("service.notifications.webhook_url: missing required key"), "\(m.stderr)")
    }

    @Test("crosswalk serve posts once when a flow starts failing (not per run, not per record) and once when it recovers")
    func serveAnnouncesFailingAndRecovered() async throws {
        let receiver = try await WebhookReceiver.start()
        let hook = receiver.url(for: "chat") + "?secret=notify-" + UUID().uuidString
        let d = try await ServeDeployment.start(seed: 12, schedule: "{every: 1h}")
        try Data((String(contentsOfFile: d.config, encoding: .utf8) + "  notifications: {webhook_url: {env: CW_TEST_NOTIFY_URL}, failure_rate: 0.1, min_records: 1}\n").utf8)
            .write(to: URL(fileURLWithPath: d.config))
        let service = try await d.serve(environment: ["CW_TEST_NOTIFY_URL": hook])
        let flow = ServeDeployment.flow

        // Aritic answers every call with a 500: each contact fails after the host's retries.
        #expect(try await TestHTTP.send("POST", d.ariticFaults, json: ["error_rate": 1.0]).status == 200)
        // The run fails as a whole (its ID-map lookups in Aritic fail): "run now" answers 503 with the reason.
        let first = try await service.send("POST", "/api/v1/flows/\(flow)/run")
        #expect(first.status == 503, "\(first.text)")
        let alert = try await receiver.wait(for: 1, app: "chat", within: 60)
        let text = try #require(alert.first.flatMap { try JSONSerialization.jsonObject(with: $0.body) as? [String: Any] }?["text"] as? String)
        #expect(text.contains("flow *\(flow)* is failing") && (text.contains("could not start or finish") || text.contains("records failed")), "\(text)")
        #expect(alert.first?.headers["content-type"] == "application/json")

        // A second failing run says nothing; the recovery after the fault is cleared does.
        let second = try await service.send("POST", "/api/v1/flows/\(flow)/run")
        #expect(second.status == 503, "\(second.text)")
        #expect(try await TestHTTP.send("POST", d.ariticFaults, json: ["error_rate": 0.0]).status == 200)
        let third = try await service.send("POST", "/api/v1/flows/\(flow)/run")
        #expect(third.status == 200, "\(third.text)")
        let all = try await receiver.wait(for: 2, app: "chat", within: 60)
        #expect(all.count == 2, "one alert and one recovery, nothing for the second failing run")
        let recovered = try #require(all.last.flatMap { try JSONSerialization.jsonObject(with: $0.body) as? [String: Any] }?["text"] as? String)
        #expect(recovered.contains("flow *\(flow)* recovered"), "\(recovered)")

        service.process.terminate()
        let output = try await service.process.remainingLines(within: 60)
        #expect(!output.isEmpty && !output.contains { $0.contains("notify-") }, "the webhook URL (a secret) is never logged")
    }
}
