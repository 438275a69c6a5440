import ArgumentParser
import CrosswalkCore
import CrosswalkRuntime
import Foundation
import Logging

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Move a deployment's store.",
        subcommands: [Migrate.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a SQLite store into PostgreSQL (the shared store several hosts use), verified by counts per table.",
            discussion: """
                Stop the hosts using the SQLite file first. The vault rows stay sealed: keep the same vault key. \
                The password is read from the environment variable --password-env names, never from the command line.
                """)
        @Option(help: "The SQLite database file.") var from: String
        @Option(help: "The PostgreSQL URL, without a password: postgres://user@host:5432/database.") var to: String
        @Option(help: "The environment variable holding the PostgreSQL password.") var passwordEnv = "CROSSWALK_STORE_PASSWORD"
        @Flag(help: "Empty the target's tables first (otherwise a target holding rows is refused).") var replace = false
        @Option(help: "Rows read and written at a time.") var pageSize = 1000

        func run() async throws {
            let password = ProcessInfo.processInfo.environment[passwordEnv].flatMap { $0.isEmpty ? nil : $0 }
            var logger = Logger(label: "crosswalk.store")
            logger.logLevel = .warning
            let reports = try await StoreCopy.sqliteToPostgres(from: from, toURL: to, password: password, replace: replace, pageSize: max(1, pageSize), logger: logger)
            let width = reports.map(\.table.count).max() ?? 10
            for report in reports {
                print("\(report.table.padding(toLength: width, withPad: " ", startingAt: 0))  \(report.source) → \(report.target)")
            }
            print("copied \(reports.map(\.target).reduce(0, +)) rows into \(to); every table's count matches")
        }
    }
}
