import CrosswalkCore
import Foundation

/// One request as an emulated app sees it, already parsed by the sandbox server.
public struct SandboxRequest: Sendable {
    /// Upper-case method: `GET`, `POST`, `PATCH`…
    public var method: String
    /// Percent-decoded path without the query, e.g. `/services/data/v60.0/sobjects/Account`.
    public var path: String
    /// Query parameters in order, percent-decoded (`+` decoded as space for form style).
    public var query: [(name: String, value: String)]
    /// The raw query string as received (after `?`, still encoded), for signature checks.
    public var rawQuery: String
    public var headers: HTTPFields
    public var body: Data
    /// Scheme, host and port the client used to reach this app, e.g. `http://127.0.0.1:8401`.
    /// Use it to build absolute URLs (`Location`, `nextRecordsUrl`, links).
    public var baseURL: String

    public init(method: String, path: String, query: [(name: String, value: String)] = [], rawQuery: String = "",
                headers: HTTPFields = [:], body: Data = Data(), baseURL: String = "http://127.0.0.1") {
        self.method = method
        self.path = path
        self.query = query
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
        self.baseURL = baseURL
    }

    /// The first value of the query parameter `name`.
    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// The body parsed as JSON (`JSONSerialization`), or `nil` when empty or malformed.
    public func jsonBody() -> Any? {
        guard !body.isEmpty else { return nil }
        return try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
    }

    /// The body parsed as `application/x-www-form-urlencoded`.
    public func formBody() -> [(name: String, value: String)] {
        SandboxRequest.parseForm(String(decoding: body, as: UTF8.self))
    }

    /// Parses `a=1&b=two+words` into decoded pairs.
    public static func parseForm(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func dec(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            return (name: dec(kv[0]), value: kv.count > 1 ? dec(kv[1]) : "")
        }
    }
}

/// A response from an emulated app.
public struct SandboxResponse: Sendable {
    public var status: Int
    public var headers: HTTPFields
    public var body: Data

    public init(status: Int, headers: HTTPFields = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response; `object` is anything `JSONSerialization` accepts.
    public static func json(_ status: Int, _ object: Any, headers: HTTPFields = [:]) -> SandboxResponse {
        var h = headers
        if h["Content-Type"] == nil { h["Content-Type"] = "application/json;charset=UTF-8" }
        return SandboxResponse(status: status, headers: h, body: SandboxJSON.encode(object))
    }

    /// A text response (XML, HTML, plain).
    public static func text(_ status: Int, _ text: String, contentType: String = "text/plain;charset=UTF-8", headers: HTTPFields = [:]) -> SandboxResponse {
        var h = headers
        h["Content-Type"] = contentType
        return SandboxResponse(status: status, headers: h, body: Data(text.utf8))
    }

    /// An empty response (204 and the like).
    public static func empty(_ status: Int = 204, headers: HTTPFields = [:]) -> SandboxResponse {
        SandboxResponse(status: status, headers: headers)
    }
}

/// A fault the sandbox injects in front of an app; the app answers it in its own wire shape.
public enum SandboxFault: Sendable, Equatable {
    /// The app's rate-limit answer (HubSpot/NetSuite 429, Salesforce 403 REQUEST_LIMIT_EXCEEDED…).
    case rateLimited(retryAfterSeconds: Int)
    /// A 5xx the app would send when it is unwell.
    case serverError
}

/// Options for generating realistic data.
public struct SandboxSeed: Sendable {
    /// How many top-level records (accounts / companies / customers); children scale from it.
    public var count: Int
    /// RNG seed: the same seed gives the same data.
    public var randomSeed: UInt64
    public init(count: Int, randomSeed: UInt64 = 42) {
        self.count = count
        self.randomSeed = randomSeed
    }
}

/// A change notification the app wants delivered to a subscriber, exactly as the real app sends it.
public struct SandboxWebhook: Sendable {
    public var url: String
    public var method: String
    public var headers: HTTPFields
    public var body: Data
    public init(url: String, method: String = "POST", headers: HTTPFields = [:], body: Data) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
    }
}

/// What the sandbox server gives an app: a clock, webhook delivery.
public protocol SandboxEnvironment: Sendable {
    /// The current time (tests may move it).
    func now() -> Date
    /// Queues a webhook for delivery; the server posts it in the background and logs the outcome.
    func deliver(_ webhook: SandboxWebhook)
}

/// One emulated vendor API. Implementations keep their state in an actor or behind a lock and
/// never crash on bad input: every malformed request gets the real app's error shape.
public protocol SandboxApp: AnyObject, Sendable {
    /// Short name used in the control API and logs: `salesforce`, `netsuite`, `hubspot`, `spotio`, `aritic`.
    var name: String { get }
    /// Answers one request. Called concurrently.
    func handle(_ request: SandboxRequest) async -> SandboxResponse
    /// Answers one request that an injected latency fault delays by `latency`. The default waits, then calls
    /// `handle(_:)`; an app whose governance counts requests in flight (NetSuite) waits inside its slot.
    func handle(_ request: SandboxRequest, delayedBy latency: Duration) async -> SandboxResponse
    /// The app's own answer to a request the server refused before the app saw it (body or URL too long).
    func refusal(_ refusal: SandboxRefusal) -> SandboxResponse
    /// The app's own answer to an injected fault.
    func faultResponse(_ fault: SandboxFault) -> SandboxResponse
    /// Invalidates every issued access token (refresh tokens stay valid), as an expiry would.
    func expireAccessTokens() async
    /// Drops all data and registered subscriptions (credentials configured at start stay).
    func reset() async
    /// Adds generated, realistic records.
    func seed(_ options: SandboxSeed) async
    /// Registers a webhook subscriber as the app's own settings would (`secret` signs where the app signs).
    func subscribe(url: String, secret: String?, events: [String]) async
    /// The whole state as JSON, for `--state FILE`.
    func exportState() async -> Data
    /// Restores state written by `exportState()`.
    func importState(_ data: Data) async throws
    /// An app's own test control, `POST /__sandbox/app/<name>` with a JSON body (account states,
    /// search-index lag, records sharing one timestamp…). `nil` means the app has no control of
    /// that name; the server then answers 404 listing `controlNames`.
    func control(_ name: String, _ request: SandboxRequest) async -> SandboxResponse?
    /// The names `control` answers, for the 404 and the docs.
    var controlNames: [String] { get }
    /// The longest URL (path and query, as sent) the app's front end accepts; longer ones get `refusal(.uriTooLong)`.
    var maxURLBytes: Int? { get }
}

/// Why the server refused a request before handing it to the app.
public enum SandboxRefusal: Sendable, Equatable {
    /// The body is larger than the server accepts (413).
    case bodyTooLarge(limitBytes: Int)
    /// The request line's URL is longer than the app's front end accepts (414).
    case uriTooLong(limitBytes: Int)
}

extension SandboxApp {
    public func handle(_ request: SandboxRequest, delayedBy latency: Duration) async -> SandboxResponse {
        if latency > .zero { try? await Task.sleep(for: latency) }
        return await handle(request)
    }

    /// A plain JSON error; apps override it with their own error format.
    public func refusal(_ refusal: SandboxRefusal) -> SandboxResponse {
        switch refusal {
        case let .bodyTooLarge(limit): .json(413, ["error": "request body larger than \(limit) bytes"])
        case let .uriTooLong(limit): .json(414, ["error": "request URL longer than \(limit) bytes"])
        }
    }

    /// The longest URL (path and query) the app's front end accepts; `nil` for no limit.
    public var maxURLBytes: Int? { nil }

    public func control(_ name: String, _ request: SandboxRequest) async -> SandboxResponse? { nil }
    public var controlNames: [String] { [] }
}
