import CrosswalkAuth
import CrosswalkCore
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// A deployment set up over the admin API only (seed 001): a config file with no connections and
/// no flows — only the plugins it enables, the store, the vault and the admin token — and the
/// sandbox, both as separate processes, the plugins in their worker processes.
struct SetupDeployment: Sendable {
    static let tokenVariable = "CW_TEST_ADMIN_TOKEN"
    let sandbox: CrosswalkProcess.Background
    let urls: [String: URL]
    let dir: URL
    let config: String
    let token = "test-admin-token-" + UUID().uuidString

    static func header(enabled: [String] = ["com.netsuite", "com.salesforce"]) -> String {
        """
        version: 1
        plugins:
          enabled: [\(enabled.joined(separator: ", "))]
        store:
          sqlite: ./crosswalk.db
        vault:
          key_file: ./vault.key
        service:
          admin_token: {env: \(tokenVariable)}

        """
    }

    static func start(seed: Int) async throws -> SetupDeployment {
        let (sandbox, urls) = try await ServeTestKit.sandbox(seed: seed)
        let dir = try TestFiles.temporaryFolder("serve-setup")
        let config = dir.appendingPathComponent("crosswalk.yaml").path
        try Data(header().utf8).write(to: URL(fileURLWithPath: config))
        let d = SetupDeployment(sandbox: sandbox, urls: urls, dir: dir, config: config)
        #expect(try CrosswalkProcess.run(["vault", "init", "--config", config]).status == 0)
        return d
    }

    func write(_ yaml: String) throws { try Data(yaml.utf8).write(to: URL(fileURLWithPath: config)) }

    /// Starts `crosswalk serve` on a free port and waits for its readiness line.
    func serve() async throws -> RunningService {
        try await RunningService.start(config: config, token: token, tokenVariable: Self.tokenVariable)
    }

    /// Credentials as a client sends them: `{"scheme": …, "parameters": {…}}`.
    static func json(_ credentials: Credentials) throws -> Any {
        try JSONSerialization.jsonObject(with: try JSONEncoder().encode(credentials))
    }

    /// The Salesforce registration for the authorization-code flow (tokens come from the browser's round trip).
    var salesforceRegistration: Credentials {
        let sf = SalesforceApp.demoCredentials
        let base = urls["salesforce"]!.absoluteString
        return .oauth2(OAuth2Credentials(flow: .authorizationCode, clientID: sf.clientID, clientSecret: sf.clientSecret,
                                         clientAuthentication: .requestBody, tokenURL: base + "/services/oauth2/token",
                                         authorizationURL: base + "/services/oauth2/authorize", scopes: ["api", "refresh_token"]))
    }

    var netsuiteTBA: NetSuiteTBACredentials {
        typealias NS = NetSuiteDemoCredentials
        return NetSuiteTBACredentials(accountID: NS.accountId, consumerKey: NS.consumerKey, consumerSecret: NS.consumerSecret,
                                      tokenID: NS.tokenId, tokenSecret: NS.tokenSecret)
    }

    // MARK: The apps read directly (not through the plugins or the service)

    /// Every row of a SOQL query (the sandbox's Salesforce over its own API).
    func soql(_ query: String) async throws -> [[String: Any]] { try await ServeTestKit.soql(urls["salesforce"]!, query) }

    /// Every row of a SuiteQL query, signed with TBA here.
    func suiteQL(_ query: String) async throws -> [[String: Any]] {
        let signer = NetSuiteTBAAuthenticator(credentials: netsuiteTBA)
        var rows: [[String: Any]] = []
        var offset = 0
        while true {
            let url = urls["netsuite"]!.absoluteString + "/services/rest/query/v1/suiteql?limit=1000&offset=\(offset)"
            let header = try signer.authorizationHeader(for: HTTPRequest(method: "POST", url: url))
            let page = try await TestHTTP.send("POST", URL(string: url)!, json: ["q": query], headers: ["Authorization": header, "Prefer": "transient"]).object
            let items = page["items"] as? [[String: Any]] ?? []
            rows += items
            guard page["hasMore"] as? Bool == true else { return rows }
            offset += items.count
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// A field as text ("" for null or missing).
    func text(_ key: String) -> String {
        switch self[key] {
        case let s as String: s
        case let n as NSNumber: n.stringValue
        default: ""
        }
    }
}

@Suite(.serialized) struct ServeSetupTests {
    static let flow = "sf-contacts-to-netsuite"

    /// Seed 001's sync as a client sends it: the model as the source, the three fields mapped, empty LastName filtered out.
    static var flowBody: [String: Any] { [
        "name": flow,
        "description": "Salesforce contacts (model sf-contacts) into NetSuite contacts, empty LastName filtered out",
        "source": ["model": "sf-contacts"],
        "criteria": "!empty(LastName)",
        "targets": [[
            "name": "contact", "connection": "netsuite", "object": "contact", "mode": "upsert",
            "match_keys": [["external_id": "custentity_sf_contact_id"]],
            "mapping": "email = Email\nfirstName = FirstName\nlastName = LastName\ncustentity_sf_contact_id = _id\n",
        ]],
    ] }

    @Test("seed 001 over HTTP: Salesforce (OAuth round trip) and NetSuite connections created, schemas polled until ready, a model of Contact, the sync of Email/FirstName/LastName without empty LastName run: the contacts are in NetSuite; bad input is a 4xx naming the field; a restart keeps it all")
    func seed001() async throws {
        let d = try await SetupDeployment.start(seed: 40)
        defer { d.sandbox.terminate() }
        let service = try await d.serve()
        defer { service.process.terminate() }
        let sfBase = d.urls["salesforce"]!.absoluteString

        // 1. Salesforce: OAuth, so the answer carries the auth_url; the browser's round trip ends at redirect_url.
        let after = "http://127.0.0.1:9/after-connect"
        let sf = try await service.send("POST", "/api/v1/connections", json: [
            "name": "salesforce", "plugin": "com.salesforce", "settings": ["base_url": sfBase, "settle_seconds": 1],
            "credentials": try SetupDeployment.json(d.salesforceRegistration), "redirect_url": after,
        ])
        #expect(sf.status == 201, "\(sf.text)")
        #expect(sf.object["status"] as? String == "awaiting_authorization" && sf.object["origin"] as? String == "api", "\(sf.text)")
        #expect(!sf.text.contains(SalesforceApp.demoCredentials.clientSecret), "no secret echoed")
        let authURL = try #require(sf.object["auth_url"] as? String)
        #expect(authURL.hasPrefix(sfBase + "/services/oauth2/authorize?") && authURL.contains("code_challenge="), "\(authURL)")
        // The browser: the app approves and sends it to the callback, which sends it on to redirect_url.
        let approved = try await TestHTTP.send("GET", URL(string: authURL)!, followRedirects: false)
        let callback = try #require(approved.headers["location"], "\(approved.status) \(approved.text)")
        #expect(callback.hasPrefix(service.url.absoluteString + "/api/v1/oauth/callback?"), "\(callback)")
        let back = try await TestHTTP.send("GET", URL(string: callback)!, followRedirects: false)
        #expect(back.status == 302 && back.headers["location"] == after + "?connection=salesforce&status=connected", "\(back.status) \(back.headers) \(back.text)")
        let replayed = try await TestHTTP.send("GET", URL(string: callback)!, followRedirects: false)
        #expect(replayed.status == 400 && replayed.errorField == "state", "a state is used once: \(replayed.text)")

        // 2. NetSuite: token-based authentication, complete at once.
        let ns = try await service.send("POST", "/api/v1/connections", json: [
            "name": "netsuite", "plugin": "com.netsuite",
            "settings": ["base_url": d.urls["netsuite"]!.absoluteString, "account_id": NetSuiteDemoCredentials.accountId],
            "credentials": try SetupDeployment.json(.netsuiteTBA(d.netsuiteTBA)),
        ])
        #expect(ns.status == 201 && ns.object["status"] as? String == "connected", "\(ns.text)")
        #expect(!ns.text.contains(NetSuiteDemoCredentials.tokenSecret) && !ns.text.contains(NetSuiteDemoCredentials.consumerSecret))

        // 3. Poll both schemas until ready.
        for name in ["salesforce", "netsuite"] {
            try await eventually("the schema of \(name) is ready", within: 120) {
                let s = try await service.send("GET", "/api/v1/connections/\(name)/schema")
                #expect(s.status == 200 && s.object["status"] as? String != "failed", "\(s.text)")
                return s.object["status"] as? String == "ready" && s.object["cache_status"] as? Bool == true
            }
        }
        let objects = try await service.send("GET", "/api/v1/connections/salesforce/objects")
        #expect((objects.object["items"] as? [[String: Any]] ?? []).contains { $0["name"] as? String == "Contact" }, "\(objects.text.prefix(500))")
        let contact = try await service.send("GET", "/api/v1/connections/salesforce/objects/Contact")
        let fields = contact.object["fields"] as? [[String: Any]] ?? []
        #expect(fields.contains { $0["name"] as? String == "Email" && $0["type"] as? String == "email" }, "\(contact.text.prefix(800))")
        #expect(fields.contains { $0["name"] as? String == "LastName" && $0["required"] as? Bool == true })

        // 4. The model of Contact.
        let model = try await service.send("POST", "/api/v1/models", json: [
            "name": "sf-contacts", "connection": "salesforce", "object": "Contact", "fields": ["Email", "FirstName", "LastName"],
        ])
        #expect(model.status == 201, "\(model.text)")

        // Bad input is a 4xx with a clear message naming the field; never a 5xx.
        try await checkSetupErrors(service, d)

        // 5. The sync, then run it.
        let created = try await service.send("POST", "/api/v1/flows", json: Self.flowBody)
        #expect(created.status == 201 && created.object["origin"] as? String == "api", "\(created.text)")
        #expect((created.object["source"] as? [String: Any])?["object"] as? String == "Contact")
        let run = try await service.send("POST", "/api/v1/flows/\(Self.flow)/run")
        #expect(run.status == 200 && run.object["status"] as? String == "succeeded", "\(run.text.prefix(1500))")

        // The contacts are in NetSuite — read there directly — and none with an empty LastName.
        let contacts = try await d.soql("SELECT Id, Email, FirstName, LastName FROM Contact")
        let qualifying = contacts.filter { !$0.text("LastName").isEmpty }
        #expect(qualifying.count > 20 && qualifying.count < contacts.count, "the seed has contacts with and without a LastName")
        let counts = run.object["counts"] as? [String: Any] ?? [:]
        #expect(counts["created"] as? Int == qualifying.count && counts["failed"] as? Int == 0, "\(counts)")
        let rows = try await d.suiteQL("SELECT id, email, firstname, lastname, custentity_sf_contact_id FROM contact WHERE custentity_sf_contact_id IS NOT NULL")
        let bySF = Dictionary(grouping: rows, by: { $0.text("custentity_sf_contact_id") })
        #expect(Set(bySF.keys) == Set(qualifying.map { $0.text("Id") }), "exactly the contacts with a LastName")
        #expect(bySF.values.allSatisfy { $0.count == 1 }, "none twice")
        #expect(rows.allSatisfy { !$0.text("lastname").isEmpty }, "none with an empty LastName")
        for c in qualifying {
            let n = bySF[c.text("Id")]?.first ?? [:]
            #expect(n.text("email") == c.text("Email") && n.text("firstname") == c.text("FirstName") && n.text("lastname") == c.text("LastName"))
        }

        // An edit through PUT is checked the same way and kept.
        var edited = Self.flowBody
        edited["description"] = "edited through the API"
        let put = try await service.send("PUT", "/api/v1/flows/\(Self.flow)", json: edited)
        #expect(put.status == 200 && put.object["description"] as? String == "edited through the API", "\(put.text)")

        // Restart: the connections (and their credentials), the model and the flow are still there.
        service.process.terminate()
        #expect(try await service.process.wait(within: 60) == 0)
        let again = try await d.serve()
        defer { again.process.terminate() }
        let listed = try await again.send("GET", "/api/v1/connections")
        let names = Set((listed.object["items"] as? [[String: Any]] ?? []).filter { $0["origin"] as? String == "api" && $0["credentials_stored"] as? Bool == true }
            .compactMap { $0["name"] as? String })
        #expect(names == ["salesforce", "netsuite"], "\(listed.text)")
        #expect(try await again.send("GET", "/api/v1/connections/salesforce").object["status"] as? String == "connected")
        #expect(try await again.send("GET", "/api/v1/connections/netsuite/schema").object["status"] as? String == "ready", "the schema cache survives")
        let models = try await again.send("GET", "/api/v1/models")
        #expect((models.object["items"] as? [[String: Any]])?.first?["fields"] as? [String] == ["Email", "FirstName", "LastName"], "\(models.text)")
        let shown = try await again.send("GET", "/api/v1/flows/\(Self.flow)")
        #expect(shown.status == 200 && shown.object["description"] as? String == "edited through the API", "\(shown.text)")
        let second = try await again.send("POST", "/api/v1/flows/\(Self.flow)/run")
        let c2 = second.object["counts"] as? [String: Any] ?? [:]
        #expect(second.status == 200 && c2["created"] as? Int == 0 && c2["failed"] as? Int == 0, "\(second.text.prefix(800))")
        #expect(try await again.send("GET", "/api/v1/flows/\(Self.flow)/runs").object["items"].map { ($0 as? [Any])?.count } == 2)

        // Removing: in-use things are refused (409), then the flow, the model and the connection go.
        #expect(try await again.send("DELETE", "/api/v1/models/sf-contacts").status == 409)
        #expect(try await again.send("DELETE", "/api/v1/connections/netsuite").status == 409)
        #expect(try await again.send("DELETE", "/api/v1/flows/\(Self.flow)").status == 200)
        #expect(try await again.send("GET", "/api/v1/flows/\(Self.flow)").status == 404)
        #expect(try await again.send("DELETE", "/api/v1/models/sf-contacts").status == 200)
        #expect(try await again.send("DELETE", "/api/v1/connections/netsuite").status == 200)
        #expect(try await again.send("GET", "/api/v1/connections/netsuite").status == 404)
    }

    func checkSetupErrors(_ service: RunningService, _ d: SetupDeployment) async throws {
        func expect4xx(_ r: TestResponse, _ status: Int, field: String?, _ words: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(r.status == status && r.errorField == field && r.errorMessage.contains(words), "\(r.status) \(r.text)", sourceLocation: sourceLocation)
        }
        let settings: [String: Any] = ["base_url": d.urls["netsuite"]!.absoluteString, "account_id": NetSuiteDemoCredentials.accountId]
        let tba = try SetupDeployment.json(.netsuiteTBA(d.netsuiteTBA))
        expect4xx(try await service.send("POST", "/api/v1/connections", json: ["name": "x", "plugin": "com.nosuch", "settings": settings]),
                  400, field: "plugin", "com.nosuch")
        expect4xx(try await service.send("POST", "/api/v1/connections", json: ["name": "ns2", "plugin": "com.hubspot", "settings": [:]]),
                  400, field: "plugin", "not enabled")
        expect4xx(try await service.send("POST", "/api/v1/connections", json: ["name": "netsuite", "plugin": "com.netsuite", "settings": settings, "credentials": tba]),
                  409, field: "name", "already exists")
        expect4xx(try await service.send("POST", "/api/v1/connections", json: ["name": "Bad Name", "plugin": "com.netsuite", "settings": settings]),
                  400, field: "name", "a-z")
        expect4xx(try await service.send("POST", "/api/v1/connections", json: ["name": "ns3", "plugin": "com.netsuite", "settings": ["base_url": 5]]),
                  400, field: "settings.base_url", "base_url")
        let wrongScheme = try await service.send("POST", "/api/v1/connections", json: [
            "name": "ns4", "plugin": "com.netsuite", "settings": settings, "credentials": ["scheme": "basic", "parameters": ["username": "u", "password": "hunter2-secret"]],
        ])
        expect4xx(wrongScheme, 400, field: "credentials.scheme", "basic")
        #expect(!wrongScheme.text.contains("hunter2-secret"))
        let badCredentials = try await service.send("POST", "/api/v1/connections", json: [
            "name": "ns5", "plugin": "com.netsuite", "settings": settings, "credentials": ["scheme": "netsuite_tba", "parameters": ["consumerSecret": "hunter3-secret"]],
        ])
        expect4xx(badCredentials, 400, field: "credentials", "credentials")
        #expect(!badCredentials.text.contains("hunter3-secret"))
        expect4xx(try await service.send("GET", "/api/v1/connections/nosuch/schema"), 404, field: "connection", "nosuch")
        expect4xx(try await service.send("GET", "/api/v1/connections/salesforce/objects/Contacts"), 404, field: "object", "Contacts")

        expect4xx(try await service.send("POST", "/api/v1/models", json: ["name": "m1", "connection": "salesforce", "object": "Contact", "fields": ["Email", "Emial"]]),
                  400, field: "fields[1]", "did you mean \"Email\"")
        expect4xx(try await service.send("POST", "/api/v1/models", json: ["name": "m2", "connection": "salesforce", "object": "Contactt", "fields": ["Email"]]),
                  400, field: "object", "Contactt")
        expect4xx(try await service.send("POST", "/api/v1/models", json: ["name": "sf-contacts", "connection": "salesforce", "object": "Contact", "fields": ["Email"]]),
                  409, field: "name", "already exists")
        expect4xx(try await service.send("POST", "/api/v1/models", json: ["name": "m3", "connection": "salesforce", "object": "Contact"]),
                  400, field: "fields", "required")

        // A flow reading a field its model does not choose, writing one NetSuite does not have, or naming no known model.
        var badSource = Self.flowBody
        badSource["targets"] = [["name": "contact", "connection": "netsuite", "object": "contact", "mapping": "email = Email\nphone = Phone\n"]]
        let r1 = try await service.send("POST", "/api/v1/flows", json: badSource)
        expect4xx(r1, 400, field: "targets[0].mapping", "Phone")
        var badTarget = Self.flowBody
        badTarget["targets"] = [["name": "contact", "connection": "netsuite", "object": "contact", "mapping": "emial = Email\n"]]
        expect4xx(try await service.send("POST", "/api/v1/flows", json: badTarget), 400, field: "targets[0].mapping", "emial")
        // A mapping that does not parse: the answer names the field and the line and column of the mistake.
        var badSyntax = Self.flowBody
        badSyntax["targets"] = [["name": "contact", "connection": "netsuite", "object": "contact", "mapping": "email = Email\nfirstName = FirstName )\n"]]
        let r2 = try await service.send("POST", "/api/v1/flows", json: badSyntax)
        expect4xx(r2, 400, field: "targets[0].mapping", "line 2, column 23")
        var noModel = Self.flowBody
        noModel["source"] = ["model": "nosuch"]
        expect4xx(try await service.send("POST", "/api/v1/flows", json: noModel), 400, field: "source.model", "nosuch")
        var unknownKey = Self.flowBody
        unknownKey["critera"] = "true"
        expect4xx(try await service.send("POST", "/api/v1/flows", json: unknownKey), 400, field: "critera", "did you mean \"criteria\"")
        expect4xx(try await service.send("POST", "/api/v1/flows", raw: #"{"name": "x", "source": "#), 400, field: nil, "malformed JSON")
        expect4xx(try await service.send("PUT", "/api/v1/flows/nosuch", json: Self.flowBody.merging(["name": "nosuch"]) { $1 }), 404, field: "flow", "nosuch")
    }

    @Test("SIGHUP re-reads the config file: a new connection and flow take effect, a run in flight finishes first, a changed flow is used by the next run, a removed one stops; a broken file is refused, its problems logged, the old config kept")
    func reloadOnSIGHUP() async throws {
        let d = try await SetupDeployment.start(seed: 30)
        defer { d.sandbox.terminate() }
        let service = try await d.serve()
        defer { service.process.terminate() }
        #expect((try await service.send("GET", "/api/v1/flows").object["items"] as? [Any])?.isEmpty == true)

        // A NetSuite connection and a flow over it; its criteria take no record, so a run reads and writes nothing.
        let connection = """
            connections:
              netsuite:
                connector: com.netsuite
                settings: {base_url: "\(d.urls["netsuite"]!.absoluteString)", account_id: "\(NetSuiteDemoCredentials.accountId)"}

            """
        func flows(_ mapping: String) -> String {
            """
            flows:
              ns-copy:
                source: {connection: netsuite, object: contact}
                criteria: 'lastName == "nobody-is-called-this"'
                targets:
                  - {name: contact, connection: netsuite, object: contact, mode: upsert, match_keys: [{external_id: custentity_sf_contact_id}],
                     mapping: "\(mapping)"}

            """
        }
        try d.write(SetupDeployment.header() + connection + flows("title = title"))
        service.process.signal(SIGHUP)
        _ = try await service.process.line(containing: "config reloaded", within: 30)
        let shown = try await service.send("GET", "/api/v1/flows/ns-copy")
        #expect(shown.status == 200 && shown.object["origin"] as? String == "config", "\(shown.text)")
        #expect(((shown.object["targets"] as? [[String: Any]])?.first?["mapping"] as? String)?.contains("title = title") == true)
        // Its credentials, stored by the CLI (another process, the same store) once the connection exists.
        let add = try CrosswalkProcess.run(["connections", "add", "netsuite", "--config", d.config],
                                           stdin: String(decoding: try JSONEncoder().encode(Credentials.netsuiteTBA(d.netsuiteTBA)), as: UTF8.self))
        #expect(add.status == 0, "\(add.stderr)")
        #expect(try await service.send("POST", "/api/v1/connections/netsuite/test").object["ok"] as? Bool == true)

        // A broken file: refused, its problems logged, the old config kept.
        try d.write(SetupDeployment.header() + connection + flows("title = = title"))
        service.process.signal(SIGHUP)
        let refused = try await service.process.line(containing: "reload refused", within: 30)
        #expect(refused.contains("flows.ns-copy.targets[0].mapping"), "\(refused)")
        #expect(try await service.send("GET", "/api/v1/flows/ns-copy").status == 200, "the old flow is kept")
        try d.write("version: 1\nplugins: [nonsense\n")
        service.process.signal(SIGHUP)
        _ = try await service.process.line(containing: "reload refused", within: 30)
        #expect(try await service.send("GET", "/api/v1/flows/ns-copy").status == 200)

        // A run in flight finishes first: slow NetSuite down, start a run, change the flow and reload meanwhile.
        let faults = URL(string: d.urls["netsuite"]!.absoluteString + "/__sandbox/faults")!
        #expect(try await TestHTTP.send("POST", faults, json: ["latency_ms": 3000]).status == 200)
        let running = Task { try await service.send("POST", "/api/v1/flows/ns-copy/run") }
        try await eventually("the run is in flight", within: 30) {
            try await service.send("GET", "/api/v1/flows/ns-copy").object["running"] as? Bool == true
        }
        try d.write(SetupDeployment.header() + connection + flows("title = \\\"reloaded\\\""))
        service.process.signal(SIGHUP)
        _ = try await service.process.line(containing: "config reloaded", within: 30)
        #expect(try await service.send("GET", "/api/v1/flows/ns-copy").object["running"] as? Bool == true, "the reload did not stop the run")
        let report = try await running.value
        #expect(report.status == 200 && report.object["status"] as? String == "succeeded", "\(report.text.prefix(600))")
        #expect(try await TestHTTP.send("DELETE", faults).status == 200)
        let changed = try await service.send("GET", "/api/v1/flows/ns-copy")
        #expect(((changed.object["targets"] as? [[String: Any]])?.first?["mapping"] as? String)?.contains("reloaded") == true, "\(changed.text)")

        // Removed from the file: gone after the reload.
        try d.write(SetupDeployment.header() + connection)
        service.process.signal(SIGHUP)
        _ = try await service.process.line(containing: "config reloaded", within: 30)
        #expect(try await service.send("GET", "/api/v1/flows/ns-copy").status == 404)
        #expect(try await service.send("GET", "/api/v1/connections/netsuite").status == 200)
        // The same over the API.
        let viaAPI = try await service.send("POST", "/api/v1/reload")
        #expect(viaAPI.status == 200 && viaAPI.object["reloaded"] as? Bool == true, "\(viaAPI.text)")
    }
}
