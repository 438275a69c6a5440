import CrosswalkCore
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

extension CrosswalkError.Code {
    /// The sandbox could not start (duplicate app names, certificate, bind failure…).
    public static let sandboxStart = CrosswalkError.Code("sandbox_start")
}

/// Serves emulated vendor apps on loopback, one port each, with test controls under `/__sandbox/`.
///
/// ```swift
/// let webhooks = SandboxWebhookDispatcher(logger: logger)
/// let apps: [any SandboxApp] = [SalesforceApp(environment: webhooks.environment(for: "salesforce")), …]
/// let server = try SandboxServer(configuration: .init(basePort: 0), apps: apps, webhooks: webhooks, logger: logger)
/// try await server.run { ready in print(ready.jsonLine()) }
/// ```
/// `run` loads the state file (or seeds), listens, calls `onReady` once every app is bound, and serves until
/// SIGTERM/SIGINT (when `handlesSignals`) or until its task is cancelled; then it saves the state file.
public final class SandboxServer: Sendable {
    public let configuration: SandboxConfiguration
    /// PEM file of the CA that signed the HTTPS certificate, when any app serves HTTPS.
    public let caFile: URL?
    private let hosts: [SandboxAppHost]
    private let webhooks: SandboxWebhookDispatcher
    private let log: RequestLog
    private let logger: Logger
    private let tlsConfiguration: TLSConfiguration?
    /// The certificate folder the server made itself (removed on shutdown).
    private let temporaryCertificateDirectory: URL?

    /// Prepares the apps (in port order) and, if any app serves HTTPS, makes the certificate.
    /// - Throws: `CrosswalkError(.sandboxStart)` for no apps, duplicate names or a certificate failure.
    public init(configuration: SandboxConfiguration, apps: [any SandboxApp], webhooks: SandboxWebhookDispatcher, logger: Logger) throws {
        let names = apps.map(\.name)
        guard !apps.isEmpty else { throw CrosswalkError(.sandboxStart, "the sandbox needs at least one app") }
        guard Set(names).count == names.count else {
            throw CrosswalkError(.sandboxStart, "two sandbox apps share a name", context: ["apps": names.joined(separator: ",")])
        }
        let order = SandboxConfiguration.portOrder(names)
        hosts = order.enumerated().map { offset, name in
            let app = apps.first { $0.name == name }!
            return SandboxAppHost(app: app, scheme: configuration.tlsApps.contains(name) ? "https" : "http",
                                  offset: offset, randomSeed: configuration.randomSeed)
        }
        if hosts.contains(where: { $0.scheme == "https" }) {
            let temporary = configuration.certificateDirectory == nil
                ? FileManager.default.temporaryDirectory.appendingPathComponent("crosswalk-sandbox-\(UUID().uuidString.prefix(8))") : nil
            let directory = configuration.certificateDirectory ?? temporary!
            temporaryCertificateDirectory = temporary
            do {
                let certificates = try SandboxCertificates.generate(in: directory, host: configuration.host)
                caFile = certificates.caFile
                tlsConfiguration = certificates.tlsConfiguration
            } catch {
                throw CrosswalkError(.sandboxStart, "cannot make the sandbox's HTTPS certificate: \(error)", context: ["dir": directory.path])
            }
        } else {
            caFile = nil
            tlsConfiguration = nil
            temporaryCertificateDirectory = nil
        }
        self.configuration = configuration
        self.webhooks = webhooks
        self.logger = logger
        log = RequestLog(capacity: configuration.requestLogCapacity)
    }

    /// Loads or seeds state, serves every app until shutdown, then saves the state file.
    /// - Parameter onReady: Called once, when every app is listening, with their base URLs.
    /// - Throws: `CrosswalkError(.sandboxState)` for an unreadable state file; bind errors from the server.
    public func run(onReady: @escaping @Sendable (SandboxReadiness) async -> Void) async throws {
        try await loadOrSeed()
        let gate = ReadinessGate(expected: hosts.count, caFile: caFile, onReady: onReady)
        let startedAt = Date()
        var services: [any Service] = [webhooks, HangReleaser(hosts: hosts)]
        for host in hosts {
            services.append(try makeApplication(host, gate: gate, startedAt: startedAt))
        }
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: configuration.handlesSignals ? [.sigterm, .sigint] : [],
            logger: logger))
        defer { temporaryCertificateDirectory.map { try? FileManager.default.removeItem(at: $0) } }
        do {
            try await group.run()
        } catch {
            try await saveState()
            throw error
        }
        try await saveState()
    }

    private func makeApplication(_ host: SandboxAppHost, gate: ReadinessGate, startedAt: Date) throws -> some Service {
        let control = SandboxControlAPI(host: host, log: log, webhooks: webhooks, defaultRandomSeed: configuration.randomSeed, startedAt: startedAt)
        let responder = SandboxResponder(host: host, control: control, log: log, maxBodyBytes: configuration.maxBodyBytes,
                                         timeoutFaultDuration: configuration.timeoutFaultDuration)
        let server: HTTPServerBuilder = if host.scheme == "https", let tlsConfiguration {
            try .tls(.http1(), tlsConfiguration: tlsConfiguration)
        } else {
            .http1()
        }
        let bindHost = configuration.host
        var appLogger = logger
        appLogger[metadataKey: "app"] = "\(host.name)"
        return Application(
            responder: responder, server: server,
            configuration: .init(address: .hostname(bindHost, port: configuration.port(offset: host.offset)), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let authority = bindHost.contains(":") ? "[\(bindHost)]:\(port)" : "\(bindHost):\(port)"
                host.authority = authority
                await gate.bound(host.name, URL(string: "\(host.scheme)://\(authority)")!)
            },
            logger: appLogger)
    }

    private func loadOrSeed() async throws {
        let saved = try configuration.stateFile.flatMap(SandboxStateFile.load) ?? [:]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for host in hosts {
                let seed = SandboxSeed(count: configuration.seedCount, randomSeed: configuration.randomSeed)
                group.addTask {
                    if let state = saved[host.name] {
                        do { try await host.app.importState(state) } catch {
                            throw CrosswalkError(.sandboxState, "the state file's \(host.name) part cannot be loaded: \(error)",
                                                 context: ["file": self.configuration.stateFile?.path ?? ""])
                        }
                    } else if seed.count > 0 {
                        await host.app.seed(seed)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Writes every app's state to the state file, if one is configured (also after cancellation).
    private func saveState() async throws {
        guard let file = configuration.stateFile else { return }
        var states: [String: Data] = [:]
        for host in hosts { states[host.name] = await host.app.exportState() }
        try SandboxStateFile.save(states, to: file)
    }
}

/// Calls `onReady` once every app reported its bound port.
private actor ReadinessGate {
    private let expected: Int
    private let caFile: URL?
    private let onReady: @Sendable (SandboxReadiness) async -> Void
    private var urls: [String: URL] = [:]

    init(expected: Int, caFile: URL?, onReady: @escaping @Sendable (SandboxReadiness) async -> Void) {
        self.expected = expected
        self.caFile = caFile
        self.onReady = onReady
    }

    func bound(_ app: String, _ url: URL) async {
        urls[app] = url
        if urls.count == expected { await onReady(SandboxReadiness(urls: urls, caFile: caFile)) }
    }
}

/// Lets requests held by a timeout fault go as soon as shutdown starts, so shutdown is not held up.
private struct HangReleaser: Service {
    let hosts: [SandboxAppHost]
    func run() async throws {
        try? await gracefulShutdown()
        for host in hosts { await host.faults.releaseAll() }
    }
}
