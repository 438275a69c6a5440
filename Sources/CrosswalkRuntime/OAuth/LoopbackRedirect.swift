import CrosswalkCore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A one-shot listener for an OAuth redirect to this machine.
public struct LoopbackRedirect: Sendable {
    public let host: String
    public let port: Int
    public let path: String

    /// `nil` unless `uri` is `http://127.0.0.1:PORT/…` or `http://localhost:PORT/…`.
    public init?(_ uri: String) {
        guard let url = URL(string: uri), url.scheme == "http", let host = url.host, ["127.0.0.1", "localhost"].contains(host),
              let port = url.port else { return nil }
        self.host = host == "localhost" ? "127.0.0.1" : host
        self.port = port
        path = url.path.isEmpty ? "/" : url.path
    }

    /// Serves the redirect URI until the browser arrives, answers a page, returns the full address.
    public func awaitRedirect(timeout: Duration, logger: Logger) async throws -> String {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let router = Router()
        let base = "http://\(host):\(port)"
        router.get(RouterPath(path)) { request, _ -> Response in
            continuation.yield(base + request.uri.description)
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "<html><body><h1>Crosswalk</h1><p>Authorised. You can close this window.</p></body></html>")))
        }
        var quiet = logger
        quiet.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: quiet)
        let server = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: quiet))
        return try await withThrowingTaskGroup(of: String?.self) { tasks in
            tasks.addTask { try await server.run(); return nil }
            tasks.addTask {
                for await url in stream { return url }
                return nil
            }
            tasks.addTask {
                try await Task.sleep(for: timeout)
                throw CrosswalkError(.timeout, "no redirect arrived within \(timeout)")
            }
            defer { tasks.cancelAll() }
            var redirect: String?
            while let next = try await tasks.next() {
                if let url = next {
                    // Stop gracefully, so the browser still gets its page, then return.
                    redirect = url
                    await server.triggerGracefulShutdown()
                } else if let redirect {
                    return redirect
                }
            }
            throw CrosswalkError(.internalError, "the redirect listener stopped")
        }
    }
}
