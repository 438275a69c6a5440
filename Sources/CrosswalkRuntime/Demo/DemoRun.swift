import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkHTTP
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkStore
import Foundation
import Logging

/// `crosswalk demo`: starts the sandbox in this process, keeps a store and a vault key in
/// `folder`, stores the demo credentials, and runs ``DemoFlow`` twice (HubSpot contacts → Aritic
/// contacts) through the generic JSON connector, on a ``HostRuntime`` built like any other.
public struct DemoRun: Sendable {
    public let folder: URL
    public let seed: Int
    public let options: RuntimeOptions

    public init(folder: URL, seed: Int, options: RuntimeOptions) {
        self.folder = folder
        self.seed = seed
        self.options = options
    }

    /// The generic connector the demo syncs through.
    static let probeID = "dev.crosswalk.httpprobe"

    /// Runs the demo; every line for the person watching goes to `say`.
    /// - Returns: whether it succeeded (the first run created records, the second none).
    public func run(logger: Logger, say: @escaping @Sendable (String) -> Void) async throws -> Bool {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        say("Crosswalk \(CrosswalkVersion.current) demo — HubSpot contacts → Aritic PinPoint contacts")

        say("1. Starting the sandbox (local emulators of the five APIs) with \(seed) companies per app…")
        let webhooks = SandboxWebhookDispatcher(logger: logger)
        let server = try SandboxServer(configuration: SandboxConfiguration(basePort: 0, tlsApps: [], seedCount: seed, handlesSignals: false),
                                       apps: SandboxApps.all(webhooks: webhooks), webhooks: webhooks, logger: logger)
        let (readiness, ready) = AsyncStream.makeStream(of: SandboxReadiness.self)
        let sandbox = Task { try await server.run { ready.yield($0) } }
        defer { sandbox.cancel() }
        var urls: [String: URL] = [:]
        for await r in readiness {
            urls = r.urls
            break
        }
        guard let hubspot = urls["hubspot"], let aritic = urls["aritic"] else {
            _ = try await sandbox.value
            throw CrosswalkError(.unavailable, "demo: the sandbox stopped before it was ready")
        }
        say("   HubSpot \(hubspot.absoluteString)   Aritic \(aritic.absoluteString)")

        say("2. Opening the store (\(folder.path)/crosswalk.db) and the vault (key in \(folder.path)/vault.key, mode 0600)…")
        let keyFile = folder.appendingPathComponent("vault.key").path
        if !FileManager.default.fileExists(atPath: keyFile) { try VaultKey.generate().write(toFile: keyFile) }
        let runtime = try await HostRuntime.open(deployment(hubspot: hubspot, aritic: aritic, keyFile: keyFile), logger: logger)
        do {
            let ok = try await run(runtime, hubspot: hubspot, aritic: aritic, say: say)
            await runtime.close()
            return ok
        } catch {
            await runtime.close()
            throw error
        }
    }

    /// The demo's deployment: two connections through the generic connector, SQLite and a key file in `folder`.
    func deployment(hubspot: URL, aritic: URL, keyFile: String) -> Deployment {
        let connections: [String: ConnectionConfig] = [
            "hubspot": ConnectionConfig(name: "hubspot", connector: Self.probeID, settings: [
                "base_url": .string(hubspot.absoluteString), "check_path": "/crm/v3/objects/contacts?limit=1",
                "objects": ["Contact": ["read": "/crm/v3/objects/contacts?limit=50&properties=email,firstname,lastname",
                                        "records": "results", "fields": "properties", "next": "paging.next.link"]],
            ]),
            "aritic": ConnectionConfig(name: "aritic", connector: Self.probeID, settings: [
                "base_url": .string(aritic.absoluteString), "check_path": "/api/contacts?limit=1",
                "objects": ["Contact": ["read": "/api/contacts", "write": "/api/contacts/new", "id": "contact.id"]],
            ]),
        ]
        let config = DeploymentConfig(plugins: PluginsConfig(paths: [], enabled: [Self.probeID]),
                                      store: .sqlite(path: folder.appendingPathComponent("crosswalk.db").path),
                                      vault: .keyFile(keyFile), connections: connections)
        return Deployment(config: config, file: "the demo", options: options)
    }

    private func run(_ runtime: HostRuntime, hubspot: URL, aritic: URL, say: @escaping @Sendable (String) -> Void) async throws -> Bool {
        try await runtime.vault.store(.apiKey(.bearer(HubSpotDemoCredentials.privateAppToken)), name: "hubspot")
        let aw = AriticApp.demoCredentials.dictionary
        try await runtime.vault.store(.basic(BasicCredentials(username: aw["username"] ?? "", password: aw["password"] ?? "")), name: "aritic")
        say("   stored 2 credentials, encrypted (the plugins never see them)")

        say("3. Loading connector plugins from \(options.executableFolder ?? "the plugin folders")…")
        for p in runtime.scan.loaded { say("   loaded \(p.id) \(p.version) (\(p.languageDescription), ABI \(p.abiDescription))") }
        for r in runtime.scan.refused { say("   \(r)") }
        guard runtime.scan.plugin(Self.probeID) != nil else {
            throw CrosswalkError(.pluginRefused, "demo: the \(Self.probeID) plugin was not found; run `swift build` first")
        }
        let source = try await runtime.client(for: "hubspot")
        let target = try await runtime.client(for: "aritic")
        for client in [source, target] {
            let check = try await client.check()
            say("   connection \(client.connection): \(check.ok ? "OK" : "FAILED") — \(check.message)")
        }

        let flow = DemoFlow(name: "demo-hubspot-contacts-to-aritic", source: source, sourceObject: "Contact", target: target, targetObject: "Contact",
                            mapping: [("email", "email"), ("firstname", "firstname"), ("lastname", "lastname")],
                            required: ["email"], store: runtime.store)
        var calls = try await Calls.snapshot(hubspot, aritic, transport: runtime.transport)
        say("4. First run:")
        let first = try await flow.run(progress: say)
        let afterFirst = try await Calls.snapshot(hubspot, aritic, transport: runtime.transport)
        report(first, calls: afterFirst - calls, say: say)
        for (from, to) in first.samples { say("   HubSpot contact \(from) → Aritic contact \(to)") }
        calls = afterFirst
        say("5. Second run (same data — the ID map must prevent any duplicate):")
        let second = try await flow.run(progress: say)
        report(second, calls: try await Calls.snapshot(hubspot, aritic, transport: runtime.transport) - calls, say: say)

        let mapped = try await runtime.store.mappingCount(link: LinkName.between("hubspot", "aritic"))
        say("6. ID map: \(mapped) HubSpot↔Aritic pairs. Sync log: `sqlite3 \(folder.path)/crosswalk.db 'select * from sync_log limit 5'`")
        await source.close()
        await target.close()
        guard first.counts.created > 0, second.counts.created == 0, first.counts.failed == 0 else {
            say("demo: FAILED (first run created \(first.counts.created), second run created \(second.counts.created))")
            return false
        }
        say("Demo OK: \(first.counts.created) contacts synced once, \(second.counts.created) duplicates.")
        return true
    }

    private func report(_ s: DemoFlow.Summary, calls: Calls, say: (String) -> Void) {
        say("   read \(s.read), created \(s.counts.created), skipped \(s.counts.skipped), failed \(s.counts.failed); API calls: HubSpot \(calls.hubspot), Aritic \(calls.aritic)")
        for (reason, n) in s.reasons.sorted(by: { $0.key < $1.key }) { say("   \(n) × \(reason)") }
    }
}

/// API calls counted by the sandbox, per app.
struct Calls {
    var hubspot = 0
    var aritic = 0

    static func snapshot(_ hubspot: URL, _ aritic: URL, transport: any HTTPClient) async throws -> Calls {
        func total(_ base: URL) async throws -> Int {
            let r = try await transport.send(HTTPRequest(url: base.absoluteString + "/__sandbox/counters"))
            return (try? JSONValue(parsing: r.body))?["total"]?.intValue ?? 0
        }
        return Calls(hubspot: try await total(hubspot), aritic: try await total(aritic))
    }

    static func - (l: Calls, r: Calls) -> Calls { Calls(hubspot: l.hubspot - r.hubspot, aritic: l.aritic - r.aritic) }
}
