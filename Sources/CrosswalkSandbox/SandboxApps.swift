import CrosswalkCore
import Foundation

/// The five emulated apps, assembled for `crosswalk sandbox` and the tests.
public enum SandboxApps {
    /// Every emulator, each with its webhook environment from `webhooks`, in port order.
    public static func all(webhooks: SandboxWebhookDispatcher) -> [any SandboxApp] {
        [
            SalesforceApp(environment: webhooks.environment(for: "salesforce")),
            NetSuiteApp(environment: webhooks.environment(for: "netsuite")),
            HubSpotApp(environment: webhooks.environment(for: "hubspot")),
            SpotioApp(environment: webhooks.environment(for: "spotio")),
            AriticApp(environment: webhooks.environment(for: "aritic")),
        ]
    }

    /// Each app's documented demo credentials, for the start banner and the readiness line.
    public static let demoCredentials: [String: [String: String]] = [
        "salesforce": SalesforceApp.demoCredentials.dictionary,
        "netsuite": NetSuiteApp.demoCredentials,
        "hubspot": HubSpotApp.demoCredentials,
        "spotio": SpotioApp.demoCredentials.dictionary,
        "aritic": AriticApp.demoCredentials.dictionary,
    ]
}
