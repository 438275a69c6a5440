import CrosswalkAuth
import CrosswalkConfig
import CrosswalkCore
import CrosswalkFlows
import CrosswalkRuntime
import CrosswalkStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// What `crosswalk serve` is started with.
public struct ServeOptions: Sendable {
    public var runtime: RuntimeOptions
    /// `--listen host:port`, over the config's `service.listen`.
    public var listen: String?
    /// The Prometheus text of the process's metrics (the executable owns the registry).
    public var metricsText: @Sendable () -> String
    /// How often the scheduler looks for due flows.
    public var schedulerTick: Duration

    public init(runtime: RuntimeOptions, listen: String? = nil, metricsText: @escaping @Sendable () -> String = { "" },
                schedulerTick: Duration = .milliseconds(200)) {
        self.runtime = runtime
        self.listen = listen
        self.metricsText = metricsText
        self.schedulerTick = schedulerTick
    }
}

/// `crosswalk serve`: the host as one long-lived process. Opens the runtime (store, vault,
/// plugins), then runs the admin API's HTTP server (with the webhook endpoints
/// `POST /hooks/{connection}`), the webhook inbox's processing loop (``WebhookService``) and the
/// ``FlowScheduler`` in one `ServiceGroup` that shuts down gracefully on SIGTERM or SIGINT: the
/// scheduler first (the batch in flight is committed, its run ends `cancelled`), then the inbox
/// processing (a delivery not finished stays in the inbox for the next start), then the server.
/// Webhook-triggered syncs and scheduled runs go through one ``RunCoordinator``: one run per flow
/// at a time, a webhook sync waiting for a scheduled run of its flow to end. Prints one readiness
/// line, JSON with the bound URL, through `ready`.
public enum CrosswalkServer {
    /// Runs until SIGTERM/SIGINT.
    /// - Throws: `.config` for a config with problems, a bad listen address or no admin token.
    public static func run(_ options: ServeOptions, logger: Logger, ready: @escaping @Sendable (String) -> Void) async throws {
        let deployment = try Deployment.load(options.runtime)
        for warning in deployment.warnings { logger.warning("\(warning)") }
        let listen = options.listen ?? deployment.config.service.listen
        guard let address = ServiceConfig.parseListen(listen) else {
            throw CrosswalkError(.invalidArgument, "--listen \(listen): expected host:port such as 127.0.0.1:8080 or [::1]:8080", context: ["field": "listen"])
        }
        let runtime = try await HostRuntime.open(deployment, logger: logger)
        do {
            try await serve(runtime: runtime, host: address.host, port: address.port, options: options, logger: logger, ready: ready)
            await runtime.close()
        } catch {
            await runtime.close()
            throw error
        }
    }

    static func serve(runtime: HostRuntime, host: String, port: Int, options: ServeOptions, logger: Logger,
                      ready: @escaping @Sendable (String) -> Void) async throws {
        let token = try await adminToken(runtime)
        let flows = FlowService(runtime: runtime)
        let catalog = ServiceCatalog(flows: flows, logger: logger)
        let definitions = catalog.definitions
        for problem in definitions.problems { logger.warning("flow cannot run", metadata: ["problem": "\(problem)"]) }
        let notifier = try await notifier(runtime, host: host, port: port, logger: logger)
        // A shared store (PostgreSQL): several hosts split the flows by leases; SQLite: this host is the only one.
        let leases = (runtime.store as? any LeaseStore).map { LeaseKeeper(store: $0, ttl: runtime.deployment.config.service.leaseTTL, logger: logger) }
        if let leases { logger.info("sharing the store with other hosts through leases", metadata: ["holder": "\(leases.holder)", "ttl": "\(leases.ttl)"]) }
        let coordinator = RunCoordinator(store: runtime.store, metrics: ServiceMetrics(), notifier: notifier, leases: leases, logger: logger)
        try await coordinator.load()
        let scheduler = FlowScheduler(flows: flows, catalog: catalog, coordinator: coordinator, logger: logger, tick: options.schedulerTick)
        let discovery = SchemaDiscovery(runtime: runtime, logger: logger)
        await discovery.resumePending()
        let reloader = ConfigReloader(runtime: runtime, catalog: catalog, scheduler: scheduler, logger: logger)
        // Webhooks feed the same engine as the schedule: the API's on/off state, one writer per flow.
        let gate = WebhookSyncGate(
            isEnabled: { flow in await coordinator.isEnabled(flow.name, configDefault: flow.enabled) },
            exclusive: { flow, body in try await coordinator.exclusiveWhenFree(flow) { signal in try await body(signal) } })
        let webhooks = WebhookService(runtime: runtime, flows: flows, gate: gate, sharedInbox: leases != nil, logger: logger)
        let publicURL = LockedValue(runtime.deployment.config.service.publicURL)
        let api = AdminAPI(flows: flows, catalog: catalog, discovery: discovery, oauth: OAuthSessions(), reloader: reloader,
                           coordinator: coordinator, scheduler: scheduler, webhooks: webhooks, leases: leases,
                           publicURL: publicURL, metricsText: options.metricsText, logger: logger)
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .notice)
        let dashboard = Dashboard(api: api, token: token, secureCookies: runtime.deployment.config.service.publicURL?.hasPrefix("https://") == true,
                                  logger: logger)
        let app = Application(
            router: api.router(token: token, dashboard: dashboard),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                let authority = host.contains(":") ? "[\(host)]:\(bound)" : "\(host):\(bound)"
                let url = "http://\(authority)"
                let base = publicURL.withLock { value in
                    if value == nil { value = url }
                    return value!
                }
                logger.info("crosswalk serve ready", metadata: ["url": "\(url)", "public_url": "\(base)", "flows": "\(definitions.flows.count)",
                                                                "scheduled": "\(definitions.schedules.count)"])
                ready(url)
            },
            logger: serverLogger)
        // Shut down last-first: the scheduler stops its runs, the inbox its processing, then the server stops answering.
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: app), .init(service: webhooks), .init(service: scheduler), .init(service: reloader)]
                + (leases.map { [ServiceGroupConfiguration.ServiceConfiguration(service: $0)] } ?? []),
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: serverLogger))
        try await group.run()
        logger.info("crosswalk serve stopped")
    }

    /// A secret of the service from where `field` says: the value and where it came from.
    /// - Throws: `.config` when the vault entry holds something else than `api_key` credentials.
    static func secret(_ source: SecretSource, field: String, _ runtime: HostRuntime) async throws -> (value: String?, source: String) {
        switch source {
        case .environment(let name):
            return (runtime.deployment.options.environment[name].flatMap { $0.isEmpty ? nil : $0 }, "the environment variable \(name)")
        case .vault(let entry):
            switch try await runtime.vault.credentials(name: entry) {
            case .apiKey(let c)?: return (c.key, "the vault entry \(entry)")
            case nil: return (nil, "the vault entry \(entry)")
            default: throw CrosswalkError(.config, "\(field): the vault entry \(entry) must hold api_key credentials (its key is the secret)")
            }
        }
    }

    /// The notifier `service.notifications` asks for, or `nil`.
    /// - Throws: `.config` when the webhook URL is missing or not an http(s) URL.
    static func notifier(_ runtime: HostRuntime, host: String, port: Int, logger: Logger) async throws -> RunNotifier? {
        let service = runtime.deployment.config.service
        guard let config = service.notifications else { return nil }
        let (url, source) = try await secret(config.webhookURL, field: "service.notifications.webhook_url", runtime)
        guard let url else { throw CrosswalkError(.config, "service.notifications.webhook_url: no URL in \(source); set it or remove service.notifications") }
        guard let parsed = URLComponents(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host?.isEmpty == false else {
            throw CrosswalkError(.config, "service.notifications.webhook_url: the value in \(source) is not an http(s) URL")
        }
        let name = service.publicURL ?? "\(ProcessInfo.processInfo.hostName):\(port)"
        return RunNotifier(url: url, policy: NotificationPolicy(config), client: runtime.transport, service: name, logger: logger)
    }

    /// The admin token from where `service.admin_token` says.
    /// - Throws: `.config` when it is missing or too short.
    static func adminToken(_ runtime: HostRuntime) async throws -> String {
        let (token, source) = try await secret(runtime.deployment.config.service.adminToken, field: "service.admin_token", runtime)
        guard let token, !token.isEmpty else {
            throw CrosswalkError(.config, "service.admin_token: no admin token in \(source); set one (at least 16 characters), e.g. `export CROSSWALK_ADMIN_TOKEN=$(openssl rand -hex 32)`")
        }
        guard token.count >= 16 else { throw CrosswalkError(.config, "service.admin_token: the token in \(source) is shorter than 16 characters") }
        return token
    }
}
