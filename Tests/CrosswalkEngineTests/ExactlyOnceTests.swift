import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkStore
import CrosswalkStoreSQLite
import Testing

@Suite("Engine: exactly once in effect")
struct ExactlyOnceTests {
    /// A flow whose creates can be looked up in the target by the source id (`SrcId`).
    let flow = contactFlow(matchKeys: [.externalID("SrcId")], mapping: "Email = Email\nLastName = LastName\nSrcId = _id")

    func counts(_ world: EngineWorld) -> [JSONValue: Int] {
        Dictionary(world.target.records("Contact").values.map { ($0.fields["SrcId"] ?? .null, 1) }, uniquingKeysWith: +)
    }

    @Test("written but unanswered (outcome unknown): found by external id and paired, never written twice")
    func unknownButWritten() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(40)
        let lossy = LossyConnector(base: world.target, dropEvery: 3)
        let engine = world.engine(connectors: ["dst": EngineConnector(client: lossy, integrationUser: InMemoryConnector.integrationUser)])
        let report = try await engine.run(flow)
        #expect(report.counts == RunCounts(created: 40))
        #expect(lossy.dropped.withLock { $0 } > 5)
        #expect(counts(world).count == 40 && counts(world).values.allSatisfy { $0 == 1 })
        let log = try await world.log(report)
        #expect(log.contains { $0.reason?.hasPrefix("the app did not answer (sent, no answer); found by SrcId") == true })
        #expect(try await world.store.pendingIntents(flow: flow.name).isEmpty)
        let again = try await engine.run(flow)
        #expect(again.counts.created == 0)
        #expect(world.target.records("Contact").count == 40)
        await world.close()
    }

    @Test("unanswered and not written: failed with the reason, looked up again, then written once on retry")
    func unknownNotWritten() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(10)
        world.target.writeOverride.withLock { $0 = { _, _, item in
            item.fields["SrcId"] == "p3" ? .failure(item.ref, WriteError(code: "timeout", message: "sent, no answer", retryable: true), outcome: .unknown) : nil
        } }
        let engine = world.engine()
        let report = try await engine.run(flow)
        #expect(report.counts == RunCounts(created: 9, failed: 1))
        #expect(try await world.reason(report, "p3")?.contains("no Contact has this SrcId yet") == true)
        #expect(try await world.store.pendingIntents(flow: flow.name).map(\.items.count) == [1])
        world.target.writeOverride.withLock { $0 = nil }
        let retry = try await engine.retry(flow)
        #expect(retry.counts == RunCounts(created: 1))
        #expect(counts(world)["p3"] == 1 && world.target.records("Contact").count == 10)
        #expect(try await world.store.pendingIntents(flow: flow.name).isEmpty)
        await world.close()
    }

    @Test("a crash after the app answered and before the commit: on restart the intents are looked up, nothing is created twice")
    func crashBeforeCommit() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(250)
        let failing = CommitFailingStore(base: world.store)
        failing.commitsBeforeFailure.withLock { $0 = 1 }
        let crashing = SyncEngine(store: failing, connectors: world.engine().connectors, compiler: MappingLanguageCompiler(),
                                  configuration: EngineConfiguration(chunkSize: 100), logger: world.logger)
        await #expect(throws: CrosswalkError.self) { try await crashing.run(flow) }
        // The first chunk was committed; the second was written to the app but not committed.
        #expect(world.target.records("Contact").count == 200)
        #expect(try await world.store.mappingCount(link: "dst~src") == 100)
        #expect(try await world.store.pendingIntents(flow: flow.name).map(\.items.count) == [100])

        let report = try await world.engine().run(flow)
        #expect(report.recovered == 100)
        #expect(report.counts.created == 150)   // 100 found after the crash + 50 never written
        #expect(world.target.records("Contact").count == 250)
        #expect(counts(world).values.allSatisfy { $0 == 1 })
        #expect(try await world.store.mappingCount(link: "dst~src") == 250)
        #expect(try await world.store.pendingIntents(flow: flow.name).isEmpty)
        await world.close()
    }

    @Test("with nothing to look a create up by, an interrupted create is never repeated automatically")
    func unverifiable() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(5)
        let plain = contactFlow()
        let failing = CommitFailingStore(base: world.store)
        failing.commitsBeforeFailure.withLock { $0 = 0 }
        let crashing = SyncEngine(store: failing, connectors: world.engine().connectors, logger: world.logger)
        await #expect(throws: CrosswalkError.self) { try await crashing.run(plain) }
        #expect(world.target.records("Contact").count == 5)
        let report = try await world.engine().run(plain)
        #expect(report.counts.created == 0 && report.counts.failed >= 5)
        #expect(world.target.records("Contact").count == 5)
        let queued = try #require(try await world.store.failure(flow: plain.name, source: RecordRef(connection: "src", object: "Contact", id: "p0")))
        #expect(queued.failure.errorCode == .unverifiedWrite)
        #expect(queued.failure.message.contains("cannot tell whether Contact was created"))
        // Later runs leave it alone too; a person's retry writes it.
        _ = try await world.engine().run(plain)
        #expect(world.target.records("Contact").count == 5)
        await world.close()
    }

    @Test("refs are stable per flow, target and record across attempts")
    func stableRefs() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(3)
        let refs = LockedValue<[String: Set<String>]>([:])
        world.target.writeOverride.withLock { $0 = { _, _, item in
            _ = refs.withLock { $0[item.fields["SrcId"]?.stringValue ?? "", default: []].insert(item.ref) }
            return .failure(item.ref, WriteError(code: "unavailable", message: "try later", retryable: true))
        } }
        let engine = world.engine()
        _ = try await engine.run(flow)
        _ = try await engine.retry(flow)
        #expect(refs.withLock { $0 }.values.allSatisfy { $0.count == 1 })
        #expect(Set(refs.withLock { $0 }.values.flatMap { $0 }).count == 3)
        await world.close()
    }
}

/// Forwards writes to the app but loses every n-th answer (`outcome: unknown`): the app wrote.
final class LossyConnector: ConnectorClient, Sendable {
    let base: InMemoryConnector
    let dropEvery: Int
    let dropped = LockedValue(0)
    private let seen = LockedValue(0)
    init(base: InMemoryConnector, dropEvery: Int) {
        self.base = base
        self.dropEvery = dropEvery
    }
    var connection: String { base.connection }
    var pluginID: String { base.pluginID }
    var manifest: ConnectorManifest { base.manifest }
    func check() async throws -> CheckResult { try await base.check() }
    func discover(_ request: DiscoverRequest) async throws -> DiscoverResult { try await base.discover(request) }
    func read(_ request: ReadRequest) async throws -> ReadResult { try await base.read(request) }
    func write(_ request: WriteRequest) async throws -> WriteResult {
        var result = try await base.write(request)
        result.results = result.results.map { r in
            let n = seen.withLock { $0 += 1; return $0 }
            guard n % dropEvery == 0 else { return r }
            dropped.withLock { $0 += 1 }
            return .failure(r.ref, WriteError(code: "timeout", message: "sent, no answer", retryable: true), outcome: .unknown)
        }
        return result
    }
    func parseWebhook(_ request: WebhookRequest) async throws -> WebhookResult { try await base.parseWebhook(request) }
    func close() async {}
}
