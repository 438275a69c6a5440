import CrosswalkAuth
import Foundation

/// One credentials value per scheme, every secret containing "SECRET" so leaks are easy to find.
enum SampleCredentials {
    static let secrets = [
        "oauth-client-SECRET", "oauth-access-SECRET", "oauth-refresh-SECRET", "jwt-key-SECRET",
        "jwt-access-SECRET", "ns-consumer-key-SECRET", "ns-consumer-SECRET", "ns-token-id-SECRET", "ns-token-SECRET",
        "apikey-SECRET", "basic-password-SECRET", "exchange-SECRET", "exchange-access-SECRET",
    ]

    static let all: [Credentials] = [
        .oauth2(OAuth2Credentials(
            flow: .authorizationCode, clientID: "client-id", clientSecret: "oauth-client-SECRET",
            clientAuthentication: .basic, tokenURL: "https://login.example.test/token", authorizationURL: "https://login.example.test/authorize",
            redirectURI: "http://127.0.0.1:8765/cb", scopes: ["api"],
            token: OAuth2Token(accessToken: "oauth-access-SECRET", refreshToken: "oauth-refresh-SECRET",
                               expiresAt: Date(timeIntervalSince1970: 1_700_000_000), instanceURL: "https://acme.my.salesforce.com"))),
        .jwt(JWTCredentials(privateKeyPEM: "-----BEGIN PRIVATE KEY-----\njwt-key-SECRET\n-----END PRIVATE KEY-----",
                            issuer: "consumer-key", subject: "user@example.test", audience: "https://login.salesforce.com",
                            tokenURL: "https://login.salesforce.com/services/oauth2/token",
                            token: OAuth2Token(accessToken: "jwt-access-SECRET"))),
        .netsuiteTBA(NetSuiteTBACredentials(accountID: "1234567_SB1", consumerKey: "ns-consumer-key-SECRET",
                                            consumerSecret: "ns-consumer-SECRET", tokenID: "ns-token-id-SECRET",
                                            tokenSecret: "ns-token-SECRET")),
        .apiKey(.bearer("apikey-SECRET")),
        .basic(BasicCredentials(username: "ada", password: "basic-password-SECRET")),
        .tokenExchange(TokenExchangeCredentials(url: "https://api.spotio2.com/api/users/apitoken",
                                                bodyTemplate: #"{"clientId":"{{clientId}}","secret":"{{secret}}"}"#,
                                                values: ["clientId": "cid", "secret": "exchange-SECRET"],
                                                token: OAuth2Token(accessToken: "exchange-access-SECRET"))),
    ]
}
