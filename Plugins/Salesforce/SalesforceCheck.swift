import CrosswalkPluginKit

/// `check`: the org's limits (one cheap authenticated REST call that every edition with API access
/// answers) and who the integration user is; an actionable message when the org or user cannot use
/// the API.
struct SalesforceChecker {
    let api: SalesforceAPI

    /// The editions that include API access (seed 002; *Salesforce Editions with API Access*).
    static let apiEditions = "Enterprise, Unlimited, Developer and Performance"

    func check() throws -> CheckResult {
        let response: ConnectorHost.Response
        do {
            // Unguarded: check reports the quota rather than stopping at it.
            response = try api.send("GET", api.data("limits/"), idempotent: true, unguarded: true)
        } catch let e as ConnectorError where e.code == .auth {
            return CheckResult(ok: false, message: "Salesforce did not accept the connection's credentials: \(e.message). Reconnect (crosswalk connect) or check the connected app's consumer key, secret and the user's access.",
                               details: ["code": "auth"])
        }
        if !(200..<300).contains(response.status) { return refusal(response) }
        let limits = response.jsonValue
        let daily = limits?["DailyApiRequests"]
        let max = daily?["Max"]?.intValue
        let remaining = daily?["Remaining"]?.intValue
        let who = try? api.send("GET", "/services/oauth2/userinfo", idempotent: true, unguarded: true).jsonValue
        let user = who?["preferred_username"]?.stringValue ?? who?["email"]?.stringValue
        let org = who?["organization_id"]?.stringValue
        var message = "Connected to Salesforce"
        if let org { message += " org \(org)" }
        if let user { message += " as \(user)" }
        message += " (API v\(api.settings.apiVersion))"
        if let max, let remaining { message += "; \(max - remaining) of \(max) daily API requests used" }
        var details: [String: JSONValue] = ["api_version": .string(api.settings.apiVersion)]
        if let org { details["organization_id"] = .string(org) }
        if let user { details["username"] = .string(user) }
        if let max { details["daily_api_requests_max"] = .number(JSONNumber(max)) }
        if let remaining { details["daily_api_requests_remaining"] = .number(JSONNumber(remaining)) }
        return CheckResult(ok: true, message: message, details: .object(details))
    }

    /// A precise message for each way Salesforce refuses an org or user the API.
    private func refusal(_ response: ConnectorHost.Response) -> CheckResult {
        let items = SalesforceAPI.errorItems(response)
        let code = items.first?.code ?? "HTTP_\(response.status)"
        let said = items.first.map { " Salesforce said: \($0.code): \($0.message)" } ?? ""
        let message: String
        switch code {
        case "API_DISABLED_FOR_ORG", "API_CURRENTLY_DISABLED":
            message = "The Salesforce API is not available to this connection. Either the org's edition has no API access — only the \(Self.apiEditions) editions include it (Professional Edition needs the API add-on) — or the integration user's profile or a permission set lacks the \"API Enabled\" permission (Setup › Users › Profiles › System Permissions › API Enabled).\(said)"
        case "INVALID_OPERATION_WITH_EXPIRED_PASSWORD":
            message = "The integration user's password has expired: Salesforce refuses every API call until it is changed. Log in as that user and set a new password (or give integration users a \"Password never expires\" policy), then reconnect.\(said)"
        case "REQUEST_LIMIT_EXCEEDED":
            message = "The org has used up its daily API requests (a rolling 24 hours): calls work again as the window rolls on.\(said)"
        case "INVALID_SESSION_ID":
            message = "Salesforce refused the session even after a token refresh: reconnect the connection.\(said)"
        case "NOT_FOUND" where response.status == 404:
            message = "The org does not serve API version \(api.settings.apiVersion) (GET /services/data/ lists the versions it does): set api_version to one of them.\(said)"
        default:
            message = "Salesforce refused the check (HTTP \(response.status)).\(said)"
        }
        return CheckResult(ok: false, message: message, details: ["salesforce_code": .string(code), "http_status": .number(JSONNumber(response.status))])
    }
}
