import ArgumentParser
import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnections
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkHTTP
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkStore
import CrosswalkStoreSQLite
import Foundation
import Logging

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Sync real records between two sandbox apps through loaded plugins, on the embedded SQLite store.",
        discussion: """
            Starts the sandbox emulators in this process, stores demo credentials in an encrypted vault, loads \
            the connector plugins, and syncs HubSpot contacts into Aritic PinPoint: contacts without an e-mail \
            are skipped with a reason, each created contact is recorded in the ID map with the sync log, and a \
            second run creates nothing (nothing is ever duplicated). Everything it writes stays in --dir.
            """)
    @Option(help: "Folder for the demo's database and vault key.") var dir = "crosswalk-demo"
    @Option(help: "Companies to generate in each sandbox app (contacts scale with it).") var seed = 25
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let logger = options.makeLogger()
        let folder = URL(fileURLWithPath: dir).standardizedFileURL
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
            throw CleanExit.message("demo: the sandbox stopped before it was ready", code: 1)
        }
        say("   HubSpot \(hubspot.absoluteString)   Aritic \(aritic.absoluteString)")

        say("2. Opening the store (\(folder.path)/crosswalk.db) and the vault (key in \(folder.path)/vault.key, mode 0600)…")
        let keyFile = folder.appendingPathComponent("vault.key").path
        if !FileManager.default.fileExists(atPath: keyFile) { try VaultKey.generate().write(toFile: keyFile) }
        let store = try await SQLiteStore.open(path: folder.appendingPathComponent("crosswalk.db").path, logger: logger)
        let vault = Vault(key: try VaultKey.fromFile(keyFile), storage: StoreSealedStorage(store: store))
        try await vault.store(.apiKey(.bearer(HubSpotDemoCredentials.privateAppToken)), name: "hubspot")
        let aw = AriticApp.demoCredentials.dictionary
        try await vault.store(.basic(BasicCredentials(username: aw["username"] ?? "", password: aw["password"] ?? "")), name: "aritic")
        say("   stored 2 credentials, encrypted (the plugins never see them)")

        say("3. Loading connector plugins from \(Deployment.executableFolder())…")
        let deployment = try Deployment.load(options)
        let scan = PluginLoader(logger: logger).scan(folders: deployment.pluginFolders)
        for p in scan.loaded { say("   loaded \(p.id) \(p.version) (\(p.languageDescription), ABI \(p.abiDescription))") }
        for r in scan.refused { say("   \(r)") }
        guard let probe = scan.plugin("dev.crosswalk.httpprobe") else {
            throw CleanExit.message("demo: the dev.crosswalk.httpprobe plugin was not found; run `swift build` first", code: 1)
        }
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let host = ConnectionHost(transport: transport, vault: vault, store: store, logger: logger)
        let source = try await host.instantiate(connection: ConnectionConfig(name: "hubspot", connector: probe.id, settings: [
            "base_url": .string(hubspot.absoluteString), "check_path": "/crm/v3/objects/contacts?limit=1",
            "objects": ["Contact": ["read": "/crm/v3/objects/contacts?limit=50&properties=email,firstname,lastname",
                                    "records": "results", "fields": "properties", "next": "paging.next.link"]],
        ]), plugin: probe)
        let target = try await host.instantiate(connection: ConnectionConfig(name: "aritic", connector: probe.id, settings: [
            "base_url": .string(aritic.absoluteString), "check_path": "/api/contacts?limit=1",
            "objects": ["Contact": ["read": "/api/contacts", "write": "/api/contacts/new", "id": "contact.id"]],
        ]), plugin: probe)
        for (name, instance) in [("hubspot", source), ("aritic", target)] {
            let check = try DemoFlow.object(try await instance.check())
            say("   connection \(name): \(check["ok"] as? Bool == true ? "OK" : "FAILED") — \(check["message"] as? String ?? "")")
        }

        let flow = DemoFlow(name: "demo-hubspot-contacts-to-aritic", source: source, sourceObject: "Contact", target: target, targetObject: "Contact",
                            mapping: [("email", "email"), ("firstname", "firstname"), ("lastname", "lastname")],
                            required: ["email"], store: store, writeBatch: probe.manifest.batchLimits?.write ?? 10)
        var calls = try await Calls.snapshot(hubspot, aritic)
        say("4. First run:")
        let first = try await flow.run(progress: say)
        let afterFirst = try await Calls.snapshot(hubspot, aritic)
        report(first, calls: afterFirst - calls)
        for (from, to) in first.samples { say("   HubSpot contact \(from) → Aritic contact \(to)") }
        calls = afterFirst
        say("5. Second run (same data — the ID map must prevent any duplicate):")
        let second = try await flow.run(progress: say)
        report(second, calls: try await Calls.snapshot(hubspot, aritic) - calls)

        let mapped = try await store.mappingCount(link: LinkName.between("hubspot", "aritic"))
        say("6. ID map: \(mapped) HubSpot↔Aritic pairs. Sync log: `sqlite3 \(folder.path)/crosswalk.db 'select * from sync_log limit 5'`")
        await source.destroy()
        await target.destroy()
        await store.close()
        guard first.counts.created > 0, second.counts.created == 0, first.counts.failed == 0 else {
            throw CleanExit.message("demo: FAILED (first run created \(first.counts.created), second run created \(second.counts.created))", code: 1)
        }
        say("Demo OK: \(first.counts.created) contacts synced once, \(second.counts.created) duplicates.")
    }

    private func report(_ s: DemoFlow.Summary, calls: Calls) {
        say("   read \(s.read), created \(s.counts.created), skipped \(s.counts.skipped), failed \(s.counts.failed); API calls: HubSpot \(calls.hubspot), Aritic \(calls.aritic)")
        for (reason, n) in s.reasons.sorted(by: { $0.key < $1.key }) { say("   \(n) × \(reason)") }
    }
}

private func say(_ line: String) { print(line) }

/// API calls counted by the sandbox, per app.
struct Calls {
    var hubspot = 0
    var aritic = 0

    static func snapshot(_ hubspot: URL, _ aritic: URL) async throws -> Calls {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        func total(_ base: URL) async throws -> Int {
            let r = try await transport.send(HTTPRequest(url: base.absoluteString + "/__sandbox/counters"))
            return (try JSONSerialization.jsonObject(with: r.body) as? [String: Any])?["total"] as? Int ?? 0
        }
        return Calls(hubspot: try await total(hubspot), aritic: try await total(aritic))
    }

    static func - (l: Calls, r: Calls) -> Calls { Calls(hubspot: l.hubspot - r.hubspot, aritic: l.aritic - r.aritic) }
}
