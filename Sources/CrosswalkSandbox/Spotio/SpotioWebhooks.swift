import CrosswalkCore
import Crypto
import Foundation

/// SPOTIO's webhook event names (the scopes `GET /api/Webhooks/scopes` lists).
enum SpotioWebhookEvents {
    static let leadAdded = "lead.added"
    static let leadUpdated = "lead.updated"
    static let leadDeleted = "lead.deleted"
    static let activityCreated = "activity.created"
    static let activityUpdated = "activity.updated"
    static let activityDeleted = "activity.deleted"
    static let activityDone = "activity.done"
    static let scopes = [leadAdded, leadUpdated, leadDeleted, activityCreated, activityUpdated, activityDeleted, activityDone,
                         "appointment.created", "appointment.updated", "appointment.deleted"]

    /// The `X-Signature` value: hex HMAC-SHA256 of the exact body with the account's webhook secret.
    static func signature(body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}

/// `/api/Webhooks…` management and delivery of the batched `{"payload": [{data, type, date}]}` posts.
extension SpotioStore {
    /// `GET /api/Webhooks` → `{secret, endpoints}`.
    func listWebhooks(_ call: SpotioCall) -> SandboxResponse {
        .json(200, ["secret": state.webhookSecret, "endpoints": state.webhooks.map { render.webhook($0) }])
    }

    /// `POST /api/Webhooks {callback, scopes, customHeaders}` → `WebhookEndpointDto`.
    func createWebhook(_ call: SpotioCall) -> SandboxResponse {
        switch parseWebhook(call, existing: nil) {
        case let .failure(denied): return denied.response
        case let .success(endpoint):
            state.webhooks.append(endpoint)
            state.nextWebhookNumber += 1
            return .json(200, render.webhook(endpoint))
        }
    }

    /// `PUT /api/Webhooks/{id} {callback, scopes, active, customHeaders}` → `WebhookEndpointDto`.
    func updateWebhook(_ call: SpotioCall) -> SandboxResponse {
        let id = call.params["id"] ?? ""
        guard let index = state.webhooks.firstIndex(where: { $0.id == id }) else { return SpotioWire.notFound("Webhook", id) }
        switch parseWebhook(call, existing: state.webhooks[index]) {
        case let .failure(denied): return denied.response
        case let .success(endpoint):
            state.webhooks[index] = endpoint
            return .json(200, render.webhook(endpoint))
        }
    }

    /// `DELETE /api/Webhooks/{id}` → 200, no body.
    func deleteWebhook(_ call: SpotioCall) -> SandboxResponse {
        let id = call.params["id"] ?? ""
        guard let index = state.webhooks.firstIndex(where: { $0.id == id }) else { return SpotioWire.notFound("Webhook", id) }
        state.webhooks.remove(at: index)
        return .empty(200)
    }

    private func parseWebhook(_ call: SpotioCall, existing: SpotioWebhookEndpoint?) -> Result<SpotioWebhookEndpoint, SpotioRejection> {
        let body: [String: Any]
        switch SpotioWire.jsonObject(call.request) {
        case let .success(object): body = object
        case let .failure(error): return .failure(SpotioRejection(response: error.response))
        }
        guard let callback = body.spotioString("callback"), let url = URL(string: callback),
              ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            return .failure(SpotioRejection(response: SpotioWire.error(400, field: "callback", "callback must be an absolute http(s) URL.")))
        }
        let scopes = (body["scopes"] as? [Any])?.compactMap { $0 as? String } ?? []
        guard !scopes.isEmpty else {
            return .failure(SpotioRejection(response: SpotioWire.error(400, field: "scopes", "At least one scope is required.")))
        }
        if let unknown = scopes.first(where: { !SpotioWebhookEvents.scopes.contains($0) }) {
            return .failure(SpotioRejection(response: SpotioWire.error(400, field: "scopes", "'\(unknown)' is not a webhook scope.")))
        }
        let headers = ((body["customHeaders"] as? [Any]) ?? []).compactMap { $0 as? [String: Any] }.compactMap { h -> SpotioCustomHeader? in
            guard let name = h.spotioString("name"), !name.isEmpty else { return nil }
            return SpotioCustomHeader(name: name, value: h.spotioString("value") ?? "")
        }
        return .success(SpotioWebhookEndpoint(id: existing?.id ?? String(state.nextWebhookNumber), callback: callback, scopes: scopes,
                                              active: body.spotioBool("active") ?? existing?.active ?? true, customHeaders: headers))
    }

    /// Registers a subscriber as the sandbox control API asks: all scopes when `events` is empty; a non-nil
    /// `secret` becomes the account's webhook secret (SPOTIO has one secret per account).
    func subscribe(url: String, secret: String?, events: [String]) {
        if let secret { state.webhookSecret = secret }
        let scopes = events.isEmpty ? SpotioWebhookEvents.scopes : events
        state.webhooks.append(SpotioWebhookEndpoint(id: String(state.nextWebhookNumber), callback: url, scopes: scopes,
                                                    active: true, customHeaders: []))
        state.nextWebhookNumber += 1
    }

    /// Sends the current request's events: one POST per active endpoint, holding the events in its scopes.
    func deliverPendingEvents(now: Date) {
        guard !pendingEvents.isEmpty else { return }
        for endpoint in state.webhooks where endpoint.active {
            let events = pendingEvents.filter { endpoint.scopes.contains($0.type) }
            guard !events.isEmpty else { continue }
            let payload = events.map { ["data": $0.data, "type": $0.type, "date": SpotioWire.date(now)] as [String: Any] }
            let body = (try? JSONSerialization.data(withJSONObject: ["payload": payload], options: [.sortedKeys])) ?? Data()
            var headers: HTTPFields = ["Content-Type": "application/json; charset=utf-8"]
            for header in endpoint.customHeaders { headers[header.name] = header.value }
            headers["X-Signature"] = SpotioWebhookEvents.signature(body: body, secret: state.webhookSecret)
            environment.deliver(SandboxWebhook(url: endpoint.callback, headers: headers, body: body))
        }
    }
}
