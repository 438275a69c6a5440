import ArgumentParser
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkRuntime
import Foundation

// The flow commands: argument parsing and printing over CrosswalkRuntime's FlowService.

extension GlobalOptions {
    /// Runs `body` with the deployment's flows over an open runtime.
    func withFlows<T>(_ body: (FlowService) async throws -> T) async throws -> T {
        try await withRuntime { try await body(FlowService(runtime: $0)) }
    }
}

/// Prints a table, or a line saying there is nothing.
func printTable(_ table: FlowText.Rows, empty: String) {
    if table.rows.isEmpty { print(empty) } else { print(Table.render(headers: table.headers, rows: table.rows)) }
}

/// A run's progress on standard error, on one line rewritten in place (only on a terminal).
func progressPrinter() -> (@Sendable (RunProgress) -> Void)? {
    guard isatty(2) == 1 else { return nil }
    return { p in FileHandle.standardError.write(Data("\r\u{1B}[K\(p.flow): \(p.line)".utf8)) }
}

/// Exit 1 when records failed, after printing the summary.
func finish(_ report: RunReport) throws {
    if isatty(2) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    FlowText.summary(report).forEach { print($0) }
    if report.hasFailures { throw ExitCode(1) }
}

struct FlowsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flows", abstract: "List the deployment's flows, or show one with its mappings.",
        subcommands: [List.self, Show.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The flows of the config (and the problems of those that cannot run).")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            let definitions = try await options.withFlows { $0.definitions() }
            printTable((["FLOW", "SOURCE", "TARGETS", "DIRECTION"], definitions.flows.values.sorted { $0.name < $1.name }.map { f in
                [f.name, "\(f.source.connection) \(f.source.object)", f.targets.map { "\($0.connection) \($0.object)" }.joined(separator: ", "),
                 f.isTwoWay ? "two-way" : "one-way"]
            }), empty: "no flows")
            for problem in definitions.problems { Console.error(problem) }
            if !definitions.problems.isEmpty { throw ExitCode(2) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A flow's source, targets, criteria and field mappings.")
        @Argument(help: "The flow's name.") var flow: String
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await options.withFlows { FlowText.show(try $0.flow(flow)).forEach { print($0) } }
        }
    }
}

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a flow once: read changes since its cursor, map, write, record the ID map and sync log.",
        discussion: """
            With --dry-run, prints the plan per record (create, update, skip, delete) with its reason and the API calls it \
            would make, and writes nothing. Exits 1 when records failed (see `crosswalk errors`).
            """)
    @Argument(help: "The flow's name in the config.") var flow: String
    @Flag(help: "Plan only: print what would be written, write nothing.") var dryRun = false
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let report = try await options.withFlows { flows in
            try await flows.run(flow, options: RunOptions(dryRun: dryRun, progress: progressPrinter(), keepPlans: dryRun ? 1000 : 0))
        }
        if dryRun { printTable(FlowText.plan(report), empty: "nothing to do") }
        try finish(report)
    }
}

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Sync chosen records of a flow now, whatever its cursor (the apps' \"Sync\" button).")
    @Argument(help: "The flow's name in the config.") var flow: String
    @Option(name: .customLong("record"), help: "A source record id (repeatable).") var records: [String] = []
    @Flag(help: "The ids are of the flow's target (two-way flows: sync them back).") var fromTarget = false
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        guard !records.isEmpty else { throw CrosswalkError(.invalidArgument, "sync: give at least one --record ID") }
        let report = try await options.withFlows { try await $0.sync(flow, ids: records, side: fromTarget ? .target : .source) }
        try finish(report)
    }
}

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Retry a flow's failed records: the given ones, or all (see `crosswalk errors`).")
    @Argument(help: "The flow's name in the config.") var flow: String
    @Option(name: .customLong("record"), help: "A failed source record id (repeatable; default: every failed record).") var records: [String] = []
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let (report, left) = try await options.withFlows { flows in
            let report = try await flows.retry(flow, ids: records.isEmpty ? nil : records)
            return (report, try await flows.errors(flow: flow))
        }
        if !left.isEmpty {
            print("still failing:")
            printTable(FlowText.errors(left), empty: "")
        }
        try finish(report)
    }
}

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "The latest runs with their counts, or one run's sync log (--log RUN).")
    @Argument(help: "Only this flow's runs.") var flow: String?
    @Option(help: "How many runs.") var limit = 20
    @Option(help: "Print this run's sync log: each record, what was done and why.") var log: Int64?
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await options.withFlows { flows in
            if let log {
                printTable(FlowText.log(try await flows.log(run: log, limit: max(limit, 100))), empty: "run \(log) logged nothing")
            } else {
                printTable(FlowText.runs(try await flows.runs(flow: flow, limit: limit)), empty: "no runs yet")
            }
        }
    }
}

struct ErrorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "errors", abstract: "Failed records waiting for a retry, with the app's reason.")
    @Argument(help: "Only this flow's.") var flow: String?
    @Option(help: "How many.") var limit = 100
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await options.withFlows { printTable(FlowText.errors(try await $0.errors(flow: flow, limit: limit)), empty: "no failed records") }
    }
}

struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile", abstract: "Compare a flow's source, target and ID map: records missing in the target, orphans, duplicates.",
        discussion: "Reads both objects in full. Exits 1 when gaps are found.")
    @Argument(help: "The flow's name in the config.") var flow: String
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let report = try await options.withFlows { try await $0.reconcile(flow) }
        FlowText.reconcile(report).forEach { print($0) }
        if !report.targets.allSatisfy(\.isClean) { throw ExitCode(1) }
    }
}

struct IDMapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idmap", abstract: "Look records up in the ID map.", subcommands: [Lookup.self])

    struct Lookup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The twins of one record in the other apps.")
        @Argument(help: "The record's connection.") var connection: String
        @Argument(help: "Its object.") var object: String
        @Argument(help: "Its id in that app.") var id: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let found = try await options.withFlows { try await $0.idmap(connection: connection, object: object, id: id) }
            guard !found.isEmpty else { throw CrosswalkError(.notFound, "\(connection) \(object) \(id) is not in the ID map") }
            printTable(FlowText.idmap(found, connection: connection, object: object, id: id), empty: "")
        }
    }
}
