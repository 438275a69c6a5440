import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// A deployment run as a service: `crosswalk sandbox` and `crosswalk serve` as separate
/// processes, the demo's HubSpot → Aritic template as crosswalk.yaml with a schedule, switched off
/// in the file (`enabled: false`) so the test turns it on through the API; credentials stored with
/// `connections add`, the admin token in an environment variable.
struct ServeDeployment: Sendable {
    static let flow = "hubspot-contacts-to-aritic"
    static let tokenVariable = "CW_TEST_ADMIN_TOKEN"
    let sandbox: CrosswalkProcess.Background
    let urls: [String: URL]
    let dir: URL
    let config: String
    let token = "test-admin-token-" + UUID().uuidString

    static func start(seed: Int, schedule: String = "{every: 2s}") async throws -> ServeDeployment {
        let (sandbox, urls) = try await ServeTestKit.sandbox(seed: seed)
        let dir = try TestFiles.temporaryFolder("serve")
        let config = dir.appendingPathComponent("crosswalk.yaml").path
        var yaml = FlowTemplate.deployment([.hubspotToAritic], urls: urls)
        yaml = yaml.replacingOccurrences(of: "  \(flow):\n", with: "  \(flow):\n    enabled: false\n    schedule: \(schedule)\n")
        yaml += "service:\n  admin_token: {env: \(tokenVariable)}\n"
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: config))
        let d = ServeDeployment(sandbox: sandbox, urls: urls, dir: dir, config: config)
        #expect(try await d.runDetached(["vault", "init"]).status == 0)
        let hubspot = #"{"scheme":"api_key","parameters":{"headerName":"Authorization","scheme":"Bearer","key":"\#(HubSpotDemoCredentials.privateAppToken)"}}"#
        let a = AriticApp.demoCredentials.dictionary
        let aritic = #"{"scheme":"basic","parameters":{"username":"\#(a["username"]!)","password":"\#(a["password"]!)"}}"#
        for (name, json) in [("hubspot", hubspot), ("aritic", aritic)] {
            let add = try await d.runDetached(["connections", "add", name], stdin: json)
            #expect(add.status == 0, "\(add.stderr)")
        }
        return d
    }

    func run(_ arguments: [String], stdin: String? = nil) throws -> CrosswalkProcess.Run {
        try CrosswalkProcess.run(arguments + ["--config", config], stdin: stdin)
    }

    /// ``run(_:stdin:)`` without holding a cooperative thread while the child runs.
    func runDetached(_ arguments: [String], stdin: String? = nil) async throws -> CrosswalkProcess.Run {
        try await CrosswalkProcess.runDetached(arguments + ["--config", config], stdin: stdin)
    }

    /// Starts `crosswalk serve` on a free port and waits for its readiness line.
    func serve(environment: [String: String] = [:]) async throws -> RunningService {
        try await RunningService.start(config: config, token: token, tokenVariable: Self.tokenVariable, environment: environment)
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

    /// The ids of contacts with an e-mail (the flow's criteria).
    func qualifying() async throws -> Set<String> {
        Set(try await hubspotContacts().filter { !(($0.value["email"] as? String) ?? "").isEmpty }.keys)
    }

    /// Creates a HubSpot contact and returns its id.
    func createHubSpotContact(email: String, firstname: String) async throws -> String {
        let r = try await TestHTTP.send("POST", urls["hubspot"]!.appendingPathComponent("crm/v3/objects/contacts"),
                                        json: ["properties": ["email": email, "firstname": firstname, "lastname": "Scheduled"]], headers: hubspotAuth)
        #expect(r.status == 201 || r.status == 200, "\(r.text)")
        return r.object["id"] as? String ?? ""
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

    func ariticTotal() async throws -> Int {
        let r = try await TestHTTP.send("GET", URL(string: urls["aritic"]!.absoluteString + "/api/contacts?limit=1&minimal=1")!, headers: ariticAuth)
        return Int("\(r.object["total"] ?? "-1")") ?? -1
    }

    var ariticFaults: URL { URL(string: urls["aritic"]!.absoluteString + "/__sandbox/faults")! }
}

/// The processes every service test starts, and the sandbox's Salesforce read directly.
enum ServeTestKit {
    /// `crosswalk sandbox` as its own process on free ports, and its apps' URLs.
    static func sandbox(seed: Int) async throws -> (process: CrosswalkProcess.Background, urls: [String: URL]) {
        let sandbox = try CrosswalkProcess.Background(["sandbox", "--port", "0", "--seed", String(seed), "--no-tls"])
        let ready = try JSONSerialization.jsonObject(with: Data(try await sandbox.line(containing: "\"ready\":true", within: 60).utf8)) as! [String: Any]
        return (sandbox, (ready["apps"] as! [String: String]).compactMapValues { URL(string: $0) })
    }

    /// Every row of a SOQL query, with a client-credentials token of the sandbox's connected app (not through the
    /// plugins or the service).
    static func soql(_ salesforce: URL, _ query: String) async throws -> [[String: Any]] {
        let sf = SalesforceApp.demoCredentials
        let basic = Data("\(sf.clientID):\(sf.clientSecret)".utf8).base64EncodedString()
        let token = try await TestHTTP.send("POST", salesforce.appendingPathComponent("services/oauth2/token"), form: "grant_type=client_credentials",
                                            headers: ["Authorization": "Basic \(basic)"])
        let access = try #require(token.object["access_token"] as? String, "\(token.text)")
        var rows: [[String: Any]] = []
        var path = "/services/data/v60.0/query?q=" + query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        while true {
            let page = try await TestHTTP.send("GET", URL(string: salesforce.absoluteString + path)!, headers: ["Authorization": "Bearer \(access)"])
            #expect(page.status == 200, "\(page.text)")
            rows += page.object["records"] as? [[String: Any]] ?? []
            guard let next = page.object["nextRecordsUrl"] as? String else { return rows }
            path = next
        }
    }
}

/// A running `crosswalk serve` and its admin API.
struct RunningService: Sendable {
    let process: CrosswalkProcess.Background
    let url: URL
    let token: String

    /// Starts `crosswalk serve --config CONFIG` on a free port, the admin token in `tokenVariable`, and waits for its
    /// readiness line.
    static func start(config: String, token: String, tokenVariable: String, environment: [String: String] = [:]) async throws -> RunningService {
        let process = try CrosswalkProcess.Background(["serve", "--config", config, "--listen", "127.0.0.1:0"],
                                                      environment: environment.merging([tokenVariable: token]) { $1 })
        let line = try await process.line(containing: "\"ready\":true", within: 60)
        let ready = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        return RunningService(process: process, url: URL(string: ready["url"] as! String)!, token: token)
    }

    /// A request to the service; with the token unless `token` is false; `raw` is sent as the body as is.
    func send(_ method: String, _ path: String, json: Any? = nil, raw: String? = nil, token: Bool = true,
              headers: [String: String] = [:]) async throws -> TestResponse {
        let target = URL(string: url.absoluteString + path)!
        var headers = headers
        if token { headers["Authorization"] = "Bearer \(self.token)" }
        guard let raw else { return try await TestHTTP.send(method, target, json: json, headers: headers) }
        var request = URLRequest(url: target, timeoutInterval: 60)
        request.httpMethod = method
        request.httpBody = Data(raw.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        return TestResponse(status: http.statusCode, headers: [:], body: data)
    }

    /// The flow's runs, newest first.
    func runs(_ flow: String) async throws -> [[String: Any]] {
        try await send("GET", "/api/v1/flows/\(flow)/runs?limit=100").object["items"] as? [[String: Any]] ?? []
    }
}

extension TestResponse {
    /// `error.code` and `error.field` of an error answer.
    var apiError: String? { (object["error"] as? [String: Any])?["code"] as? String }
    var errorField: String? { (object["error"] as? [String: Any])?["field"] as? String }
    var errorMessage: String { (object["error"] as? [String: Any])?["message"] as? String ?? text }
}
