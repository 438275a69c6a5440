import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkStore
import CrosswalkStoreSQLite
import Testing

@Suite("Engine: operating flows")
struct OperateTests {
    @Test("a dry run plans every record with its reason and calls, and writes nothing anywhere")
    func dryRun() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(45)
        world.source.put("Contact", id: "empty", fields: ["Email": "e@example.com", "LastName": ""])
        let flow = contactFlow()
        let engine = world.engine()
        _ = try await engine.run(contactFlow(name: "other"))   // pairs every record on the shared link
        world.source.put("Contact", id: "p1", fields: ["FirstName": "Changed"])
        let writes = world.target.counters.writes
        let runs = try await world.store.runs(flow: flow.name, limit: 10)
        let planned = LockedValue<[PlannedRecord]>([])
        let report = try await engine.run(flow, options: RunOptions(dryRun: true, onPlan: { p in planned.withLock { $0.append(p) } }))
        #expect(report.dryRun && report.run == nil)
        #expect(world.target.counters.writes == writes)
        #expect(try await world.store.runs(flow: flow.name, limit: 10) == runs)
        #expect(try await world.store.cursor(flow: flow.name, object: "src/Contact") == nil)
        #expect(planned.withLock { $0.count } == 46 && report.plans.count == 46)
        let p1 = try #require(report.plans.first { $0.source.id == "p1" })
        #expect(p1.action == .update && p1.reason == "changed since the last sync" && p1.call?.hasPrefix("update dst/Contact ") == true)
        #expect(p1.fields?["FirstName"] == "Changed")
        #expect(report.plans.first { $0.source.id == "p2" }?.reason == "unchanged since the last sync")
        #expect(report.calls.contains { $0.connection == "dst" && $0.operation == "update" && $0.calls == 1 && $0.records == 1 })
        await world.close()
    }

    @Test("sync one record by id: read by id, written now, the cursor untouched")
    func syncOne() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(10)
        let flow = contactFlow()
        let engine = world.engine()
        let report = try await engine.sync(flow, ids: ["p4", "missing"])
        #expect(report.counts == RunCounts(created: 1, skipped: 1))
        #expect(try await world.reason(report, "missing") == "no longer exists in src")
        #expect(world.target.records("Contact").count == 1)
        #expect(try await world.store.cursor(flow: flow.name, object: "src/Contact") == nil)
        let full = try await engine.run(flow)
        #expect(full.counts == RunCounts(created: 9, skipped: 1))
        await world.close()
    }

    @Test("retry one or all failed records; the app's reason is kept until the record syncs")
    func retry() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(6)
        world.target.writeOverride.withLock { $0 = { _, _, item in
            item.fields["LastName"] == "Last2" || item.fields["LastName"] == "Last4"
                ? .failure(item.ref, WriteError(code: "conflict", message: "FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone is required", fields: ["Phone"]))
                : nil
        } }
        let flow = contactFlow()
        let engine = world.engine()
        let first = try await engine.run(flow)
        #expect(first.counts == RunCounts(created: 4, failed: 2))
        let queued = try await world.store.failures(flow: flow.name, limit: 10, offset: 0)
        #expect(queued.map(\.failure.source.id).sorted() == ["p2", "p4"])
        #expect(queued.allSatisfy { $0.failure.message == "FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone is required" && $0.failure.errorCode.rawValue == "conflict" })
        world.target.writeOverride.withLock { $0 = nil }
        let one = try await engine.retry(flow, records: [RecordRef(connection: "src", object: "Contact", id: "p2")])
        #expect(one.counts == RunCounts(created: 1))
        #expect(try await world.store.failures(flow: flow.name, limit: 10, offset: 0).map(\.failure.source.id) == ["p4"])
        let all = try await engine.retry(flow)
        #expect(all.counts == RunCounts(created: 1))
        #expect(try await world.store.failureCount(flow: flow.name) == 0)
        #expect(world.target.records("Contact").count == 6)
        await world.close()
    }

    @Test("reconcile reports records missing in the target, orphans, stale pairs and duplicates")
    func reconcile() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(8)
        let flow = contactFlow(matchKeys: [.field("Email")])
        let engine = world.engine()
        _ = try await engine.run(flow)
        let clean = try await engine.reconcile(flow)
        #expect(clean.targets[0].isClean && clean.targets[0].mapped == 8 && clean.targets[0].qualifying == 8)

        world.target.remove("Contact", id: try #require(try await world.twin(flow, "p1")))        // stale pair, p1 missing
        world.source.put("Contact", id: "late", fields: ["Email": "late@example.com", "LastName": "Late"])   // never synced: missing
        world.source.remove("Contact", id: "p2")                                                   // its twin is an orphan
        world.target.put("Contact", id: "dup", fields: ["Email": "p3@example.com"])                // a duplicate by e-mail
        let report = try #require(try await engine.reconcile(flow).targets.first)
        #expect(report.missing.map(\.id) == ["late", "p1"])
        #expect(report.staleCount == 1 && report.stale.first?.source == "p1")
        let orphan = try await world.twin(flow, "p2")
        #expect(report.orphanCount == 1 && report.orphans.first?.id == orphan)
        let p3 = try #require(try await world.twin(flow, "p3"))
        #expect(report.duplicates == [DuplicateGroup(field: "Email", value: "p3@example.com", ids: [p3, "dup"].sorted())])
        #expect(report.unmappedTargetRecords == 1)
        await world.close()
    }

    @Test("progress after each batch, and a stop request ends the run at a batch boundary; the next run resumes")
    func progressAndStop() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(500)
        let flow = contactFlow()
        let engine = world.engine(configuration: EngineConfiguration(chunkSize: 100))
        let stop = StopSignal()
        let seen = LockedValue<[RunProgress]>([])
        let report = try await engine.run(flow, options: RunOptions(stop: stop, progress: { p in
            seen.withLock { $0.append(p) }
            if p.read >= 200 { stop.stop() }
        }, expectedTotal: 500))
        #expect(report.stoppedEarly && report.status == .cancelled)
        #expect(report.counts.created == 200 && world.target.records("Contact").count == 200)
        let progress = seen.withLock { $0 }
        #expect(progress.map(\.read) == [100, 200])
        #expect(progress.last?.total == 500 && progress.last?.eta != nil && progress.last!.recordsPerSecond > 0)
        #expect(progress.last?.line.hasPrefix("200/500 records") == true)
        let rest = try await engine.run(flow)
        #expect(rest.counts.created == 300 && rest.read == 300)
        #expect(world.target.records("Contact").count == 500)
        await world.close()
    }

    @Test("start: now syncs only changes made after the flow was set up (going forward only)")
    func startNow() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(5)
        let flow = contactFlow(start: .now)
        let engine = world.engine()
        let first = try await engine.run(flow)
        #expect(first.read == 0 && world.target.records("Contact").isEmpty)
        world.source.put("Contact", id: "p1", fields: ["FirstName": "Changed"])
        world.source.put("Contact", id: "new", fields: ["Email": "n@example.com", "LastName": "New"])
        let second = try await engine.run(flow)
        #expect(second.counts.created == 2 && second.read == 2)
        await world.close()
    }

    @Test("a model limits what the flow reads and maps to its chosen fields")
    func model() async throws {
        let world = try await EngineWorld()
        world.source.put("Contact", id: "c1", fields: ["Email": "a@example.com", "FirstName": "Ada", "LastName": "Lovelace", "Secret": "x"])
        var flow = contactFlow(mapping: "Email = Email\nLastName = LastName\nSecret = Secret")
        flow.source.model = FlowModel(name: "contact-basics", fields: ["Email", "FirstName", "LastName"])
        _ = try await world.engine().run(flow)
        let record = try #require(world.target.records("Contact").values.first)
        #expect(record.fields["LastName"] == "Lovelace" && record.fields["Secret"] == .null)
        await world.close()
    }
}
