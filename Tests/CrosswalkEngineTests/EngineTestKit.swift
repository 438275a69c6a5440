import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkStore
import CrosswalkStoreSQLite
import CrosswalkTestKit
import Foundation
import Logging

/// One engine test's world: two in-memory apps (`src`, `dst`), a real SQLite store file in a
/// temporary folder, and an engine over them.
final class EngineWorld: Sendable {
    let folder: URL
    let store: SQLiteStore
    let source: InMemoryConnector
    let target: InMemoryConnector
    let logs: LogRecorder
    let logger: Logger

    init(sourceObjects: [String] = ["Contact"], targetObjects: [String] = ["Contact"], targetMatchKeys: [String: [String]] = [:],
         sourceLimits: ConnectorManifest.Limits = .init(read: 50, write: 20), targetLimits: ConnectorManifest.Limits = .init(read: 50, write: 20)) async throws {
        folder = try TestFiles.temporaryFolder("engine")
        (logger, logs) = LogRecorder.logger(label: "engine-test")
        store = try await SQLiteStore.open(path: folder.appendingPathComponent("crosswalk.db").path, logger: logger)
        source = InMemoryConnector(connection: "src", objects: sourceObjects, batchLimits: sourceLimits)
        target = InMemoryConnector(connection: "dst", objects: targetObjects, matchKeys: targetMatchKeys, batchLimits: targetLimits)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// An engine over both apps, with their integration users known.
    func engine(compiler: any FlowCompiler = MappingLanguageCompiler(), configuration: EngineConfiguration = EngineConfiguration(chunkSize: 100),
                connectors extra: [String: EngineConnector] = [:], flows: [String: Flow] = [:]) -> SyncEngine {
        var connectors = [
            "src": EngineConnector(client: source, integrationUser: InMemoryConnector.integrationUser),
            "dst": EngineConnector(client: target, integrationUser: InMemoryConnector.integrationUser),
        ]
        connectors.merge(extra) { _, new in new }
        return SyncEngine(store: store, connectors: connectors, compiler: compiler, configuration: configuration, flows: flows, logger: logger)
    }

    /// Every sync-log entry of a run.
    func log(_ report: RunReport) async throws -> [SyncLogEntry] {
        guard let run = report.run else { return [] }
        return try await store.syncLog(run: run, limit: 1_000_000, offset: 0)
    }

    /// The reason logged for one source record in a run.
    func reason(_ report: RunReport, _ id: String) async throws -> String? {
        try await log(report).first { $0.source.id == id }?.reason
    }

    /// The target twin of a source record.
    func twin(_ flow: Flow, _ id: String, in object: String = "Contact") async throws -> String? {
        let link = flow.link ?? LinkName.between(flow.source.connection, flow.targets[0].connection)
        let side = LinkName.side(of: flow.source.connection, with: flow.targets[0].connection)
        let found = try await store.twins(link: link, side: side, connection: flow.source.connection,
                                          queries: [TwinQuery(object: flow.source.object, id: id, otherObject: object)])
        return found.values.first?.record(on: side.other).id
    }

    func close() async { await store.close() }
}

/// A one-way contact flow `src` → `dst` copying Email, FirstName and LastName.
func contactFlow(name: String = "contacts", mode: WriteMode = .upsert, deletePolicy: DeletePolicy = .nothing, matchKeys: [MatchKey] = [],
                 criteria: String? = nil, start: FlowStart = .beginning, mapping: String = "Email = Email\nFirstName = FirstName\nLastName = LastName",
                 dependencies: [DependencyRule] = []) -> Flow {
    Flow(name: name, source: FlowSource(connection: "src", object: "Contact"),
         targets: [FlowTarget(name: "contact", connection: "dst", object: "Contact", mode: mode, deletePolicy: deletePolicy, matchKeys: matchKeys,
                              mapping: mapping)],
         criteria: criteria, start: start, dependencies: dependencies)
}

extension InMemoryConnector {
    /// Adds `count` contacts `p0…` with e-mail, first and last name; returns their ids.
    @discardableResult
    func seedContacts(_ count: Int, from start: Int = 0, object: String = "Contact") -> [String] {
        (start..<start + count).map { i in
            put(object, id: "p\(i)", fields: ["Email": .string("p\(i)@example.com"), "FirstName": .string("First\(i)"), "LastName": .string("Last\(i)")])
        }
    }

    /// The live records of `object` whose `field` is `value`.
    func records(_ object: String, where field: String, is value: JSONValue) -> [ConnectorRecord] {
        records(object).values.filter { $0.fields[field] == value }
    }
}
