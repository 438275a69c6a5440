import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkPlugins
import CrosswalkRuntime
import CrosswalkStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One route of the service: its method, its path in the OpenAPI document's form
/// (`/api/v1/flows/{flow}`) and its handler. ``AdminAPI/routes`` is the list the router is built
/// from and the list the tests compare with `openapi.yaml`.
struct APIRoute: Sendable {
    var method: HTTPRequest.Method
    var path: String
    var handler: @Sendable (AdminAPI, Request, BasicRequestContext) async throws -> Response

    /// The path in the router's form (`/api/v1/flows/:flow`).
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : part
        }.joined(separator: "/")
    }
}

/// The admin REST API under `/api/v1` (described by `openapi.yaml`), with `/healthz`, `/readyz`,
/// `/metrics` and the webhook endpoints `/hooks/{connection}`: everything an operator or a dashboard does, over the runtime's
/// ``FlowService``.
struct AdminAPI: Sendable {
    let flows: FlowService
    /// The flows as they are now (the file's and the API's).
    let catalog: ServiceCatalog
    let discovery: SchemaDiscovery
    let oauth: OAuthSessions
    let reloader: ConfigReloader
    let coordinator: RunCoordinator
    let scheduler: FlowScheduler
    let webhooks: WebhookService
    /// This host's leases on a shared store; `nil` with SQLite (one host).
    let leases: LeaseKeeper?
    /// The service's base URL as apps call it (`service.public_url`, else the bound address once listening).
    let publicURL: LockedValue<String?>
    let metricsText: @Sendable () -> String
    let logger: Logger
    /// The last test of each connection (shown by the dashboard).
    let health = ConnectionHealth()

    var runtime: HostRuntime { flows.runtime }
    var definitions: FlowDefinitions { catalog.definitions }

    /// Every route served, in the document's form.
    static let routes: [APIRoute] = [
        APIRoute(method: .get, path: "/healthz") { _, _, _ in try JSON.response(["status": "ok"]) },
        APIRoute(method: .get, path: "/readyz") { api, _, _ in try await api.ready() },
        APIRoute(method: .get, path: "/metrics") { api, _, _ in JSON.text(await api.metrics(), contentType: "text/plain; version=0.0.4") },
        APIRoute(method: .post, path: "/hooks/{connection}") { api, r, c in try await api.hook(try c.parameter("connection"), r) },
        APIRoute(method: .get, path: "/api/v1/openapi.yaml") { _, _, _ in JSON.text(OpenAPIDocument.text, contentType: "application/yaml") },
        APIRoute(method: .get, path: "/api/v1/plugins") { api, _, _ in try api.plugins() },
        APIRoute(method: .get, path: "/api/v1/connections") { api, _, _ in try await api.connections() },
        APIRoute(method: .post, path: "/api/v1/connections/{connection}/test") { api, _, c in try await api.testConnection(try c.parameter("connection")) },
        APIRoute(method: .get, path: "/api/v1/flows") { api, _, _ in try await api.listFlows() },
        APIRoute(method: .get, path: "/api/v1/flows/{flow}") { api, _, c in try await api.showFlow(try api.flowName(c)) },
        APIRoute(method: .post, path: "/api/v1/flows/{flow}/enable") { api, _, c in try await api.setEnabled(try api.flowName(c), true) },
        APIRoute(method: .post, path: "/api/v1/flows/{flow}/disable") { api, _, c in try await api.setEnabled(try api.flowName(c), false) },
        APIRoute(method: .post, path: "/api/v1/flows/{flow}/run") { api, _, c in try await api.runNow(try api.flowName(c)) },
        APIRoute(method: .post, path: "/api/v1/flows/{flow}/dry-run") { api, r, c in try await api.dryRun(try api.flowName(c), r) },
        APIRoute(method: .post, path: "/api/v1/flows/{flow}/sync") { api, r, c in try await api.syncRecords(try api.flowName(c), r, c) },
        APIRoute(method: .get, path: "/api/v1/flows/{flow}/runs") { api, r, c in try await api.flowRuns(try api.flowName(c), r) },
        APIRoute(method: .get, path: "/api/v1/flows/{flow}/log") { api, r, c in try await api.flowLog(try api.flowName(c), r) },
        APIRoute(method: .get, path: "/api/v1/flows/{flow}/failed") { api, r, c in try await api.failed(try api.flowName(c), r) },
        APIRoute(method: .post, path: "/api/v1/flows/{flow}/failed/retry") { api, _, c in try await api.retry(try api.flowName(c), ids: nil) },
        APIRoute(method: .post, path: "/api/v1/flows/{flow}/failed/{record}/retry") { api, _, c in
            try JSON.response(try await api.retryOne(try api.flowName(c), record: try c.parameter("record")))
        },
        APIRoute(method: .post, path: "/api/v1/flows/{flow}/reconcile") { api, _, c in try await api.reconcile(try api.flowName(c)) },
        APIRoute(method: .get, path: "/api/v1/runs") { api, r, _ in try await api.allRuns(r) },
        APIRoute(method: .get, path: "/api/v1/leases") { api, _, _ in try await api.listLeases() },
        APIRoute(method: .get, path: "/api/v1/runs/{run}") { api, _, c in try await api.showRun(try api.runID(c)) },
        APIRoute(method: .get, path: "/api/v1/runs/{run}/log") { api, r, c in try await api.runLog(try api.runID(c), r) },
        APIRoute(method: .get, path: "/api/v1/idmap/{connection}/{object}/{id}") { api, _, c in
            try await api.idmap(try c.parameter("connection"), try c.parameter("object"), try c.parameter("id"))
        },
    ] + setupRoutes

    /// The paths served without the bearer token.
    static let publicPaths: Set<String> = ["/healthz", "/readyz", "/metrics", "/api/v1/openapi.yaml", "/api/v1/oauth/callback"]

    /// `METHOD /path` of every route, for the route check against the document.
    static var servedRoutes: [String] { routes.map { "\($0.method.rawValue) \($0.path)" } }

    /// A router with every route, the error middleware around all, the token check on `/api/v1`,
    /// and the dashboard's pages under `/dashboard` (``Dashboard``, its own login and sessions).
    func router(token: String, dashboard: Dashboard? = nil) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ErrorMiddleware(logger: logger))
        router.add(middleware: BearerTokenMiddleware(token: token, publicPaths: Self.publicPaths, protectedPrefix: "/api/v1/"))
        for route in Self.routes {
            let api = self
            let handler = route.handler
            router.on(RouterPath(route.routerPath), method: route.method) { request, context in try await handler(api, request, context) }
        }
        dashboard?.register(on: router)
        return router
    }

    // MARK: Parameters

    func flowName(_ context: BasicRequestContext) throws -> String { try knownFlow(try context.parameter("flow")) }

    /// `name` when it is a flow the service can run; `.notFound` for an unknown flow, `.conflict` for one whose config has problems.
    func knownFlow(_ name: String) throws -> String {
        guard definitions.flows[name] != nil else {
            if let problem = definitions.problems.first(where: { $0.contains(": flows.\(name).") || $0.contains(": flows.\(name):") }) {
                throw APIError(.conflict, "config", "flow \(name) cannot run: \(problem)", field: "flow")
            }
            throw APIError(.notFound, "not_found", "no flow \"\(name)\"; known: \(definitions.flows.keys.sorted().joined(separator: ", "))", field: "flow")
        }
        return name
    }

    func runID(_ context: BasicRequestContext) throws -> RunID {
        let text = try context.parameter("run")
        guard let id = RunID(text), id > 0 else { throw APIError.badRequest("run: expected a run id (a whole number more than 0), found '\(text)'", field: "run") }
        return id
    }

    /// `limit` (1…1000, default `defaultLimit`) and `offset` (≥ 0, default 0) from the query.
    func paging(_ request: Request, defaultLimit: Int = 100) throws -> (limit: Int, offset: Int) {
        let query = request.uri.queryParameters
        func int(_ name: String, _ range: ClosedRange<Int>, _ fallback: Int) throws -> Int {
            guard let text = query.get(name) else { return fallback }
            guard let n = Int(text), range.contains(n) else {
                throw APIError.badRequest("\(name): expected a whole number from \(range.lowerBound) to \(range.upperBound), found '\(text)'", field: name)
            }
            return n
        }
        return (try int("limit", 1...1000, defaultLimit), try int("offset", 0...Int(Int32.max), 0))
    }

    // MARK: Health

    func ready() async throws -> Response {
        var problems: [String] = []
        for id in runtime.deployment.config.plugins.enabled where runtime.scan.plugin(id) == nil {
            problems.append("plugin \(id) is not loaded")
        }
        do { _ = try await runtime.store.flowStates() } catch { problems.append("the store does not answer") }
        if await coordinator.isStopping { problems.append("shutting down") }
        struct Readiness: Codable { var ready: Bool; var plugins: Int; var problems: [String] }
        return try JSON.response(Readiness(ready: problems.isEmpty, plugins: runtime.scan.loaded.count, problems: problems),
                                 status: problems.isEmpty ? .ok : .serviceUnavailable)
    }

    /// The Prometheus text of the process's metrics, then the webhook inbox: its depth per state
    /// (`crosswalk_webhook_inbox{state}`, from the store, so it counts what earlier processes left)
    /// and this process's deliveries by outcome (`crosswalk_webhook_deliveries_total{outcome}`:
    /// accepted, duplicates, rejected, processed, failed).
    func metrics() async -> String {
        var text = metricsText()
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        do {
            let counts = try await runtime.store.webhookInboxCounts()
            text += "# HELP crosswalk_webhook_inbox Webhook deliveries in the inbox, by state.\n# TYPE crosswalk_webhook_inbox gauge\n"
            for state in WebhookDeliveryState.allCases { text += "crosswalk_webhook_inbox{state=\"\(state.rawValue)\"} \(counts[state] ?? 0)\n" }
        } catch {
            logger.warning("metrics: the webhook inbox could not be counted", metadata: ["error": "\(error)"])
        }
        let s = webhooks.statistics
        text += "# HELP crosswalk_webhook_deliveries_total Webhook deliveries since the service started, by outcome.\n"
        text += "# TYPE crosswalk_webhook_deliveries_total counter\n"
        for (outcome, n) in [("accepted", s.accepted), ("duplicates", s.duplicates), ("rejected", s.rejected), ("processed", s.processed), ("failed", s.failed)] {
            text += "crosswalk_webhook_deliveries_total{outcome=\"\(outcome)\"} \(n)\n"
        }
        return text
    }

    // MARK: Webhooks

    /// `POST /hooks/{connection}`: no bearer token (the connector's signature is the
    /// authentication). Hands the request as received — the raw path and query, the public URL the
    /// app called (``publicURL`` joined with them), every header, the exact body — to
    /// ``WebhookService/receive(connection:request:)`` and answers its ``WebhookAnswer`` as is.
    func hook(_ connection: String, _ request: Request) async throws -> Response {
        let receivedAt = Date()
        let limit = webhooks.configuration.maxBodyBytes
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch {
            logger.warning("webhook refused: body too large", metadata: ["connection": "\(connection)"])
            return JSON.text("body too large\n", contentType: "text/plain; charset=utf-8", status: .contentTooLarge)
        }
        let target = request.head.path ?? request.uri.description
        let path: String, query: String?
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        } else {
            path = target
            query = nil
        }
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        let base = publicURL.withLock { $0 } ?? ""
        let inbound = InboundWebhook(method: request.method.rawValue, path: path, query: query, url: base + target, headers: headers,
                                     body: Data(buffer.readableBytesView), receivedAt: receivedAt)
        let answer = await webhooks.receive(connection: connection, request: inbound)
        var fields = HTTPFields()
        if let contentType = answer.contentType { fields[.contentType] = contentType }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }

    // MARK: Plugins and connections

    func plugins() throws -> Response {
        let enabled = runtime.deployment.enabled
        let loaded = runtime.scan.loaded.map {
            PluginDTO(id: $0.id, version: $0.version, abi: $0.abiDescription, language: $0.languageDescription,
                      enabled: enabled.contains($0.id), status: "loaded", reason: nil, path: $0.path)
        }
        let refused = runtime.scan.refused.map { PluginDTO(id: nil, version: nil, abi: nil, language: nil, enabled: false, status: "refused", reason: $0.reason, path: $0.path) }
        return try JSON.response(Items(items: loaded.sorted { $0.id! < $1.id! } + refused))
    }

    func connections() async throws -> Response { try JSON.response(Items(items: try await connectionRows())) }

    func connectionRows() async throws -> [ConnectionDTO] {
        try await runtime.credentialStatuses().map {
            ConnectionDTO(name: $0.connection, connector: $0.connector, credentials_stored: $0.scheme != nil, scheme: $0.scheme, token: $0.token,
                          origin: runtime.overlay.origin(ofConnection: $0.connection))
        }
    }

    func testConnection(_ name: String) async throws -> Response { try JSON.response(try await connectionTest(name)) }

    /// Tests the connection (the plugin's `check`) and remembers the outcome in ``health``.
    func connectionTest(_ name: String) async throws -> ConnectionTestDTO {
        let result = try await checkConnection(name)
        await health.record(name, result)
        return result
    }

    private func checkConnection(_ name: String) async throws -> ConnectionTestDTO {
        guard runtime.deployment.config.connections[name] != nil else {
            throw APIError(.notFound, "not_found", "no connection \"\(name)\"; known: \(runtime.deployment.config.connections.keys.sorted().joined(separator: ", "))", field: "connection")
        }
        do {
            let client = try await runtime.client(for: name)
            let result: CheckResult
            do { result = try await client.check() } catch {
                await client.close()
                throw error
            }
            await client.close()
            return ConnectionTestDTO(connection: name, ok: result.ok, message: result.message, code: nil)
        } catch let e as CrosswalkError where ![.internalError].contains(e.code) {
            return ConnectionTestDTO(connection: name, ok: false, message: e.message, code: e.code.rawValue)
        }
    }

    // MARK: Flows

    func flowDTO(_ name: String, detail: Bool) async throws -> FlowDTO {
        let f = definitions.flows[name]!
        let last = try await runtime.store.runs(flow: name, limit: 1).first
        let direction = f.isTwoWay ? "two_way" : "one_way"
        return FlowDTO(
            name: name, description: f.description, enabled: await coordinator.isEnabled(name, configDefault: f.enabled),
            enabled_by: await coordinator.isSetByAPI(name) ? "api" : "config",
            source: RecordObjectDTO(connection: f.source.connection, object: f.source.object),
            targets: f.targets.map { TargetDTO(name: $0.name, connection: $0.connection, object: $0.object, mode: detail ? "\($0.mode)" : nil,
                                               mapping: detail ? $0.mapping : nil, criteria: detail ? $0.criteria : nil) },
            direction: direction, schedule: definitions.schedules[name]?.description, running: await coordinator.isRunning(name),
            next_run_at: await scheduler.nextRun(name).flatMap { $0 == .distantFuture ? nil : $0 }, last_run: last.map(RunDTO.init),
            criteria: detail ? f.criteria : nil, origin: runtime.overlay.origin(ofFlow: name) ?? "config")
    }

    func listFlows() async throws -> Response {
        var items: [FlowDTO] = []
        for name in definitions.flows.keys.sorted() { items.append(try await flowDTO(name, detail: false)) }
        struct FlowList: Codable { var items: [FlowDTO]; var problems: [String] }
        return try JSON.response(FlowList(items: items, problems: definitions.problems))
    }

    func showFlow(_ name: String) async throws -> Response { try JSON.response(try await flowDTO(name, detail: true)) }

    func setEnabled(_ name: String, _ enabled: Bool) async throws -> Response { try JSON.response(try await switchFlow(name, enabled)) }

    /// Turns the flow on or off (remembered in the store, over the file's `enabled:`) and reschedules it.
    func switchFlow(_ name: String, _ enabled: Bool) async throws -> FlowDTO {
        try await coordinator.setEnabled(name, enabled)
        await scheduler.reschedule(name)
        return try await flowDTO(name, detail: false)
    }

    func runNow(_ name: String) async throws -> Response { try JSON.response(try await runFlow(name)) }

    /// Runs the flow now (waits for its run to end; `.conflict` while one is in flight).
    func runFlow(_ name: String) async throws -> ReportDTO {
        let report = try await coordinator.exclusive(name) { signal in
            try await flows.run(name, options: RunOptions(trigger: .manual, stop: signal, keepPlans: 0))
        }
        return ReportDTO(report)
    }

    func dryRun(_ name: String, _ request: Request) async throws -> Response {
        let (limit, _) = try paging(request, defaultLimit: 1000)
        let report = try await flows.run(name, options: RunOptions(trigger: .manual, dryRun: true, keepPlans: limit))
        return try JSON.response(ReportDTO(report))
    }

    func syncRecords(_ name: String, _ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await JSON.decode(SyncRequest.self, from: request, context: context)
        guard !body.ids.isEmpty else { throw APIError.badRequest("ids: give at least one record id", field: "ids") }
        guard body.ids.count <= 1000 else { throw APIError.badRequest("ids: at most 1000 ids at a time", field: "ids") }
        if let i = body.ids.firstIndex(where: { $0.isEmpty }) { throw APIError.badRequest("ids[\(i)]: an id is not empty", field: "ids[\(i)]") }
        let side: FlowSide
        switch body.side ?? "source" {
        case "source": side = .source
        case "target":
            guard definitions.flows[name]!.isTwoWay else {
                throw APIError.badRequest("side: \"target\" needs a two-way flow; \(name) is one way", field: "side")
            }
            side = .target
        case let other: throw APIError.badRequest("side: expected \"source\" or \"target\", found \"\(other)\"", field: "side")
        }
        let report = try await coordinator.exclusive(name) { signal in
            try await flows.sync(name, ids: body.ids, side: side, options: RunOptions(trigger: .manual, stop: signal, keepPlans: 0))
        }
        return try JSON.response(ReportDTO(report))
    }

    func retry(_ name: String, ids: [String]?) async throws -> Response { try JSON.response(try await retryRecords(name, ids: ids)) }

    /// Retries the flow's failed records (`ids`, or all of them when `nil`) in one run.
    func retryRecords(_ name: String, ids: [String]?) async throws -> ReportDTO {
        let report = try await coordinator.exclusive(name) { _ in try await flows.retry(name, ids: ids) }
        return ReportDTO(report)
    }

    /// Retries one failed record of the flow; `.notFound` (field `record`) when it is not in the queue.
    func retryOne(_ name: String, record: String) async throws -> ReportDTO {
        let source = definitions.flows[name]!.source
        guard try await runtime.store.failure(flow: name, source: RecordRef(connection: source.connection, object: source.object, id: record)) != nil else {
            throw APIError(.notFound, "not_found", "flow \(name) has no failed record \(record)", field: "record")
        }
        return try await retryRecords(name, ids: [record])
    }

    func reconcile(_ name: String) async throws -> Response {
        try JSON.response(ReconcileDTO(try await flows.reconcile(name)))
    }

    // MARK: Runs, logs, failures, ID map

    func flowRuns(_ name: String, _ request: Request) async throws -> Response {
        let (limit, offset) = try paging(request, defaultLimit: 20)
        return try JSON.response(Page(items: try await runsPage(name, limit: limit, offset: offset), limit: limit, offset: offset))
    }

    /// The flow's runs, newest first.
    func runsPage(_ name: String, limit: Int, offset: Int = 0) async throws -> [RunDTO] {
        try await recentRuns(name, limit: limit + offset).dropFirst(offset).map(RunDTO.init)
    }

    /// The flow's newest `limit` runs, newest first, as the store keeps them (the dashboard's chart counts them).
    func recentRuns(_ name: String, limit: Int) async throws -> [Run] { try await runtime.store.runs(flow: name, limit: limit) }

    /// How many failed records the flow has queued.
    func failedCount(_ name: String) async throws -> Int { try await runtime.store.failureCount(flow: name) }

    func allRuns(_ request: Request) async throws -> Response {
        let (limit, offset) = try paging(request, defaultLimit: 20)
        if let flow = request.uri.queryParameters.get("flow"), definitions.flows[flow] == nil {
            throw APIError(.notFound, "not_found", "no flow \"\(flow)\"", field: "flow")
        }
        var runs: [Run] = []
        for name in request.uri.queryParameters.get("flow").map({ [$0] }) ?? definitions.flows.keys.sorted() {
            runs += try await runtime.store.runs(flow: name, limit: limit + offset)
        }
        let page = runs.sorted { ($0.startedAt, $0.id) > ($1.startedAt, $1.id) }.dropFirst(offset).prefix(limit)
        return try JSON.response(Page(items: page.map(RunDTO.init), limit: limit, offset: offset))
    }

    func showRun(_ id: RunID) async throws -> Response { try JSON.response(try await run(id)) }

    /// The run; `.notFound` (field `run`) when there is none.
    func run(_ id: RunID) async throws -> RunDTO {
        guard let run = try await runtime.store.run(id) else { throw APIError(.notFound, "not_found", "no run \(id)", field: "run") }
        return RunDTO(run)
    }

    func runLog(_ id: RunID, _ request: Request) async throws -> Response {
        let (limit, offset) = try paging(request)
        return try JSON.response(Page(items: try await runLogPage(id, limit: limit, offset: offset), limit: limit, offset: offset))
    }

    /// A page of the run's sync log, in the order it was written; `.notFound` for no such run.
    func runLogPage(_ id: RunID, limit: Int, offset: Int = 0) async throws -> [LogEntryDTO] {
        guard try await runtime.store.run(id) != nil else { throw APIError(.notFound, "not_found", "no run \(id)", field: "run") }
        return try await runtime.store.syncLog(run: id, limit: limit, offset: offset).map { LogEntryDTO($0, run: id) }
    }

    /// The flow's sync log across its runs, newest run first (each run's entries in order).
    func flowLog(_ name: String, _ request: Request) async throws -> Response {
        let (limit, offset) = try paging(request)
        return try JSON.response(Page(items: try await logPage(name, limit: limit, offset: offset), limit: limit, offset: offset))
    }

    /// A page of the flow's sync log across its runs, newest run first (each run's entries in order).
    func logPage(_ name: String, limit: Int, offset: Int = 0) async throws -> [LogEntryDTO] {
        var skip = offset
        var items: [LogEntryDTO] = []
        for run in try await runtime.store.runs(flow: name, limit: 1000) where items.count < limit {
            let c = run.counts
            let logged = c.created + c.updated + c.deleted + c.skipped + c.failed
            if run.status != .running, skip >= logged {
                skip -= logged
                continue
            }
            var at = skip
            skip = 0
            while items.count < limit {
                let entries = try await runtime.store.syncLog(run: run.id, limit: limit - items.count, offset: at)
                if entries.isEmpty { break }
                items += entries.map { LogEntryDTO($0, run: run.id) }
                at += entries.count
            }
        }
        return items
    }

    func failed(_ name: String, _ request: Request) async throws -> Response {
        let (limit, offset) = try paging(request)
        return try JSON.response(Page(items: try await failedPage(name, limit: limit, offset: offset), limit: limit, offset: offset))
    }

    /// A page of the flow's failed-record queue, oldest first.
    func failedPage(_ name: String, limit: Int, offset: Int = 0) async throws -> [FailedDTO] {
        try await runtime.store.failures(flow: name, limit: limit, offset: offset).map(FailedDTO.init)
    }

    func idmap(_ connection: String, _ object: String, _ id: String) async throws -> Response {
        try JSON.response(Items(items: try await twins(connection, object, id)))
    }

    /// The record's twins in the ID map; `.notFound` for an unknown connection or a record not mapped.
    func twins(_ connection: String, _ object: String, _ id: String) async throws -> [TwinDTO] {
        guard runtime.deployment.config.connections[connection] != nil else {
            throw APIError(.notFound, "not_found", "no connection \"\(connection)\"", field: "connection")
        }
        let found = try await flows.idmap(connection: connection, object: object, id: id)
        guard !found.isEmpty else {
            throw APIError(.notFound, "not_found", "\(connection) \(object) \(id) is not in the ID map", field: "id")
        }
        let record = RecordRef(connection: connection, object: object, id: id)
        return found.map { m in
            TwinDTO(link: m.link, record: RecordRefDTO(record), twin: RecordRefDTO(m.a == record ? m.b : m.a), updated_at: m.updatedAt)
        }
    }
}

extension BasicRequestContext {
    /// A path parameter (always present on a matched route).
    func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else { throw APIError.badRequest("\(name) is required", field: name) }
        return value.removingPercentEncoding ?? value
    }
}

/// `GET /api/v1/leases`: which host holds which flow, from the shared store's lease rows.
struct LeaseDTO: Encodable {
    var name: String
    var holder: String
    var token: Int64
    var expires_at: String
    /// Whether this host holds it.
    var mine: Bool
}

struct LeasesDTO: Encodable {
    /// Whether the store is shared by several hosts (PostgreSQL).
    var shared: Bool
    /// This host's name in lease rows; `null` with SQLite.
    var holder: String?
    var leases: [LeaseDTO]
}

extension AdminAPI {
    func listLeases() async throws -> Response {
        guard let leases else { return try JSON.response(LeasesDTO(shared: false, holder: nil, leases: [])) }
        let mine = Set(await leases.heldLeases())
        let rows = try await leases.allLeases().map { lease in
            LeaseDTO(name: lease.name, holder: lease.holder, token: lease.token, expires_at: JSON.timestamp(lease.expiresAt),
                     mine: mine.contains(LeaseToken(name: lease.name, holder: lease.holder, token: lease.token)))
        }
        return try JSON.response(LeasesDTO(shared: true, holder: leases.holder, leases: rows))
    }
}
