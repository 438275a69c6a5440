import CrosswalkConfig
import CrosswalkCore
import CrosswalkFlows
import CrosswalkHTTP
import CrosswalkRuntime
import CrosswalkStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mustache
import NIOCore

/// The dashboard of `crosswalk serve`: server-rendered HTML pages under `/dashboard` (mustache
/// templates compiled in, ``DashboardTemplates``; the chart drawn as SVG by ``SyncChart``), with
/// plain POST forms for what an operator does — turn a flow on or off, run it, retry one failed
/// record or all of them, test a connection. No JavaScript.
///
/// Everything goes through the admin API's own functions (``AdminAPI/switchFlow(_:_:)``,
/// ``AdminAPI/retryOne(_:record:)``, ``AdminAPI/logPage(_:limit:offset:)``…), the code paths of
/// `/api/v1`, not a second implementation.
///
/// Auth: the login form takes the admin token (compared in constant time, never echoed or
/// logged) and starts a session (``DashboardSessions``): an HttpOnly, SameSite=Strict cookie and a
/// CSRF token in every form. A GET without a session is redirected to the login page; a POST
/// without a session or with a wrong CSRF token is answered 403.
struct Dashboard: Sendable {
    let api: AdminAPI
    let token: String
    let sessions: DashboardSessions
    /// `Secure` on the cookies (when `service.public_url` is https).
    let secureCookies: Bool
    let logger: Logger

    init(api: AdminAPI, token: String, sessions: DashboardSessions = DashboardSessions(), secureCookies: Bool = false, logger: Logger) {
        self.api = api
        self.token = token
        self.sessions = sessions
        self.secureCookies = secureCookies
        self.logger = logger
    }

    /// The dashboard's routes (`METHOD /path`), apart from the admin API's: not in openapi.yaml, which
    /// describes the JSON API only (ServiceContractTests checks both lists).
    static let routes: [(HTTPRequest.Method, String)] = [
        (.get, "/dashboard"), (.get, "/dashboard/login"), (.post, "/dashboard/login"), (.post, "/dashboard/logout"),
        (.get, "/dashboard/flows/{flow}"), (.post, "/dashboard/flows/{flow}/enable"), (.post, "/dashboard/flows/{flow}/disable"),
        (.post, "/dashboard/flows/{flow}/run"), (.post, "/dashboard/flows/{flow}/failed/retry"),
        (.post, "/dashboard/flows/{flow}/failed/{record}/retry"),
        (.get, "/dashboard/log"), (.get, "/dashboard/failed"), (.get, "/dashboard/connections"),
        (.post, "/dashboard/connections/{connection}/test"), (.get, "/dashboard/idmap"),
    ]

    func register(on router: Router<BasicRequestContext>) {
        for (method, path) in Self.routes {
            let routerPath = path.split(separator: "/", omittingEmptySubsequences: false).map { part in
                part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : part
            }.joined(separator: "/")
            let dashboard = self
            router.on(RouterPath(routerPath), method: method) { request, context in
                await dashboard.handle(method, path, request, context)
            }
        }
    }

    // MARK: Dispatch

    func handle(_ method: HTTPRequest.Method, _ path: String, _ request: Request, _ context: BasicRequestContext) async -> Response {
        func parameter(_ name: String) -> String {
            let value = context.parameters.get(name) ?? ""
            return value.removingPercentEncoding ?? value
        }
        switch (method, path) {
        case (.get, "/dashboard/login"): return await loginPage(request)
        case (.post, "/dashboard/login"): return await login(request)
        case (.post, "/dashboard/logout"):
            return await action(request) { session, _ in
                await sessions.end(session.id)
                return (nil, "/dashboard/login")
            }
        case (.get, "/dashboard"): return await page(request, "flows", "Flows") { s in try await flowsPage(s) }
        case (.get, "/dashboard/flows/{flow}"):
            return await page(request, "flows", parameter("flow")) { s in try await flowPage(s, try api.knownFlow(parameter("flow"))) }
        case (.post, "/dashboard/flows/{flow}/enable"), (.post, "/dashboard/flows/{flow}/disable"):
            let on = path.hasSuffix("/enable")
            return await action(request) { _, _ in
                let flow = try await api.switchFlow(try api.knownFlow(parameter("flow")), on)
                return ("\(flow.name) is now \(flow.enabled ? "on" : "off").", nil)
            }
        case (.post, "/dashboard/flows/{flow}/run"):
            return await action(request) { _, _ in
                let report = try await api.runFlow(try api.knownFlow(parameter("flow")))
                return ("Run \(report.run.map { String($0) } ?? "-") of \(report.flow): \(report.status); \(Self.summary(report.counts)).", nil)
            }
        case (.post, "/dashboard/flows/{flow}/failed/retry"):
            return await action(request) { _, _ in
                let report = try await api.retryRecords(try api.knownFlow(parameter("flow")), ids: nil)
                return ("Retried the failed records of \(report.flow): \(Self.summary(report.counts)).", nil)
            }
        case (.post, "/dashboard/flows/{flow}/failed/{record}/retry"):
            return await action(request) { _, _ in
                let record = parameter("record")
                let report = try await api.retryOne(try api.knownFlow(parameter("flow")), record: record)
                let c = report.counts
                let outcome = c.failed > 0 ? "failed again" : c.created + c.updated + c.deleted > 0 ? "synced" : "skipped"
                let reasons = report.reasons.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", ")
                return ("Retried \(record) of \(report.flow): \(outcome) (\(Self.summary(c))\(reasons.isEmpty ? "" : "; " + reasons)).", nil)
            }
        case (.get, "/dashboard/log"): return await page(request, "log", "Sync log") { s in try await logPage(s, request) }
        case (.get, "/dashboard/failed"): return await page(request, "failed", "Failed records") { s in try await failedPage(s, request) }
        case (.get, "/dashboard/connections"): return await page(request, "connections", "Connections") { s in try await connectionsPage(s) }
        case (.post, "/dashboard/connections/{connection}/test"):
            return await action(request) { _, _ in
                let result = try await api.connectionTest(parameter("connection"))
                return ("\(result.connection): \(result.ok ? "OK" : "failed") — \(result.message)", nil)
            }
        case (.get, "/dashboard/idmap"): return await page(request, "idmap", "ID map") { s in try await idmapPage(s, request) }
        default: return html(404, render("error", ErrorView(heading: "Not found", message: "No page \(path)."), title: "Not found", page: "", session: nil))
        }
    }

    // MARK: Sessions, login, CSRF

    func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    func session(_ request: Request) async -> DashboardSessions.Session? {
        guard let id = cookie(DashboardSessions.cookieName, in: request), !id.isEmpty else { return nil }
        return await sessions.session(id)
    }

    static let setCookieField = HTTPField.Name("Set-Cookie")!

    func setCookie(_ name: String, _ value: String, path: String, maxAge: Int) -> String {
        "\(name)=\(value); Path=\(path); Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")
    }

    /// A path under `/dashboard` to go back to after a form (never another site).
    static func safeBack(_ value: String?) -> String? {
        guard let value, value == "/dashboard" || value.hasPrefix("/dashboard/") || value.hasPrefix("/dashboard?"),
              !value.contains("//"), !value.contains("\\"), !value.contains("\r"), !value.contains("\n") else { return nil }
        return value
    }

    struct LoginView {
        var style = DashboardTemplates.style
        var message: String?
        var loginCSRF: String
        var next: String
        var hours: Int
    }

    func loginPage(_ request: Request) async -> Response {
        await loginPage(next: request.uri.queryParameters.get("next").map { String($0) })
    }

    func loginPage(next: String?, message: String? = nil, status: HTTPResponse.Status = .ok) async -> Response {
        let next = Self.safeBack(next) ?? "/dashboard"
        let loginCSRF = DashboardSessions.randomToken()
        let view = LoginView(message: message, loginCSRF: loginCSRF, next: next, hours: Int(sessions.lifetime / 3600))
        var response = html(status, DashboardTemplates.library.render(view, withTemplate: "login") ?? "")
        response.headers[Self.setCookieField] = setCookie(DashboardSessions.loginCookieName, loginCSRF, path: "/dashboard/login", maxAge: 1800)
        return response
    }

    func login(_ request: Request) async -> Response {
        let form: [String: String]
        do { form = try await Self.form(request) } catch { return html(400, "bad form") }
        guard let expected = cookie(DashboardSessions.loginCookieName, in: request), let given = form["login_csrf"],
              DashboardSessions.equal(expected, given) else {
            return forbidden("The login form expired or came from another page: load the login page again.")
        }
        guard let typed = form["token"], !typed.isEmpty, DashboardSessions.equal(typed, token) else {
            logger.notice("dashboard login refused: wrong admin token")
            return await loginPage(next: form["next"], message: "That is not the admin token.", status: .unauthorized)
        }
        let session = await sessions.create()
        logger.info("dashboard login")
        var response = redirect(Self.safeBack(form["next"]) ?? "/dashboard")
        response.headers[values: Self.setCookieField] = [
            setCookie(DashboardSessions.cookieName, session.id, path: "/dashboard", maxAge: Int(sessions.lifetime)),
            setCookie(DashboardSessions.loginCookieName, "", path: "/dashboard/login", maxAge: 0),
        ]
        return response
    }

    /// A page for a logged-in operator; without a session, a redirect to the login page.
    func page(_ request: Request, _ page: String, _ title: String, _ body: (DashboardSessions.Session) async throws -> String) async -> Response {
        guard let session = await session(request) else {
            return redirect("/dashboard/login?next=" + Self.queryEncode(request.uri.description))
        }
        let notice = await sessions.takeNotice(session.id)
        do {
            return html(200, render(body: try await body(session), title: title, page: page, session: session, notice: notice))
        } catch {
            let (status, message) = describe(error)
            return html(status, render("error", ErrorView(heading: status == 404 ? "Not found" : "Something went wrong", message: message),
                                       title: "Error", page: page, session: session, notice: notice))
        }
    }

    /// A POST form's action: checks the session and the CSRF token (403 otherwise), runs `body`,
    /// leaves its message (or the error's) for the next page, and redirects to the form's `back`
    /// (303), or where `body` says.
    func action(_ request: Request, _ body: (DashboardSessions.Session, [String: String]) async throws -> (notice: String?, location: String?)) async -> Response {
        let form: [String: String]
        do { form = try await Self.form(request) } catch { return html(400, "bad form") }
        guard let session = await session(request) else { return forbidden("Your session has ended: log in again.") }
        guard let csrf = form["csrf"], DashboardSessions.equal(csrf, session.csrf) else {
            logger.warning("dashboard form refused: wrong CSRF token", metadata: ["path": "\(request.uri.path)"])
            return forbidden("The form's CSRF token is wrong or missing: reload the page and try again.")
        }
        let back = Self.safeBack(form["back"]) ?? "/dashboard"
        do {
            let (notice, location) = try await body(session, form)
            if let notice { await sessions.setNotice(session.id, notice) }
            return redirect(location ?? back)
        } catch {
            await sessions.setNotice(session.id, "Not done: \(describe(error).1)")
            return redirect(back)
        }
    }

    func describe(_ error: any Error) -> (HTTPResponse.Status, String) {
        switch error {
        case let e as APIError: return (e.status, e.message)
        case let e as CrosswalkError: return (APIError(e).status, e.message)
        default:
            logger.error("dashboard request failed", metadata: ["error": "\(type(of: error))"])
            return (.internalServerError, "internal error")
        }
    }

    func forbidden(_ message: String) -> Response {
        html(403, render("error", ErrorView(heading: "Forbidden", message: message), title: "Forbidden", page: "", session: nil)
            .replacingOccurrences(of: "<a href=\"/dashboard\">Back to the flows</a>", with: "<a href=\"/dashboard/login\">Log in</a>"))
    }

    func redirect(_ location: String) -> Response {
        var fields = HTTPFields()
        fields[.location] = location
        fields[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: fields)
    }

    func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        fields[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        fields[HTTPField.Name("X-Frame-Options")!] = "DENY"
        fields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        fields[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func html(_ code: Int, _ text: String) -> Response { html(HTTPResponse.Status(code: code), text) }

    /// An `application/x-www-form-urlencoded` body (at most 64 KiB).
    static func form(_ request: Request) async throws -> [String: String] {
        var body = try await request.body.collect(upTo: 1 << 16)
        let text = body.readString(length: body.readableBytes) ?? ""
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let key = parts.first else { continue }
            out[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return out
    }

    static func queryEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func pathEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    // MARK: Layout

    struct NavItem { var href: String; var label: String; var current: Bool }
    struct Layout {
        var style = DashboardTemplates.style
        var title: String
        var page: String
        var nav: [NavItem]
        var csrf: String
        var notice: String?
        var body: String
    }
    struct ErrorView { var heading: String; var message: String }

    func render(body: String, title: String, page: String, session: DashboardSessions.Session?, notice: String? = nil) -> String {
        let nav = [("/dashboard", "Flows", "flows"), ("/dashboard/log", "Sync log", "log"), ("/dashboard/failed", "Failed records", "failed"),
                   ("/dashboard/connections", "Connections", "connections"), ("/dashboard/idmap", "ID map", "idmap")]
            .map { NavItem(href: $0.0, label: $0.1, current: $0.2 == page) }
        let layout = Layout(title: title, page: page, nav: session == nil ? [] : nav, csrf: session?.csrf ?? "", notice: notice, body: body)
        return DashboardTemplates.library.render(layout, withTemplate: "layout") ?? ""
    }

    func render(_ template: String, _ model: Any, title: String, page: String, session: DashboardSessions.Session?, notice: String? = nil) -> String {
        render(body: DashboardTemplates.library.render(model, withTemplate: template) ?? "", title: title, page: page, session: session, notice: notice)
    }

    // MARK: Formatting

    static func time(_ date: Date?) -> String {
        guard let date else { return "" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return f.string(from: date)
    }

    static func summary(_ c: CountsDTO) -> String {
        "\(c.created) created, \(c.updated) updated, \(c.deleted) deleted, \(c.skipped) skipped, \(c.failed) failed"
    }

    static func ref(_ r: RecordRefDTO?) -> String { r.map { "\($0.connection) \($0.object) \($0.id)" } ?? "" }

    // MARK: Flows

    struct RunView {
        var id: Int64; var trigger: String; var status: String; var startedAt: String; var finishedAt: String
        var created, updated, deleted, skipped, failed: Int
        var summary: String
        init(_ r: RunDTO) {
            id = r.id; trigger = r.trigger; status = r.status; startedAt = Dashboard.time(r.started_at); finishedAt = Dashboard.time(r.finished_at)
            created = r.counts.created; updated = r.counts.updated; deleted = r.counts.deleted; skipped = r.counts.skipped; failed = r.counts.failed
            summary = Dashboard.summary(r.counts)
        }
    }

    struct FlowRow {
        var name: String
        var description: String?
        var href: String
        var route: String
        var schedule: String
        var running: Bool
        var enabled: Bool
        var toggleAction: String
        var back: String
        var lastRun: RunView?
        var failedCount: Int
        var failedHref: String
    }

    func flowRow(_ f: FlowDTO, back: String) async throws -> FlowRow {
        let e = Self.pathEncode(f.name)
        let route = "\(f.source.connection) \(f.source.object) → " + f.targets.map { "\($0.connection) \($0.object)" }.joined(separator: ", ")
            + (f.direction == "two_way" ? " (two way)" : "")
        return FlowRow(name: f.name, description: f.description, href: "/dashboard/flows/\(e)", route: route, schedule: f.schedule ?? "no schedule",
                       running: f.running, enabled: f.enabled, toggleAction: "/dashboard/flows/\(e)/\(f.enabled ? "disable" : "enable")", back: back,
                       lastRun: f.last_run.map(RunView.init), failedCount: try await api.failedCount(f.name),
                       failedHref: "/dashboard/failed?flow=\(Self.queryEncode(f.name))")
    }

    /// The chart of the flows' runs in the last 24 hours.
    func chart(_ names: [String]) async throws -> String {
        var runs: [Run] = []
        for name in names { runs += try await api.recentRuns(name, limit: 2000) }
        return SyncChart(runs: runs, now: Date(), hours: 24, flows: names).svg()
    }

    struct FlowsView { var problems: [String]; var flows: [FlowRow]; var chart: String; var csrf: String }

    func flowsPage(_ session: DashboardSessions.Session) async throws -> String {
        let names = api.definitions.flows.keys.sorted()
        var rows: [FlowRow] = []
        for name in names { rows.append(try await flowRow(try await api.flowDTO(name, detail: false), back: "/dashboard")) }
        let view = FlowsView(problems: api.definitions.problems, flows: rows, chart: try await chart(names), csrf: session.csrf)
        return DashboardTemplates.library.render(view, withTemplate: "flows") ?? ""
    }

    struct LogEntryView {
        var at: String; var flow: String; var run: String; var source: String; var action: String; var outcome: String
        var reason: String; var target: String
        init(_ e: LogEntryDTO, flow: String) {
            at = Dashboard.time(e.at); self.flow = flow; run = e.run.map { String($0) } ?? ""; source = Dashboard.ref(e.source)
            action = e.action; outcome = e.outcome; reason = e.reason ?? ""; target = Dashboard.ref(e.target)
        }
    }

    struct FlowDetail {
        var name: String; var description: String?; var source: String; var targets: [String]; var direction: String
        var schedule: String; var enabledBy: String; var nextRun: String; var enabled: Bool; var toggleAction: String
        var back: String; var runAction: String; var retryAllAction: String; var failedCount: Int; var failedHref: String
    }
    struct FlowView { var flow: FlowDetail; var chart: String; var runs: [RunView]; var entries: [LogEntryView]; var logLimit: Int; var csrf: String }

    func flowPage(_ session: DashboardSessions.Session, _ name: String) async throws -> String {
        let f = try await api.flowDTO(name, detail: true)
        let e = Self.pathEncode(name)
        let back = "/dashboard/flows/\(e)"
        let detail = FlowDetail(
            name: name, description: f.description, source: "\(f.source.connection) \(f.source.object)",
            targets: f.targets.map { "\($0.name): \($0.connection) \($0.object)" + ($0.mode.map { " (\($0))" } ?? "") },
            direction: f.direction == "two_way" ? "two way" : "one way", schedule: f.schedule ?? "no schedule",
            enabledBy: f.enabled_by == "api" ? "the API or dashboard" : "the config file", nextRun: Self.time(f.next_run_at).isEmpty ? "—" : Self.time(f.next_run_at),
            enabled: f.enabled, toggleAction: "/dashboard/flows/\(e)/\(f.enabled ? "disable" : "enable")", back: back,
            runAction: "/dashboard/flows/\(e)/run", retryAllAction: "/dashboard/flows/\(e)/failed/retry",
            failedCount: try await api.failedCount(name), failedHref: "/dashboard/failed?flow=\(Self.queryEncode(name))")
        let logLimit = 50
        let view = FlowView(flow: detail, chart: try await chart([name]), runs: try await api.runsPage(name, limit: 20).map(RunView.init),
                            entries: try await api.logPage(name, limit: logLimit).map { LogEntryView($0, flow: name) }, logLimit: logLimit,
                            csrf: session.csrf)
        return DashboardTemplates.library.render(view, withTemplate: "flow") ?? ""
    }

    // MARK: Sync log

    struct Option { var value: String; var label: String; var selected: Bool }
    struct LogView { var flowOptions: [Option]; var outcomeOptions: [Option]; var run: String?; var summary: String; var entries: [LogEntryView] }

    func logPage(_ session: DashboardSessions.Session, _ request: Request) async throws -> String {
        let query = request.uri.queryParameters
        let flow = query.get("flow").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
        let outcome = query.get("outcome").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
        let names = api.definitions.flows.keys.sorted()
        let limit = 200
        var entries: [LogEntryView] = []
        if let runText = query.get("run") {
            guard let run = RunID(String(runText)), run > 0 else { throw APIError.badRequest("run: expected a run id, found '\(runText)'", field: "run") }
            let runDTO = try await api.run(run)
            for e in try await api.runLogPage(run, limit: 1000) where outcome == nil || e.outcome == outcome {
                entries.append(LogEntryView(e, flow: runDTO.flow))
            }
        } else {
            if let flow { _ = try api.knownFlow(flow) }
            var all: [(Date, LogEntryView)] = []
            for name in flow.map({ [$0] }) ?? names {
                for e in try await api.logPage(name, limit: limit) where outcome == nil || e.outcome == outcome {
                    all.append((e.at, LogEntryView(e, flow: name)))
                }
            }
            let newest = all.sorted { $0.0 > $1.0 }.prefix(limit)
            entries = newest.map(\.1)
        }
        let outcomes = [("", "all outcomes"), ("ok", "succeeded"), ("failed", "failed"), ("skipped", "skipped")]
        let view = LogView(
            flowOptions: names.map { Option(value: $0, label: $0, selected: $0 == flow) },
            outcomeOptions: outcomes.map { Option(value: $0.0, label: $0.1, selected: $0.0 == (outcome ?? "")) },
            run: query.get("run").map { String($0) },
            summary: "\(entries.count) entr\(entries.count == 1 ? "y" : "ies")" + (query.get("run") == nil ? " (the newest \(limit) at most)" : ""),
            entries: entries)
        return DashboardTemplates.library.render(view, withTemplate: "log") ?? ""
    }

    // MARK: Failed records

    struct FailedView {
        var flow: String; var id: String; var source: String; var code: String; var message: String; var attempts: Int
        var firstFailedAt: String; var nextRetryAt: String; var waitingOn: String?; var retryAction: String; var back: String
    }
    struct FailedGroup { var flow: String; var count: Int; var hasRecords: Bool; var retryAllAction: String; var back: String; var records: [FailedView] }
    struct FailedPageView { var groups: [FailedGroup]; var csrf: String }

    func failedPage(_ session: DashboardSessions.Session, _ request: Request) async throws -> String {
        let flow = request.uri.queryParameters.get("flow").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
        if let flow { _ = try api.knownFlow(flow) }
        let back = "/dashboard/failed" + (flow.map { "?flow=" + Self.queryEncode($0) } ?? "")
        var groups: [FailedGroup] = []
        for name in flow.map({ [$0] }) ?? api.definitions.flows.keys.sorted() {
            let e = Self.pathEncode(name)
            let rows = try await api.failedPage(name, limit: 500).map { f in
                FailedView(flow: name, id: f.source.id, source: Self.ref(f.source), code: f.code, message: f.message, attempts: f.attempts,
                           firstFailedAt: Self.time(f.first_failed_at), nextRetryAt: Self.time(f.next_retry_at), waitingOn: f.waiting_on.map { Self.ref($0) },
                           retryAction: "/dashboard/flows/\(e)/failed/\(Self.pathEncode(f.source.id))/retry", back: back)
            }
            let count = try await api.failedCount(name)
            groups.append(FailedGroup(flow: name, count: count, hasRecords: count > 0, retryAllAction: "/dashboard/flows/\(e)/failed/retry", back: back, records: rows))
        }
        return DashboardTemplates.library.render(FailedPageView(groups: groups, csrf: session.csrf), withTemplate: "failed") ?? ""
    }

    // MARK: Connections

    struct ConnectionView {
        var name: String; var connector: String; var credentials: String; var health: String; var healthClass: String
        var healthDetail: String?; var rateLimit: String; var testAction: String
    }
    struct ConnectionsView { var connections: [ConnectionView]; var csrf: String; var leases: LeasesView }
    struct LeaseView { var name: String; var holder: String; var token: String; var expires: String; var mine: Bool }
    /// The shared store's leases (which host runs which flow); with SQLite one host runs everything.
    struct LeasesView { var shared: Bool; var holder: String; var rows: [LeaseView] }

    func leasesView() async throws -> LeasesView {
        guard let keeper = api.leases else { return LeasesView(shared: false, holder: "", rows: []) }
        let mine = Set(await keeper.heldLeases())
        let rows = try await keeper.allLeases().sorted { $0.name < $1.name }.map { lease in
            LeaseView(name: lease.name, holder: lease.holder, token: String(lease.token), expires: Self.time(lease.expiresAt),
                      mine: mine.contains(LeaseToken(name: lease.name, holder: lease.holder, token: lease.token)))
        }
        return LeasesView(shared: true, holder: keeper.holder, rows: rows)
    }

    /// What the connection's rate limiter knows: the requests it lets go now out of its burst, its
    /// rate, a pause after a 429 or an exhausted quota; "unknown" before the connection was used, or
    /// when no limit is configured and the app sent no rate-limit headers.
    func rateLimit(_ name: String) async -> String {
        guard let context = await api.runtime.existingContext(for: name) else { return "unknown (not used since the service started)" }
        let bucket = context.rateLimiter.state
        let paused = bucket.pauseRemaining(now: ResilienceEnvironment.live.now())
        let pause = paused > .zero ? "; paused for \(paused.components.seconds + 1) s (the app said to wait)" : ""
        guard let rate = bucket.rate else { return "unknown (no limit configured or announced by the app)" + pause }
        let left = max(0, Int(bucket.tokens.rounded(.down)))
        let perSecond = rate >= 10 ? String(Int(rate.rounded())) : String(format: "%.2g", rate)
        return "\(left) of \(Int(bucket.burst)) requests free now, \(perSecond)/s" + pause
    }

    func connectionsPage(_ session: DashboardSessions.Session) async throws -> String {
        var views: [ConnectionView] = []
        let definitions = api.definitions
        for c in try await api.connectionRows() {
            var health = "not tested", healthClass = "unknown", detail: String?
            if let check = await api.health.last(c.name) {
                health = check.result.ok ? "OK" : "failed"
                healthClass = check.result.ok ? "ok" : "failed"
                detail = "test at \(Self.time(check.at)): \(check.result.message)"
            }
            // The newest run of a flow that reads or writes the connection: how its last API calls went.
            var newest: (Run, String)?
            for (name, flow) in definitions.flows where flow.source.connection == c.name || flow.targets.contains(where: { $0.connection == c.name }) {
                if let run = try await api.recentRuns(name, limit: 1).first, newest.map({ run.startedAt > $0.0.startedAt }) ?? true { newest = (run, name) }
            }
            if let (run, flow) = newest {
                let line = "last run of \(flow) (\(Self.time(run.startedAt))): \(run.status.rawValue)"
                detail = detail.map { $0 + "; " + line } ?? line
                if healthClass == "unknown" {
                    health = run.status == .failed ? "failed" : "OK (from its flows' runs)"
                    healthClass = run.status == .failed ? "failed" : "ok"
                }
            }
            let credentials = c.credentials_stored ? "stored (\(c.scheme ?? "?"))" + (["", "-", "none"].contains(c.token) ? "" : ", token \(c.token)") : "none stored"
            views.append(ConnectionView(name: c.name, connector: c.connector, credentials: credentials, health: health, healthClass: healthClass,
                                        healthDetail: detail, rateLimit: await rateLimit(c.name),
                                        testAction: "/dashboard/connections/\(Self.pathEncode(c.name))/test"))
        }
        return DashboardTemplates.library.render(ConnectionsView(connections: views, csrf: session.csrf, leases: try await leasesView()),
                                                 withTemplate: "connections") ?? ""
    }

    // MARK: ID map

    struct TwinView { var link: String; var record: String; var twin: String; var updatedAt: String }
    struct Twins { var items: [TwinView] }
    struct Searched { var twins: Twins?; var missing: String? }
    struct IDMapView { var connectionOptions: [Option]; var object: String; var id: String; var searched: Searched? }

    func idmapPage(_ session: DashboardSessions.Session, _ request: Request) async throws -> String {
        let q = request.uri.queryParameters
        let connection = q.get("connection").map { String($0) } ?? ""
        let object = q.get("object").map { String($0) } ?? ""
        let id = q.get("id").map { String($0) } ?? ""
        var searched: Searched?
        if !connection.isEmpty, !object.isEmpty, !id.isEmpty {
            do {
                let twins = try await api.twins(connection, object, id)
                searched = Searched(twins: Twins(items: twins.map {
                    TwinView(link: $0.link, record: Self.ref($0.record), twin: Self.ref($0.twin), updatedAt: Self.time($0.updated_at))
                }))
            } catch let e as APIError where e.status == .notFound {
                searched = Searched(missing: e.message)
            }
        }
        let names = api.runtime.deployment.config.connections.keys.sorted()
        let view = IDMapView(connectionOptions: names.map { Option(value: $0, label: $0, selected: $0 == connection) }, object: object, id: id, searched: searched)
        return DashboardTemplates.library.render(view, withTemplate: "idmap") ?? ""
    }
}
