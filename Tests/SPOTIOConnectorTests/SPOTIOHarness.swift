import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Logging
import Testing

/// A host as `crosswalk` assembles it (``HostRuntime``: real SQLite store, vault, libcurl transport) with the BUILT
/// `libCrosswalkSPOTIO.so` loaded through the real loader, connected with SPOTIO's API key (token exchange at
/// `/api/users/apitoken`) to a SPOTIO emulator running in this process.
struct SPOTIOHarness {
    let sandbox: RunningSandbox
    let runtime: HostRuntime
    let plugin: LoadedPlugin
    let logs: LogRecorder
    let spotio = SpotioApp.demoCredentials

    var baseURL: String { sandbox.urls["spotio"]!.absoluteString }

    /// Starts the emulator (`seed` leads…), a host over temporary files, and runs `body`.
    static func with<T>(seed: Int = 0, _ body: (SPOTIOHarness) async throws -> T) async throws -> T {
        try await RunningSandbox.with({ [SpotioApp(environment: $0.environment(for: "spotio"))] },
                                      configure: { $0.seedCount = seed }) { sandbox in
            let dir = try TestFiles.temporaryFolder("spotio-connector")
            defer { try? FileManager.default.removeItem(at: dir) }
            let (logger, logs) = LogRecorder.logger()
            let key = dir.appendingPathComponent("vault.key").path
            try VaultKeys.writeNewKey(toFile: key)
            let config = DeploymentConfig(plugins: PluginsConfig(paths: [], enabled: ["com.spotio"]),
                                          store: .sqlite(path: dir.appendingPathComponent("crosswalk.db").path), vault: .keyFile(key),
                                          connections: [:])
            let runtime = try await HostRuntime.open(
                Deployment(config: config, file: "test", options: RuntimeOptions(executableFolder: TestFiles.binFolder.path)), logger: logger)
            do {
                let plugin = try PluginLoader(logger: logger).load(path: TestFiles.builtPlugin("CrosswalkSPOTIO"))
                let result = try await body(SPOTIOHarness(sandbox: sandbox, runtime: runtime, plugin: plugin, logs: logs))
                await runtime.close()
                return result
            } catch {
                await runtime.close()
                throw error
            }
        }
    }

    /// A connector instance of a connection named `name` (SPOTIO's API key in the vault), with extra settings.
    func connector(_ name: String = "spotio", secret: String? = nil, settings extra: [String: ConfigValue] = [:]) async throws -> PluginConnectorClient {
        let credentials = Credentials.tokenExchange(TokenExchangeCredentials(
            url: baseURL + "/api/users/apitoken", bodyTemplate: #"{"clientId":"{{clientId}}","secret":"{{secret}}"}"#,
            values: ["clientId": spotio.clientId, "secret": secret ?? spotio.secret], tokenField: "accessToken"))
        try await runtime.vault.store(credentials, name: name)
        var settings: [String: ConfigValue] = ["base_url": .string(baseURL), "settle_seconds": 1, "bulk_poll_ms": 20]
        for (k, v) in extra { settings[k] = v }
        return try await runtime.client(for: ConnectionConfig(name: name, connector: plugin.id, settings: .object(settings)), plugin: plugin)
    }

    // MARK: the emulator, straight over HTTP

    func control(_ path: String, _ body: [String: Any]? = nil, method: String = "POST") async throws -> [String: Any] {
        let r = try await TestHTTP.send(method, sandbox.url("spotio", "/__sandbox/" + path), json: body)
        guard (200..<300).contains(r.status) else { throw TestKitError(description: "control \(path) answered \(r.status): \(r.text)") }
        return r.object
    }

    /// Calls the emulator saw per route ("POST /api/DataObjects").
    func counters() async throws -> [String: Int] {
        try await control("counters", method: "GET")["by_route"] as? [String: Int] ?? [:]
    }

    func resetCounters() async throws { _ = try await control("counters/reset") }

    /// Calls to SPOTIO's API other than minting tokens.
    func apiCalls() async throws -> Int {
        try await counters().filter { !$0.key.contains("/api/users/apitoken") && !$0.key.contains("/__sandbox") }.values.reduce(0, +)
    }

    /// A bearer token for changes made "by someone else" in the tenant during a test.
    func token() async throws -> String {
        let r = try await TestHTTP.send("POST", sandbox.url("spotio", "/api/users/apitoken"),
                                        json: ["clientId": spotio.clientId, "secret": spotio.secret])
        guard let token = r.object["accessToken"] as? String else { throw TestKitError(description: "no token: \(r.text)") }
        return token
    }

    /// A call to SPOTIO's API as another client would make it.
    @discardableResult
    func api(_ method: String, _ path: String, _ body: Any? = nil, token: String) async throws -> TestResponse {
        try await TestHTTP.send(method, sandbox.url("spotio", path), json: body, headers: ["Authorization": "Bearer \(token)"])
    }

    /// Creates a lead (type 1) through the API; its id.
    @discardableResult
    func createLead(email: String, company: String = "Acme", stageId: Int = 11, updatedAt: String? = nil, token: String) async throws -> String {
        var request: [String: Any] = ["typeId": 1, "stageId": stageId,
                                      "fields": [["fieldId": "101", "value": company], ["fieldId": "104", "value": email]]]
        if let updatedAt { request["createdAt"] = updatedAt; request["updatedAt"] = updatedAt }
        let r = try await api("POST", "/api/DataObjects", ["dataObject": request], token: token)
        guard r.status == 200, let id = r.object["id"] as? String else { throw TestKitError(description: "create lead: \(r.status) \(r.text)") }
        return id
    }

    /// Replaces a lead's company name (a JSON Patch).
    func renameLead(_ id: String, company: String, token: String) async throws {
        let r = try await api("PATCH", "/api/DataObjects/\(id)/jsonp", [["op": "replace", "path": "/fields/101", "value": company]], token: token)
        guard r.status == 200 else { throw TestKitError(description: "patch lead: \(r.status) \(r.text)") }
    }

    func deleteLead(_ id: String, token: String) async throws {
        let r = try await api("DELETE", "/api/DataObjects/\(id)", token: token)
        guard r.status == 200 else { throw TestKitError(description: "delete lead: \(r.status) \(r.text)") }
    }

    /// Waits (a readiness check on the emulator's clock, not a fixed delay) until changes stamped now are older than
    /// the connector's settle margin (1 s in these tests) by SPOTIO's own clock: the `Date` header the connector
    /// takes its upper bound from (whole seconds, and the server's cached date can trail the wall clock).
    func waitUntilSettled() async throws {
        let target = Date().timeIntervalSince1970 + 1.0
        let health = sandbox.url("spotio", "/__sandbox/health")
        try await eventually("the tenant's clock passing the settle margin", within: 10) {
            let r = try await TestHTTP.send("GET", health)
            let header = r.headers.first { $0.key.lowercased() == "date" }?.value ?? ""
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            guard let date = f.date(from: header) else { return false }
            return date.timeIntervalSince1970 - 1 >= target
        }
    }
}

/// Reads every page from `cursor` (the host's paged read), returning the records and the last cursor.
func readAll(_ client: any ConnectorClient, _ request: ReadRequest) async throws -> (records: [ConnectorRecord], cursor: JSONValue?, pages: Int) {
    var records: [ConnectorRecord] = []
    let outcome = try await PagedRead(request: request, all: true).run(client) { _, page in records += page.records }
    return (records, outcome.nextCursor, outcome.pages)
}

/// `2024-05-01T09:30:00.000Z`.
func isoDate(_ date: Date) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return f.string(from: date)
}
