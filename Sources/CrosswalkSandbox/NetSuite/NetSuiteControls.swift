import CrosswalkCore
import Foundation

/// The NetSuite emulator's test controls, `POST /__sandbox/app/<name>` on its port:
/// - `concurrency` `{"tier": "shared"|"tier1"…"tier5", "suitecloud_plus": N}` or `{"limit": N}` → the account's
///   concurrency limit (requests in flight beyond it are refused with 429);
/// - `account` `{"rest_web_services", "token_based_auth", "oauth2", "role_rest_permission": bool,
///   "permissions": {"customer": "none"|"view"|"create"|"edit"|"full"}}` → enabled features and the role;
/// - `preferences` `{"time_zone": "America/New_York", "date_format": "D/M/YYYY"}` → how `q` reads dates.
/// Each answers the current settings; fields left out keep their value. `reset` restores the defaults.
enum NetSuiteControls {
    static let names = ["concurrency", "account", "preferences"]

    static func handle(_ name: String, _ request: SandboxRequest, gate: NetSuiteConcurrencyGate,
                       settings update: ((inout NetSuiteAccountSettings) -> Void) -> Void) -> SandboxResponse? {
        guard names.contains(name) else { return nil }
        let body: [String: Any]
        if request.body.isEmpty {
            body = [:]
        } else {
            guard let object = request.jsonBody() as? [String: Any] else { return invalid("the body must be a JSON object") }
            body = object
        }
        switch name {
        case "concurrency":
            if let limit = body["limit"] {
                guard let n = limit as? Int, n >= 1 else { return invalid("limit must be a whole number ≥ 1") }
                gate.limit = n
            } else if body["tier"] != nil || body["suitecloud_plus"] != nil {
                let tier = body["tier"] as? String ?? "shared"
                guard let plus = (body["suitecloud_plus"] ?? 0) as? Int,
                      let limit = NetSuiteServiceTier.limit(tier: tier, suiteCloudPlus: plus) else {
                    return invalid("tier must be one of \(NetSuiteServiceTier.limits.keys.sorted().joined(separator: ", ")) and suitecloud_plus a whole number ≥ 0")
                }
                gate.limit = limit
            }
            return .json(200, ["limit": gate.limit, "in_flight": gate.current])
        case "account":
            var failure: String?
            var current: [String: Any] = [:]
            update { s in
                for (key, path) in [("rest_web_services", \NetSuiteAccountSettings.restWebServices), ("token_based_auth", \.tokenBasedAuthentication),
                                    ("oauth2", \.oauth2), ("role_rest_permission", \.roleCanUseREST)] {
                    guard let value = body[key] else { continue }
                    guard let flag = value as? Bool else { failure = "\(key) must be true or false"; return }
                    s[keyPath: path] = flag
                }
                if let permissions = body["permissions"] {
                    guard let map = permissions as? [String: Any] else { failure = "permissions must map record types to levels"; return }
                    for (type, level) in map {
                        guard NetSuiteSchema.recordTypes.contains(type), let text = level as? String,
                              let parsed = NetSuitePermissionLevel(rawValue: text.lowercased()) else {
                            failure = "permissions: \(type) must be a record type (customer, contact, invoice, opportunity) with none, view, create, edit or full"
                            return
                        }
                        s.recordPermissions[type] = parsed
                    }
                }
                current = s.json
            }
            return failure.map(invalid) ?? .json(200, current)
        default: // preferences
            var failure: String?
            var current: [String: Any] = [:]
            update { s in
                if let zone = body["time_zone"] {
                    guard let id = zone as? String, let timeZone = TimeZone(identifier: id) else { failure = "time_zone must be an IANA zone name"; return }
                    s.timeZone = timeZone
                }
                if let format = body["date_format"] {
                    guard let text = format as? String, let parsed = NetSuiteDateFormat.named(text) else {
                        failure = "date_format must be M/D/YYYY, D/M/YYYY or YYYY/M/D"
                        return
                    }
                    s.dateFormat = parsed
                }
                current = s.json
            }
            return failure.map(invalid) ?? .json(200, current)
        }
    }

    private static func invalid(_ message: String) -> SandboxResponse { .json(400, ["error": message]) }
}
