import CrosswalkPluginKit

/// `check`: one contact of the list (`limit=1`), with a message a person can act on when the token cannot be used
/// (missing scopes name the scopes HubSpot asked for; a revoked or expired token says how to get a new one).
struct HubSpotChecker {
    let api: HubSpotAPI

    func check() throws -> CheckResult {
        let path = "/crm/v3/objects/contacts?" + HubSpotAPI.query([("limit", "1"), ("properties", "hs_object_id")])
        let response = try api.send("GET", path)
        let body = HubSpotErrorBody(response.jsonValue)
        switch response.status {
        case 200..<300:
            var details: [String: JSONValue] = [:]
            if let max = response.headers["x-hubspot-ratelimit-max"] { details["rate_limit_max"] = .string(max) }
            if let daily = response.headers["x-hubspot-ratelimit-daily-remaining"] { details["daily_remaining"] = .string(daily) }
            let limit = response.headers["x-hubspot-ratelimit-max"].map { " (rate limit \($0) calls per 10 s)" } ?? ""
            return CheckResult(ok: true, message: "Connected to HubSpot: contacts are readable\(limit)", details: .object(details))
        case 403 where body?.category == "MISSING_SCOPES":
            let scopes = Set(body?.context["requiredGranularScopes"] ?? body?.context["requiredScopes"] ?? []).sorted()
            let named = scopes.isEmpty ? "" : ": \(scopes.joined(separator: ", "))"
            return CheckResult(ok: false, message: "HubSpot refused the token for missing scopes\(named). HubSpot said: \"\(body?.message ?? "")\" Add the scopes to the private app (Settings → Integrations → Private apps → Scopes) or reinstall the OAuth app with them, then store the new token.",
                               details: ["missing_scopes": .array(scopes.map(JSONValue.string)), "category": "MISSING_SCOPES"])
        case 401:
            let what = body?.category == "EXPIRED_AUTHENTICATION" ? "expired" : "not accepted"
            return CheckResult(ok: false, message: "HubSpot answered 401: the token is \(what) (\(body?.message ?? "no message")). Store a current private-app token, or reconnect the OAuth app so a new refresh token is issued.",
                               details: body?.category.map { JSONValue.object(["category": .string($0)]) })
        case 403:
            return CheckResult(ok: false, message: "HubSpot answered 403 (\(body?.category ?? "FORBIDDEN")): \(body?.message ?? "no message")")
        case 404:
            return CheckResult(ok: false, message: "HubSpot has no CRM API at this base_url (GET /crm/v3/objects/contacts answered 404): use https://api.hubapi.com")
        default:
            throw HubSpotAPI.failure(response, "GET /crm/v3/objects/contacts")
        }
    }
}
