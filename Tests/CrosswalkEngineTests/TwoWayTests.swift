import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkStore
import CrosswalkStoreSQLite
import Testing

@Suite("Engine: two-way flows")
struct TwoWayTests {
    static let mapping = "Email = Email\nFirstName = FirstName\nLastName = LastName"

    func flow(conflict: ConflictRule = .lastModifiedWins, owners: [FieldOwner] = []) -> Flow {
        Flow(name: "both-ways", source: FlowSource(connection: "src", object: "Contact"),
             targets: [FlowTarget(name: "contact", connection: "dst", object: "Contact", mapping: Self.mapping)],
             direction: .twoWay(TwoWaySync(reverseMapping: Self.mapping, conflict: conflict, owners: owners)))
    }

    /// Both apps' records, by pair, with the fields the flow maps.
    func pairs(_ world: EngineWorld, _ flow: Flow, _ ids: [String]) async throws -> [(src: [String: JSONValue], dst: [String: JSONValue])] {
        var result: [(src: [String: JSONValue], dst: [String: JSONValue])] = []
        let src = world.source.records("Contact"), dst = world.target.records("Contact")
        for id in ids {
            let twin = try #require(try await world.twin(flow, id))
            let keep = { (f: [String: JSONValue]) in f.filter { ["Email", "FirstName", "LastName"].contains($0.key) } }
            result.append((keep(try #require(src[id]).fields), keep(try #require(dst[twin]).fields)))
        }
        return result
    }

    @Test("1,000 updates on each side end with both sides equal, each written once, and no ping-pong")
    func thousandEachWay() async throws {
        let world = try await EngineWorld(sourceLimits: .init(read: 500, write: 100), targetLimits: .init(read: 500, write: 100))
        let ids = world.source.seedContacts(2000)
        let flow = flow()
        let engine = world.engine(configuration: EngineConfiguration(chunkSize: 1000))
        let initial = try await engine.run(flow)
        #expect(initial.counts.created == 2000)
        #expect(world.source.counters.writes == 0)

        for i in 0..<1000 { world.source.put("Contact", id: "p\(i)", fields: ["FirstName": .string("A\(i)")]) }
        for i in 1000..<2000 {
            let twin = try #require(try await world.twin(flow, "p\(i)"))
            world.target.put("Contact", id: twin, fields: ["FirstName": .string("B\(i)")])
        }
        let (srcWrites, dstWrites) = (world.source.counters, world.target.counters)
        let run = try await engine.run(flow)
        #expect(run.counts.updated == 2000)
        #expect(run.counts.failed == 0)
        // Exactly the changed records, each once, in batches of 100.
        #expect(world.target.counters.writtenRecords - dstWrites.writtenRecords == 1000)
        #expect(world.source.counters.writtenRecords - srcWrites.writtenRecords == 1000)
        #expect(world.target.counters.writes - dstWrites.writes == 10)
        #expect(world.source.counters.writes - srcWrites.writes == 10)
        for (i, pair) in try await pairs(world, flow, ids).enumerated() {
            #expect(pair.src == pair.dst)
            #expect(pair.src["FirstName"] == .string(i < 1000 ? "A\(i)" : "B\(i)"))
        }
        // The changes Crosswalk wrote come back as echoes and are not synced back.
        for _ in 0..<2 {
            let (s, d) = (world.source.counters.writes, world.target.counters.writes)
            let quiet = try await engine.run(flow)
            #expect(world.source.counters.writes == s && world.target.counters.writes == d)
            #expect(quiet.counts.created + quiet.counts.updated + quiet.counts.deleted == 0)
        }
        await world.close()
    }

    @Test("a record changed on both sides: the conflict rule decides, and both sides end equal")
    func conflicts() async throws {
        for rule in [ConflictRule.sourceWins, .targetWins, .lastModifiedWins] {
            let world = try await EngineWorld()
            world.source.seedContacts(1)
            let flow = flow(conflict: rule)
            let engine = world.engine()
            _ = try await engine.run(flow)
            let twin = try #require(try await world.twin(flow, "p0"))
            world.source.put("Contact", id: "p0", fields: ["FirstName": "FromSource"])
            // The target's change is the later one (the in-memory apps stamp by change count).
            for i in 0..<5 { world.target.put("Contact", id: "noise\(i)", fields: [:]) }
            world.target.put("Contact", id: twin, fields: ["FirstName": "FromTarget"])
            let report = try await engine.run(flow)
            let winner: JSONValue = rule == .sourceWins ? "FromSource" : "FromTarget"
            #expect(world.source.records("Contact")["p0"]?.fields["FirstName"] == winner)
            #expect(world.target.records("Contact")[twin]?.fields["FirstName"] == winner)
            // Source wins: settled in the first pass by writing; otherwise the first pass yields to the target.
            #expect(report.reasons["conflict (the other side wins)"] == (rule == .sourceWins ? nil : 1))
            await world.close()
        }
    }

    @Test("a field owned by one side is never overwritten from the other")
    func owners() async throws {
        let world = try await EngineWorld()
        world.source.seedContacts(1)
        let flow = flow(owners: [FieldOwner(side: .target, field: "FirstName")])
        let engine = world.engine()
        _ = try await engine.run(flow)
        let twin = try #require(try await world.twin(flow, "p0"))
        #expect(world.target.records("Contact")[twin]?.fields["FirstName"] == nil)
        world.source.put("Contact", id: "p0", fields: ["FirstName": "Ignored", "LastName": "Changed"])
        world.target.put("Contact", id: twin, fields: ["FirstName": "Owned"])
        _ = try await engine.run(flow)
        #expect(world.target.records("Contact")[twin]?.fields["LastName"] == "Changed")
        #expect(world.target.records("Contact")[twin]?.fields["FirstName"] == "Owned")
        #expect(world.source.records("Contact")["p0"]?.fields["FirstName"] == "Owned")
        await world.close()
    }

    @Test("a record created on the target side is created on the source side once")
    func createBack() async throws {
        let world = try await EngineWorld()
        let flow = flow()
        let engine = world.engine()
        world.target.put("Contact", id: "t1", fields: ["Email": "t1@example.com", "LastName": "Target"])
        let report = try await engine.run(flow)
        #expect(report.counts.created == 1)
        #expect(world.source.records("Contact").values.filter { $0.fields["Email"] == "t1@example.com" }.count == 1)
        _ = try await engine.run(flow)
        _ = try await engine.run(flow)
        #expect(world.source.records("Contact").count == 1 && world.target.records("Contact").count == 1)
        await world.close()
    }
}
