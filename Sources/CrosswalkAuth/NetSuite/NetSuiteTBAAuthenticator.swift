import CrosswalkCore
import Foundation

/// Signs each request with NetSuite TBA (OAuth 1.0a, HMAC-SHA256): a fresh nonce and timestamp,
/// the signature over method, URL, query and the protocol parameters, in an
/// `Authorization: OAuth realm="…", …` header. Nothing to refresh: a 401 is final.
public struct NetSuiteTBAAuthenticator: Authenticator {
    public let credentials: NetSuiteTBACredentials
    private let now: @Sendable () -> Date
    private let nonce: @Sendable () -> String

    /// - Parameters:
    ///   - now: the clock for `oauth_timestamp` (tests pin it).
    ///   - nonce: the nonce source (tests pin it).
    public init(credentials: NetSuiteTBACredentials, now: @escaping @Sendable () -> Date = Date.init,
                nonce: @escaping @Sendable () -> String = NetSuiteTBASigner.makeNonce) {
        self.credentials = credentials
        self.now = now
        self.nonce = nonce
    }

    /// The `Authorization` header value for `request`.
    /// - Throws: `CrosswalkError` `.invalidArgument` when the URL is not an absolute http(s) URL.
    public func authorizationHeader(for request: HTTPRequest) throws -> String {
        var parameters = [
            "oauth_consumer_key": credentials.consumerKey,
            "oauth_token": credentials.tokenID,
            "oauth_signature_method": credentials.signatureMethod.rawValue,
            "oauth_timestamp": NetSuiteTBASigner.timestamp(now()),
            "oauth_nonce": nonce(),
            "oauth_version": "1.0",
        ]
        let isForm = request.headers["Content-Type"]?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
        let form = isForm ? NetSuiteTBASigner.formDecode(Substring(String(decoding: request.body, as: UTF8.self))) : []
        guard let base = NetSuiteTBASigner.signatureBaseString(method: request.method, url: request.url,
                                                               oauthParameters: parameters, formParameters: form) else {
            throw CrosswalkError(.invalidArgument, "cannot sign a request whose URL is not an absolute http(s) URL",
                                 context: ["path": String(request.url.prefix { $0 != "?" })])
        }
        parameters["oauth_signature"] = NetSuiteTBASigner.signature(
            baseString: base, consumerSecret: credentials.consumerSecret, tokenSecret: credentials.tokenSecret,
            method: credentials.signatureMethod)
        return NetSuiteTBASigner.authorizationHeader(realm: credentials.realm, parameters: parameters)
    }

    public func authorize(_ request: HTTPRequest) async throws -> HTTPRequest {
        var signed = request
        signed.headers["Authorization"] = try authorizationHeader(for: request)
        return signed
    }

    public func handleUnauthorized(_ rejected: HTTPRequest) async throws -> Bool { false }
}
