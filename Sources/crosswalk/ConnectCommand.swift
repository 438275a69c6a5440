import ArgumentParser
import CrosswalkAuth
import CrosswalkConfig
import CrosswalkCore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

struct ConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Authorise an OAuth 2.0 connection (authorization code with PKCE) and store its tokens.",
        discussion: """
            Store the client registration first (`crosswalk connections add NAME`, scheme oauth2, flow \
            authorizationCode, with authorizationURL and redirectURI). `connect` prints the URL to open in a \
            browser; it opens nothing itself. When the redirect URI is on this machine \
            (http://127.0.0.1:PORT/… or http://localhost:PORT/…) it listens there for the answer; \
            otherwise, or with --paste, paste the address the browser was sent to.
            """)
    @Argument(help: "The connection's name in the config.") var name: String
    @Flag(help: "Read the redirected address from standard input instead of listening for it.") var paste = false
    @Option(help: "Seconds to wait for the authorisation.") var timeout = 300
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await HostRuntime.with(options) { runtime in
            let connection = try runtime.connection(name)
            guard case .oauth2(let credentials)? = try await runtime.vault.credentials(name: connection.credentials) else {
                throw CleanExit.message("\(name) has no oauth2 credentials in the vault; store the client registration with `crosswalk connections add \(name)` first", code: 2)
            }
            guard credentials.flow == .authorizationCode, credentials.authorizationURL != nil, let redirect = credentials.redirectURI else {
                throw CleanExit.message("\(name): connect needs flow authorizationCode with authorizationURL and redirectURI", code: 2)
            }
            let session = try OAuth2AuthorizationSession(credentials: credentials, usePKCE: true)
            Console.line("Open this address in a browser and approve access:\n\n  \(session.authorizationURL)\n")
            let redirected: String
            if let listener = LoopbackRedirect(redirect), !paste {
                Console.line("Waiting for the redirect on \(redirect) …")
                redirected = try await listener.awaitRedirect(timeout: .seconds(timeout), logger: runtime.logger)
            } else {
                Console.line("Paste the address your browser was redirected to:")
                guard let line = readLine(), !line.isEmpty else { throw CleanExit.message("no address given", code: 1) }
                redirected = line
            }
            do {
                let updated = try await session.complete(redirectURL: redirected, http: runtime.transport)
                try await runtime.vault.store(.oauth2(updated), name: connection.credentials)
                Console.line("\(name): connected; tokens stored in the vault\(updated.token?.instanceURL.map { " (instance \($0))" } ?? "")")
            } catch let e as CrosswalkError {
                throw CleanExit.message("\(name): authorisation failed — \(e.message)", code: 1)
            }
        }
    }
}

/// A one-shot listener for an OAuth redirect to this machine.
struct LoopbackRedirect {
    let host: String
    let port: Int
    let path: String

    /// `nil` unless `uri` is `http://127.0.0.1:PORT/…` or `http://localhost:PORT/…`.
    init?(_ uri: String) {
        guard let url = URL(string: uri), url.scheme == "http", let host = url.host, ["127.0.0.1", "localhost"].contains(host),
              let port = url.port else { return nil }
        self.host = host == "localhost" ? "127.0.0.1" : host
        self.port = port
        path = url.path.isEmpty ? "/" : url.path
    }

    /// Serves the redirect URI until the browser arrives, answers a page, returns the full address.
    func awaitRedirect(timeout: Duration, logger: Logger) async throws -> String {
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

/// Lines for a person watching: written at once, even when standard output is a pipe.
enum Console {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
