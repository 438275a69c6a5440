import CrosswalkCore
import Foundation

/// An OAuth 2.0 client registration and the tokens it holds.
public struct OAuth2Credentials: Sendable, Hashable, Codable, SecretRedacting {
    /// How a new access token is obtained when the current one expires.
    public enum Flow: String, Sendable, Codable {
        /// A person authorised once (`OAuth2AuthorizationSession`); later tokens come from the refresh token.
        case authorizationCode
        /// The client asks for a token with its own credentials (`grant_type=client_credentials`).
        case clientCredentials
    }

    /// How the client proves itself at the token endpoint (RFC 6749 §2.3.1).
    public enum ClientAuthentication: String, Sendable, Codable {
        /// `client_id` and `client_secret` in the form body (Salesforce web-server flow, HubSpot, Mautic).
        case requestBody
        /// `Authorization: Basic` (NetSuite, Salesforce client credentials).
        case basic
    }

    public var flow: Flow
    public var clientID: String
    public var clientSecret: String?
    public var clientAuthentication: ClientAuthentication
    /// e.g. `https://login.salesforce.com/services/oauth2/token`.
    public var tokenURL: String
    /// Where a person authorises (authorization-code flow only).
    public var authorizationURL: String?
    public var redirectURI: String?
    public var scopes: [String]
    /// The current tokens; `nil` before the first exchange.
    public var token: OAuth2Token?

    public init(
        flow: Flow, clientID: String, clientSecret: String?, clientAuthentication: ClientAuthentication = .requestBody,
        tokenURL: String, authorizationURL: String? = nil, redirectURI: String? = nil, scopes: [String] = [],
        token: OAuth2Token? = nil
    ) {
        self.flow = flow
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.clientAuthentication = clientAuthentication
        self.tokenURL = tokenURL
        self.authorizationURL = authorizationURL
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.token = token
    }

    /// The token endpoint as this client talks to it.
    public func tokenEndpoint(http: any HTTPClient, now: @escaping @Sendable () -> Date = Date.init) -> OAuth2TokenEndpoint {
        OAuth2TokenEndpoint(url: tokenURL, clientID: clientID, clientSecret: clientSecret,
                            clientAuthentication: clientAuthentication, http: http, now: now)
    }

    public var redactedFields: [RedactedField] {
        [.visible("flow", flow.rawValue), .visible("clientID", clientID),
         .secret("clientSecret", isSet: clientSecret != nil), .visible("tokenURL", tokenURL),
         .visible("scopes", scopes.joined(separator: " ")),
         .visible("token", token.map { String(describing: $0) })]
    }
}
