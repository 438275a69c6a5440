import CrosswalkCore
import Foundation

/// The HubSpot app's own test controls, `POST /__sandbox/app/<name>` with a JSON body:
///
/// | name | body | effect |
/// |---|---|---|
/// | `search_lag` | `{"ms": 2000}` / `{"flush": true}` | writes stay invisible to search (new records) or show their old values (updates) for `ms`; `flush` indexes everything now |
/// | `scopes` | `{"missing": ["crm.objects.contacts.write"]}` | the private-app token lacks these scopes: calls needing one answer 403 `MISSING_SCOPES` (`[]` restores all) |
/// | `token` | `{"revoked": true}` | the private-app token is revoked: every call answers 401 `INVALID_AUTHENTICATION` (`false` restores it) |
enum HubSpotControls {
    static let names = ["search_lag", "scopes", "token"]

    static func handle(_ name: String, _ request: SandboxRequest, state: inout HubSpotState, now: Date) -> SandboxResponse? {
        guard names.contains(name) else { return nil }
        guard let body = request.body.isEmpty ? [:] : request.jsonBody() as? [String: Any] else {
            return HubSpotJSONWriter.response(400, ["error": "\(name) takes a JSON object"])
        }
        switch name {
        case "search_lag":
            if let raw = body["ms"] {
                guard let ms = raw as? Int, ms >= 0, ms <= 3_600_000 else { return HubSpotJSONWriter.response(400, ["error": "ms is a whole number of milliseconds, 0…3600000"]) }
                let lag = Double(ms) / 1000
                if lag != state.searchLag {
                    for index in state.pendingIndex.indices {
                        state.pendingIndex[index].due = state.pendingIndex[index].due.addingTimeInterval(lag - state.searchLag)
                    }
                    state.searchLag = lag
                }
            }
            state.catchUpSearchIndex(now: now, all: body["flush"] as? Bool == true)
            return HubSpotJSONWriter.response(200, ["app": "hubspot", "search_lag_ms": Int(state.searchLag * 1000), "pending": state.pendingIndex.count])
        case "scopes":
            guard let missing = body["missing"] as? [String] else { return HubSpotJSONWriter.response(400, ["error": "scopes takes {\"missing\": [\"scope\", …]}"]) }
            state.portal.missingScopes = Set(missing)
            return HubSpotJSONWriter.response(200, ["app": "hubspot", "missing_scopes": missing.sorted()])
        default:
            guard let revoked = body["revoked"] as? Bool else { return HubSpotJSONWriter.response(400, ["error": "token takes {\"revoked\": true|false}"]) }
            state.portal.privateAppRevoked = revoked
            return HubSpotJSONWriter.response(200, ["app": "hubspot", "private_app_token_revoked": revoked])
        }
    }
}
