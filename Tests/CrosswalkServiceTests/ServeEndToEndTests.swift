import CrosswalkTestKit
import Foundation
import Testing
import Yams

@Suite(.serialized) struct ServeEndToEndTests {
    @Test("crosswalk serve: a flow turned on through the API is synced by its schedule, changes by the next run; kill -9 mid-run and restart lose nothing and write nothing twice; SIGTERM exits 0")
    func scheduleKillRestart() async throws {
        let d = try await ServeDeployment.start(seed: 100)
        defer { d.sandbox.terminate() }
        let flow = ServeDeployment.flow
        let service = try await d.serve()
        defer { service.process.terminate() }

        #expect(try await service.send("GET", "/healthz", token: false).status == 200)
        let ready = try await service.send("GET", "/readyz", token: false)
        #expect(ready.status == 200, "\(ready.text)")

        // Off in the file, so nothing runs until it is switched on.
        let listed = try await service.send("GET", "/api/v1/flows")
        let first = try #require((listed.object["items"] as? [[String: Any]])?.first)
        #expect(first["name"] as? String == flow)
        #expect(first["enabled"] as? Bool == false && first["enabled_by"] as? String == "config")
        #expect(first["schedule"] as? String == "every 2s", "\(first)")
        #expect(try await service.runs(flow).isEmpty)

        let before = try await d.ariticTotal()
        let on = try await service.send("POST", "/api/v1/flows/\(flow)/enable")
        #expect(on.status == 200 && on.object["enabled"] as? Bool == true && on.object["enabled_by"] as? String == "api", "\(on.text)")

        // The schedule runs it (a flow that never ran is due at once).
        try await eventually("a scheduled run succeeded", within: 60) {
            try await service.runs(flow).contains { $0["trigger"] as? String == "schedule" && $0["status"] as? String == "succeeded" }
        }
        let qualifying = try await d.qualifying()
        #expect(qualifying.count > 100)
        let synced = try await d.ariticByCRMID()
        #expect(Set(synced.keys).isSuperset(of: qualifying), "every contact with an e-mail synced")
        #expect(try await d.ariticTotal() == before + qualifying.count)

        // Changes in the app are moved by the next scheduled run.
        let edited = qualifying.sorted()[0]
        let patch = try await d.sandboxPatch(edited, firstname: "EditedBySchedule")
        #expect(patch == 200)
        let added = try await d.createHubSpotContact(email: "new.one@example.com", firstname: "Newcomer")
        try await eventually("the next scheduled run moved the edit and the new contact", within: 60) {
            let now = try await d.ariticByCRMID()
            return now[edited]?.first?["firstname"] as? String == "EditedBySchedule" && now[added]?.first?["firstname"] as? String == "Newcomer"
        }

        // The routes of the document are all served (none answers no_route), with real parameters.
        try await checkDocumentedRoutesAreServed(service, flow: flow, record: edited)

        // Bad input: 401 without the token, 400 naming the field, 404 for unknown ids.
        try await checkErrors(service, flow: flow)

        // Switch off, queue 120 new contacts, slow Aritic down, switch on: the kill lands mid-run.
        #expect(try await service.send("POST", "/api/v1/flows/\(flow)/disable").status == 200)
        try await eventually("no run in flight", within: 60) {
            (try await service.send("GET", "/api/v1/flows/\(flow)").object["running"] as? Bool) == false
        }
        let beforeKill = try await d.ariticTotal()
        for i in 0..<120 { _ = try await d.createHubSpotContact(email: "batch\(i)@example.com", firstname: "Batch\(i)") }
        #expect(try await TestHTTP.send("POST", d.ariticFaults, json: ["latency_ms": 40]).status == 200)
        #expect(try await service.send("POST", "/api/v1/flows/\(flow)/enable").status == 200)
        try await eventually("the run wrote some of the 120", within: 120) { try await d.ariticTotal() >= beforeKill + 10 }
        #expect(service.process.kill(), "the service was still running when killed")
        #expect(try await TestHTTP.send("DELETE", d.ariticFaults).status == 200)
        let partial = try await d.ariticTotal() - beforeKill
        #expect(partial > 0 && partial < 120, "killed mid-run: \(partial) of 120 written")

        // Restarted: still on (the store remembers), the missed run runs at start and finishes the job.
        let restarted = try await d.serve()
        defer { restarted.process.terminate() }
        let shown = try await restarted.send("GET", "/api/v1/flows/\(flow)")
        #expect(shown.object["enabled"] as? Bool == true && shown.object["enabled_by"] as? String == "api", "\(shown.text)")
        let all = try await d.qualifying()
        #expect(all.count == qualifying.count + 121)
        try await eventually("every contact synced after the restart", within: 120) {
            Set(try await d.ariticByCRMID().keys).isSuperset(of: all)
        }
        let final = try await d.ariticByCRMID().filter { all.contains($0.key) }
        #expect(final.values.allSatisfy { $0.count == 1 }, "duplicates: \(final.filter { $0.value.count > 1 }.keys.prefix(5))")
        #expect(try await d.ariticTotal() == before + all.count, "nothing written twice")

        // Metrics count the runs of this process.
        try await eventually("a run finished since the restart", within: 60) {
            try await restarted.send("GET", "/metrics", token: false).text.contains("crosswalk_records_synced_total")
        }
        let metrics = try await restarted.send("GET", "/metrics", token: false).text
        #expect(metrics.contains("crosswalk_runs_total") && metrics.contains(#"flow="\#(flow)""#), "\(metrics.prefix(2000))")
        #expect(metrics.contains(#"crosswalk_http_requests_total{connection="aritic",status_class="2xx"}"#), "API calls per connection")

        // A 429 from HubSpot (the next scheduled read gets it): retried, counted per connection in /metrics, and the
        // change still lands.
        let late = try await d.createHubSpotContact(email: "after.429@example.com", firstname: "AfterThrottle")
        let hubspotFaults = URL(string: d.urls["hubspot"]!.absoluteString + "/__sandbox/faults")!
        #expect(try await TestHTTP.send("POST", hubspotFaults, json: ["rate_limit_burst": 1, "retry_after_s": 1]).status == 200)
        try await eventually("the change after the 429 synced", within: 90) {
            try await d.ariticByCRMID()[late]?.first?["firstname"] as? String == "AfterThrottle"
        }
        let counted = try await restarted.send("GET", "/metrics", token: false).text
        func value(_ prefix: String) -> Double {
            counted.split(separator: "\n").filter { $0.hasPrefix(prefix) }.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        }
        #expect(value(#"crosswalk_http_rate_limited_total{connection="hubspot"}"#) >= 1, "\(counted.prefix(3000))")
        #expect(value(#"crosswalk_http_retries_total{connection="hubspot",status_class="4xx"}"#) >= 1)

        // SIGTERM: graceful, exit 0.
        restarted.process.terminate()
        #expect(try await restarted.process.wait(within: 60) == 0)
    }

    func checkDocumentedRoutesAreServed(_ service: RunningService, flow: String, record: String) async throws {
        let document = try String(contentsOf: TestFiles.repoRoot.appendingPathComponent("Sources/CrosswalkService/openapi.yaml"), encoding: .utf8)
        let paths = try #require((try Yams.load(yaml: document) as? [String: Any])?["paths"] as? [String: [String: Any]])
        let run = try #require(try await service.runs(flow).first?["id"] as? Int)
        for (path, operations) in paths.sorted(by: { $0.key < $1.key }) {
            let concrete = path.replacingOccurrences(of: "{flow}", with: flow).replacingOccurrences(of: "{connection}", with: "hubspot")
                .replacingOccurrences(of: "{run}", with: String(run)).replacingOccurrences(of: "{record}", with: record)
                .replacingOccurrences(of: "{object}", with: "Contact").replacingOccurrences(of: "{id}", with: record)
            for method in operations.keys {
                let body: Any? = path.hasSuffix("/sync") ? ["ids": [record]] : nil
                let r = try await service.send(method.uppercased(), concrete, json: body)
                #expect(r.apiError != "no_route" && r.status < 500, "\(method.uppercased()) \(concrete): \(r.status) \(r.text.prefix(300))")
            }
        }
    }

    func checkErrors(_ service: RunningService, flow: String) async throws {
        let none = try await service.send("GET", "/api/v1/flows", token: false)
        #expect(none.status == 401 && none.apiError == "auth", "\(none.text)")
        let wrong = try await service.send("GET", "/api/v1/flows", token: false, headers: ["Authorization": "Bearer wrong-token-of-some-length"])
        #expect(wrong.status == 401, "\(wrong.text)")
        let unknown = try await service.send("GET", "/api/v1/flows/no-such-flow")
        #expect(unknown.status == 404 && unknown.apiError == "not_found" && unknown.errorField == "flow", "\(unknown.text)")
        #expect(try await service.send("POST", "/api/v1/flows/no-such-flow/enable").status == 404)
        let malformed = try await service.send("POST", "/api/v1/flows/\(flow)/sync", raw: #"{"ids": ["1""#)
        #expect(malformed.status == 400 && malformed.errorMessage.contains("malformed JSON"), "\(malformed.text)")
        let wrongType = try await service.send("POST", "/api/v1/flows/\(flow)/sync", raw: #"{"ids": "1"}"#)
        #expect(wrongType.status == 400 && wrongType.errorField == "ids", "\(wrongType.text)")
        let missing = try await service.send("POST", "/api/v1/flows/\(flow)/sync", raw: "{}")
        #expect(missing.status == 400 && missing.errorField == "ids", "\(missing.text)")
        let side = try await service.send("POST", "/api/v1/flows/\(flow)/sync", json: ["ids": ["1"], "side": "target"])
        #expect(side.status == 400 && side.errorField == "side", "\(side.text)")
        let limit = try await service.send("GET", "/api/v1/flows/\(flow)/runs?limit=abc")
        #expect(limit.status == 400 && limit.errorField == "limit", "\(limit.text)")
        let badRun = try await service.send("GET", "/api/v1/runs/abc")
        #expect(badRun.status == 400 && badRun.errorField == "run", "\(badRun.text)")
        #expect(try await service.send("GET", "/api/v1/runs/99999999").status == 404)
        let noRoute = try await service.send("GET", "/api/v1/nothing-here")
        #expect(noRoute.status == 404 && noRoute.apiError == "no_route", "\(noRoute.text)")
        let notFailed = try await service.send("POST", "/api/v1/flows/\(flow)/failed/nope/retry")
        #expect(notFailed.status == 404 && notFailed.errorField == "record", "\(notFailed.text)")
    }
}

extension ServeDeployment {
    func sandboxPatch(_ id: String, firstname: String) async throws -> Int {
        try await TestHTTP.send("PATCH", urls["hubspot"]!.appendingPathComponent("crm/v3/objects/contacts/\(id)"),
                                json: ["properties": ["firstname": firstname]], headers: hubspotAuth).status
    }
}
