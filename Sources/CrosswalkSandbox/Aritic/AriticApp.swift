import CrosswalkCore
import Foundation

/// An emulator of Aritic PinPoint's REST API, which is Mautic 2.x's: contacts and companies with `fields`
/// grouped by field group, id-keyed lists, PATCH/PUT edit, batch endpoints, contact ↔ company links, segments,
/// Basic auth and OAuth 2, Mautic's error envelope and signed webhooks. It answers both at the root and under
/// Aritic's `/ma` prefix. See `Aritic/README.md` for the choices made where the public material is silent.
public final class AriticApp: SandboxApp {
    public let name = "aritic"
    /// The demo instance's credentials (Basic auth user, OAuth client).
    public static let demoCredentials = AriticCredentials.demo

    public let credentials: AriticCredentials
    private let store: AriticStore

    /// - Parameters:
    ///   - environment: the clock and webhook delivery.
    ///   - credentials: the API user and OAuth client; the demo ones by default.
    public init(environment: any SandboxEnvironment, credentials: AriticCredentials = AriticApp.demoCredentials) {
        self.credentials = credentials
        store = AriticStore(credentials: credentials, environment: environment)
    }

    public func handle(_ request: SandboxRequest) async -> SandboxResponse {
        await store.handle(request)
    }

    /// 429 with `Retry-After` in Mautic's error envelope (Mautic's API rate limiter is off by default, so the
    /// message is the emulator's), or Mautic's 500 envelope.
    public func faultResponse(_ fault: SandboxFault) -> SandboxResponse {
        switch fault {
        case let .rateLimited(retryAfterSeconds):
            var response = AriticWire.error(429, "API rate limit exceeded. Retry after \(retryAfterSeconds) seconds.",
                                            version: credentials.mauticVersion)
            response.headers["Retry-After"] = String(retryAfterSeconds)
            return response
        case .serverError:
            return AriticWire.error(500, "Internal Server Error", version: credentials.mauticVersion)
        }
    }

    /// Apache's own pages, as the web server in front of Mautic answers before PHP runs: 414 past its request-line
    /// limit (`LimitRequestLine` 8190), 413 past the body limit (the sandbox's, standing in for `LimitRequestBody`).
    public func refusal(_ refusal: SandboxRefusal) -> SandboxResponse {
        switch refusal {
        case .uriTooLong:
            .text(414, AriticWire.apachePage(414, "Request-URI Too Long",
                                             "The requested URL's length exceeds the capacity\nlimit for this server.<br />\n"),
                  contentType: "text/html; charset=iso-8859-1")
        case .bodyTooLarge:
            .text(413, AriticWire.apachePage(413, "Request Entity Too Large",
                                             "The requested resource<br />\ndoes not allow request data with POST requests, or the amount of data provided in\nthe request exceeds the capacity limit.\n"),
                  contentType: "text/html; charset=iso-8859-1")
        }
    }

    /// Apache's default `LimitRequestLine` is 8190 bytes for the whole request line; the URL gets what the method
    /// and protocol leave.
    public var maxURLBytes: Int? { 8190 - "DELETE  HTTP/1.1".count }

    public func expireAccessTokens() async { await store.expireAccessTokens() }
    public func reset() async { await store.reset() }
    public func seed(_ options: SandboxSeed) async { await store.seed(options) }

    public func subscribe(url: String, secret: String?, events: [String]) async {
        await store.subscribe(url: url, secret: secret, events: events)
    }

    public func exportState() async -> Data { await store.exportState() }
    public func importState(_ data: Data) async throws { try await store.importState(data) }
}
