import _CryptoExtras
import Foundation
import Synchronization

/// Everything the emulated org keeps; guarded by `SalesforceApp`'s lock.
struct SalesforceState: Sendable {
    var store = SalesforceStore()
    var sessions = SalesforceSessions()
    var cursors = SalesforceCursors()
    var bulk = SalesforceBulkJobs()
    /// REST API calls counted against `DailyApiRequests`.
    var apiUsage = 0
    var subscriptions: [SalesforceSubscription] = []
    /// Sequence for outbound-message notification ids.
    var notificationSequence = 0
    /// What the org and the API user may do (a test control: editions without API, users without "API Enabled").
    var account = SalesforceAccountState.ok
}

/// The account states a connector's `check` must tell apart (control `account_state`).
enum SalesforceAccountState: String, Sendable, CaseIterable {
    case ok
    /// The org's edition has no API access (Professional Edition without the API add-on).
    case apiDisabled = "api_disabled"
    /// The user's profile lacks the "API Enabled" permission.
    case userAPIDisabled = "user_api_disabled"
    /// The user's password has expired: sessions work only to set a new one.
    case passwordExpired = "password_expired"

    /// The REST answer to any data call in this state, or `nil` when calls go through.
    var refusal: SalesforceError? {
        switch self {
        case .ok:
            nil
        case .apiDisabled, .userAPIDisabled:
            SalesforceError(status: 403, code: "API_DISABLED_FOR_ORG", message: "The REST API is not enabled for this Organization.")
        case .passwordExpired:
            SalesforceError(status: 403, code: "INVALID_OPERATION_WITH_EXPIRED_PASSWORD",
                            message: "The users password has expired, you must call SetPassword before attempting any other API operations")
        }
    }
}

/// An emulated Salesforce org: OAuth, sObject REST, SOQL, collections, describe, limits and outbound messages.
///
/// One port serves both the login host (`/services/oauth2/…`) and the instance (`/services/data/…`);
/// `instance_url` in token responses is the URL the client used. See `Salesforce/README.md` for what is
/// emulated and the documented choices where Salesforce's documentation is silent.
public final class SalesforceApp: SandboxApp {
    public let name = "salesforce"
    /// The documented demo connected app and API user.
    public static let demoCredentials = SalesforceCredentials.demo
    /// The org's id (18 characters).
    public static let organizationID = SalesforceID.to18("00DHs000000Cwlk")
    /// The API user's id (18 characters).
    public static let apiUserID = SalesforceID.to18("005Hs000000Cwlk")
    /// The daily API request allocation `limits/` and `Sforce-Limit-Info` report.
    static let dailyRequestLimit = 15_000
    /// API versions served (`/services/data/`).
    static let versions = (31...64).map { "\($0).0" }

    let credentials: SalesforceCredentials
    let environment: any SandboxEnvironment
    let jwtKey: _RSA.Signing.PublicKey?
    let state = Mutex(SalesforceState())
    /// The connected app's "Refresh Token Rotation": each refresh answers a new refresh token and
    /// the one used stops working.
    let rotatesRefreshTokens: Bool

    /// - Parameters:
    ///   - environment: Clock and webhook delivery from the sandbox server.
    ///   - credentials: The connected app and user accepted; the documented demo values by default.
    ///   - rotatesRefreshTokens: Refresh Token Rotation on (off by default, as in Salesforce).
    public init(environment: any SandboxEnvironment, credentials: SalesforceCredentials = .demo, rotatesRefreshTokens: Bool = false) {
        self.environment = environment
        self.credentials = credentials
        self.rotatesRefreshTokens = rotatesRefreshTokens
        jwtKey = SalesforceJWT.publicKey(pem: credentials.jwtCertificatePEM)
        let now = environment.now()
        state.withLock { SalesforceSeeder.addUsers(to: &$0.store, credentials: credentials, now: now) }
    }

    /// The longest URI (and URI plus headers) Salesforce's front end takes: 16,384 bytes (*REST API Developer
    /// Guide › Status Codes and Error Responses*: 414 and 431).
    static let maxURIBytes = 16_384

    public func handle(_ request: SandboxRequest) async -> SandboxResponse {
        if let refused = Self.frontEndLimit(request) { return refused }
        let path = request.path
        switch path {
        case "/services/oauth2/token": return token(request)
        case "/services/oauth2/authorize": return authorize(request)
        case "/services/oauth2/revoke": return revoke(request)
        case "/services/oauth2/userinfo": return userInfo(request)
        case "/services/data", "/services/data/": return versionList(request)
        default: break
        }
        if path.hasPrefix("/id/") { return identity(request) }
        if path.hasPrefix("/services/data/v") { return dataAPI(request) }
        return SalesforceError.notFound.response
    }

    /// The server refuses URIs over this with `refusal(.uriTooLong)`.
    public var maxURLBytes: Int? { Self.maxURIBytes }

    /// 413 and 414 in Salesforce's error format (`EXCEEDED_MAX_SIZE_REQUEST` is Salesforce's code for a request
    /// over a size limit; 414 is *Status Codes and Error Responses*' "length of the URI exceeds the 16,384 byte limit").
    public func refusal(_ refusal: SandboxRefusal) -> SandboxResponse {
        switch refusal {
        case .bodyTooLarge(let limit):
            SalesforceError(status: 413, code: "EXCEEDED_MAX_SIZE_REQUEST",
                            message: "The request body exceeds the maximum size of \(limit) bytes").response
        case .uriTooLong(let limit):
            SalesforceError(status: 414, code: "URI_TOO_LONG", message: "The length of the URI exceeds the \(Self.grouped(limit)) byte limit").response
        }
    }

    /// `16384` as `16,384`.
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (k, d) in digits.enumerated() {
            if k > 0, (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }

    /// 431 when URI and headers together exceed 16,384 bytes, in Salesforce's error format (the server
    /// answers URIs that alone exceed it, through `refusal`).
    static func frontEndLimit(_ request: SandboxRequest) -> SandboxResponse? {
        let pathBytes = request.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)?.utf8.count ?? request.path.utf8.count
        let uri = pathBytes + (request.rawQuery.isEmpty ? 0 : request.rawQuery.utf8.count + 1)
        let headers = request.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
        if uri + headers > maxURIBytes {
            return SalesforceError(status: 431, code: "REQUEST_HEADER_FIELDS_TOO_LARGE",
                                   message: "The combined length of the URI and headers exceeds the 16,384 byte limit (\(uri + headers) bytes)").response
        }
        return nil
    }

    public func faultResponse(_ fault: SandboxFault) -> SandboxResponse {
        switch fault {
        case .rateLimited:
            return SalesforceError.requestLimit.response
        case .serverError:
            return SalesforceError(status: 503, code: "SERVER_UNAVAILABLE", message: "Server is temporarily unavailable. Please try again later.").response
        }
    }

    public func expireAccessTokens() async {
        state.withLock { $0.sessions.access.removeAll() }
    }

    public func reset() async {
        let now = environment.now()
        state.withLock { state in
            let sessions = state.sessions
            state = SalesforceState()
            state.sessions = sessions
            SalesforceSeeder.addUsers(to: &state.store, credentials: credentials, now: now)
        }
    }

    public func seed(_ options: SandboxSeed) async {
        let now = environment.now()
        state.withLock { SalesforceSeeder.seed(&$0.store, options: options, now: now) }
    }

    public func subscribe(url: String, secret: String?, events: [String]) async {
        state.withLock { $0.subscriptions.append(SalesforceSubscription(url: url, objects: events)) }
    }

    public func exportState() async -> Data {
        state.withLock { SalesforceStateCodec.encode($0) }
    }

    public func importState(_ data: Data) async throws {
        let decoded = try SalesforceStateCodec.decode(data)
        let now = environment.now()
        state.withLock { state in
            state = decoded
            if state.store.record(Self.apiUserID) == nil {
                SalesforceSeeder.addUsers(to: &state.store, credentials: credentials, now: now)
            }
        }
    }

    /// `GET /services/data/`: the API versions, no session needed.
    private func versionList(_ request: SandboxRequest) -> SandboxResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return SalesforceError.methodNotAllowed(request.method, allowed: ["GET", "HEAD"]).response
        }
        return .json(200, Self.versions.map { ["label": "Version \($0)", "url": "/services/data/v\($0)", "version": $0] })
    }
}
