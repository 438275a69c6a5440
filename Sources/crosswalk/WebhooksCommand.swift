import ArgumentParser
import CrosswalkCore
import CrosswalkRuntime
import Foundation

struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Look at and process the webhook inbox.",
        discussion: """
            `crosswalk serve` stores each verified delivery in the inbox before answering the app, and processes \
            it at once. These commands show the inbox and process what is pending without the service (after a \
            crash, or where no service runs). Set a connection's signing secret with \
            `crosswalk connections webhook-secret NAME`.
            """,
        subcommands: [List.self, Drain.self, Retry.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List deliveries in the inbox (never their bodies or headers).")
        @Option(help: "Only this state: pending, processing, done or failed.") var state: String?
        @Option(help: "Only this connection.") var connection: String?
        @Option(help: "At most this many rows.") var limit = 50
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await options.withRuntime { runtime in
                let service = WebhookService(runtime: runtime)
                print(try await service.inboxSummary())
                let table = try await service.inboxTable(state: state, connection: connection, limit: limit)
                if !table.rows.isEmpty { print(Table.render(headers: table.headers, rows: table.rows)) }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put failed deliveries back in the queue (the given ids, or all); `drain` or the service processes them.")
        @Argument(help: "Delivery ids (see `crosswalk webhooks list --state failed`); none: every failed one.") var ids: [Int64] = []
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let count = try await options.withRuntime { try await WebhookService(runtime: $0).retryFailed(ids: ids.isEmpty ? nil : ids) }
            print("\(count) failed deliver\(count == 1 ? "y" : "ies") queued again")
        }
    }

    struct Drain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Process every pending delivery now: the plugin parses it, the flows with a webhook trigger sync its records.",
            discussion: "Deliveries another process left half-processed are taken over once their claim expires (5 minutes).")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let failed = try await options.withRuntime { runtime in
                let report = try await WebhookService(runtime: runtime).drain()
                for line in WebhookService.summary(report) { print(line) }
                return report.anyFailed
            }
            if failed { throw ExitCode(1) }
        }
    }
}
