import Foundation

/// The faults set on one app through `POST /__sandbox/faults`.
struct FaultSettings: Sendable, Equatable {
    /// Share of requests (0…1) answered with the app's 5xx.
    var errorRate = 0.0
    /// Delay added before every request is handled.
    var latencyMilliseconds = 0
    /// How many of the next requests get the app's rate-limit answer.
    var rateLimitBurst = 0
    /// The `Retry-After` the rate-limit answer carries.
    var retryAfterSeconds = 1
    /// How many of the next requests hang (bounded), as if the app stopped answering.
    var timeoutBurst = 0
    /// Delay added after a request was handled, before its answer goes out: the change is made in the app
    /// but the client hears of it late (a crash meanwhile loses the answer, not the change).
    var answerDelayMilliseconds = 0
    /// Only requests whose path contains this text get `answerDelayMilliseconds` (all when empty).
    var answerDelayPath = ""

    var json: [String: Any] {
        ["error_rate": errorRate, "latency_ms": latencyMilliseconds, "rate_limit_burst": rateLimitBurst,
         "retry_after_s": retryAfterSeconds, "timeout_burst": timeoutBurst, "answer_delay_ms": answerDelayMilliseconds,
         "answer_delay_path": answerDelayPath]
    }
}

/// Decides, request by request, which injected fault (if any) hits an app, and holds hanging requests.
actor FaultInjector {
    /// What happens to one request.
    enum Decision: Equatable {
        case pass
        case respond(SandboxFault)
        case hang
    }

    private(set) var settings = FaultSettings()
    private var random: SeededRandom
    private var nextHangID = 0
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var releasedEarly: Set<Int> = []

    init(randomSeed: UInt64) { random = SeededRandom(seed: randomSeed) }

    /// Changes the settings named in `update`; the others keep their value.
    func apply(_ update: FaultUpdate) {
        if let v = update.errorRate { settings.errorRate = v }
        if let v = update.latencyMilliseconds { settings.latencyMilliseconds = v }
        if let v = update.rateLimitBurst { settings.rateLimitBurst = v }
        if let v = update.retryAfterSeconds { settings.retryAfterSeconds = v }
        if let v = update.timeoutBurst { settings.timeoutBurst = v }
        if let v = update.answerDelayMilliseconds { settings.answerDelayMilliseconds = v }
        if let v = update.answerDelayPath { settings.answerDelayPath = v }
    }

    /// Clears every fault and lets hanging requests go.
    func clear() {
        settings = FaultSettings()
        releaseAll()
    }

    /// The fault for the next request (consuming one unit of a burst) and the latency to add first.
    /// The delay after handling `path`, before the answer (`answer_delay_ms`, for paths containing `answer_delay_path`).
    func answerDelay(path: String) -> Int {
        settings.answerDelayPath.isEmpty || path.contains(settings.answerDelayPath) ? settings.answerDelayMilliseconds : 0
    }

    func decide() -> (decision: Decision, latencyMilliseconds: Int) {
        let latency = settings.latencyMilliseconds
        if settings.timeoutBurst > 0 {
            settings.timeoutBurst -= 1
            return (.hang, latency)
        }
        if settings.rateLimitBurst > 0 {
            settings.rateLimitBurst -= 1
            return (.respond(.rateLimited(retryAfterSeconds: settings.retryAfterSeconds)), latency)
        }
        if settings.errorRate > 0, random.chance(settings.errorRate) { return (.respond(.serverError), latency) }
        return (.pass, latency)
    }

    /// Waits until `limit` passes, the faults are cleared, the server stops, or the task is cancelled.
    func hang(limit: Duration) async {
        let id = nextHangID
        nextHangID += 1
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: limit) }
            group.addTask { await self.waitForRelease(id) }
            _ = await group.next()
            group.cancelAll()
            self.release(id)
        }
    }

    /// Lets every hanging request go (faults cleared, server stopping).
    func releaseAll() {
        let all = waiters
        waiters.removeAll()
        for continuation in all.values { continuation.resume() }
    }

    private func waitForRelease(_ id: Int) async {
        await withCheckedContinuation { continuation in
            if releasedEarly.remove(id) != nil { continuation.resume() } else { waiters[id] = continuation }
        }
    }

    private func release(_ id: Int) {
        if let continuation = waiters.removeValue(forKey: id) { continuation.resume() } else { releasedEarly.insert(id) }
    }
}

/// The settings a `POST /__sandbox/faults` body changes (`nil`: unchanged).
struct FaultUpdate: Sendable {
    var errorRate: Double?
    var latencyMilliseconds: Int?
    var rateLimitBurst: Int?
    var retryAfterSeconds: Int?
    var timeoutBurst: Int?
    var answerDelayMilliseconds: Int?
    var answerDelayPath: String?

    /// Reads the JSON body; throws the name of the first field with a wrong type or range.
    init(json body: [String: Any]) throws(FaultSettingsError) {
        func number(_ key: String) throws(FaultSettingsError) -> Double? {
            guard let value = body[key] else { return nil }
            guard let n = value as? NSNumber, String(cString: n.objCType) != "c" else { throw FaultSettingsError(field: key) }
            return n.doubleValue
        }
        func count(_ key: String) throws(FaultSettingsError) -> Int? {
            guard let v = try number(key) else { return nil }
            guard v >= 0, v <= 86_400_000, v == v.rounded() else { throw FaultSettingsError(field: key) }
            return Int(v)
        }
        if let v = try number("error_rate") {
            guard (0...1).contains(v) else { throw FaultSettingsError(field: "error_rate") }
            errorRate = v
        }
        latencyMilliseconds = try count("latency_ms")
        rateLimitBurst = try count("rate_limit_burst")
        retryAfterSeconds = try count("retry_after_s")
        timeoutBurst = try count("timeout_burst")
        answerDelayMilliseconds = try count("answer_delay_ms")
        if let v = body["answer_delay_path"] {
            guard let text = v as? String else { throw FaultSettingsError(field: "answer_delay_path") }
            answerDelayPath = text
        }
    }
}

/// A fault setting with a value of the wrong type or range.
struct FaultSettingsError: Error {
    var field: String
}
