import CrosswalkCore
import Foundation
import Logging

/// Everything Crosswalk keeps in the vault for one connection, one case per authentication scheme.
/// Codable (sealed as JSON), and described with every secret replaced by `<redacted>`.
public enum Credentials: Sendable, Hashable, Codable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    case oauth2(OAuth2Credentials)
    case jwt(JWTCredentials)
    case netsuiteTBA(NetSuiteTBACredentials)
    case apiKey(APIKeyCredentials)
    case basic(BasicCredentials)
    case tokenExchange(TokenExchangeCredentials)

    /// The stable name of the scheme, as stored: `oauth2`, `jwt`, `netsuite_tba`, `api_key`, `basic`, `token_exchange`.
    public var scheme: String {
        switch self {
        case .oauth2: "oauth2"
        case .jwt: "jwt"
        case .netsuiteTBA: "netsuite_tba"
        case .apiKey: "api_key"
        case .basic: "basic"
        case .tokenExchange: "token_exchange"
        }
    }

    /// The authenticator for these credentials.
    /// - Parameters:
    ///   - http: the plain client used to reach token endpoints.
    ///   - persist: receives the credentials again whenever a token is renewed (store them in the vault).
    ///   - reload: reads them as stored now, before a refresh (another process may have refreshed).
    public func makeAuthenticator(
        http: any HTTPClient, logger: Logger,
        persist: @escaping @Sendable (Credentials) async throws -> Void = { _ in },
        reload: (@Sendable () async throws -> Credentials?)? = nil
    ) throws -> any Authenticator {
        switch self {
        case .oauth2, .jwt, .tokenExchange:
            try BearerTokenAuthenticator(credentials: self, http: http, logger: logger, persist: persist, reload: reload)
        case .netsuiteTBA(let c): NetSuiteTBAAuthenticator(credentials: c)
        case .apiKey(let c): StaticCredentialAuthenticator(apiKey: c)
        case .basic(let c): StaticCredentialAuthenticator(basic: c)
        }
    }

    private var payload: any SecretRedacting {
        switch self {
        case .oauth2(let c): c
        case .jwt(let c): c
        case .netsuiteTBA(let c): c
        case .apiKey(let c): c
        case .basic(let c): c
        case .tokenExchange(let c): c
        }
    }

    public var description: String { "Credentials.\(scheme)(\(payload.description))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: [(label: scheme, value: payload as Any)], displayStyle: .enum)
    }

    private enum CodingKeys: String, CodingKey { case scheme, parameters }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let scheme = try container.decode(String.self, forKey: .scheme)
        switch scheme {
        case "oauth2": self = .oauth2(try container.decode(OAuth2Credentials.self, forKey: .parameters))
        case "jwt": self = .jwt(try container.decode(JWTCredentials.self, forKey: .parameters))
        case "netsuite_tba": self = .netsuiteTBA(try container.decode(NetSuiteTBACredentials.self, forKey: .parameters))
        case "api_key": self = .apiKey(try container.decode(APIKeyCredentials.self, forKey: .parameters))
        case "basic": self = .basic(try container.decode(BasicCredentials.self, forKey: .parameters))
        case "token_exchange": self = .tokenExchange(try container.decode(TokenExchangeCredentials.self, forKey: .parameters))
        default:
            throw DecodingError.dataCorruptedError(forKey: .scheme, in: container,
                                                   debugDescription: "unknown credentials scheme \"\(scheme)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scheme, forKey: .scheme)
        switch self {
        case .oauth2(let c): try container.encode(c, forKey: .parameters)
        case .jwt(let c): try container.encode(c, forKey: .parameters)
        case .netsuiteTBA(let c): try container.encode(c, forKey: .parameters)
        case .apiKey(let c): try container.encode(c, forKey: .parameters)
        case .basic(let c): try container.encode(c, forKey: .parameters)
        case .tokenExchange(let c): try container.encode(c, forKey: .parameters)
        }
    }
}
