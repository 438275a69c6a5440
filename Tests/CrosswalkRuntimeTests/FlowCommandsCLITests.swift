import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// A deployment with a flow, as an operator runs one: `crosswalk sandbox` in the background, the
/// demo's HubSpot → Aritic template written as crosswalk.yaml (the generic HTTP plugin, loaded by
/// the host into its worker process), credentials stored with `connections add`, a SQLite file.
struct FlowDeployment: Sendable {
    let sandbox: CrosswalkProcess.Background
    let urls: [String: URL]
    let dir: URL
    let config: String
    static let flow = "hubspot-contacts-to-aritic"

    static func start(seed: Int) async throws -> FlowDeployment {
        let sandbox = try CrosswalkProcess.Background(["sandbox", "--port", "0", "--seed", String(seed), "--no-tls"])
        let ready = try JSONSerialization.jsonObject(with: Data(try await sandbox.line(containing: "\"ready\":true", within: 60).utf8)) as! [String: Any]
        let urls = (ready["apps"] as! [String: String]).compactMapValues { URL(string: $0) }
        let dir = try TestFiles.temporaryFolder("flows-cli")
        let config = dir.appendingPathComponent("crosswalk.yaml").path
        try Data(FlowTemplate.deployment([.hubspotToAritic], urls: urls).utf8).write(to: URL(fileURLWithPath: config))
        let d = FlowDeployment(sandbox: sandbox, urls: urls, dir: dir, config: config)
        #expect(try d.run(["vault", "init"]).status == 0)
        let hubspot = #"{"scheme":"api_key","parameters":{"headerName":"Authorization","scheme":"Bearer","key":"\#(HubSpotDemoCredentials.privateAppToken)"}}"#
        let a = AriticApp.demoCredentials.dictionary
        let aritic = #"{"scheme":"basic","parameters":{"username":"\#(a["username"]!)","password":"\#(a["password"]!)"}}"#
        for (name, json) in [("hubspot", hubspot), ("aritic", aritic)] {
            let add = try d.run(["connections", "add", name], stdin: json)
            #expect(add.status == 0, "\(add.stderr)")
        }
        return d
    }

    func run(_ arguments: [String], stdin: String? = nil) throws -> CrosswalkProcess.Run {
        try CrosswalkProcess.run(arguments + ["--config", config], stdin: stdin)
    }

    var ariticAuth: [String: String] {
        let a = AriticApp.demoCredentials.dictionary
        return ["Authorization": "Basic " + Data("\(a["username"]!):\(a["password"]!)".utf8).base64EncodedString()]
    }
    var hubspotAuth: [String: String] { ["Authorization": "Bearer \(HubSpotDemoCredentials.privateAppToken)"] }

    /// HubSpot contacts: id → properties (email, firstname, lastname).
    func hubspotContacts() async throws -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        var next: String? = urls["hubspot"]!.absoluteString + "/crm/v3/objects/contacts?limit=100&properties=email,firstname,lastname"
        while let url = next {
            let r = try await TestHTTP.send("GET", URL(string: url)!, headers: hubspotAuth)
            for row in r.object["results"] as? [[String: Any]] ?? [] { out[row["id"] as! String] = row["properties"] as? [String: Any] ?? [:] }
            next = ((r.object["paging"] as? [String: Any])?["next"] as? [String: Any])?["link"] as? String
        }
        return out
    }

    /// Aritic contacts by `crm_id` (the external id the flow writes), each with its fields.
    func ariticByCRMID() async throws -> [String: [[String: Any]]] {
        var out: [String: [[String: Any]]] = [:]
        var start = 0
        while true {
            let r = try await TestHTTP.send("GET", URL(string: urls["aritic"]!.absoluteString + "/api/contacts?limit=500&start=\(start)&minimal=1")!,
                                            headers: ariticAuth)
            let page = (r.object["contacts"] as? [String: Any] ?? [:]).values.compactMap { $0 as? [String: Any] }
            for contact in page {
                var all = (contact["fields"] as? [String: Any])?["all"] as? [String: Any] ?? [:]
                all["id"] = contact["id"]
                if let id = all["crm_id"] as? String, !id.isEmpty { out[id, default: []].append(all) }
            }
            guard page.count == 500 else { return out }
            start += 500
        }
    }

    /// Aritic's contact total.
    func ariticTotal() async throws -> Int {
        let r = try await TestHTTP.send("GET", URL(string: urls["aritic"]!.absoluteString + "/api/contacts?limit=1&minimal=1")!, headers: ariticAuth)
        return Int("\(r.object["total"] ?? "-1")") ?? -1
    }
}

@Suite(.serialized) struct FlowCommandsCLITests {
    @Test("crosswalk run: a config flow through a loaded plugin into SQLite; killed mid-run and rerun, nothing is duplicated; the next run moves only changes")
    func runKillRerunAndChanges() async throws {
        let d = try await FlowDeployment.start(seed: 250)
        defer { d.sandbox.terminate() }
        let contacts = try await d.hubspotContacts()
        let qualifying = Set(contacts.filter { !(($0.value["email"] as? String) ?? "").isEmpty }.keys)
        #expect(qualifying.count > 500 && qualifying.count < contacts.count)
        let before = try await d.ariticTotal()

        // kill -9 once the run has written some contacts, well before the end. Aritic answers each
        // call 40 ms late while this run goes, so the run lasts seconds on any machine (unslowed it
        // can finish between two polls on a fast one) and the kill always lands mid-run.
        let faults = URL(string: d.urls["aritic"]!.absoluteString + "/__sandbox/faults")!
        #expect(try await TestHTTP.send("POST", faults, json: ["latency_ms": 40]).status == 200)
        let killed = try CrosswalkProcess.Background(["run", FlowDeployment.flow, "--config", d.config])
        let deadline = ContinuousClock.now + .seconds(120)
        while try await d.ariticTotal() < before + 20, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(killed.kill(), "the run was still going when killed")
        #expect(try await TestHTTP.send("DELETE", faults).status == 200)
        let partial = try await d.ariticTotal() - before
        #expect(partial > 0 && partial < qualifying.count, "killed mid-run: \(partial) of \(qualifying.count) written")

        let rerun = try d.run(["run", FlowDeployment.flow])
        #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
        let synced = try await d.ariticByCRMID().filter { contacts[$0.key] != nil }
        #expect(Set(synced.keys) == qualifying, "every contact with an e-mail synced")
        #expect(synced.values.allSatisfy { $0.count == 1 }, "duplicates: \(synced.filter { $0.value.count > 1 }.keys.prefix(5))")
        #expect(try await d.ariticTotal() == before + qualifying.count)
        // Field by field, with the mapping's functions applied.
        for id in qualifying.sorted().prefix(20) {
            let source = contacts[id]!, target = synced[id]![0]
            #expect(target["email"] as? String == (source["email"] as? String)?.trimmingCharacters(in: .whitespaces).lowercased())
            // Aritic keeps an empty text as null.
            #expect((target["firstname"] as? String ?? "") == (source["firstname"] as? String ?? ""))
            #expect((target["lastname"] as? String ?? "") == (source["lastname"] as? String ?? ""))
        }
        #expect(rerun.stdout.contains("skipped"), "\(rerun.stdout)")
        #expect(rerun.stdout.contains("email is null"), "the skip reason is printed: \(rerun.stdout)")
        #expect(FileManager.default.fileExists(atPath: d.dir.appendingPathComponent("crosswalk.db").path))

        // The ID map answers for a synced contact.
        let one = qualifying.sorted()[0]
        let lookup = try d.run(["idmap", "lookup", "hubspot", "Contact", one])
        #expect(lookup.status == 0, "\(lookup.stderr)")
        #expect(lookup.stdout.contains("aritic") && lookup.stdout.contains(" \(synced[one]![0]["id"]!) "), "\(lookup.stdout)")

        // Nothing changed: nothing written.
        let quiet = try d.run(["run", FlowDeployment.flow])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.contains("created 0, updated 0, deleted 0"), "\(quiet.stdout)")

        // One edit in HubSpot: a dry run plans one update and writes nothing, the run moves it.
        let r = try await TestHTTP.send("PATCH", d.urls["hubspot"]!.appendingPathComponent("crm/v3/objects/contacts/\(one)"),
                                        json: ["properties": ["firstname": "Edited"]], headers: d.hubspotAuth)
        #expect(r.status == 200, "\(r.text)")
        let dry = try d.run(["run", FlowDeployment.flow, "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("dry run") && dry.stdout.contains("created 0, updated 1"), "\(dry.stdout)")
        #expect(try await d.ariticByCRMID()[one]?.first?["firstname"] as? String != "Edited")
        let change = try d.run(["run", FlowDeployment.flow])
        #expect(change.stdout.contains("created 0, updated 1, deleted 0"), "\(change.stdout)")
        #expect(try await d.ariticByCRMID()[one]?.first?["firstname"] as? String == "Edited")

        let runs = try d.run(["runs"])
        #expect(runs.status == 0)
        #expect(runs.stdout.split(separator: "\n").count >= 5, "header and four finished runs (and the killed one): \(runs.stdout)")
        #expect(try d.run(["errors"]).stdout.contains("no failed records"))
    }

    @Test("config check: a flow's unknown key and a mapping error, with the line and column in the YAML file")
    func configCheckPointsIntoTheMapping() throws {
        let dir = try TestFiles.temporaryFolder("flows-check")
        let urls = ["hubspot": URL(string: "http://127.0.0.1:1")!, "aritic": URL(string: "http://127.0.0.1:2")!]
        let yaml = FlowTemplate.deployment([.hubspotToAritic], urls: urls)
            .replacingOccurrences(of: #"lastname  = lastname ?? """#, with: "lastname  = trimm(lastname)")
            .replacingOccurrences(of: "mode: upsert", with: "mode: upsert\n        mapings: x")
        let file = dir.appendingPathComponent("bad.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: file))
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let badLine = lines.firstIndex { $0.contains("trimm(") }! + 1
        let column = lines[badLine - 1].range(of: "trimm")!.lowerBound.utf16Offset(in: lines[badLine - 1]) + 1
        let keyLine = lines.firstIndex { $0.contains("mapings:") }! + 1
        let r = try CrosswalkProcess.run(["config", "check", file])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.yaml:\(badLine):\(column): flows.hubspot-contacts-to-aritic.targets[0].mapping: unknown function \"trimm\" (did you mean \"trim\"?)"), "\(r.stderr)")
        #expect(r.stderr.contains("bad.yaml:\(keyLine): flows.hubspot-contacts-to-aritic.targets[0].mapings: unknown key (did you mean \"mapping\"?)"), "\(r.stderr)")
    }
}
