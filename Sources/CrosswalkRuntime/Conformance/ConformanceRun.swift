import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import Foundation
import Logging

/// `crosswalk plugins check`: a conformance run for connector authors, in the spirit of Airbyte's
/// connector acceptance tests. It loads the plugin through the host's one factory, checks the
/// descriptor and the manifest and, against a connection, runs every operation and checks each
/// answer against the ABI's rules (crosswalk.h, "JSON documents"): one ``Result`` per rule.
public struct ConformanceRun: Sendable {
    public enum Status: String, Sendable { case pass = "PASS", fail = "FAIL", skip = "SKIP" }

    /// One rule's verdict.
    public struct Result: Sendable, Hashable {
        public var rule: String
        public var status: Status
        public var reason: String
        /// `PASS  read.object: every record has object Contact`.
        public var line: String { "\(status.rawValue)  \(rule): \(reason)" }
    }

    /// What to run.
    public struct Settings: Sendable {
        /// The object to read; the manifest's first readable object by default.
        public var object: String?
        /// An object to write two records to; no write without it.
        public var writeObject: String?
        /// The fields of those records; made from discover's required fields when `nil`.
        public var writeFields: [String: JSONValue]?
        /// Records per page.
        public var limit: Int
        /// Pages a full read may take before it counts as never caught up.
        public var maxPages: Int

        public init(object: String? = nil, writeObject: String? = nil, writeFields: [String: JSONValue]? = nil, limit: Int = 2, maxPages: Int = 500) {
            self.object = object
            self.writeObject = writeObject
            self.writeFields = writeFields
            self.limit = max(1, limit)
            self.maxPages = maxPages
        }
    }

    /// A plugin file, or the id of a plugin in the deployment's folders.
    public let plugin: String
    /// The connection to run operations against; static checks only without it.
    public let connection: String?
    public let settings: Settings

    public init(plugin: String, connection: String?, settings: Settings = Settings()) {
        self.plugin = plugin
        self.connection = connection
        self.settings = settings
    }

    /// Runs every rule, handing each verdict to `report` as it is reached.
    public func run(deployment: Deployment, logger: Logger, report: @escaping @Sendable (Result) -> Void) async throws -> [Result] {
        let log = ResultLog(report: report)
        guard let loaded = load(deployment: deployment, logger: logger, log: log) else { return log.results }
        ManifestRules.check(loaded.manifest, log: log)
        guard let connectionName = connection else {
            log.skip("operations", "no --connection given: check, discover, read and write not run")
            return log.results
        }
        let connectionConfig = try deployment.connection(connectionName)
        guard connectionConfig.connector == loaded.id else {
            log.fail("connection", "\(connectionName) uses \(connectionConfig.connector), not \(loaded.id)")
            return log.results
        }
        let runtime = try await HostRuntime.open(deployment, logger: logger)
        do {
            try await OperationRules(plugin: loaded, connection: connectionConfig, settings: settings, log: log).run(runtime)
        } catch {
            await runtime.close()
            throw error
        }
        await runtime.close()
        return log.results
    }

    private func load(deployment: Deployment, logger: Logger, log: ResultLog) -> LoadedPlugin? {
        let loader = deployment.pluginLoader(logger: logger)
        let isPath = plugin.contains("/") || plugin.hasSuffix(".so")
        let loaded: LoadedPlugin
        do {
            if isPath {
                loaded = try loader.load(path: plugin)
            } else {
                let scan = loader.scan(folders: deployment.pluginFolders)
                guard let found = scan.plugin(plugin) else {
                    log.fail("descriptor", "no plugin with id \(plugin) in \(deployment.pluginFolders.joined(separator: ", "))")
                    return nil
                }
                loaded = found
            }
        } catch let refusal as PluginRefusal {
            log.fail("descriptor", refusal.reason)
            return nil
        } catch {
            log.fail("descriptor", "\(error)")
            return nil
        }
        log.pass("descriptor", "\(loaded.id) \(loaded.version) by \(loaded.vendor), ABI \(loaded.abiDescription), \(loaded.languageDescription)")
        return loaded
    }
}

/// The verdicts so far, reported as they come.
final class ResultLog: Sendable {
    private let entries = LockedValue<[ConformanceRun.Result]>([])
    private let report: @Sendable (ConformanceRun.Result) -> Void

    init(report: @escaping @Sendable (ConformanceRun.Result) -> Void) { self.report = report }

    var results: [ConformanceRun.Result] { entries.withLock { $0 } }

    func add(_ rule: String, _ status: ConformanceRun.Status, _ reason: String) {
        let result = ConformanceRun.Result(rule: rule, status: status, reason: reason)
        entries.withLock { $0.append(result) }
        report(result)
    }

    func pass(_ rule: String, _ reason: String) { add(rule, .pass, reason) }
    func fail(_ rule: String, _ reason: String) { add(rule, .fail, reason) }
    func skip(_ rule: String, _ reason: String) { add(rule, .skip, reason) }

    /// PASS with `ok` when `problems` is empty, else FAIL with the first problems.
    func verdict(_ rule: String, problems: [String], ok: String) {
        if problems.isEmpty { pass(rule, ok) } else {
            fail(rule, problems.prefix(3).joined(separator: "; ") + (problems.count > 3 ? "; and \(problems.count - 3) more" : ""))
        }
    }
}
