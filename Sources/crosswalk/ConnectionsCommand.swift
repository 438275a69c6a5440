import ArgumentParser
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkRuntime
import Foundation

struct ConnectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "Store, list, remove and test the credentials of connections, and their webhook secrets.",
        discussion: """
            A connection is declared in the deployment config (connector + settings); its secrets live in \
            the vault, encrypted with the vault key, under the connection's `credentials` name.
            """,
        subcommands: [Add.self, List.self, Remove.self, Test.self, WebhookSecret.self])

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
            let data = source == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: source))
            let stored = try await options.withRuntime { try await $0.storeCredentials(json: data, for: name) }
            print("stored \(stored.scheme) credentials for \(name) (vault entry \"\(stored.entry)\")")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List connections and whether their credentials are stored (never the secrets).")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await options.withRuntime { runtime in
                let rows = try await runtime.credentialStatuses()
                guard !rows.isEmpty else {
                    print("No connections in \(runtime.deployment.name).")
                    return
                }
                print(Table.render(headers: ["NAME", "CONNECTOR", "SCHEME", "CREDENTIALS", "TOKEN", "WEBHOOK SECRET"],
                                   rows: rows.map { [$0.connection, $0.connector, $0.scheme ?? "-", $0.scheme == nil ? "missing" : "stored", $0.token, $0.webhookSecret] }))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a connection's credentials from the vault.")
        @Argument(help: "The connection's name in the config.") var name: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await options.withRuntime { try await $0.removeCredentials(for: name) }
            print("removed the credentials of \(name)")
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Connect through the plugin and make one authenticated call (the plugin's check).")
        @Argument(help: "The connection's name in the config.") var name: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let ok = try await options.withRuntime { runtime in
                do {
                    let client = try await runtime.client(for: name)
                    let result = try await client.check()
                    await client.close()
                    print("\(name): \(result.ok ? "OK" : "FAILED") — \(result.message)")
                    return result.ok
                } catch let e as CrosswalkError where ExitStatus.code(for: e) == 1 {
                    print("\(name): FAILED — \(e.code): \(e.message)")
                    return false
                }
            }
            if !ok { throw ExitCode(1) }
        }
    }

    struct WebhookSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "webhook-secret",
            abstract: "Store the secret a connection's app signs its webhooks with (read from standard input, never echoed).",
            discussion: """
                The host verifies every delivery to /hooks/NAME with it, as the connector's manifest declares \
                (HMAC-SHA256 or SHA-1 over the body, and the timestamp, method or URL where the app signs them); a \
                delivery that does not verify is answered 401 and never processed. Typed at a terminal, the secret \
                is not echoed; piped, the whole input is the secret (one trailing newline dropped). It is sealed in \
                the vault as "webhook:NAME", never written anywhere else.
                """)
        @Argument(help: "The connection's name in the config.") var name: String
        @Option(name: .customLong("from"), help: "A file holding the secret; '-' (default) reads standard input.") var source = "-"
        @Flag(help: "Delete the stored secret instead.") var remove = false
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            if remove {
                let removed = try await options.withRuntime { try await $0.removeWebhookSecret(for: name) }
                print(removed ? "removed the webhook secret of \(name)" : "\(name) has no webhook secret")
                return
            }
            let secret = try source == "-" ? SecretInput.read(prompt: "webhook secret for \(name): ") : SecretInput.trimmed(Data(contentsOf: URL(fileURLWithPath: source)))
            let entry = try await options.withRuntime { try await $0.storeWebhookSecret(secret, for: name) }
            print("stored the webhook secret of \(name) (vault entry \"\(entry)\")")
        }
    }
}
