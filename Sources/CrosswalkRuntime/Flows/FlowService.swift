import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkMapping
import CrosswalkPlugins
import CrosswalkStore
import Foundation

/// Runs and inspects the deployment's flows through the host's real connections: the plugins the
/// runtime loaded, the store it opened. The CLI's `run`, `sync`, `retry`, `reconcile`, `runs`,
/// `errors` and `idmap` are thin printers over this type.
///
/// ```swift
/// try await HostRuntime.with(options, logger: logger) { runtime in
///     let flows = FlowService(runtime: runtime)
///     let report = try await flows.run("contacts")
/// }
/// ```
public struct FlowService: Sendable {
    public let runtime: HostRuntime
    /// How the engine batches and retries.
    public var configuration: EngineConfiguration
    /// Flows given in code (the demo's templates), used before the config's.
    public var extraFlows: [String: Flow]

    public init(runtime: HostRuntime, configuration: EngineConfiguration = EngineConfiguration(), extraFlows: [String: Flow] = [:]) {
        self.runtime = runtime
        self.configuration = configuration
        self.extraFlows = extraFlows
    }

    /// The config's flows, read and checked (problems as `file:line:column: key: message`), and the
    /// flows created through the admin API (problems as `api:…`; a name the file also defines is
    /// the file's flow).
    public func definitions() -> FlowDefinitions {
        let overlay = runtime.overlay
        let merged = overlay.merged
        var definitions = FlowDefinitions.read(merged.config, file: merged.name, text: overlay.fileText, functions: functions)
        let (apiFlows, unresolved) = overlay.apiFlowConfigs()
        if !apiFlows.isEmpty || !unresolved.isEmpty {
            var config = merged.config
            config.flows = apiFlows
            let api = FlowDefinitions.read(config, file: "api", text: "", functions: functions)
            definitions.flows.merge(api.flows) { file, _ in file }
            definitions.schedules.merge(api.schedules) { file, _ in file }
            definitions.problems += api.problems + unresolved.map { "api: flows.\($0.flow)\($0.path.isEmpty ? "" : ".\($0.path)"): \($0.message)" }
            definitions.issues += api.issues + unresolved
        }
        for (name, flow) in extraFlows { definitions.flows[name] = flow }
        return definitions
    }

    /// Checks flows given through the admin API (JSON objects in the flow model's shape, by name)
    /// as `config check` checks the file's, and type-checks their mappings and criteria against the
    /// connections' discovered schemas where known.
    /// - Returns: the flows' problems; none when they can be stored.
    public func check(apiFlows: [String: StoredFlow], schemas: @escaping @Sendable (String, String) -> ObjectSchema?) -> [FlowIssue] {
        let overlay = runtime.overlay
        let (configs, unresolved) = overlay.apiFlowConfigs(apiFlows)
        var config = overlay.merged.config
        config.flows = configs
        return unresolved + FlowDefinitions.read(config, file: "api", text: "", functions: functions, schemas: schemas).issues
    }

    /// The flow named `name`.
    /// - Throws: `.config` for an unknown flow or one with problems.
    public func flow(_ name: String) throws -> Flow {
        if let flow = extraFlows[name] { return flow }
        return try definitions().flow(name, file: runtime.deployment.name)
    }

    /// The loaded plugins' mapping functions.
    public var functions: PluginMappingFunctions { PluginMappingFunctions(plugins: runtime.scan.loaded) }

    /// An engine over a plugin instance of each connection the flow uses; the instances are closed
    /// when `body` returns.
    public func withEngine<T>(for flow: Flow, _ body: (SyncEngine) async throws -> T) async throws -> T {
        // The flows its dependency rules sync missing parents through (`when_missing: sync`), with their connections.
        var parents: [String: Flow] = [:]
        for rule in flow.dependencies where rule.whenMissing == .sync {
            if let name = rule.flow, parents[name] == nil { parents[name] = try self.flow(name) }
        }
        var names = [flow.source.connection]
        for f in [flow] + parents.values.sorted(by: { $0.name < $1.name }) {
            for c in [f.source.connection] + f.targets.map(\.connection) where !names.contains(c) { names.append(c) }
        }
        var clients: [any ConnectorClient] = []
        func closeAll() async { for c in clients { await c.close() } }
        var connectors: [String: EngineConnector] = [:]
        do {
            for name in names {
                let client = try await runtime.client(for: name)
                clients.append(client)
                connectors[name] = EngineConnector(client: client, integrationUser: await runtime.integrationUser(for: name))
            }
            let engine = SyncEngine(store: runtime.store, connectors: connectors, compiler: MappingLanguageCompiler(functions: functions),
                                    configuration: configuration, flows: parents, logger: runtime.logger)
            let result = try await body(engine)
            await closeAll()
            return result
        } catch {
            await closeAll()
            throw error
        }
    }

    /// Runs the flow once from its cursors, or plans it (`options.dryRun`).
    public func run(_ name: String, options: RunOptions = RunOptions()) async throws -> RunReport {
        let flow = try flow(name)
        return try await withEngine(for: flow) { try await $0.run(flow, options: options) }
    }

    /// Syncs the given records of the flow's source (`side: .target`: of its target, two-way) now.
    public func sync(_ name: String, ids: [String], side: FlowSide = .source, options: RunOptions = RunOptions()) async throws -> RunReport {
        let flow = try flow(name)
        return try await withEngine(for: flow) { try await $0.sync(flow, ids: ids, side: side, options: options) }
    }

    /// Retries the flow's failed records: the given source ids, or all.
    public func retry(_ name: String, ids: [String]? = nil) async throws -> RunReport {
        let flow = try flow(name)
        let refs = ids.map { $0.map { RecordRef(connection: flow.source.connection, object: flow.source.object, id: $0) } }
        return try await withEngine(for: flow) { try await $0.retry(flow, records: refs) }
    }

    /// Compares source, targets and ID map.
    public func reconcile(_ name: String, samples: Int = 20) async throws -> ReconcileReport {
        let flow = try flow(name)
        return try await withEngine(for: flow) { try await $0.reconcile(flow, samples: samples) }
    }

    /// The latest runs of one flow, or of every flow of the config, newest first.
    public func runs(flow name: String?, limit: Int = 20) async throws -> [Run] {
        let names = try name.map { [try flow($0).name] } ?? definitions().flows.keys.sorted()
        var runs: [Run] = []
        for n in names { runs += try await runtime.store.runs(flow: n, limit: limit) }
        return Array(runs.sorted { $0.startedAt > $1.startedAt }.prefix(limit))
    }

    /// Failed records queued for retry, with the app's reason.
    public func errors(flow name: String?, limit: Int = 100) async throws -> [FailedRecord] {
        if let name { _ = try flow(name) }
        return try await runtime.store.failures(flow: name, limit: limit, offset: 0)
    }

    /// The sync log of one run.
    public func log(run: RunID, limit: Int = 100) async throws -> [SyncLogEntry] {
        try await runtime.store.syncLog(run: run, limit: limit, offset: 0)
    }

    /// One record's twins in the ID map, in every link of its connection (one per other
    /// connection of the config, and each flow's own link), one per object a flow pairs it with.
    public func idmap(connection: String, object: String, id: String) async throws -> [IDMapping] {
        _ = try runtime.connection(connection)
        let record = RecordRef(connection: connection, object: object, id: id)
        var found: [IDMapping] = []
        var links = Set<String>()
        for other in runtime.deployment.config.connections.keys where other != connection {
            links.insert(LinkName.between(connection, other))
        }
        for flow in definitions().flows.values {
            if let link = flow.link { links.insert(link) }
        }
        // A record may have one twin per object on the other side (a SPOTIO lead: Account, Contact, Opportunity;
        // a NetSuite customer: HubSpot contact and company): ask for each object a flow pairs it with.
        var others: Set<String?> = [nil]
        for flow in definitions().flows.values {
            if flow.source.connection == connection, flow.source.object == object { flow.targets.forEach { others.insert($0.object) } }
            for t in flow.targets where t.connection == connection && t.object == object { others.insert(flow.source.object) }
        }
        let queries = others.sorted { ($0 ?? "") < ($1 ?? "") }.map { TwinQuery(object: object, id: id, otherObject: $0) }
        for link in links.sorted() {
            for side in [LinkSide.a, .b] {
                let twins = try await runtime.store.twins(link: link, side: side, connection: connection, queries: queries)
                for query in queries {
                    if let m = twins[query], !found.contains(m) { found.append(m) }
                }
            }
        }
        return found
    }
}
