import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkHTTP
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkStore
import Foundation
import Logging

/// `crosswalk demo`: starts the sandbox in this process, writes a deployment config of every
/// ``FlowTemplate`` into `folder` (SQLite store and vault key beside it), stores the sandbox
/// credentials, and runs each template's flows twice through the sync engine on a
/// ``HostRuntime`` built like any other: the first run syncs, the second writes nothing.
public struct DemoRun: Sendable {
    public let folder: URL
    public let seed: Int
    public let options: RuntimeOptions
    public let templates: [FlowTemplate]

    public init(folder: URL, seed: Int, options: RuntimeOptions, templates: [FlowTemplate] = FlowTemplate.all) {
        self.folder = folder
        self.seed = seed
        self.options = options
        self.templates = templates
    }

    /// Runs the demo; every line for the person watching goes to `say`.
    /// - Returns: whether it succeeded (the first runs wrote records and failed none, the second runs wrote nothing).
    public func run(logger: Logger, say: @escaping @Sendable (String) -> Void) async throws -> Bool {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        say("Crosswalk \(CrosswalkVersion.current) demo — \(templates.count) flow\(templates.count == 1 ? "" : "s") through the sync engine")

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
        let apps = Set(templates.flatMap(\.apps))
        guard apps.allSatisfy({ urls[$0] != nil }) else {
            _ = try await sandbox.value
            throw CrosswalkError(.unavailable, "demo: the sandbox stopped before it was ready")
        }
        say("   " + apps.sorted().map { "\($0) \(urls[$0]!.absoluteString)" }.joined(separator: "   "))

        let configFile = folder.appendingPathComponent("crosswalk.yaml")
        say("2. Writing the deployment (\(configFile.path)): store crosswalk.db, vault key vault.key (mode 0600)…")
        let keyFile = folder.appendingPathComponent("vault.key").path
        if !FileManager.default.fileExists(atPath: keyFile) { try VaultKey.generate().write(toFile: keyFile) }
        try Data(FlowTemplate.deployment(templates, urls: urls).utf8).write(to: configFile)
        var options = options
        options.configPath = configFile.path
        let runtime = try await HostRuntime.open(options, logger: logger)
        do {
            let ok = try await run(runtime, urls: urls, say: say)
            await runtime.close()
            return ok
        } catch {
            await runtime.close()
            throw error
        }
    }

    private func run(_ runtime: HostRuntime, urls: [String: URL], say: @escaping @Sendable (String) -> Void) async throws -> Bool {
        var stored = 0
        var names = Set<String>()
        for template in templates {
            for (name, credentials) in template.credentials(urls: urls) where names.insert(name).inserted {
                try await runtime.vault.store(credentials, name: name)
                stored += 1
            }
        }
        say("   stored \(stored) credentials, encrypted (the plugins never see them)")

        say("3. Loading connector plugins from \(runtime.deployment.pluginFolders.joined(separator: ", "))…")
        for p in runtime.scan.loaded { say("   loaded \(p.id) \(p.version) (\(p.languageDescription), ABI \(p.abiDescription))") }
        for r in runtime.scan.refused { say("   \(r)") }
        for name in runtime.deployment.config.connections.keys.sorted() {
            let client = try await runtime.client(for: name)
            let check = try await client.check()
            await client.close()
            say("   connection \(name): \(check.ok ? "OK" : "FAILED") — \(check.message)")
        }
        let flows = FlowService(runtime: runtime)
        let definitions = flows.definitions()
        guard definitions.problems.isEmpty else {
            throw CrosswalkError(.config, "demo: the templates' flows have problems:\n" + definitions.problems.joined(separator: "\n"))
        }
        var ok = true
        var step = 4
        for template in templates {
            say("\(step). \(template.summary)")
            step += 1
            for name in template.flows {
                // What the flows before wrote is read by this one only once it is past the connectors' settle margin.
                try await Calls.settle(urls, apps: template.apps, transport: runtime.transport)
                let before = try await Calls.snapshot(urls, apps: template.apps, transport: runtime.transport)
                let first = try await flows.run(name)
                let middle = try await Calls.snapshot(urls, apps: template.apps, transport: runtime.transport)
                say("   first run:  " + FlowText.summary(first)[0])
                FlowText.summary(first).dropFirst().filter { !$0.hasPrefix("    ") && !$0.contains("API calls") }.forEach { say("   " + $0) }
                let wrote = first.counts.created + first.counts.updated
                if let why = template.expectedFailures, first.hasFailures { say("      (by design: \(why))") }
                if wrote == 0, let why = template.goingForward { say("      (by design: \(why))") }
                say("      API calls: " + (middle - before).description)
                let second = try await flows.run(name)
                let after = try await Calls.snapshot(urls, apps: template.apps, transport: runtime.transport)
                say("   second run: " + FlowText.summary(second)[0])
                say("      API calls: " + (after - middle).description)
                let rewrote = second.counts.created + second.counts.updated + second.counts.deleted
                if (wrote == 0 && template.goingForward == nil) || (first.hasFailures && template.expectedFailures == nil) || rewrote > 0 {
                    say("   FAILED: the first run wrote \(wrote) (failed \(first.counts.failed)), the second wrote \(rewrote)")
                    ok = false
                }
            }
        }
        say("\(step). Look around: crosswalk runs | errors | flows show NAME | idmap lookup CONNECTION OBJECT ID --config \(runtime.deployment.file ?? "crosswalk.yaml")")
        say(ok ? "Demo OK: every flow synced once; the second runs wrote nothing." : "demo: FAILED")
        return ok
    }
}

/// API calls counted by the sandbox, per app.
struct Calls: CustomStringConvertible {
    var byApp: [String: Int] = [:]

    /// Waits (polling each app's clock, at most 10 s) until every app's `Date` header is two seconds past this
    /// machine's current second: the connectors end each read a second before the app's clock (their settle margin), so a
    /// record another flow changed just now is then read by the next run instead of the one after.
    static func settle(_ urls: [String: URL], apps: [String], transport: any HTTPClient) async throws {
        let target = Date().timeIntervalSince1970.rounded(.down) + 2
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        let deadline = Date().addingTimeInterval(10)
        for app in apps {
            guard let base = urls[app] else { continue }
            while Date() < deadline {
                let r = try await transport.send(HTTPRequest(url: base.absoluteString + "/__sandbox/counters"))
                if let date = r.headers["date"].flatMap(format.date(from:)), date.timeIntervalSince1970 >= target { break }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    static func snapshot(_ urls: [String: URL], apps: [String], transport: any HTTPClient) async throws -> Calls {
        var calls = Calls()
        for app in apps {
            guard let base = urls[app] else { continue }
            let r = try await transport.send(HTTPRequest(url: base.absoluteString + "/__sandbox/counters"))
            calls.byApp[app] = (try? JSONValue(parsing: r.body))?["total"]?.intValue ?? 0
        }
        return calls
    }

    static func - (l: Calls, r: Calls) -> Calls { Calls(byApp: l.byApp.merging(r.byApp.mapValues { -$0 }) { $0 + $1 }) }

    var description: String { byApp.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
}
