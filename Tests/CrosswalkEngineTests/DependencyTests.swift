import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkStore
import CrosswalkStoreSQLite
import Testing

@Suite("Engine: dependency rules")
struct DependencyTests {
    /// Accounts, then contacts whose AccountId must be synced first.
    func flows() -> (accounts: Flow, contacts: (DependencyAction) -> Flow) {
        let accounts = Flow(name: "accounts", source: FlowSource(connection: "src", object: "Account"),
                            targets: [FlowTarget(name: "account", connection: "dst", object: "Account", mapping: "Name = Name")])
        let contacts = { (action: DependencyAction) in
            Flow(name: "contacts", source: FlowSource(connection: "src", object: "Contact"),
                 targets: [FlowTarget(name: "contact", connection: "dst", object: "Contact",
                                      mapping: "LastName = LastName\nAccountId = lookup(AccountId, \"Account\", \"Account\")")],
                 dependencies: [DependencyRule(field: "AccountId", object: "Account", targetObject: "Account", whenMissing: action)])
        }
        return (accounts, contacts)
    }

    @Test("a contact waits, with the reason, until its account is synced; then it syncs with the account's twin id")
    func waitThenSync() async throws {
        let world = try await EngineWorld(sourceObjects: ["Account", "Contact"], targetObjects: ["Account", "Contact"])
        world.source.put("Account", id: "A1", fields: ["Name": "Acme"])
        world.source.put("Contact", id: "C1", fields: ["LastName": "Lovelace", "AccountId": "A1"])
        world.source.put("Contact", id: "C2", fields: ["LastName": "Solo"])
        let (accounts, contacts) = flows()
        let engine = world.engine()
        let first = try await engine.run(contacts(.wait))
        #expect(first.counts == RunCounts(created: 1, skipped: 1))
        #expect(try await world.reason(first, "C1") == "waits for its Account A1 (AccountId) to be synced to dst first")
        let queued = try #require(try await world.store.failure(flow: "contacts", source: RecordRef(connection: "src", object: "Contact", id: "C1")))
        #expect(queued.failure.errorCode == .dependency)
        #expect(queued.failure.waitingOn == RecordRef(connection: "src", object: "Account", id: "A1"))

        // Still waiting: a run with no change of C1 leaves it queued.
        _ = try await engine.run(contacts(.wait))
        #expect(try await world.store.failureCount(flow: "contacts") == 1)

        _ = try await engine.run(accounts)
        let accountTwin = try #require(try await world.twin(accounts, "A1", in: "Account"))
        // The next contact run retries what waited for A1, without any change to C1.
        let after = try await engine.run(contacts(.wait))
        #expect(after.counts == RunCounts(created: 1))
        let contactTwin = try #require(try await world.twin(contacts(.wait), "C1"))
        #expect(world.target.records("Contact")[contactTwin]?.fields["AccountId"] == .string(accountTwin))
        #expect(try await world.store.failureCount(flow: "contacts") == 0)
        await world.close()
    }

    @Test("when_missing: fail logs a failure with the reason; retry succeeds once the parent is synced")
    func failThenRetry() async throws {
        let world = try await EngineWorld(sourceObjects: ["Account", "Contact"], targetObjects: ["Account", "Contact"])
        world.source.put("Account", id: "A1", fields: ["Name": "Acme"])
        world.source.put("Contact", id: "C1", fields: ["LastName": "Lovelace", "AccountId": "A1"])
        let (accounts, contacts) = flows()
        let engine = world.engine()
        let first = try await engine.run(contacts(.fail))
        #expect(first.counts == RunCounts(failed: 1))
        #expect(first.status == .partial)
        let retryTooSoon = try await engine.retry(contacts(.fail))
        #expect(retryTooSoon.counts == RunCounts(failed: 1))
        _ = try await engine.run(accounts)
        let retry = try await engine.retry(contacts(.fail))
        #expect(retry.counts == RunCounts(created: 1))
        #expect(try await world.store.failureCount(flow: "contacts") == 0)
        await world.close()
    }
}
