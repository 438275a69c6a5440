import Foundation

/// The test controls under `/__sandbox/` on every app's port; they act on the app whose port received them.
///
/// | method | path | body / query | effect |
/// |---|---|---|---|
/// | GET | `health` | | `{"status":"ok","app":…}` |
/// | POST | `reset` | optional `{"count":N,"seed":S}` | drops data, subscriptions, faults, log, counters; re-seeds if `count` given |
/// | POST | `seed` | `{"count":N,"seed":S}` | adds generated records |
/// | GET / POST / DELETE | `faults` | `{"error_rate","latency_ms","rate_limit_burst","retry_after_s","timeout_burst","answer_delay_ms","answer_delay_path","expire_tokens"}` | reads / sets / clears faults |
/// | GET | `requests` | `?app=&since=SEQ` | request log (method, path, status, time; never headers) |
/// | GET | `counters` | `?app=` | calls counted: total and per method + path template |
/// | POST | `counters/reset` | | zeroes this app's counters |
/// | POST | `webhooks` | `{"url","secret","events"}` | `app.subscribe` |
/// | GET | `webhooks/deliveries` | | each notification's delivery outcome |
/// | POST | `app/<name>` | the app's own JSON | an app-specific control (`SandboxApp.control`), listed in each app's README |
struct SandboxControlAPI: Sendable {
    static let prefix = "/__sandbox"

    let host: SandboxAppHost
    let log: RequestLog
    let webhooks: SandboxWebhookDispatcher
    let defaultRandomSeed: UInt64
    let startedAt: Date

    func handle(_ request: SandboxRequest) async -> SandboxResponse {
        let route = String(request.path.dropFirst(Self.prefix.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        switch (request.method, route) {
        case ("GET", "health"):
            return .json(200, ["status": "ok", "app": host.name, "uptime_s": Date().timeIntervalSince(startedAt)])
        case ("POST", "reset"):
            return await reset(request)
        case ("POST", "seed"):
            return await seed(request)
        case ("GET", "faults"):
            return .json(200, ["app": host.name, "faults": await host.faults.settings.json])
        case ("POST", "faults"), ("PUT", "faults"):
            return await setFaults(request)
        case ("DELETE", "faults"):
            await host.faults.clear()
            return .json(200, ["app": host.name, "faults": await host.faults.settings.json])
        case ("GET", "requests"):
            return await requests(request)
        case ("GET", "counters"):
            let app = request.queryValue("app") ?? host.name
            let counters = await log.counters(app: app)
            return .json(200, ["app": app, "total": counters.total, "by_route": counters.byRoute])
        case ("POST", "counters/reset"):
            await log.resetCounters(app: host.name)
            return .json(200, ["app": host.name, "total": 0, "by_route": [String: Int]()])
        case ("POST", "webhooks"):
            return await subscribe(request)
        case ("GET", "webhooks/deliveries"):
            return .json(200, ["app": host.name, "deliveries": webhooks.deliveries(app: host.name).map(\.json)])
        case ("POST", let route) where route.hasPrefix("app/"):
            let name = String(route.dropFirst(4))
            if let response = await host.app.control(name, request) { return response }
            return .json(404, ["error": "\(host.name) has no control \"\(name)\"",
                               "controls": host.app.controlNames.map { "\(Self.prefix)/app/\($0)" }])
        case (_, "health"), (_, "reset"), (_, "seed"), (_, "faults"), (_, "requests"), (_, "counters"),
             (_, "counters/reset"), (_, "webhooks"), (_, "webhooks/deliveries"):
            return .json(405, ["error": "method \(request.method) not allowed on \(request.path)"])
        default:
            return .json(404, ["error": "no sandbox control at \(request.path)",
                               "controls": ["health", "reset", "seed", "faults", "requests", "counters", "counters/reset",
                                            "webhooks", "webhooks/deliveries"].map { "\(Self.prefix)/\($0)" }])
        }
    }

    private func object(_ request: SandboxRequest) -> [String: Any]? {
        request.body.isEmpty ? [:] : request.jsonBody() as? [String: Any]
    }

    private static func badRequest(_ message: String) -> SandboxResponse { .json(400, ["error": message]) }

    /// Reads `{"count":N,"seed":S}`; `nil` count when absent.
    private func seedOptions(_ body: [String: Any]) -> (count: Int?, seed: UInt64)? {
        var count: Int?
        if let raw = body["count"] {
            guard let n = raw as? Int, n >= 0, n <= 1_000_000 else { return nil }
            count = n
        }
        var seed = defaultRandomSeed
        if let raw = body["seed"] {
            guard let n = raw as? Int, n >= 0 else { return nil }
            seed = UInt64(n)
        }
        return (count, seed)
    }

    private func reset(_ request: SandboxRequest) async -> SandboxResponse {
        guard let body = object(request), let options = seedOptions(body) else {
            return Self.badRequest("reset takes an optional JSON object {\"count\": N, \"seed\": S} with 0 ≤ N ≤ 1000000")
        }
        await host.app.reset()
        await host.faults.clear()
        await log.clear(app: host.name)
        webhooks.clear(app: host.name)
        if let count = options.count { await host.app.seed(SandboxSeed(count: count, randomSeed: options.seed)) }
        return .json(200, ["app": host.name, "reset": true, "seeded": options.count ?? 0])
    }

    private func seed(_ request: SandboxRequest) async -> SandboxResponse {
        guard let body = object(request), let options = seedOptions(body), let count = options.count else {
            return Self.badRequest("seed takes a JSON object {\"count\": N, \"seed\": S} with 0 ≤ N ≤ 1000000")
        }
        await host.app.seed(SandboxSeed(count: count, randomSeed: options.seed))
        return .json(200, ["app": host.name, "seeded": count])
    }

    private func setFaults(_ request: SandboxRequest) async -> SandboxResponse {
        guard let body = object(request) else { return Self.badRequest("faults takes a JSON object") }
        let known: Set = ["error_rate", "latency_ms", "rate_limit_burst", "retry_after_s", "timeout_burst", "answer_delay_ms", "answer_delay_path", "expire_tokens"]
        if let unknown = body.keys.first(where: { !known.contains($0) }) {
            return Self.badRequest("unknown fault \"\(unknown)\"; known: \(known.sorted().joined(separator: ", "))")
        }
        do {
            await host.faults.apply(try FaultUpdate(json: body))
        } catch {
            return Self.badRequest("fault \"\(error.field)\" needs a number (error_rate 0…1, the others whole numbers ≥ 0)")
        }
        let expire = body["expire_tokens"] as? Bool ?? false
        if expire { await host.app.expireAccessTokens() }
        return .json(200, ["app": host.name, "faults": await host.faults.settings.json, "tokens_expired": expire])
    }

    private func requests(_ request: SandboxRequest) async -> SandboxResponse {
        let app = request.queryValue("app") ?? host.name
        var since = 0
        if let raw = request.queryValue("since") {
            guard let n = Int(raw) else { return Self.badRequest("since is a sequence number (the last \"seq\" you saw)") }
            since = n
        }
        let entries = await log.requests(app: app, since: since)
        return .json(200, ["app": app, "requests": entries.map(\.json), "last_seq": await log.lastSequence])
    }

    private func subscribe(_ request: SandboxRequest) async -> SandboxResponse {
        guard let body = object(request), let url = body["url"] as? String, let parsed = URL(string: url),
              let scheme = parsed.scheme, ["http", "https"].contains(scheme.lowercased()), parsed.host != nil else {
            return Self.badRequest("webhooks takes {\"url\": \"http://…\", \"secret\": \"…\", \"events\": [\"…\"]}")
        }
        let secret = body["secret"] as? String
        let events = body["events"] as? [String] ?? []
        await host.app.subscribe(url: url, secret: secret, events: events)
        return .json(201, ["app": host.name, "subscribed": true, "url": url, "events": events])
    }
}
