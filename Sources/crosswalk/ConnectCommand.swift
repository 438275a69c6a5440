import ArgumentParser
import CrosswalkCore
import CrosswalkRuntime
import Foundation

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
        try await options.withRuntime { runtime in
            let flow = try await ConnectFlow(runtime: runtime, connection: name)
            Console.line("Open this address in a browser and approve access:\n\n  \(flow.authorizationURL)\n")
            let redirected: String
            if let listener = flow.listener, !paste {
                Console.line("Waiting for the redirect on \(flow.redirectURI) …")
                redirected = try await listener.awaitRedirect(timeout: .seconds(timeout), logger: runtime.logger)
            } else {
                Console.line("Paste the address your browser was redirected to:")
                guard let line = readLine(), !line.isEmpty else { throw CrosswalkError(.invalidArgument, "no address given") }
                redirected = line
            }
            let instance = try await flow.complete(redirected: redirected)
            Console.line("\(name): connected; tokens stored in the vault\(instance.map { " (instance \($0))" } ?? "")")
        }
    }
}
