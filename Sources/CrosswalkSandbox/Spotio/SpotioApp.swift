import CrosswalkCore
import Foundation

/// An emulator of SPOTIO's 2.0 REST API (`https://api.spotio2.com`): bearer tokens from
/// `POST /api/users/apitoken`, DataObjects (leads/pins) of tenant-defined types with pipeline stages and
/// numeric custom fields, activities, users, `scrollId` paging, the deleted-records feed, webhook
/// subscriptions and batched, signed webhook posts. Paths, methods and JSON property names follow the
/// vendor's OpenAPI document; see `Spotio/README.md` for the choices made where it is silent.
public final class SpotioApp: SandboxApp {
    public let name = "spotio"
    /// The demo tenant's credentials (API key, login, webhook secret).
    public static let demoCredentials = SpotioCredentials.demo

    public let credentials: SpotioCredentials
    private let store: SpotioStore

    /// - Parameters:
    ///   - environment: the clock and webhook delivery.
    ///   - credentials: the tenant's API key, login and webhook secret; the demo ones by default.
    public init(environment: any SandboxEnvironment, credentials: SpotioCredentials = SpotioApp.demoCredentials) {
        self.credentials = credentials
        store = SpotioStore(credentials: credentials, environment: environment)
    }

    /// Kestrel's default `MaxRequestBodySize`.
    static let maxBodyBytes = 30_000_000

    public func handle(_ request: SandboxRequest) async -> SandboxResponse {
        if request.body.count > Self.maxBodyBytes { return refusal(.bodyTooLarge(limitBytes: Self.maxBodyBytes)) }
        return await store.handle(request)
    }

    /// 429 with `Retry-After` (SPOTIO publishes no rate-limit shape; the error envelope is its usual one),
    /// or a 500 with the error envelope.
    public func faultResponse(_ fault: SandboxFault) -> SandboxResponse {
        switch fault {
        case let .rateLimited(retryAfterSeconds):
            return SpotioWire.error(429, "Too many requests. Retry after \(retryAfterSeconds) seconds.",
                                    headers: ["Retry-After": String(retryAfterSeconds)])
        case .serverError:
            return SpotioWire.error(500, "An unexpected error occurred. Please try again later.")
        }
    }

    /// Kestrel's answers (SPOTIO is an ASP.NET Core service): 414 with no body past `MaxRequestLineSize` (8 KB),
    /// 413 with no body past `MaxRequestBodySize` (30,000,000 bytes; the sandbox's own limit applies first when lower).
    public func refusal(_ refusal: SandboxRefusal) -> SandboxResponse {
        switch refusal {
        case .uriTooLong: .empty(414)
        case .bodyTooLarge: .empty(413)
        }
    }

    /// Kestrel's `MaxRequestLineSize` (8,192 bytes) covers the method, URL and protocol.
    public var maxURLBytes: Int? { 8192 - "DELETE  HTTP/1.1\r\n".count }

    public func expireAccessTokens() async { await store.expireAccessTokens() }
    public func reset() async { await store.reset() }
    public func seed(_ options: SandboxSeed) async { await store.seed(options) }

    public func subscribe(url: String, secret: String?, events: [String]) async {
        await store.subscribe(url: url, secret: secret, events: events)
    }

    public func exportState() async -> Data { await store.exportState() }
    public func importState(_ data: Data) async throws { try await store.importState(data) }
}
