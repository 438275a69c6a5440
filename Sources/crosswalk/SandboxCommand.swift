import ArgumentParser
import CrosswalkCore
import CrosswalkSandbox
import Foundation
import Logging

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve local emulators of the Salesforce, NetSuite, HubSpot, SPOTIO and Aritic PinPoint APIs.",
        discussion: """
            Each app listens on its own loopback port: with --port P, Salesforce on P (HTTPS, self-signed), \
            NetSuite P+1, HubSpot P+2, SPOTIO P+3, Aritic P+4. --port 0 picks free ports. The first line on \
            standard output is JSON with the base URLs, the CA file to trust and the demo credentials; a \
            readable banner follows on standard error. Test controls live under /__sandbox/ on every port \
            (reset, seed, faults, requests, counters, webhooks). Stop with Ctrl-C; with --state the data is \
            saved and loaded at the next start.
            """)
    @Option(help: "First port (0: any free ports).") var port = 8400
    @Option(help: "Generate this many accounts/companies/customers (with contacts, leads, activities, invoices) when no state is loaded.") var seed = 100
    @Option(help: "Random seed for the generated data (the same seed gives the same data).") var randomSeed: UInt64 = 42
    @Option(help: "Keep the sandbox's data in this SQLite file across restarts (saved on Ctrl-C / SIGTERM).") var state: String?
    @Option(help: "Folder for the generated certificate (default: a new temporary folder).") var certificates: String?
    @Flag(help: "Serve Salesforce over plain HTTP too (simple-salesforce needs HTTPS).") var noTLS = false
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let logger = options.makeLogger("crosswalk.sandbox")
        let configuration = SandboxConfiguration(
            basePort: port, tlsApps: noTLS ? [] : ["salesforce"],
            certificateDirectory: certificates.map { URL(fileURLWithPath: $0) },
            seedCount: seed, randomSeed: randomSeed, stateFile: state.map { URL(fileURLWithPath: $0) })
        let webhooks = SandboxWebhookDispatcher(logger: logger)
        let server: SandboxServer
        do {
            server = try SandboxServer(configuration: configuration, apps: SandboxApps.all(webhooks: webhooks), webhooks: webhooks, logger: logger)
        } catch var e as CrosswalkError {
            e.message = "sandbox: \(e.message)"
            throw e
        }
        let started = Date()
        do {
            try await server.run { ready in
                FileHandle.standardOutput.write(Data((ready.jsonLine(credentials: SandboxApps.demoCredentials) + "\n").utf8))
                FileHandle.standardError.write(Data(SandboxBanner.text(ready, seconds: Date().timeIntervalSince(started)).utf8))
            }
        } catch var e as CrosswalkError {
            e.message = "sandbox: \(e.message)"
            throw e
        }
    }
}

/// The human-readable start message.
enum SandboxBanner {
    static func text(_ ready: SandboxReadiness, seconds: Double) -> String {
        var lines = ["Crosswalk sandbox ready in \(String(format: "%.2f", seconds)) s:"]
        for name in SandboxConfiguration.appOrder + ready.urls.keys.sorted().filter({ !SandboxConfiguration.appOrder.contains($0) }) {
            guard let url = ready.urls[name] else { continue }
            lines.append("  \(name.padding(toLength: 11, withPad: " ", startingAt: 0)) \(url.absoluteString)")
        }
        if let ca = ready.caFile { lines.append("  trust the HTTPS certificate with: export REQUESTS_CA_BUNDLE=\(ca.path)  (curl --cacert \(ca.path))") }
        lines.append("Demo credentials: see the JSON line on standard output, or the README. Controls: GET <url>/__sandbox/health")
        return lines.joined(separator: "\n") + "\n"
    }
}
