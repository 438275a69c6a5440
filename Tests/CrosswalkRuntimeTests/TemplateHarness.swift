import CrosswalkAuth
import CrosswalkCore
import CrosswalkEngine
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkStore
import CrosswalkTestKit
import Foundation
import Logging

/// A flow template as a user runs it: the five emulators on loopback, the template's crosswalk.yaml
/// written by `FlowTemplate.deployment`, a ``HostRuntime`` over it (the real plugins beside the
/// built `crosswalk`, in their worker processes; a real SQLite file), the sandbox credentials in the
/// vault, and the flows run through ``FlowService``. The apps are inspected over their own APIs
/// with requests the host signs (`ConnectionContext.send`), not through the plugins under test.
struct TemplateHarness {
    let sandbox: RunningSandbox
    let runtime: HostRuntime
    let flows: FlowService
    let dir: URL

    static func with<T>(_ templates: [FlowTemplate], seed: Int, _ body: (TemplateHarness) async throws -> T) async throws -> T {
        try await RunningSandbox.with({ SandboxApps.all(webhooks: $0) }, configure: { $0.seedCount = seed }) { sandbox in
            let dir = try TestFiles.temporaryFolder("template")
            defer { try? FileManager.default.removeItem(at: dir) }
            let config = dir.appendingPathComponent("crosswalk.yaml")
            try Data(FlowTemplate.deployment(templates, urls: sandbox.urls).utf8).write(to: config)
            try VaultKeys.writeNewKey(toFile: dir.appendingPathComponent("vault.key").path)
            var logger = Logger(label: "template-test")
            logger.logLevel = .error
            let runtime = try await HostRuntime.open(RuntimeOptions(configPath: config.path, workingDirectory: dir.path,
                                                                    executableFolder: TestFiles.binFolder.path), logger: logger)
            do {
                for template in templates {
                    for (name, credentials) in template.credentials(urls: sandbox.urls) { try await runtime.vault.store(credentials, name: name) }
                }
                let h = TemplateHarness(sandbox: sandbox, runtime: runtime, flows: FlowService(runtime: runtime), dir: dir)
                let result = try await body(h)
                await runtime.close()
                return result
            } catch {
                await runtime.close()
                throw error
            }
        }
    }

    /// Runs a flow; fails the test's expectations with the report's text where it throws.
    func run(_ flow: String) async throws -> RunReport { try await flows.run(flow) }

    /// Waits (a readiness check, not a fixed delay) until every app's clock, as its `Date` header shows
    /// it, is three seconds past this machine's current second: a change made now is then older than the
    /// connectors' settle margins (1 s; reads end a second before the app's clock), so the next run reads it.
    /// The header, not the local clock: a server may cache it for up to a second (Hummingbird's DateCache does).
    func untilSettled() async throws {
        let target = Date().timeIntervalSince1970.rounded(.down) + 3
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        for (app, url) in sandbox.urls.sorted(by: { $0.key < $1.key }) where ["salesforce", "netsuite", "spotio"].contains(app) {
            try await eventually("\(app)'s Date header passing the settle margin", within: 30) {
                let r = try await TestHTTP.send("GET", url.appendingPathComponent("__sandbox/counters"))
                guard let date = r.headers["date"].flatMap(f.date(from:)) else { return false }
                return date.timeIntervalSince1970 >= target
            }
        }
    }

    // MARK: the apps over their own APIs

    /// A request signed by the host for connection `name`, answered as JSON.
    func api(_ name: String, _ method: String = "GET", _ path: String, json: Any? = nil, headers: HTTPFields = [:]) async throws -> Any {
        let context = try await runtime.context(for: name)
        let base = sandbox.urls[name]!.absoluteString
        var h = headers
        if json != nil { h.append("Content-Type", "application/json") }
        let body = try json.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let r = try await context.send(HTTPRequest(method: method, url: base + path, headers: h, body: body))
        guard (200..<300).contains(r.status) else {
            throw TestKitError(description: "\(method) \(path) answered \(r.status): \(String(decoding: r.body, as: UTF8.self))")
        }
        return r.body.isEmpty ? [:] : try JSONSerialization.jsonObject(with: r.body)
    }

    /// Every row of a SOQL query (following `nextRecordsUrl`).
    func soql(_ query: String) async throws -> [[String: Any]] {
        var rows: [[String: Any]] = []
        var path = "/services/data/v60.0/query?q=" + query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        while true {
            let page = try await api("salesforce", "GET", path) as? [String: Any] ?? [:]
            rows += page["records"] as? [[String: Any]] ?? []
            guard let next = page["nextRecordsUrl"] as? String else { return rows }
            path = next
        }
    }

    /// Every row of a SuiteQL query.
    func suiteQL(_ query: String) async throws -> [[String: Any]] {
        var rows: [[String: Any]] = []
        var offset = 0
        while true {
            let page = try await api("netsuite", "POST", "/services/rest/query/v1/suiteql?limit=1000&offset=\(offset)", json: ["q": query],
                                     headers: ["Prefer": "transient"]) as? [String: Any] ?? [:]
            let items = page["items"] as? [[String: Any]] ?? []
            rows += items
            guard page["hasMore"] as? Bool == true else { return rows }
            offset += items.count
        }
    }

    /// A path call to the app of connection `name` (a PATCH of one record…).
    @discardableResult
    func change(_ name: String, _ method: String, _ path: String, _ json: Any) async throws -> Any {
        try await api(name, method, path, json: json)
    }
}

extension Dictionary where Key == String, Value == Any {
    /// A field as text ("" for null or missing; numbers as written).
    func text(_ key: String) -> String {
        switch self[key] {
        case let s as String: s
        case let n as NSNumber: n.stringValue
        default: ""
        }
    }
}
