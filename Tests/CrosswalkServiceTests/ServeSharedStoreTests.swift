import CrosswalkCore
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// Issue 17: three `crosswalk serve` processes on one PostgreSQL store and the sandbox, splitting
/// the work by leases. Two HubSpot → Aritic flows (contacts whose e-mail sorts before "m", and the
/// rest) run on every 2 s schedule with a 3 s lease TTL, each under its own lease; Aritic is slowed
/// down (250 ms a call) so a run lasts long enough to be interrupted.
@Suite(.serialized) struct ServeSharedStoreTests {
    static let ttl = 3.0
    /// The second flow: the contacts the first one's criteria leave out.
    static let secondFlow = "hubspot-contacts-m-z-to-aritic"

    /// The deployment of ServeDeployment with `store: postgres:` (password from the environment).
    struct Shared {
        let d: ServeDeployment
        let environment: [String: String]
    }

    static func deployment() async throws -> Shared {
        let (sandbox, urls) = try await ServeTestKit.sandbox(seed: 100)
        let dir = try TestFiles.temporaryFolder("serve-shared")
        let config = dir.appendingPathComponent("crosswalk.yaml").path
        let database = try TestPostgres.makeDatabase(prefix: "serve")
        let environment = ["CW_TEST_PG_PASSWORD": try TestPostgres.server().password]
        let flow = ServeDeployment.flow
        var yaml = FlowTemplate.deployment([.hubspotToAritic], urls: urls)
        yaml = yaml.replacingOccurrences(of: "  sqlite: ./crosswalk.db\n", with: "  postgres: {url: '\(database)', password: {env: CW_TEST_PG_PASSWORD}}\n")
        let split = "criteria: '!empty(email)'"
        yaml = yaml.replacingOccurrences(of: split, with: "criteria: '!empty(email) && lower(email) < \"m\"'")
        let second = FlowTemplate.hubspotToAritic.flowsYAML
            .replacingOccurrences(of: "  \(flow):\n", with: "  \(secondFlow):\n    schedule: {every: 2s}\n")
            .replacingOccurrences(of: split, with: "criteria: '!empty(email) && lower(email) >= \"m\"'")
        yaml = yaml.replacingOccurrences(of: "  \(flow):\n", with: second + (second.hasSuffix("\n") ? "" : "\n") + "  \(flow):\n    schedule: {every: 2s}\n")
        yaml += "service:\n  admin_token: {env: \(ServeDeployment.tokenVariable)}\n  lease_ttl: \(Int(ttl))s\n"
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: config))
        let d = ServeDeployment(sandbox: sandbox, urls: urls, dir: dir, config: config)
        #expect(try CrosswalkProcess.run(["vault", "init", "--config", config], environment: environment).status == 0)
        let hubspot = #"{"scheme":"api_key","parameters":{"headerName":"Authorization","scheme":"Bearer","key":"\#(HubSpotDemoCredentials.privateAppToken)"}}"#
        let a = AriticApp.demoCredentials.dictionary
        let aritic = #"{"scheme":"basic","parameters":{"username":"\#(a["username"]!)","password":"\#(a["password"]!)"}}"#
        for (name, json) in [("hubspot", hubspot), ("aritic", aritic)] {
            let add = try CrosswalkProcess.run(["connections", "add", name, "--config", config], stdin: json, environment: environment)
            #expect(add.status == 0, "\(add.stderr)")
        }
        return Shared(d: d, environment: environment)
    }

    /// The lease rows as one host reports them: holder of `flow:NAME`, and this host's own name.
    static func leases(_ service: RunningService, flow: String = ServeDeployment.flow) async throws -> (me: String, flowHolder: String?) {
        let answer = try await service.send("GET", "/api/v1/leases").object
        let rows = answer["leases"] as? [[String: Any]] ?? []
        let now = Date()
        let live = rows.first { row in
            row["name"] as? String == "flow:\(flow)"
                && (row["expires_at"] as? String).flatMap { ISO8601DateFormatter.withFractions.date(from: $0) }.map { $0 > now } == true
        }
        return (answer["holder"] as? String ?? "", live?["holder"] as? String)
    }

    /// Every qualifying HubSpot contact is in Aritic exactly once, and Aritic holds nothing else new.
    static func expectExactlyOnce(_ d: ServeDeployment, before: Int) async throws {
        let all = try await d.qualifying()
        try await eventually("every contact synced", within: 180) { Set(try await d.ariticByCRMID().keys).isSuperset(of: all) }
        let synced = try await d.ariticByCRMID().filter { all.contains($0.key) }
        #expect(synced.values.allSatisfy { $0.count == 1 }, "duplicates: \(synced.filter { $0.value.count > 1 }.keys.prefix(5))")
        #expect(try await d.ariticTotal() == before + all.count, "nothing written twice")
    }

    @Test("three hosts on one PostgreSQL, two flows with a lease each: a SIGKILLed host's flows are taken over within the lease TTL and every record lands once; a host SIGSTOPped past its lease is fenced on SIGCONT and writes nothing")
    func threeHosts() async throws {
        let shared = try await Self.deployment()
        let d = shared.d
        defer { d.sandbox.terminate() }
        let before = try await d.ariticTotal()
        // Each Aritic call takes 250 ms: a run of each flow's half of the ~150 contacts lasts long enough to be
        // interrupted, even after the three hosts' start-up on a loaded machine.
        #expect(try await TestHTTP.send("POST", d.ariticFaults, json: ["latency_ms": 250]).status == 200)
        var hosts: [RunningService] = []
        for _ in 0..<3 { hosts.append(try await d.serve(environment: shared.environment)) }
        defer { for host in hosts { host.process.signal(SIGCONT); host.process.terminate() } }
        var names: [String: Int] = [:]
        for (i, host) in hosts.enumerated() { names[try await Self.leases(host).me] = i }
        #expect(names.count == 3, "three distinct holders")

        // Some host takes the flow and writes part of it; it is killed mid-run.
        let firstHolder = try await Self.waitForHolder(hosts[0], among: names, within: 60)
        let metrics = try await hosts[firstHolder].send("GET", "/metrics", token: false).text
        #expect(metrics.contains(#"crosswalk_lease_held{name="flow:\#(ServeDeployment.flow)"} 1"#), "\(metrics.prefix(1500))")
        // Its dashboard shows the lease as this host's, with its fencing token.
        let browser = DashboardClient(hosts[firstHolder].url)
        _ = try await browser.login(token: hosts[firstHolder].token)
        let page = try await browser.send("GET", "/dashboard/connections").text
        let row = try #require(page.components(separatedBy: "<tr id=\"lease-flow:\(ServeDeployment.flow)\">").dropFirst().first?
            .components(separatedBy: "</tr>").first, "the lease of the flow on the dashboard: \(page.suffix(1500))")
        #expect(row.contains("(this host)"), "\(row)")
        try await eventually("the first run wrote some contacts", within: 120) { try await d.ariticTotal() >= before + 10 }
        #expect(hosts[firstHolder].process.kill())
        let killedAt = Date()
        #expect(try await d.ariticTotal() - before < (try await d.qualifying()).count, "killed mid-run")
        let survivor = hosts.indices.first { $0 != firstHolder }!
        let second = try await Self.waitForHolder(hosts[survivor], among: names, excluding: firstHolder, within: 60)
        let takeover = Date().timeIntervalSince(killedAt)
        // The lease lapses after the TTL; the next scheduled attempt (every 2 s) takes it.
        #expect(takeover <= Self.ttl + 2 + 2, "taken over after \(takeover) s")
        // The other flow has its own lease: after the kill it too is run by a live host.
        _ = try await Self.waitForHolder(hosts[survivor], among: names, excluding: firstHolder, flow: Self.secondFlow, within: 60)
        try await Self.expectExactlyOnce(d, before: before)

        // SIGSTOP the host running the flow past its lease: another takes over; on SIGCONT it is fenced.
        let running = hosts.indices.filter { $0 != firstHolder }
        // Stop the host running the flow mid-run: its lease row is still live right after SIGSTOP (a host
        // that had just finished and given the lease up is continued, and it is tried again with more work).
        var pausedIndex = -1
        for attempt in 0..<5 {
            // Addresses before "m": the first flow's.
            for i in 0..<60 { _ = try await d.createHubSpotContact(email: "ashared\(attempt)-\(i)@example.com", firstname: "Shared\(i)") }
            let beforeStop = try await d.ariticTotal()
            let holder = try await Self.waitForHolder(hosts[running[0]], among: names, excluding: firstHolder, within: 60)
            try await eventually("the run after the new contacts wrote some", within: 120) { try await d.ariticTotal() >= beforeStop + 5 }
            hosts[holder].process.signal(SIGSTOP)
            if try await Self.leases(hosts[running.first { $0 != holder }!]).flowHolder.flatMap({ names[$0] }) == holder {
                pausedIndex = holder
                break
            }
            hosts[holder].process.signal(SIGCONT)
        }
        try #require(pausedIndex >= 0, "a host was stopped mid-run")
        let paused = hosts[pausedIndex]
        let other = running.first { $0 != pausedIndex }!
        _ = try await Self.waitForHolder(hosts[other], among: names, excluding: pausedIndex, within: 60)
        try await Self.expectExactlyOnce(d, before: before)
        let settled = try await d.ariticTotal()
        paused.process.signal(SIGCONT)
        // Its in-flight run resumes with a stale token: refused at its next intent or commit.
        let fenced = try await paused.process.line(containing: "fenced", within: 60)
        #expect(fenced.contains(ServeDeployment.flow) || fenced.contains("lease"), "\(fenced)")
        #expect(try await d.ariticTotal() == settled, "the fenced host wrote nothing to the app")
        try await Self.expectExactlyOnce(d, before: before)
        _ = second
    }

    /// Waits until `flow:NAME` is held by a live host other than `excluding`, and returns its index.
    static func waitForHolder(_ service: RunningService, among names: [String: Int], excluding: Int? = nil, flow: String = ServeDeployment.flow,
                              within seconds: Double) async throws -> Int {
        let found = LockedValue<Int?>(nil)
        try await eventually("the lease of \(flow) held by another host", within: seconds) {
            guard let holder = try await leases(service, flow: flow).flowHolder, let index = names[holder], index != excluding else { return false }
            found.withLock { $0 = index }
            return true
        }
        return found.withLock { $0 }!
    }
}

extension ISO8601DateFormatter {
    static var withFractions: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
