import CrosswalkPluginKit

/// `check`: a one-record list of each record type (the cheapest authenticated call that also proves the
/// role's permission on the type) and one row of the deleted-record feed, with a message a person can act
/// on for each state in which NetSuite refuses: REST web services off, token-based auth or OAuth 2.0 off
/// (NetSuite says only INVALID_LOGIN; the reason is in its Login Audit Trail), a role without the REST
/// permissions, a role without permission on a record type.
extension NetSuiteConnector {
    static let enableFeatures = "Setup > Company > Enable Features > SuiteCloud"

    func runCheck() throws -> CheckResult {
        let account = settings.accountName
        var readable: [String] = []
        var denied: [(object: String, detail: String)] = []
        for object in NetSuiteObject.all {
            let path = "\(NetSuiteAPI.recordPath)/\(object.name)?limit=1"
            let response: ConnectorHost.Response
            do {
                response = try api.send("GET", path)
            } catch let error as ConnectorError where error.code == .auth {
                return CheckResult(ok: false, message: Self.noToken(error.message, account: account), details: ["reason": "no_token"])
            }
            if response.status == 200 {
                readable.append(object.name)
                continue
            }
            let failure = NetSuiteFailure(response)
            switch (failure.status, failure.code) {
            case (401, _):
                return CheckResult(ok: false, message: Self.invalidLogin(failure, account: account), details: ["reason": "invalid_login"])
            case (_, "FEATURE_DISABLED"?):
                return CheckResult(ok: false, message: "REST web services are not enabled for \(account): turn on \(Self.enableFeatures) > SuiteTalk (Web Services) > REST Web Services. (NetSuite: \(failure.detail))",
                                   details: ["reason": "rest_web_services_disabled"])
            case (400, "USER_ERROR"?):
                return CheckResult(ok: false, message: "The integration role may not use REST web services in \(account): give it the permissions REST Web Services and Log in using Access Tokens (token-based auth) or Log in using OAuth 2.0 Access Tokens at Setup > Users/Roles > Manage Roles > (the role) > Permissions > Setup. (NetSuite: \(failure.detail))",
                                   details: ["reason": "role_lacks_rest_permission"])
            case (403, _):
                denied.append((object.name, failure.detail))
            case (429, _):
                return CheckResult(ok: false, message: "\(account) refused the request for its concurrency limit even after retries (\(failure.detail)): other integrations use every slot, or max_concurrency is set above the account's limit",
                                   details: ["reason": "concurrency_limit"])
            default:
                return CheckResult(ok: false, message: "GET \(path) answered HTTP \(failure.status): \(failure.code.map { "\($0): " } ?? "")\(failure.detail)")
            }
        }
        if !denied.isEmpty {
            let list = denied.map { "\($0.object) (\($0.detail))" }.joined(separator: "; ")
            return CheckResult(ok: false,
                               message: "The integration role cannot read \(denied.map(\.object).joined(separator: ", ")) in \(account): \(list). Give the role at least View on Lists > Customers, Lists > Contacts and Transactions > Invoice (Full to write) at Setup > Users/Roles > Manage Roles > (the role) > Permissions.",
                               details: ["reason": "record_permission", "denied": .array(denied.map { .string($0.object) }),
                                         "readable": .array(readable.map(JSONValue.string))])
        }
        var message = "Connected to \(account) through REST web services; \(readable.joined(separator: ", ")) readable"
        var details: [String: JSONValue] = ["readable": .array(readable.map(JSONValue.string)), "deleted_records": true]
        do {
            _ = try api.suiteQL("SELECT recordid FROM deletedrecord WHERE type = 'customer'", limit: 1, deadline: NetSuiteDeadline(milliseconds: nil))
            message += "; deleted-record feed readable"
        } catch let failure as SuiteQLFailure {
            message += "; deletions will not be read: the role cannot query DeletedRecord (\(failure.failure.detail)); give it the Deleted Records permission at Setup > Users/Roles > Manage Roles > Permissions > Lists"
            details["deleted_records"] = false
        }
        return CheckResult(ok: true, message: message, details: .object(details))
    }

    /// NetSuite's 401 says only INVALID_LOGIN; `WWW-Authenticate` tells token-based auth from OAuth 2.0.
    static func invalidLogin(_ failure: NetSuiteFailure, account: String) -> String {
        let audit = "NetSuite names the reason only in its Login Audit Trail: Setup > Users/Roles > User Management > View Login Audit Trail."
        if failure.challenge?.lowercased().hasPrefix("bearer") == true {
            return "\(account) refused the OAuth 2.0 access token (INVALID_LOGIN): OAuth 2.0 may not be enabled (\(enableFeatures) > Manage Authentication > OAuth 2.0), or the integration record or the role's Log in using OAuth 2.0 Access Tokens permission was revoked. \(audit)"
        }
        return "\(account) refused the token-based login (INVALID_LOGIN): Token-Based Authentication may not be enabled (\(enableFeatures) > Manage Authentication > Token-Based Authentication), or the consumer key and secret, the token id and secret or the account id (realm) are wrong or revoked. \(audit)"
    }

    /// The host could not get an OAuth 2.0 token (or has no credentials for the connection).
    static func noToken(_ detail: String, account: String) -> String {
        "\(account) issued no access token: \(detail). For OAuth 2.0, check that it is enabled (\(enableFeatures) > Manage Authentication > OAuth 2.0), that the integration record allows the Client Credentials (Machine to Machine) grant with scope REST Web Services, and that the certificate is mapped to the role (Setup > Integration > Manage Authentication > OAuth 2.0 Client Credentials (M2M) Setup)."
    }
}
