import CrosswalkCore
import Foundation

/// The account's enabled features, the integration role's permissions and its preferences, as a connector's
/// `check` meets them. Set with `POST /__sandbox/app/account` and `/preferences` (see the README).
struct NetSuiteAccountSettings: Sendable, Equatable {
    /// Setup > Company > Enable Features > SuiteCloud: REST Web Services.
    var restWebServices = true
    /// … > Manage Authentication: Token-Based Authentication.
    var tokenBasedAuthentication = true
    /// … > Manage Authentication: OAuth 2.0.
    var oauth2 = true
    /// The role has the "REST Web Services" and "Log in using Access Tokens" / "…OAuth 2.0 Access Tokens" permissions.
    var roleCanUseREST = true
    /// Permission level of the role per record type (`none`, `view`, `full`); missing types are `full`.
    var recordPermissions: [String: NetSuitePermissionLevel] = [:]
    /// The account's time zone (Set Preferences > Time Zone), used for dates in `q` filters.
    var timeZone = TimeZone(identifier: "America/Los_Angeles")!
    /// The user's date format preference for `q` values: `M/D/YYYY` (default), `D/M/YYYY`, `YYYY-MM-DD`…
    var dateFormat = NetSuiteDateFormat.monthFirst

    var json: [String: Any] {
        ["rest_web_services": restWebServices, "token_based_auth": tokenBasedAuthentication, "oauth2": oauth2,
         "role_rest_permission": roleCanUseREST,
         "permissions": Dictionary(uniqueKeysWithValues: recordPermissions.map { ($0.key, $0.value.rawValue) }),
         "time_zone": timeZone.identifier, "date_format": dateFormat.rawValue]
    }
}

/// A role's permission level on one record type.
enum NetSuitePermissionLevel: String, Sendable {
    case none, view, create, edit, full

    /// Whether a request with `method` may go ahead.
    func allows(_ method: String) -> Bool {
        switch self {
        case .none: false
        case .view: method == "GET"
        case .create: method == "GET" || method == "POST"
        case .edit: method != "DELETE"
        case .full: true
        }
    }
}

/// The date order of the user's date format preference.
enum NetSuiteDateFormat: String, Sendable {
    case monthFirst = "M/D/YYYY", dayFirst = "D/M/YYYY", yearFirst = "YYYY/M/D"

    static func named(_ text: String) -> NetSuiteDateFormat? {
        let t = text.uppercased().replacingOccurrences(of: ".", with: "/").replacingOccurrences(of: "-", with: "/")
            .replacingOccurrences(of: "MM", with: "M").replacingOccurrences(of: "DD", with: "D")
        switch t {
        case "M/D/YYYY", "M/D/YY": return .monthFirst
        case "D/M/YYYY", "D/M/YY": return .dayFirst
        case "YYYY/M/D": return .yearFirst
        default: return nil
        }
    }
}
