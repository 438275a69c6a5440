import CrosswalkCore

/// Adds credentials to outgoing requests and recovers from an expired credential.
///
/// Implementations: `BearerTokenAuthenticator` (OAuth 2.0, JWT bearer, token exchange),
/// `NetSuiteTBAAuthenticator` (OAuth 1.0a), `StaticCredentialAuthenticator` (API key, basic).
/// `AuthenticatingClient` drives one: sign, send, and on a 401 refresh once and retry once.
public protocol Authenticator: Sendable {
    /// Returns `request` with credentials added (a header, a signature).
    /// - Throws: `CrosswalkError` `.auth` when no usable credential can be had.
    func authorize(_ request: HTTPRequest) async throws -> HTTPRequest

    /// Called after the server answered 401 to `rejected` (the request as `authorize` returned it).
    /// Refreshes the credential if it can; when several callers were rejected with the same
    /// credential, only one refresh happens and the others reuse its result.
    /// - Returns: whether retrying the request (authorised again) may now succeed.
    /// - Throws: `CrosswalkError` when the refresh itself failed.
    func handleUnauthorized(_ rejected: HTTPRequest) async throws -> Bool
}

/// An `HTTPClient` that authorises each request, and on a 401 asks its `Authenticator` to refresh
/// once and retries the request once.
///
/// ```swift
/// let client = AuthenticatingClient(wrapping: curl, authenticator: broker)
/// let response = try await client.send(HTTPRequest(url: "https://api.hubapi.com/crm/v3/objects/contacts"))
/// ```
public struct AuthenticatingClient: HTTPClient {
    public let inner: any HTTPClient
    public let authenticator: any Authenticator

    public init(wrapping inner: any HTTPClient, authenticator: any Authenticator) {
        self.inner = inner
        self.authenticator = authenticator
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let signed: HTTPRequest
        do { signed = try await authenticator.authorize(request) } catch var error as CrosswalkError {
            // Nothing reached the app yet (the token endpoint failed), so any request may be retried.
            error.context[CrosswalkError.notSentKey] = "true"
            throw error
        }
        let response = try await inner.send(signed)
        guard response.status == 401, try await authenticator.handleUnauthorized(signed) else { return response }
        return try await inner.send(try await authenticator.authorize(request))
    }
}
