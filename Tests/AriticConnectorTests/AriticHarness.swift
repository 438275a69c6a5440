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
/// `libCrosswalkAritic.so` loaded through the real loader, connected with the demo API user (HTTP basic auth) to an
/// Aritic emulator running in this process.
struct AriticHarness {
    let sandbox: RunningSandbox
    let runtime: HostRuntime
    let plugin: LoadedPlugin
    /// The emulator itself, for state a test cannot make through the API (many records sharing one second).
    let app: AriticApp
    let user = AriticApp.demoCredentials.dictionary["username"] ?? ""
    let password = AriticApp.demoCredentials.dictionary["password"] ?? ""

    var baseURL: String { sandbox.urls["aritic"]!.absoluteString }

    static func with<T>(seed: Int = 0, _ body: (AriticHarness) async throws -> T) async throws -> T {
        var made: AriticApp?
        return try await RunningSandbox.with({ dispatcher in
            let app = AriticApp(environment: dispatcher.environment(for: "aritic"))
            made = app
            return [app]
        },
                                      configure: { $0.seedCount = seed }) { sandbox in
            let dir = try TestFiles.temporaryFolder("aritic-connector")
            defer { try? FileManager.default.removeItem(at: dir) }
            let (logger, _) = LogRecorder.logger()
            let key = dir.appendingPathComponent("vault.key").path
            try VaultKeys.writeNewKey(toFile: key)
            let config = DeploymentConfig(plugins: PluginsConfig(paths: [], enabled: ["com.aritic"]),
                                          store: .sqlite(path: dir.appendingPathComponent("crosswalk.db").path), vault: .keyFile(key),
                                          connections: [:])
            let runtime = try await HostRuntime.open(
                Deployment(config: config, file: "test", options: RuntimeOptions(executableFolder: TestFiles.binFolder.path)), logger: logger)
            do {
                let plugin = try PluginLoader(logger: logger).load(path: TestFiles.builtPlugin("CrosswalkAritic"))
                guard let app = made else { throw TestKitError(description: "the sandbox did not make the Aritic app") }
                let result = try await body(AriticHarness(sandbox: sandbox, runtime: runtime, plugin: plugin, app: app))
                await runtime.close()
                return result
            } catch {
                await runtime.close()
                throw error
            }
        }
    }

    /// A connector instance of a connection named `name` (the API user's basic credentials in the vault).
    func connector(_ name: String = "aritic", password: String? = nil, settings extra: [String: ConfigValue] = [:]) async throws -> PluginConnectorClient {
        try await runtime.vault.store(.basic(BasicCredentials(username: user, password: password ?? self.password)), name: name)
        var settings: [String: ConfigValue] = ["base_url": .string(baseURL)]
        for (k, v) in extra { settings[k] = v }
        return try await runtime.client(for: ConnectionConfig(name: name, connector: plugin.id, settings: .object(settings)), plugin: plugin)
    }

    // MARK: the emulator, straight over HTTP

    func control(_ path: String, _ body: [String: Any]? = nil, method: String = "POST") async throws -> [String: Any] {
        let r = try await TestHTTP.send(method, sandbox.url("aritic", "/__sandbox/" + path), json: body)
        guard (200..<300).contains(r.status) else { throw TestKitError(description: "control \(path) answered \(r.status): \(r.text)") }
        return r.object
    }

    /// Calls the emulator saw per route ("POST /api/contacts/batch/new").
    func counters() async throws -> [String: Int] {
        try await control("counters", method: "GET")["by_route"] as? [String: Int] ?? [:]
    }

    func resetCounters() async throws { _ = try await control("counters/reset") }

    /// A call to Aritic's API as another client of the instance would make it.
    @discardableResult
    func api(_ method: String, _ path: String, _ body: Any? = nil) async throws -> TestResponse {
        let basic = Data("\(user):\(password)".utf8).base64EncodedString()
        return try await TestHTTP.send(method, sandbox.url("aritic", path), json: body, headers: ["Authorization": "Basic \(basic)"])
    }

    /// Creates a contact; its id.
    @discardableResult
    func createContact(email: String, firstname: String = "Ada") async throws -> String {
        let r = try await api("POST", "/api/contacts/new", ["email": email, "firstname": firstname])
        guard (200..<300).contains(r.status), let contact = r.object["contact"] as? [String: Any], let id = contact["id"] as? Int else {
            throw TestKitError(description: "create contact: \(r.status) \(r.text)")
        }
        return String(id)
    }

    /// Stamps every contact's `dateModified` with one second (through the emulator's state export and import:
    /// the API stamps each call's records with the call's own time, and a batch holds at most 200).
    func stampAllContacts(modified: Date) async throws {
        let data = await app.exportState()
        guard var state = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              var contacts = state["contacts"] as? [String: Any] else { throw TestKitError(description: "unexpected Aritic state") }
        // Int-keyed dictionaries encode with string keys (CodingKeyRepresentable).
        for (key, value) in contacts {
            guard var record = value as? [String: Any] else { continue }
            record["dateModified"] = modified.timeIntervalSince1970.rounded(.down)
            contacts[key] = record
        }
        state["contacts"] = contacts
        try await app.importState(try JSONSerialization.data(withJSONObject: state))
    }

    /// Creates `count` contacts through the batch API (200 a call); their ids.
    func createContacts(_ count: Int, prefix: String = "c") async throws -> [String] {
        var ids: [String] = []
        var start = 0
        while start < count {
            let n = min(200, count - start)
            let items = (start..<(start + n)).map { ["email": "\(prefix)\($0)@example.com", "firstname": "N\($0)"] }
            let r = try await api("POST", "/api/contacts/batch/new", items)
            guard r.status == 201, let list = r.object["contacts"] as? [[String: Any]] else {
                throw TestKitError(description: "batch new: \(r.status) \(r.text.prefix(300))")
            }
            ids += list.compactMap { ($0["id"] as? Int).map(String.init) }
            start += n
        }
        return ids
    }

    /// Waits (a readiness check on the instance's clock, not a fixed delay) until the instance's `Date` header is
    /// past the second after now: the connector's run bound (its clock less a second) then covers changes made now.
    func waitUntilSettled() async throws {
        let target = (Date().timeIntervalSince1970).rounded(.down) + 1
        let health = sandbox.url("aritic", "/__sandbox/health")
        try await eventually("the instance's clock passing the run bound", within: 10) {
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
