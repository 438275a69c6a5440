import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkFlows
import CrosswalkRuntime
import CrosswalkStore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// The flows the service works on right now — the config file's and the API's, read and checked
/// — made again whenever a flow is created, edited or removed through the API or the config file
/// is reloaded (SIGHUP). The API, the scheduler and the webhook gate read it; nothing holds an old copy
/// but a run in flight, which finishes with the definition it started with.
final class ServiceCatalog: Sendable {
    let flows: FlowService
    private let current: LockedValue<FlowDefinitions>
    let logger: Logger

    init(flows: FlowService, logger: Logger) {
        self.flows = flows
        self.logger = logger
        current = LockedValue(flows.definitions())
    }

    var definitions: FlowDefinitions { current.withLock { $0 } }

    /// Reads the flows again (after the overlay changed).
    @discardableResult
    func refresh() -> FlowDefinitions {
        let definitions = flows.definitions()
        current.withLock { $0 = definitions }
        return definitions
    }
}

/// Discovers connections' objects and fields in the background and caches them in the store
/// (`pending` → `ready` with the schema, or `failed` with the reason), so a client polls
/// `GET /api/v1/connections/{c}/schema` until it is ready. One discovery per connection at a time.
actor SchemaDiscovery {
    private let runtime: HostRuntime
    private let logger: Logger
    private var running: [String: Task<Void, Never>] = [:]

    init(runtime: HostRuntime, logger: Logger) {
        self.runtime = runtime
        self.logger = logger
    }

    /// Starts discovering `connection` unless it is being discovered; marks it `pending` first.
    func start(_ connection: String) async {
        guard running[connection] == nil else { return }
        let started = Date()
        do { try await runtime.putSchema(SchemaDocument(status: .pending, startedAt: started), of: connection) } catch {
            logger.error("schema discovery could not start: the store refused", metadata: ["connection": "\(connection)"])
            return
        }
        running[connection] = Task { await self.discover(connection, started: started) }
    }

    /// Whether a discovery of `connection` is in flight.
    func isRunning(_ connection: String) -> Bool { running[connection] != nil }

    /// Restarts the discoveries a stopped process left `pending`.
    func resumePending() async {
        for name in runtime.deployment.config.connections.keys.sorted() {
            if let schema = try? await runtime.schema(of: name), schema.status == .pending { await start(name) }
        }
    }

    private func discover(_ connection: String, started: Date) async {
        var document: SchemaDocument
        do {
            let client = try await runtime.client(for: connection)
            let result: DiscoverResult
            do { result = try await client.discover() } catch {
                await client.close()
                throw error
            }
            await client.close()
            document = SchemaDocument(status: .ready, objects: result.objects.sorted { $0.name < $1.name }, startedAt: started, finishedAt: Date())
            logger.info("schema discovered", metadata: ["connection": "\(connection)", "objects": "\(result.objects.count)"])
        } catch let e as CrosswalkError {
            document = SchemaDocument(status: .failed, reason: "\(e.code.rawValue): \(e.message)", startedAt: started, finishedAt: Date())
            logger.warning("schema discovery failed", metadata: ["connection": "\(connection)", "error": "\(e.code)", "message": "\(e.message)"])
        } catch {
            document = SchemaDocument(status: .failed, reason: "\(type(of: error))", startedAt: started, finishedAt: Date())
            logger.warning("schema discovery failed", metadata: ["connection": "\(connection)", "error": "\(type(of: error))"])
        }
        // A connection removed meanwhile keeps no schema.
        if runtime.deployment.config.connections[connection] != nil {
            do { try await runtime.putSchema(document, of: connection) } catch {
                logger.error("the discovered schema could not be stored", metadata: ["connection": "\(connection)"])
            }
        }
        running[connection] = nil
    }
}

/// OAuth 2.0 authorisations started by `POST /api/v1/connections` and finished by
/// `GET /api/v1/oauth/callback`, by `state`. Kept in memory only (the PKCE verifier never goes to
/// the store): an authorisation not finished before a restart is started again by creating the
/// connection again. Each expires after 15 minutes.
actor OAuthSessions {
    struct Pending: Sendable {
        var connection: String
        var session: OAuth2AuthorizationSession
        var redirectURL: String?
        var expires: Date
    }

    private var pending: [String: Pending] = [:]

    func add(_ p: Pending) {
        pending = pending.filter { $0.value.expires > Date() && $0.value.connection != p.connection }
        pending[p.session.state] = p
    }

    /// Takes the authorisation whose state is `state` (once).
    func take(state: String) -> Pending? {
        guard let p = pending.removeValue(forKey: state), p.expires > Date() else { return nil }
        return p
    }

    /// Whether `connection` waits for its authorisation.
    func isWaiting(_ connection: String) -> Bool { pending.values.contains { $0.connection == connection && $0.expires > Date() } }

    func forget(_ connection: String) { pending = pending.filter { $0.value.connection != connection } }
}

/// Reads the config file again on SIGHUP (``reload()``): new, changed and removed flows and
/// connections take effect for the next run (a run in flight finishes with what it started
/// with); a file with problems is refused — its problems logged — and the old config kept. What
/// needs a restart (the store, the vault, plugin folders and isolation, the `service:` block) is
/// kept as it was, with a warning.
struct ConfigReloader: Service {
    let runtime: HostRuntime
    let catalog: ServiceCatalog
    let scheduler: FlowScheduler
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            logger.notice("SIGHUP: reloading the config")
            _ = await reload()
        }
    }

    /// The outcome of one reload: the problems that refused it (none when applied).
    struct Outcome: Sendable {
        var problems: [String]
        var changedConnections: [String]
        var flows: Int
    }

    func reload() async -> Outcome {
        let old = runtime.overlay.file
        var new: Deployment
        do { new = try Deployment.load(old.options) } catch {
            let message = (error as? CrosswalkError)?.message ?? "\(error)"
            for line in message.split(separator: "\n") { logger.error("reload refused; the old config is kept", metadata: ["problem": "\(line)"]) }
            return Outcome(problems: message.split(separator: "\n").map(String.init), changedConnections: [], flows: catalog.definitions.flows.count)
        }
        // What only a restart can change.
        for (key, differs) in [("store", new.config.store != old.config.store), ("vault", new.config.vault != old.config.vault),
                               ("plugins.paths", new.config.plugins.paths != old.config.plugins.paths),
                               ("plugins.isolation", new.config.plugins.isolation != old.config.plugins.isolation),
                               ("service", new.config.service != old.config.service)] where differs {
            logger.warning("reload: \(key) changed; it takes effect at the next restart")
        }
        new.config.store = old.config.store
        new.config.vault = old.config.vault
        new.config.plugins.paths = old.config.plugins.paths
        new.config.plugins.isolation = old.config.plugins.isolation
        new.config.service = old.config.service
        new.pluginFolders = old.pluginFolders

        var candidate = runtime.overlay
        candidate.file = new
        candidate.fileText = AdminOverlay.text(of: new)
        var problems: [String] = []
        for (name, c) in new.config.connections.sorted(by: { $0.key < $1.key }) where !new.enabled.contains(c.connector) {
            problems.append("\(new.name): connections.\(name).connector: \(c.connector) is not in plugins.enabled")
        }
        problems += FlowDefinitions.read(candidate.merged.config, file: new.name, text: candidate.fileText,
                                         functions: catalog.flows.functions).problems
        guard problems.isEmpty else {
            for p in problems { logger.error("reload refused; the old config is kept", metadata: ["problem": "\(p)"]) }
            return Outcome(problems: problems, changedConnections: [], flows: catalog.definitions.flows.count)
        }
        let before = runtime.deployment.config.connections
        let after = candidate.merged.config.connections
        let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
        await runtime.updateOverlay(changed: changed) {
            $0.file = new
            $0.fileText = candidate.fileText
        }
        let definitions = catalog.refresh()
        await scheduler.sync()
        logger.notice("config reloaded", metadata: ["flows": "\(definitions.flows.count)", "scheduled": "\(definitions.schedules.count)",
                                                    "connections_changed": "\(changed.sorted().joined(separator: ","))"])
        return Outcome(problems: [], changedConnections: changed.sorted(), flows: definitions.flows.count)
    }
}
