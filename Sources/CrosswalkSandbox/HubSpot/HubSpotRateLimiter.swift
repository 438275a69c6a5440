import CrosswalkCore
import Foundation

/// HubSpot's request budgets: a rolling 10-second burst and a daily count per caller, and a separate
/// per-second budget for search endpoints.
struct HubSpotRateLimiter: Sendable {
    private var burst: [HubSpotIdentity: [Date]] = [:]
    private var daily: [HubSpotIdentity: (day: Int, count: Int)] = [:]
    private var search: [Date] = []

    /// Counts one API call; returns the rate-limit headers, or the 429 when a budget is spent.
    mutating func admit(_ identity: HubSpotIdentity, now: Date, configuration: HubSpotApp.Configuration) -> Result<HTTPFields, HubSpotRateLimitRefusal> {
        let window: TimeInterval = 10
        var recent = (burst[identity] ?? []).filter { now.timeIntervalSince($0) < window }
        let max = identity == .privateApp ? configuration.burstPerTenSeconds : configuration.oauthBurstPerTenSeconds
        let day = Int(now.timeIntervalSince1970 / 86_400)
        var used = daily[identity].flatMap { $0.day == day ? $0.count : nil } ?? 0
        if recent.count >= max {
            burst[identity] = recent
            return .failure(HubSpotRateLimitRefusal(policy: "TEN_SECONDLY_ROLLING", headers: Self.headers(identity, max: max, remaining: 0,
                                                    dailyRemaining: configuration.dailyLimit - used, configuration: configuration)))
        }
        if identity == .privateApp, used >= configuration.dailyLimit {
            return .failure(HubSpotRateLimitRefusal(policy: "DAILY", headers: Self.headers(identity, max: max, remaining: max - recent.count,
                                                    dailyRemaining: 0, configuration: configuration)))
        }
        recent.append(now)
        used += 1
        burst[identity] = recent
        daily[identity] = (day, used)
        return .success(Self.headers(identity, max: max, remaining: max - recent.count, dailyRemaining: configuration.dailyLimit - used,
                                     configuration: configuration))
    }

    /// Counts one search call against the per-second search budget; false when it is spent.
    mutating func admitSearch(now: Date, perSecond: Int) -> Bool {
        search = search.filter { now.timeIntervalSince($0) < 1 }
        guard search.count < perSecond else { return false }
        search.append(now)
        return true
    }

    /// The `X-HubSpot-RateLimit-*` headers (`-Daily*` only for private apps, as HubSpot sends them).
    static func headers(_ identity: HubSpotIdentity, max: Int, remaining: Int, dailyRemaining: Int,
                        configuration: HubSpotApp.Configuration) -> HTTPFields {
        var h: HTTPFields = [:]
        if identity == .privateApp {
            h["X-HubSpot-RateLimit-Daily"] = String(configuration.dailyLimit)
            h["X-HubSpot-RateLimit-Daily-Remaining"] = String(Swift.max(0, dailyRemaining))
        }
        h["X-HubSpot-RateLimit-Interval-Milliseconds"] = "10000"
        h["X-HubSpot-RateLimit-Max"] = String(max)
        h["X-HubSpot-RateLimit-Remaining"] = String(Swift.max(0, remaining))
        h["X-HubSpot-RateLimit-Secondly"] = String(max / 10)
        h["X-HubSpot-RateLimit-Secondly-Remaining"] = String(Swift.max(0, Swift.min(max / 10, remaining)))
        return h
    }

    /// HubSpot's 429 body for a spent budget.
    static func limitResponse(policy: String, headers: HTTPFields = [:]) -> SandboxResponse {
        let what = ["TEN_SECONDLY_ROLLING": "ten_secondly_rolling", "SECONDLY": "secondly", "DAILY": "daily"][policy] ?? policy.lowercased()
        return HubSpotJSONWriter.response(429, ["status": "error", "message": "You have reached your \(what) limit.", "errorType": "RATE_LIMIT",
                           "correlationId": UUID().uuidString.lowercased(), "policyName": policy,
                           "requestId": UUID().uuidString.lowercased()], headers: headers)
    }
}

/// A refused call: which policy and the headers to send with the 429.
struct HubSpotRateLimitRefusal: Error, Sendable {
    var policy: String
    var headers: HTTPFields
}
