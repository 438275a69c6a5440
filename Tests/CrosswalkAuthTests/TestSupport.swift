import CrosswalkAuth
import CrosswalkCore
import Foundation
import Logging

/// An in-memory `HTTPClient` answering with a closure (pure-logic tests only).
struct FakeHTTPClient: HTTPClient {
    let respond: @Sendable (HTTPRequest) async throws -> HTTPResponse
    func send(_ request: HTTPRequest) async throws -> HTTPResponse { try await respond(request) }
}

/// An in-memory `SealedSecretStorage`.
actor InMemorySealedStorage: SealedSecretStorage {
    private(set) var items: [String: Data] = [:]
    func putSealed(name: String, data: Data) async throws { items[name] = data }
    func sealed(name: String) async throws -> Data? { items[name] }
    func deleteSealed(name: String) async throws { items[name] = nil }
    func sealedNames() async throws -> [String] { Array(items.keys) }
}

/// A fake OAuth server: a token endpoint (URL ending in `/token`) that counts grants and issues
/// `at-1`, `at-2`…, and an API that accepts only the latest access token. The token endpoint can be
/// held until the API has refused a given number of requests, so concurrent callers all see a 401
/// before any refresh completes.
actor FakeOAuthServer {
    private(set) var grants = 0
    private(set) var refusals = 0
    private(set) var tokenForms: [[String: String]] = []
    private(set) var tokenHeaders: [HTTPFields] = []
    private var acceptedToken: String
    private var holdTokenEndpointUntilRefusals = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Extra JSON fields in each token answer.
    private let tokenAnswer: @Sendable (Int) -> String

    init(acceptedToken: String = "at-on-server",
         tokenAnswer: @escaping @Sendable (Int) -> String = { #"{"access_token":"at-\#($0)","token_type":"bearer","expires_in":3600}"# }) {
        self.acceptedToken = acceptedToken
        self.tokenAnswer = tokenAnswer
    }

    func holdTokenEndpoint(untilRefusals count: Int) { holdTokenEndpointUntilRefusals = count }

    nonisolated var client: FakeHTTPClient { FakeHTTPClient { try await self.handle($0) } }

    func handle(_ request: HTTPRequest) async throws -> HTTPResponse {
        if request.url.hasSuffix("/token") {
            tokenForms.append(Dictionary(NetSuiteTBASigner.formDecode(Substring(String(decoding: request.body, as: UTF8.self))),
                                         uniquingKeysWith: { a, _ in a }))
            tokenHeaders.append(request.headers)
            while refusals < holdTokenEndpointUntilRefusals {
                await withCheckedContinuation { waiters.append($0) }
            }
            grants += 1
            acceptedToken = "at-\(grants)"
            return HTTPResponse(status: 200, body: Data(tokenAnswer(grants).utf8))
        }
        guard request.headers["Authorization"] == "Bearer \(acceptedToken)" else {
            refusals += 1
            let ready = waiters
            waiters.removeAll()
            ready.forEach { $0.resume() }
            return HTTPResponse(status: 401, body: Data(#"{"error":"invalid_token"}"#.utf8))
        }
        return HTTPResponse(status: 200, body: Data("ok".utf8))
    }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current: LockedValue<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = LockedValue(start) }
    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
    var function: @Sendable () -> Date { { self.now } }
}

/// A fresh empty directory under the system temporary directory.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cw-auth-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Every way a value can be printed: description, debug description, and `dump`.
func everyPrintedForm(of value: Any) -> String {
    var dumped = ""
    dump(value, to: &dumped)
    return [String(describing: value), String(reflecting: value), dumped, "\(value)"].joined(separator: "\n")
}

/// A logger that prints nothing (some tests provoke logged errors on purpose).
let testLogger = Logger(label: "crosswalk.auth.tests", factory: { _ in SwiftLogNoOpLogHandler() })
