import CrosswalkCore
import Foundation

/// The fixed credentials of the emulated HubSpot portal. The sandbox banner, README, tests and demo use these.
public enum HubSpotDemoCredentials {
    /// A private-app access token with every CRM scope; it never expires.
    public static let privateAppToken = "pat-na1-5a1db0c8-8f7e-4c35-9c1e-c0ffee000001"
    /// The public OAuth app's client id and secret. The secret also signs webhook deliveries (v1 and v3).
    public static let clientId = "0f3c2b1a-7e6d-4c5b-9a8f-123456789abc"
    public static let clientSecret = "b7e4c1d2-9f80-4a6b-8c3d-2e1f0a9b8c7d"
    /// An authorization code `/oauth/v1/token` always accepts (the consent screen is skipped).
    public static let authorizationCode = "demo-hubspot-authorization-code"
    /// The portal (hub) id and the OAuth app id that appear in tokens and webhook events.
    public static let portalId = 4_400_123
    public static let appId = 1_234_567
    public static let userId = 9_001
    /// Scopes granted to OAuth tokens and the private app.
    public static let scopes = ["oauth", "crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.companies.read",
                                "crm.objects.companies.write", "crm.objects.deals.read", "crm.objects.deals.write",
                                "crm.objects.invoices.read", "crm.objects.invoices.write", "crm.schemas.contacts.read",
                                "crm.schemas.contacts.write", "crm.schemas.companies.read", "crm.schemas.companies.write",
                                "crm.schemas.deals.read", "crm.schemas.deals.write", "crm.schemas.invoices.read"]

    /// Name → value, as the sandbox banner and readiness line print them.
    public static let all: [String: String] = [
        "private_app_token": privateAppToken, "client_id": clientId, "client_secret": clientSecret,
        "authorization_code": authorizationCode, "portal_id": String(portalId), "app_id": String(appId),
        "webhook_signing_secret": clientSecret,
    ]
}
