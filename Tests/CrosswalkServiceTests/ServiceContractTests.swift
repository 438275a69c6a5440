@testable import CrosswalkService
import CrosswalkConfig
import CrosswalkRuntime
import CrosswalkTestKit
import Foundation
import Testing
import Yams

@Suite struct ServiceContractTests {
    func documentRoutes() throws -> Set<String> {
        let text = try String(contentsOf: TestFiles.repoRoot.appendingPathComponent("Sources/CrosswalkService/openapi.yaml"), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        return Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
    }

    @Test("every route in openapi.yaml is served and every served route is in it")
    func routesMatchTheDocument() throws {
        let documented = try documentRoutes()
        let served = Set(AdminAPI.servedRoutes)
        #expect(served.count == AdminAPI.routes.count, "a route is registered twice")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
    }

    @Test("the served document is openapi.yaml as committed (scripts/embed-openapi.sh)")
    func embeddedDocumentIsTheFile() throws {
        let text = try String(contentsOf: TestFiles.repoRoot.appendingPathComponent("Sources/CrosswalkService/openapi.yaml"), encoding: .utf8)
        #expect(OpenAPIDocument.text + "\n" == text, "run scripts/embed-openapi.sh")
    }

    @Test("cron: steps, ranges, lists, names and crontab's either-day rule, in UTC")
    func cronNextTimes() throws {
        func at(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }
        func next(_ cron: String, _ after: String) throws -> String {
            ISO8601DateFormatter().string(from: try CronExpression(cron).next(after: at(after)))
        }
        #expect(try next("*/5 * * * *", "2026-01-01T10:02:30Z") == "2026-01-01T10:05:00Z")
        #expect(try next("*/5 * * * *", "2026-01-01T10:05:00Z") == "2026-01-01T10:10:00Z")
        #expect(try next("0 9-17/4 * * *", "2026-01-01T13:00:00Z") == "2026-01-01T17:00:00Z")
        #expect(try next("30 8 * * mon-fri", "2026-01-02T09:00:00Z") == "2026-01-05T08:30:00Z")  // Friday → Monday
        #expect(try next("0 0 1,15 * *", "2026-01-02T00:00:00Z") == "2026-01-15T00:00:00Z")
        #expect(try next("0 0 1 * 0", "2026-01-02T00:00:00Z") == "2026-01-04T00:00:00Z")   // the 1st or a Sunday
        #expect(try next("0 0 29 feb *", "2026-03-01T00:00:00Z") == "2028-02-29T00:00:00Z")
        #expect(try next("59 23 31 dec *", "2026-12-31T23:59:00Z") == "2027-12-31T23:59:00Z")
        for (bad, message) in [("*/5 * * *", "expected 5 fields"), ("61 * * * *", "minute field: 61 is out of range 0-59"),
                               ("* 5-2 * * *", "range 5-2 goes backwards"), ("* * * * 8", "day-of-week field: 8"), ("*/0 * * * *", "step")] {
            #expect(throws: CronExpression.ParseError.self) { try CronExpression(bad) }
            do { _ = try CronExpression(bad) } catch { #expect(error.message.contains(message), "\(bad): \(error.message)") }
        }
        let every = FlowSchedule(kind: .every(seconds: 300), jitterSeconds: 20)
        #expect(every.next(after: at("2026-01-01T00:00:00Z")) == at("2026-01-01T00:05:00Z"))
        #expect(every.description == "every 300s, jitter up to 20s")
    }

    @Test("config check: a bad schedule, a literal admin token and a bad listen address, with file and line (and column)")
    func configCheckSchedules() throws {
        let dir = try TestFiles.temporaryFolder("serve-check")
        let urls = ["hubspot": URL(string: "http://127.0.0.1:1")!, "aritic": URL(string: "http://127.0.0.1:2")!]
        let flow = "hubspot-contacts-to-aritic"
        var yaml = FlowTemplate.deployment([.hubspotToAritic], urls: urls)
        yaml = yaml.replacingOccurrences(of: "  \(flow):\n", with: "  \(flow):\n    schedule: {cron: \"61 * * * *\", jiter: 5s}\n")
        let file = dir.appendingPathComponent("bad.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: file))
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let line = lines.firstIndex { $0.contains("schedule:") }! + 1
        let column = lines[line - 1].range(of: "\"61")!.lowerBound.utf16Offset(in: lines[line - 1]) + 2
        let r = try CrosswalkProcess.run(["config", "check", file])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.yaml:\(line):\(column): flows.\(flow).schedule.cron: minute field: 61 is out of range 0-59"), "\(r.stderr)")
        #expect(r.stderr.contains("bad.yaml:\(line): flows.\(flow).schedule.jiter: unknown key (did you mean \"jitter\"?)"), "\(r.stderr)")

        let secret = dir.appendingPathComponent("secret.yaml").path
        try Data((FlowTemplate.deployment([.hubspotToAritic], urls: urls) + "service:\n  listen: nowhere\n  public_url: ftp://files.example.com\n  admin_token: hunter2hunter2hunter2\n").utf8)
            .write(to: URL(fileURLWithPath: secret))
        let s = try CrosswalkProcess.run(["config", "check", secret])
        #expect(s.status == 2)
        #expect(s.stderr.contains("service.admin_token: the token never goes in the file"), "\(s.stderr)")
        #expect(s.stderr.contains("service.listen: expected host:port"), "\(s.stderr)")
        let publicLine = String(decoding: try Data(contentsOf: URL(fileURLWithPath: secret)), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("public_url") }! + 1
        #expect(s.stderr.contains("secret.yaml:\(publicLine): service.public_url: expected an http or https URL"), "\(s.stderr)")
        for (bad, message) in [("not a url", "expected an absolute URL"), ("https://u:p@crosswalk.example.com", "no user name or password"),
                               ("https://crosswalk.example.com/?a=1", "no query or fragment")] {
            guard case .failure(let problem) = ServiceConfig.parsePublicURL(bad) else {
                Issue.record("\(bad) was accepted")
                continue
            }
            #expect(problem.message.contains(message), "\(bad): \(problem.message)")
        }
        #expect(try ServiceConfig.parsePublicURL("https://crosswalk.example.com/edge/").get() == "https://crosswalk.example.com/edge")
        #expect(!s.stderr.contains("hunter2"), "the token is not echoed")
    }

    @Test("crosswalk serve refuses to start without an admin token, naming where it looked")
    func serveNeedsAToken() throws {
        let dir = try TestFiles.temporaryFolder("serve-token")
        let file = dir.appendingPathComponent("crosswalk.yaml").path
        try Data("version: 1\nstore: {sqlite: ./c.db}\nvault: {key_file: ./vault.key}\nservice: {admin_token: {env: CW_NO_SUCH_TOKEN}}\n".utf8)
            .write(to: URL(fileURLWithPath: file))
        #expect(try CrosswalkProcess.run(["vault", "init", "--config", file]).status == 0)
        let r = try CrosswalkProcess.run(["serve", "--config", file, "--listen", "127.0.0.1:0"])
        #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("CW_NO_SUCH_TOKEN"), "\(r.stderr)")
    }
}
