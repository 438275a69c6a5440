import CrosswalkAuth
import CrosswalkSandbox
import Foundation

/// The connections the templates share, one per app, each through its connector plugin and with
/// the sandbox's demo credentials.
extension TemplateConnection {
    /// Salesforce (`com.salesforce`), OAuth 2.0 client credentials against the org's token endpoint.
    public static let salesforce = TemplateConnection(
        name: "salesforce", app: "salesforce", plugin: "com.salesforce",
        yaml: """
              salesforce:
                connector: com.salesforce
                settings: {base_url: "{{salesforce}}", settle_seconds: 1}
            """,
        credentials: { url in
            let sf = SalesforceApp.demoCredentials
            return .oauth2(OAuth2Credentials(flow: .clientCredentials, clientID: sf.clientID, clientSecret: sf.clientSecret,
                                             clientAuthentication: .basic, tokenURL: url.absoluteString + "/services/oauth2/token"))
        })

    /// NetSuite (`com.netsuite`), token-based authentication.
    public static let netsuite = TemplateConnection(
        name: "netsuite", app: "netsuite", plugin: "com.netsuite",
        yaml: """
              netsuite:
                connector: com.netsuite
                settings: {base_url: "{{netsuite}}", account_id: "\(NetSuiteDemoCredentials.accountId)"}
            """,
        credentials: { _ in
            typealias NS = NetSuiteDemoCredentials
            return .netsuiteTBA(NetSuiteTBACredentials(accountID: NS.accountId, consumerKey: NS.consumerKey, consumerSecret: NS.consumerSecret,
                                                      tokenID: NS.tokenId, tokenSecret: NS.tokenSecret))
        })

    /// SPOTIO (`com.spotio`), its API key exchanged for a bearer token.
    public static let spotio = TemplateConnection(
        name: "spotio", app: "spotio", plugin: "com.spotio",
        yaml: """
              spotio:
                connector: com.spotio
                settings: {base_url: "{{spotio}}", settle_seconds: 1}
            """,
        credentials: { url in
            let s = SpotioApp.demoCredentials
            return .tokenExchange(TokenExchangeCredentials(url: url.absoluteString + "/api/users/apitoken",
                                                          bodyTemplate: #"{"clientId":"{{clientId}}","secret":"{{secret}}"}"#,
                                                          values: ["clientId": s.clientId, "secret": s.secret], tokenField: "accessToken"))
        })
}
