import CrosswalkPluginKit

/// `check`: one contact of the list (`limit=1&minimal=true`), with a message a person can act on when the API user
/// cannot be used.
struct AriticChecker {
    let api: AriticAPI

    func check() throws -> CheckResult {
        let response = try api.send("GET", "/api/contacts?" + AriticAPI.query([("limit", "1"), ("minimal", "true")]))
        switch response.status {
        case 200..<300:
            let total = response.jsonValue?["total"].flatMap { $0.stringValue ?? $0.intValue.map(String.init) } ?? "?"
            let version = response.headers["mautic-version"].map { " (Mautic \($0))" } ?? ""
            return CheckResult(ok: true, message: "Connected to Aritic PinPoint\(version): \(total) contacts visible to the API user",
                               details: ["contacts": .string(total)])
        case 401:
            let error = AriticAPI.failure(response, "GET /api/contacts")
            return CheckResult(ok: false, message: "Aritic PinPoint refused the API user (\(error.message)). Check the user name and password stored for this connection, and that an administrator enabled the API and \"HTTP basic auth\" under Configuration → API Settings.")
        case 403:
            let error = AriticAPI.failure(response, "GET /api/contacts")
            return CheckResult(ok: false, message: "Aritic PinPoint answered 403 Forbidden (\(error.message)): the API user's role may not view contacts; give the role the Contacts and Companies permissions (Settings → Roles).")
        case 404:
            return CheckResult(ok: false, message: "Aritic PinPoint has no API at this base_url (GET /api/contacts answered 404): use the instance URL, e.g. https://<tenant>.ariticapp.com/ma")
        default:
            throw AriticAPI.failure(response, "GET /api/contacts")
        }
    }
}
