import CrosswalkCore
import Foundation

/// A fixed secret sent in a header: an API key, or a HubSpot private-app token as a bearer token.
public struct APIKeyCredentials: Sendable, Hashable, Codable, SecretRedacting {
    public var headerName: String
    /// Put before the key with a space, e.g. `Bearer`; `nil` sends the key alone.
    public var scheme: String?
    public var key: String

    public init(headerName: String, scheme: String? = nil, key: String) {
        self.headerName = headerName
        self.scheme = scheme
        self.key = key
    }

    /// `Authorization: Bearer <token>` (HubSpot private apps, any static bearer token).
    public static func bearer(_ token: String) -> APIKeyCredentials {
        APIKeyCredentials(headerName: "Authorization", scheme: "Bearer", key: token)
    }

    /// The header value sent.
    public var headerValue: String { scheme.map { "\($0) \(key)" } ?? key }

    public var redactedFields: [RedactedField] {
        [.visible("headerName", headerName), .visible("scheme", scheme), .secret("key", isSet: true)]
    }
}

/// HTTP Basic user name and password (Aritic / Mautic with basic auth enabled).
public struct BasicCredentials: Sendable, Hashable, Codable, SecretRedacting {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// `Basic base64(username:password)`.
    public var headerValue: String { "Basic " + Data("\(username):\(password)".utf8).base64EncodedString() }

    public var redactedFields: [RedactedField] {
        [.visible("username", username), .secret("password", isSet: true)]
    }
}

/// Sends one fixed header; nothing to refresh, so a 401 is final.
public struct StaticCredentialAuthenticator: Authenticator {
    public let headerName: String
    private let headerValue: String

    public init(apiKey: APIKeyCredentials) {
        headerName = apiKey.headerName
        headerValue = apiKey.headerValue
    }

    public init(basic: BasicCredentials) {
        headerName = "Authorization"
        headerValue = basic.headerValue
    }

    public func authorize(_ request: HTTPRequest) async throws -> HTTPRequest {
        var request = request
        request.headers[headerName] = headerValue
        return request
    }

    public func handleUnauthorized(_ rejected: HTTPRequest) async throws -> Bool { false }
}
