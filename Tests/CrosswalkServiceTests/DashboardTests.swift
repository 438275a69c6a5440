@testable import CrosswalkService
import CrosswalkStore
import CrosswalkTestKit
import HTTPTypes
import Mustache
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@Suite struct SyncChartTests {
    static let now = ISO8601DateFormatter().date(from: "2026-12-04T18:40:00Z")!

    static func run(_ id: RunID, _ flow: String, _ at: String, created: Int = 0, updated: Int = 0, deleted: Int = 0, skipped: Int = 0,
                    failed: Int = 0) -> Run {
        Run(id: id, flow: flow, trigger: .schedule, status: failed > 0 ? .failed : .succeeded, startedAt: ISO8601DateFormatter().date(from: at)!,
            finishedAt: nil, counts: RunCounts(created: created, updated: updated, deleted: deleted, skipped: skipped, failed: failed))
    }

    @Test("runs are counted in the UTC hour they started, per flow; synced = created + updated + deleted; outside the window is left out")
    func buckets() {
        let runs = [
            Self.run(1, "a", "2026-12-04T18:05:00Z", created: 3, updated: 2, deleted: 1, skipped: 9),
            Self.run(2, "a", "2026-12-04T18:39:59Z", updated: 4, failed: 2),
            Self.run(3, "a", "2026-12-03T19:00:00Z", created: 7),           // the first hour of the 24
            Self.run(4, "a", "2026-12-03T18:59:59Z", created: 100),         // one second too old
            Self.run(5, "b", "2026-12-04T10:30:00Z", failed: 5),
            Self.run(6, "c", "2026-12-04T10:30:00Z", created: 1),           // not asked for
        ]
        let chart = SyncChart(runs: runs, now: Self.now, hours: 24, flows: ["a", "b"])
        #expect(chart.start == ISO8601DateFormatter().date(from: "2026-12-03T19:00:00Z"))
        #expect(chart.series.map(\.flow) == ["a", "b"])
        let a = chart.series[0], b = chart.series[1]
        #expect(a.synced.count == 24 && a.failed.count == 24)
        #expect(a.synced[23] == 10 && a.failed[23] == 2)
        #expect(a.synced[0] == 7)
        #expect(a.synced.reduce(0, +) == 17, "run 4 is outside the window, skipped records are not drawn")
        #expect(b.failed[15] == 5 && b.synced.allSatisfy { $0 == 0 })
        #expect(chart.totals == (17, 7))
        // Without a list, the flows that ran, by name.
        #expect(SyncChart(runs: runs, now: Self.now).series.map(\.flow) == ["a", "b", "c"])
    }

    @Test("the y axis ends at 1, 2 or 5 × 10ⁿ")
    func niceMaximum() {
        #expect([0, 1, 2, 3, 5, 6, 10, 11, 20, 21, 99, 101, 4999].map(SyncChart.niceMaximum) == [1, 1, 2, 5, 5, 10, 10, 20, 20, 50, 100, 200, 5000])
    }

    @Test("the SVG has the legend, one panel per flow with axis labels, bars sized to the counts in the synced and failed colours, and escapes names")
    func svg() throws {
        let runs = [Self.run(1, "a<&>\"b", "2026-12-04T18:05:00Z", created: 10, failed: 10), Self.run(2, "a<&>\"b", "2026-12-04T17:05:00Z", created: 5)]
        let svg = SyncChart(runs: runs, now: Self.now, hours: 24, flows: ["a<&>\"b", "empty"]).svg(width: 760, panelHeight: 150)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>"))
        #expect(svg.contains(">synced</text>") && svg.contains(">failed</text>"), "legend")
        #expect(svg.contains("fill=\"\(SyncChart.syncedColor)\"") && svg.contains("fill=\"\(SyncChart.failedColor)\""))
        #expect(svg.contains("a&lt;&amp;&gt;&quot;b — 15 synced, 10 failed"), "the flow's name is escaped")
        #expect(!svg.contains("a<&>"))
        #expect(svg.contains("empty — 0 synced, 0 failed"))
        #expect(svg.components(separatedBy: "<g class=\"panel\"").count == 3)
        // Peak 20 → axis top 20; plot height 150 - 18 - 18 = 114, so 10 records are 57 px.
        #expect(svg.contains(">20</text>") && svg.contains(">0</text>"))
        #expect(svg.components(separatedBy: "class=\"synced\"").count == 3 && svg.components(separatedBy: "class=\"failed\"").count == 2)
        let synced = try #require(svg.range(of: #"<rect class="synced"[^>]*height="([0-9.]+)""#, options: .regularExpression).map { String(svg[$0]) })
        #expect(synced.contains("height=\"28.5\"") || synced.contains("height=\"57\""), "\(synced)")
        #expect(svg.contains("18h") && svg.contains("19h"), "hour labels")
        #expect(svg.contains("<title>2026-12-04 18:00: 10 failed</title>"))
        // Nothing to draw.
        #expect(SyncChart(runs: [], now: Self.now).svg().contains("no flows"))
    }
}

@Suite struct DashboardSessionTests {
    @Test("sessions: random ids and CSRF tokens, found until they expire, gone after logout; notices are read once")
    func sessions() async {
        let sessions = DashboardSessions(lifetime: 60)
        let t0 = Date()
        let a = await sessions.create(now: t0), b = await sessions.create(now: t0)
        #expect(a.id.count == 64 && a.csrf.count == 64 && a.id != b.id && a.id != a.csrf && a.csrf != b.csrf)
        #expect(a.id.allSatisfy { $0.isHexDigit })
        #expect(await sessions.session(a.id, now: t0.addingTimeInterval(59))?.csrf == a.csrf)
        #expect(await sessions.session(a.id, now: t0.addingTimeInterval(61)) == nil, "expired")
        #expect(await sessions.session(a.id, now: t0) == nil, "an expired session is forgotten")
        #expect(await sessions.session("nope", now: t0) == nil)
        await sessions.setNotice(b.id, "done")
        #expect(await sessions.takeNotice(b.id) == "done")
        #expect(await sessions.takeNotice(b.id) == nil)
        await sessions.end(b.id)
        #expect(await sessions.session(b.id, now: t0) == nil)
        #expect(DashboardSessions.equal("abc", "abc") && !DashboardSessions.equal("abc", "abd") && !DashboardSessions.equal("abc", "abcd"))
    }

    @Test("a form's way back stays on the dashboard")
    func safeBack() {
        #expect(Dashboard.safeBack("/dashboard") == "/dashboard")
        #expect(Dashboard.safeBack("/dashboard/failed?flow=x") == "/dashboard/failed?flow=x")
        for bad in ["https://evil.example/dashboard", "//evil.example", "/dashboard//evil", "/api/v1/flows", "/dashboardx", "/dashboard/\r\nSet-Cookie: a=b", nil] {
            #expect(Dashboard.safeBack(bad) == nil, "\(bad ?? "nil")")
        }
    }

    @Test("the dashboard's routes are all under /dashboard, apart from the admin API's (openapi.yaml describes the JSON API only)")
    func routesStayOutOfTheContract() {
        #expect(Dashboard.routes.allSatisfy { $0.1 == "/dashboard" || $0.1.hasPrefix("/dashboard/") })
        #expect(AdminAPI.routes.allSatisfy { !$0.path.hasPrefix("/dashboard") })
        #expect(Set(Dashboard.routes.map { "\($0.0.rawValue) \($0.1)" }).count == Dashboard.routes.count)
    }

    @Test("every template parses and renders without JavaScript")
    func templates() {
        for (name, text) in DashboardTemplates.sources {
            #expect(DashboardTemplates.library.getTemplate(named: name) != nil, "\(name)")
            #expect(!text.lowercased().contains("<script"), "\(name)")
        }
    }
}

/// A browser-like client of the dashboard: keeps its cookies itself (no cookie store), never follows redirects.
final class DashboardClient: @unchecked Sendable {
    let base: URL
    private(set) var cookies: [String: String] = [:]
    private(set) var setCookieLines: [String] = []
    private let lock = NSLock()

    init(_ base: URL) { self.base = base }

    struct Answer {
        var status: Int
        var headers: [String: String]
        var text: String
        var location: String? { headers["location"] }
    }

    func send(_ method: String, _ path: String, form: [String: String]? = nil, cookies send: Bool = true) async throws -> Answer {
        var request = URLRequest(url: URL(string: base.absoluteString + path)!, timeoutInterval: 60)
        request.httpMethod = method
        request.httpShouldHandleCookies = false
        if let form {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            request.httpBody = Data(form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&").utf8)
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        }
        if send {
            let header = lock.withLock { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
            if !header.isEmpty { request.setValue(header, forHTTPHeaderField: "Cookie") }
        }
        let (data, response) = try await DashboardClient.session.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields { headers["\(name)".lowercased()] = "\(value)" }
        if let line = headers["set-cookie"] {
            lock.withLock {
                setCookieLines.append(line)
                // Several Set-Cookie fields arrive joined with ", "; each starts with NAME=VALUE.
                for cookie in line.components(separatedBy: ", ") {
                    let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    guard pair.count == 2 else { continue }
                    let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
                    if cookie.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = String(pair[1]) }
                }
            }
        }
        return Answer(status: http.statusCode, headers: headers, text: String(decoding: data, as: UTF8.self))
    }

    func forget(_ name: String) { lock.withLock { cookies[name] = nil } }
    func set(_ name: String, _ value: String) { lock.withLock { cookies[name] = value } }

    /// The value of hidden field `name` in an HTML page.
    static func hidden(_ name: String, in html: String) -> String? {
        guard let r = html.range(of: #"name="\#(name)" value="([^"]*)""#, options: .regularExpression) else { return nil }
        let match = String(html[r])
        return String(match.dropFirst(#"name="\#(name)" value=""#.count).dropLast())
    }

    /// Logs in with `token`; returns the CSRF token of the first page.
    func login(token: String) async throws -> String {
        let page = try await send("GET", "/dashboard/login")
        let loginCSRF = try #require(Self.hidden("login_csrf", in: page.text))
        let r = try await send("POST", "/dashboard/login", form: ["token": token, "login_csrf": loginCSRF, "next": "/dashboard"])
        #expect(r.status == 303 && r.location == "/dashboard", "\(r.status) \(r.text)")
        let home = try await send("GET", "/dashboard")
        #expect(home.status == 200)
        return try #require(Self.hidden("csrf", in: home.text))
    }

    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        return URLSession(configuration: configuration, delegate: RefuseRedirects(), delegateQueue: nil)
    }()
}

private final class RefuseRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

@Suite(.serialized) struct DashboardServeTests {
    @Test("dashboard: login with the admin token (wrong token 401, forged login 403), redirects without a session, CSRF on every POST, the toggle and retry through the admin API, pages from the real store, logout; the token is never in a page")
    func dashboardOverHTTP() async throws {
        let d = try await ServeDeployment.start(seed: 120, schedule: "{every: 1h}")
        defer { d.sandbox.terminate() }
        let flow = ServeDeployment.flow
        let service = try await d.serve()
        defer { service.process.terminate() }
        let browser = DashboardClient(service.url)
        var pages: [String] = []

        // Without a session: GET → the login page, with the way back; POST → 403.
        let away = try await browser.send("GET", "/dashboard/failed?flow=\(flow)")
        #expect(away.status == 303 && away.location == "/dashboard/login?next=/dashboard/failed%3Fflow%3D\(flow)", "\(away.status) \(away.location ?? "")")
        #expect(try await browser.send("POST", "/dashboard/flows/\(flow)/enable", form: ["csrf": "x"]).status == 403)
        #expect(try await service.send("GET", "/api/v1/flows/\(flow)").object["enabled"] as? Bool == false, "nothing changed")

        // The login form: a pre-session cookie, double-submitted.
        let form = try await browser.send("GET", "/dashboard/login?next=/dashboard/log")
        #expect(form.status == 200 && form.headers["content-type"] == "text/html; charset=utf-8")
        #expect(form.headers["set-cookie"]?.contains("crosswalk_login=") == true && form.headers["set-cookie"]?.contains("HttpOnly; SameSite=Strict") == true)
        #expect(form.headers["content-security-policy"]?.contains("default-src 'none'") == true)
        let loginCSRF = try #require(DashboardClient.hidden("login_csrf", in: form.text))
        #expect(DashboardClient.hidden("next", in: form.text) == "/dashboard/log")
        let wrong = try await browser.send("POST", "/dashboard/login", form: ["token": "not-the-token-at-all", "login_csrf": loginCSRF])
        #expect(wrong.status == 401 && wrong.text.contains("That is not the admin token."), "\(wrong.status)")
        #expect(!wrong.text.contains("not-the-token-at-all"), "what was typed is not echoed")
        let forged = try await browser.send("POST", "/dashboard/login", form: ["token": d.token, "login_csrf": "forged"])
        #expect(forged.status == 403 && forged.headers["set-cookie"]?.contains("crosswalk_session") != true)
        let fresh = try await browser.send("GET", "/dashboard/login")
        let good = try await browser.send("POST", "/dashboard/login",
                                          form: ["token": d.token, "login_csrf": try #require(DashboardClient.hidden("login_csrf", in: fresh.text)),
                                                 "next": "https://evil.example/"])
        #expect(good.status == 303 && good.location == "/dashboard", "an outside next is ignored: \(good.location ?? "")")
        let sessionCookie = try #require(good.headers["set-cookie"]?.components(separatedBy: ", ").first { $0.hasPrefix("crosswalk_session=") })
        #expect(sessionCookie.contains("Path=/dashboard") && sessionCookie.contains("HttpOnly") && sessionCookie.contains("SameSite=Strict")
                && sessionCookie.contains("Max-Age=28800"), "\(sessionCookie)")
        #expect(browser.cookies["crosswalk_session"]?.count == 64)

        // The flows page: the flow, off, and its toggle.
        let home = try await browser.send("GET", "/dashboard")
        #expect(home.status == 200)
        pages.append(home.text)
        let csrf = try #require(DashboardClient.hidden("csrf", in: home.text))
        #expect(home.text.contains(#"<tr id="flow-\#(flow)" data-enabled="false">"#))
        #expect(home.text.contains(#"action="/dashboard/flows/\#(flow)/enable""#) && home.text.contains("class=\"toggle off\""))
        #expect(home.text.contains("never run"))

        // A POST with a wrong or missing CSRF token is 403 and changes nothing.
        #expect(try await browser.send("POST", "/dashboard/flows/\(flow)/enable", form: ["csrf": String(csrf.reversed())]).status == 403)
        #expect(try await browser.send("POST", "/dashboard/flows/\(flow)/enable", form: [:]).status == 403)
        #expect(try await service.send("GET", "/api/v1/flows/\(flow)").object["enabled"] as? Bool == false)

        // Make a record fail: a HubSpot contact whose e-mail Aritic refuses. Run now from the dashboard (the flow is off: a manual run still runs, and the schedule counts from it).
        let bad = try await d.createHubSpotContact(email: "broken-address@nodot", firstname: "Broken")
        let run = try await browser.send("POST", "/dashboard/flows/\(flow)/run", form: ["csrf": csrf, "back": "/dashboard/flows/\(flow)"])
        #expect(run.status == 303 && run.location == "/dashboard/flows/\(flow)")
        let runs = try await service.runs(flow)
        let first = try #require(runs.first)
        let counts = try #require(first["counts"] as? [String: Int])
        #expect((counts["created"] ?? 0) > 10 && counts["failed"] == 1, "\(first)")

        // The flow's page: the notice, the runs, the chart's bars, the log with its reasons.
        let flowPage = try await browser.send("GET", "/dashboard/flows/\(flow)")
        pages.append(flowPage.text)
        #expect(flowPage.status == 200)
        #expect(flowPage.text.contains("Run \(first["id"]!) of \(flow): partial; \(counts["created"]!) created"), "\(flowPage.text.prefix(3000))")
        #expect(flowPage.text.contains("<svg") && flowPage.text.contains(#"<rect class="synced""#) && flowPage.text.contains(#"<rect class="failed""#))
        #expect(flowPage.text.contains("\(counts["created"]!) synced, 1 failed"))
        #expect(flowPage.text.contains("email is null"), "skipped records with their reason")

        // The toggle: on, as the admin API reports, and the page says so (the schedule's next run is an hour after the manual one).
        let on = try await browser.send("POST", "/dashboard/flows/\(flow)/enable", form: ["csrf": csrf, "back": "/dashboard"])
        #expect(on.status == 303 && on.location == "/dashboard")
        let shown = try await service.send("GET", "/api/v1/flows/\(flow)")
        #expect(shown.object["enabled"] as? Bool == true && shown.object["enabled_by"] as? String == "api", "\(shown.text)")
        let afterOn = try await browser.send("GET", "/dashboard")
        #expect(afterOn.text.contains("\(flow) is now on.") && afterOn.text.contains("class=\"toggle on\""))
        #expect(!(try await browser.send("GET", "/dashboard")).text.contains("is now on."), "a notice shows once")

        // The sync log, filtered to failures: the refused record and Aritic's reason.
        let log = try await browser.send("GET", "/dashboard/log?flow=\(flow)&outcome=failed")
        pages.append(log.text)
        #expect(log.status == 200 && log.text.contains("hubspot Contact \(bad)") && log.text.contains("valid email"), "\(log.text.suffix(2000))")
        #expect(!log.text.contains(#"<span class="outcome ok">"#))

        // Failed records: the one, with its retry button. Fix the e-mail in HubSpot, retry it: gone.
        let failed = try await browser.send("GET", "/dashboard/failed")
        pages.append(failed.text)
        #expect(failed.text.contains(#"id="retry-\#(bad)""#) && failed.text.contains(#"action="/dashboard/flows/\#(flow)/failed/\#(bad)/retry""#))
        #expect(try await d.patchHubSpotContact(bad, ["email": "fixed.address@example.com"]) == 200)
        let retry = try await browser.send("POST", "/dashboard/flows/\(flow)/failed/\(bad)/retry", form: ["csrf": csrf, "back": "/dashboard/failed"])
        #expect(retry.status == 303 && retry.location == "/dashboard/failed")
        let afterRetry = try await browser.send("GET", "/dashboard/failed")
        #expect(afterRetry.text.contains("Retried \(bad) of \(flow): synced"), "\(afterRetry.text.prefix(2500))")
        #expect(!afterRetry.text.contains(#"id="retry-\#(bad)""#) && afterRetry.text.contains("No failed records."))
        #expect((try await service.send("GET", "/api/v1/flows/\(flow)/failed").object["items"] as? [Any])?.isEmpty == true)
        #expect(try await d.ariticByCRMID()[bad]?.first?["email"] as? String == "fixed.address@example.com")
        // Retrying a record no longer there: the API's 404 message as the notice.
        _ = try await browser.send("POST", "/dashboard/flows/\(flow)/failed/\(bad)/retry", form: ["csrf": csrf, "back": "/dashboard/failed"])
        #expect(try await browser.send("GET", "/dashboard/failed").text.contains("Not done: flow \(flow) has no failed record \(bad)"))

        // Connections: health after a test, and the rate limiter's headroom (HubSpot sends its limits).
        let test = try await browser.send("POST", "/dashboard/connections/hubspot/test", form: ["csrf": csrf, "back": "/dashboard/connections"])
        #expect(test.status == 303 && test.location == "/dashboard/connections")
        let connections = try await browser.send("GET", "/dashboard/connections")
        pages.append(connections.text)
        #expect(connections.text.contains("hubspot: OK"), "\(connections.text.suffix(2500))")
        #expect(connections.text.contains(#"<span class="health ok">OK</span>"#))
        #expect(connections.text.contains(#"id="leases-single""#), "an SQLite host says it runs every flow, without leases")
        let hubspotRow = try #require(connections.text.components(separatedBy: "<tr id=\"connection-hubspot\">").last?.components(separatedBy: "</tr>").first)
        #expect(hubspotRow.contains("requests free now"), "\(hubspotRow)")

        // The ID map: the synced record's twin.
        let twin = try await browser.send("GET", "/dashboard/idmap?connection=hubspot&object=Contact&id=\(bad)")
        pages.append(twin.text)
        #expect(twin.text.contains(#"<table class="twins""#) && twin.text.contains("aritic Contact"), "\(twin.text.suffix(1500))")
        let none = try await browser.send("GET", "/dashboard/idmap?connection=hubspot&object=Contact&id=no-such-id")
        #expect(none.text.contains("is not in the ID map"))

        // Toggle off again: the API says off.
        #expect(try await browser.send("POST", "/dashboard/flows/\(flow)/disable", form: ["csrf": csrf]).status == 303)
        #expect(try await service.send("GET", "/api/v1/flows/\(flow)").object["enabled"] as? Bool == false)
        // An unknown flow: 404 page.
        #expect(try await browser.send("GET", "/dashboard/flows/no-such-flow").status == 404)

        // The token is in no page, and the session cookie is not readable by script (HttpOnly) — checked above.
        for page in pages { #expect(!page.contains(d.token)) }

        // Logout ends the session: the old cookie gets the login page again.
        #expect(try await browser.send("POST", "/dashboard/logout", form: ["csrf": csrf]).location == "/dashboard/login")
        #expect(try await browser.send("GET", "/dashboard").status == 303)

        // Nor is the token in the service's log (JSON lines on stdout).
        service.process.signal(SIGTERM)
        let logged = try await service.process.remainingLines(within: 60)
        #expect(logged.contains { $0.contains("dashboard login") }, "the login is logged")
        #expect(!logged.contains { $0.contains(d.token) })
    }
}

extension ServeDeployment {
    /// Sets properties of a HubSpot contact in the sandbox; returns the status.
    func patchHubSpotContact(_ id: String, _ properties: [String: String]) async throws -> Int {
        try await TestHTTP.send("PATCH", urls["hubspot"]!.appendingPathComponent("crm/v3/objects/contacts/\(id)"),
                                json: ["properties": properties], headers: hubspotAuth).status
    }
}
