import ArgumentParser
import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnections
import CrosswalkCore
import CrosswalkPlugins
import Foundation

struct ConnectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "Store, list, remove and test the credentials of connections.",
        discussion: """
            A connection is declared in the deployment config (connector + settings); its secrets live in \
            the vault, encrypted with the vault key, under the connection's `credentials` name.
            """,
        subcommands: [Add.self, List.self, Remove.self, Test.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a connection's credentials in the vault (read as JSON from standard input or a file).",
            discussion: """
                Secrets never go on the command line, where other users can read them. Give JSON \
                {"scheme": S, "parameters": {…}}; for example a HubSpot private-app token:

                {"scheme":"api_key","parameters":{"headerName":"Authorization","scheme":"Bearer","key":"pat-…"}}

                Parameters per scheme — api_key: headerName, scheme, key; basic: username, password; \
                netsuite_tba: accountID, consumerKey, consumerSecret, tokenID, tokenSecret, signatureMethod \
                (HMAC-SHA256); oauth2: flow (authorizationCode or clientCredentials), clientID, clientSecret, \
                clientAuthentication (requestBody or basic), tokenURL, authorizationURL, redirectURI, scopes; \
                jwt: privateKeyPEM, issuer, subject, audience, tokenURL; token_exchange: url, bodyTemplate, \
                values, tokenField. For oauth2 with flow authorizationCode, run `crosswalk connect NAME` next.
                """)
        @Argument(help: "The connection's name in the config.") var name: String
        @Option(name: .customLong("from"), help: "A JSON file with the credentials; '-' (default) reads standard input.") var source = "-"
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await HostRuntime.with(options) { runtime in
                let connection = try runtime.connection(name)
                let data = source == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: source))
                let credentials: Credentials
                do { credentials = try JSONDecoder().decode(Credentials.self, from: data) } catch {
                    // Never echo the input: it holds secrets.
                    throw CleanExit.message("the credentials JSON is not valid: \((error as? DecodingError)?.crosswalkDescription ?? "not JSON"); see `crosswalk connections add --help`", code: 2)
                }
                try await runtime.vault.store(credentials, name: connection.credentials)
                print("stored \(credentials.scheme) credentials for \(name) (vault entry \"\(connection.credentials)\")")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List connections and whether their credentials are stored (never the secrets).")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await HostRuntime.with(options) { runtime in
                var rows: [[String]] = []
                for (name, c) in runtime.deployment.config.connections.sorted(by: { $0.key < $1.key }) {
                    let stored = try await runtime.vault.credentials(name: c.credentials)
                    rows.append([name, c.connector, stored?.scheme ?? "-", stored == nil ? "missing" : "stored", CredentialsInput.tokenState(stored)])
                }
                if rows.isEmpty {
                    print("No connections in \(runtime.deployment.file ?? "the default config").")
                    return
                }
                print(Table.render(headers: ["NAME", "CONNECTOR", "SCHEME", "CREDENTIALS", "TOKEN"], rows: rows))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a connection's credentials from the vault.")
        @Argument(help: "The connection's name in the config.") var name: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await HostRuntime.with(options) { runtime in
                let connection = try runtime.connection(name)
                // Check by name: an entry sealed with a lost key must still be removable.
                guard try await runtime.vault.names().contains(connection.credentials) else {
                    throw CleanExit.message("\(name) has no stored credentials", code: 1)
                }
                try await runtime.vault.delete(name: connection.credentials)
                print("removed the credentials of \(name)")
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Connect through the plugin and make one authenticated call (the plugin's check).")
        @Argument(help: "The connection's name in the config.") var name: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await HostRuntime.with(options) { runtime in
                let connection = try runtime.connection(name)
                let plugin = try runtime.plugin(for: connection)
                do {
                    let instance = try await runtime.connections.instantiate(connection: connection, plugin: plugin)
                    let result = try JSONSerialization.jsonObject(with: try await instance.check()) as? [String: Any] ?? [:]
                    await instance.destroy()
                    let ok = result["ok"] as? Bool ?? false
                    print("\(name): \(ok ? "OK" : "FAILED") — \(result["message"] as? String ?? "")")
                    if !ok { throw ExitCode(1) }
                } catch let e as CrosswalkError {
                    throw CleanExit.message("\(name): FAILED — \(e.code): \(e.message)", code: 1)
                }
            }
        }
    }
}

/// Reading credentials JSON without ever repeating it.
enum CredentialsInput {
    /// "valid until …", "expired", or "-" for schemes without tokens.
    static func tokenState(_ credentials: Credentials?) -> String {
        let token: OAuth2Token?
        switch credentials {
        case .oauth2(let c)?: token = c.token
        case .tokenExchange(let c)?: token = c.token
        default: return "-"
        }
        guard let token else { return "none yet" }
        guard let expiry = token.expiresAt else { return "no expiry" }
        return expiry > Date() ? "valid until \(ISO8601DateFormatter().string(from: expiry))" : "expired (refreshed on next use)"
    }
}
