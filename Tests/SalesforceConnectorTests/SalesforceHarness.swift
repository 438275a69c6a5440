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

/// A host as `crosswalk` assembles it (``HostRuntime``: real SQLite store, vault, libcurl transport)
/// with the BUILT `libCrosswalkSalesforce.so` loaded through the real loader, connected with OAuth 2.0
/// client credentials to a Salesforce emulator running in this process.
struct SalesforceHarness {
    let sandbox: RunningSandbox
    let runtime: HostRuntime
    let plugin: LoadedPlugin
    let logs: LogRecorder
    let sf = SalesforceApp.demoCredentials

    var baseURL: String { sandbox.urls["salesforce"]!.absoluteString }

    /// Starts the emulator (`seed` accounts and their contacts…), a host over temporary files, and runs `body`.
    static func with<T>(seed: Int = 0, _ body: (SalesforceHarness) async throws -> T) async throws -> T {
        try await RunningSandbox.with({ [SalesforceApp(environment: $0.environment(for: "salesforce"))] },
                                      configure: { $0.seedCount = seed }) { sandbox in
            let dir = try TestFiles.temporaryFolder("salesforce-connector")
            defer { try? FileManager.default.removeItem(at: dir) }
            let (logger, logs) = LogRecorder.logger()
            let key = dir.appendingPathComponent("vault.key").path
            try VaultKeys.writeNewKey(toFile: key)
            let config = DeploymentConfig(plugins: PluginsConfig(paths: [], enabled: ["com.salesforce"]),
                                          store: .sqlite(path: dir.appendingPathComponent("crosswalk.db").path), vault: .keyFile(key),
                                          connections: [:])
            let runtime = try await HostRuntime.open(
                Deployment(config: config, file: "test", options: RuntimeOptions(executableFolder: TestFiles.binFolder.path)), logger: logger)
            do {
                let plugin = try PluginLoader(logger: logger).load(path: TestFiles.builtPlugin("CrosswalkSalesforce"))
                let h = SalesforceHarness(sandbox: sandbox, runtime: runtime, plugin: plugin, logs: logs)
                let result = try await body(h)
                await runtime.close()
                return result
            } catch {
                await runtime.close()
                throw error
            }
        }
    }

    /// A connector instance of a connection named `name` (client-credentials OAuth in the vault), with extra settings.
    func connector(_ name: String = "sf", settings extra: [String: ConfigValue] = [:]) async throws -> PluginConnectorClient {
        let credentials = Credentials.oauth2(OAuth2Credentials(
            flow: .clientCredentials, clientID: sf.clientID, clientSecret: sf.clientSecret, clientAuthentication: .basic,
            tokenURL: baseURL + "/services/oauth2/token"))
        try await runtime.vault.store(credentials, name: name)
        var settings: [String: ConfigValue] = ["base_url": .string(baseURL), "settle_seconds": 1]
        for (k, v) in extra { settings[k] = v }
        return try await runtime.client(for: ConnectionConfig(name: name, connector: plugin.id, settings: .object(settings)), plugin: plugin)
    }

    // MARK: the emulator, straight over HTTP

    func control(_ path: String, _ body: [String: Any]? = nil, method: String = "POST") async throws -> [String: Any] {
        let r = try await TestHTTP.send(method, sandbox.url("salesforce", "/__sandbox/" + path), json: body)
        guard (200..<300).contains(r.status) else { throw TestKitError(description: "control \(path) answered \(r.status): \(r.text)") }
        return r.object
    }

    /// `count` records of `object` sharing one SystemModstamp, `secondsAgo` in the past; their ids.
    @discardableResult
    func bulkCreate(_ object: String, count: Int, secondsAgo: Int = 3600) async throws -> [String] {
        let stamp = salesforceDateTime(Date().addingTimeInterval(-Double(secondsAgo)))
        let answer = try await control("app/bulk_create", ["object": object, "count": count, "systemModstamp": stamp])
        return answer["ids"] as? [String] ?? []
    }

    /// Calls the emulator saw per route ("GET /services/data/v60.0/query").
    func counters() async throws -> [String: Int] {
        try await control("counters", method: "GET")["by_route"] as? [String: Int] ?? [:]
    }

    func resetCounters() async throws { _ = try await control("counters/reset") }

    /// SOQL query calls (first pages and `nextRecordsUrl` pages).
    func queryCalls() async throws -> Int {
        try await counters().filter { $0.key.hasPrefix("GET /services/data/v60.0/query") || $0.key.hasPrefix("GET /services/data/v60.0/queryAll") }.values.reduce(0, +)
    }

    /// A bearer token for changes made "by someone else" in the org during a test.
    func token() async throws -> String {
        let form = "grant_type=client_credentials&client_id=\(sf.clientID)&client_secret=\(sf.clientSecret)"
        let r = try await TestHTTP.send("POST", sandbox.url("salesforce", "/services/oauth2/token"), form: form)
        guard let token = r.object["access_token"] as? String else { throw TestKitError(description: "no token: \(r.text)") }
        return token
    }

    /// A REST call to the org as another client would make it.
    @discardableResult
    func rest(_ method: String, _ path: String, _ body: Any? = nil, token: String) async throws -> TestResponse {
        try await TestHTTP.send(method, sandbox.url("salesforce", "/services/data/v60.0/" + path), json: body,
                                headers: ["Authorization": "Bearer \(token)"])
    }

    /// Creates a record through REST; its id.
    func create(_ object: String, _ fields: [String: Any], token: String) async throws -> String {
        let r = try await rest("POST", "sobjects/\(object)/", fields, token: token)
        guard r.status == 201, let id = r.object["id"] as? String else { throw TestKitError(description: "create \(object): \(r.status) \(r.text)") }
        return id
    }

    /// Waits (a readiness check on the clock, not a fixed delay) until changes stamped now are
    /// older than the connector's settle margin (1 s in these tests), so the next run reads them.
    func waitUntilSettled() async throws {
        // The connector's view of the org's clock comes from the `Date` header: whole seconds, and the emulator's server
        // caches it for up to a second, so it may trail this clock by up to 2 s; its reads end 1 s before it.
        let target = Date().timeIntervalSince1970.rounded(.down) + 4
        try await eventually("the org's clock passing the settle margin", within: 6) { Date().timeIntervalSince1970 >= target }
    }
}

/// Reads every page from `cursor` (the host's paged read), returning the records and the last cursor.
func readAll(_ client: any ConnectorClient, _ request: ReadRequest) async throws -> (records: [ConnectorRecord], cursor: JSONValue?, pages: Int) {
    var records: [ConnectorRecord] = []
    let outcome = try await PagedRead(request: request, all: true).run(client) { _, page in records += page.records }
    return (records, outcome.nextCursor, outcome.pages)
}

/// Record ids in order, and whether any repeats.
func ids(_ records: [ConnectorRecord]) -> [String] { records.map(\.id) }

/// `2024-05-01T09:30:00.000+0000`, whole seconds, as Salesforce writes datetimes.
func salesforceDateTime(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.000+0000", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
}
