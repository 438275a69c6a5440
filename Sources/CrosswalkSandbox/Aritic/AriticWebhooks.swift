import CrosswalkCore
import Crypto
import Foundation

/// Mautic's webhook event types and signature.
enum AriticWebhookEvents {
    static let contactNew = "mautic.lead_post_save_new"
    static let contactUpdate = "mautic.lead_post_save_update"
    static let contactDelete = "mautic.lead_post_delete"
    static let pointsChange = "mautic.lead_points_change"
    static let companyChange = "mautic.lead_company_change"
    static let companySave = "mautic.company_post_save"
    static let companyDelete = "mautic.company_post_delete"

    /// `GET /api/hooks/triggers`: type → label.
    static let triggers: [(String, String)] = [
        (contactNew, "Contact Identified Event"), (contactUpdate, "Contact Updated Event"),
        (contactDelete, "Contact Delete Event"), (pointsChange, "Contact Points Changed Event"),
        (companyChange, "Contact Company Subscription Change Event"), ("mautic.lead_channel_subscription_changed", "Contact Channel Subscription Change Event"),
        (companySave, "Company Create/Update Event"), (companyDelete, "Company Delete Event"),
        ("mautic.email_on_open", "Email Open Event"), ("mautic.email_on_send", "Email Send Event"),
        ("mautic.form_on_submit", "Form Submit Event"), ("mautic.page_on_hit", "Page Hit Event"), ("mautic.sms_on_send", "Send SMS Event"),
    ]

    /// The `Webhook-Signature` value: base64 HMAC-SHA256 of the exact body with the hook's secret.
    static func signature(body: Data, secret: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
    }
}

/// `/api/hooks…` and delivery: one POST per hook and request, events grouped by type,
/// `{"<type>": [{…, "timestamp": …}], "timestamp": …}`.
extension AriticStore {
    func createHook(_ params: [String: Any], _ call: AriticCall) -> SandboxResponse {
        let url = AriticWire.text(params["webhookUrl"]) ?? ""
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
            let error = AriticFormError(field: "webhookUrl", message: "A valid URL is required.")
            return AriticWire.error(400, error.text, details: error.details, version: version)
        }
        let events = AriticWire.list(params["triggers"]).compactMap { AriticWire.text($0) }
        let known = Set(AriticWebhookEvents.triggers.map(\.0))
        guard !events.isEmpty, events.allSatisfy(known.contains) else {
            let error = AriticFormError(field: "triggers", message: "Choose at least one known trigger.")
            return AriticWire.error(400, error.text, details: error.details, version: version)
        }
        let hook = AriticHook(id: state.nextHookId, name: AriticWire.text(params["name"]) ?? "Webhook \(state.nextHookId)", webhookURL: url,
                              secret: AriticWire.text(params["secret"]).flatMap { $0.isEmpty ? nil : $0 } ?? AriticTokens.random(),
                              events: events, isPublished: params["isPublished"].map { AriticWire.truthy($0) } ?? true, dateAdded: call.now)
        state.hooks[hook.id] = hook
        state.nextHookId += 1
        return AriticJSON.response(201, AriticObject([("hook", render.hook(hook))]))
    }

    func deleteHook(_ id: Int) -> SandboxResponse {
        guard let hook = state.hooks.removeValue(forKey: id) else { return notFound() }
        return AriticJSON.response(200, AriticObject([("hook", render.hook(hook, id: NSNull()))]))
    }

    func hookTriggers() -> SandboxResponse {
        AriticJSON.response(200, AriticObject([("triggers", AriticObject(AriticWebhookEvents.triggers.map { ($0.0, $0.1 as Any) }))]))
    }

    /// Registers a webhook as an admin would in Settings → Webhooks (all contact and company events when `events` is empty).
    func subscribe(url: String, secret: String?, events: [String]) {
        let all = [AriticWebhookEvents.contactNew, AriticWebhookEvents.contactUpdate, AriticWebhookEvents.contactDelete,
                   AriticWebhookEvents.pointsChange, AriticWebhookEvents.companyChange, AriticWebhookEvents.companySave,
                   AriticWebhookEvents.companyDelete]
        let hook = AriticHook(id: state.nextHookId, name: "Sandbox subscriber \(state.nextHookId)", webhookURL: url, secret: secret,
                              events: events.isEmpty ? all : events, isPublished: true, dateAdded: environment.now())
        state.hooks[hook.id] = hook
        state.nextHookId += 1
    }

    func deliverPendingEvents(now: Date) {
        guard !pendingEvents.isEmpty else { return }
        for hook in state.hooks.values.sorted(by: { $0.id < $1.id }) where hook.isPublished {
            var body = AriticObject()
            for event in pendingEvents where hook.events.contains(event.type) {
                var list = body[event.type] as? [Any] ?? []
                list.append(event.payload)
                body[event.type] = list
            }
            guard !body.pairs.isEmpty else { continue }
            body["timestamp"] = AriticWire.date(now)
            let data = AriticJSON.encode(body)
            var headers: HTTPFields = ["Content-Type": "application/json", "X-Origin-Base-URL": currentBaseURL]
            if let secret = hook.secret { headers["Webhook-Signature"] = AriticWebhookEvents.signature(body: data, secret: secret) }
            environment.deliver(SandboxWebhook(url: hook.webhookURL, headers: headers, body: data))
        }
    }
}
