import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkStore
import CrosswalkStoreSQLite
import Testing

@Suite("Engine: deletes and merges")
struct DeleteMergeTests {
    @Test("a deletion in the source follows the delete policy: nothing, archive or delete")
    func policies() async throws {
        for policy in [DeletePolicy.nothing, .archive(["Status": "Archived"]), .delete] {
            let world = try await EngineWorld()
            world.source.seedContacts(2)
            let flow = contactFlow(mode: .mirror, deletePolicy: policy)
            let engine = world.engine()
            _ = try await engine.run(flow)
            let twin = try #require(try await world.twin(flow, "p0"))
            world.source.remove("Contact", id: "p0")
            let report = try await engine.run(flow)
            switch policy {
            case .nothing:
                #expect(report.counts == RunCounts(skipped: 1))
                #expect(try await world.reason(report, "p0") == "deleted in the source; the delete policy keeps the Contact")
                #expect(world.target.records("Contact")[twin] != nil)
            case .archive:
                #expect(report.counts == RunCounts(updated: 1))
                #expect(world.target.records("Contact")[twin]?.fields["Status"] == "Archived")
            case .delete:
                #expect(report.counts == RunCounts(deleted: 1))
                #expect(world.target.records("Contact")[twin] == nil)
                #expect(try await world.twin(flow, "p0") == nil)
            }
            #expect(world.target.records("Contact").count == (policy == .delete ? 1 : 2))
            await world.close()
        }
    }

    @Test("upsert mode keeps the target record of a deleted source record")
    func upsertKeeps() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(1)
        let flow = contactFlow(mode: .upsert, deletePolicy: .delete)
        _ = try await world.engine().run(flow)
        world.source.remove("Contact", id: "p0")
        let report = try await world.engine().run(flow)
        #expect(try await world.reason(report, "p0") == "deleted in the source; mode upsert keeps the Contact")
        #expect(world.target.records("Contact").count == 1)
        await world.close()
    }

    @Test("a merge: the ID map follows merged_into, or the duplicate is deleted when the survivor is synced")
    func merges() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(3)
        let flow = contactFlow(mode: .mirror, deletePolicy: .delete)
        let engine = world.engine()
        _ = try await engine.run(flow)
        let twin0 = try #require(try await world.twin(flow, "p0"))
        let twin1 = try #require(try await world.twin(flow, "p1"))

        // p0 merged into a new record the ID map does not know: the new record takes p0's twin.
        let survivor = world.source.put("Contact", id: "s0", fields: ["Email": "p0@example.com", "LastName": "Last0"])
        let merge = try await world.source.read(ReadRequest(object: "Contact", ids: ["p0"])).records[0]
        // The in-memory app has no merge of its own: feed the merge through a connector that reports it.
        let merging = MergingConnector(base: world.source, merges: ["p0": survivor, "p1": "p2"], template: merge)
        let mergeEngine = world.engine(connectors: ["src": EngineConnector(client: merging)])
        world.source.put("Contact", id: "p0", fields: ["merged": true])
        world.source.put("Contact", id: "p1", fields: ["merged": true])
        let report = try await mergeEngine.run(flow)
        #expect(try await world.twin(flow, survivor) == twin0)
        #expect(try await world.twin(flow, "p0") == nil)
        #expect(try await world.reason(report, "p0")?.hasPrefix("merged into s0: the ID map now pairs s0 with Contact \(twin0)") == true)
        // p1 merged into p2, which is synced: p1's twin is a duplicate, deleted per the policy.
        #expect(world.target.records("Contact")[twin1] == nil)
        #expect(try await world.twin(flow, "p1") == nil)
        #expect(try await world.twin(flow, "p2") != nil)
        await world.close()
    }
}

/// Reports chosen records as merged (`change: merge`, `merged_into`), as an app's merge feed would.
struct MergingConnector: ConnectorClient {
    let base: InMemoryConnector
    let merges: [String: String]
    let template: ConnectorRecord
    var connection: String { base.connection }
    var pluginID: String { base.pluginID }
    var manifest: ConnectorManifest { base.manifest }
    func check() async throws -> CheckResult { try await base.check() }
    func discover(_ request: DiscoverRequest) async throws -> DiscoverResult { try await base.discover(request) }
    func read(_ request: ReadRequest) async throws -> ReadResult {
        var result = try await base.read(request)
        result.records = result.records.map { record in
            guard let into = merges[record.id] else { return record }
            var r = record
            r.change = .merge
            r.mergedInto = into
            r.deleted = true
            return r
        }
        return result
    }
    func write(_ request: WriteRequest) async throws -> WriteResult { try await base.write(request) }
    func parseWebhook(_ request: WebhookRequest) async throws -> WebhookResult { try await base.parseWebhook(request) }
    func close() async {}
}
