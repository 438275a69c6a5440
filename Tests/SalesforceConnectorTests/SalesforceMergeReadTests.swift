import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// Merges: the merged record reads as `change:"merge"` with the master as `merged_into`.
@Suite("Salesforce connector: merges")
struct SalesforceMergeReadTests {
    @Test("after a merge the loser reads as merge into the master, the moved contact and the master as updates, each once")
    func merge() async throws {
        try await SalesforceHarness.with { h in
            let accounts = try await h.bulkCreate("Account", count: 3, secondsAgo: 600)
            let token = try await h.token()
            let contact = try await h.create("Contact", ["LastName": "Follows", "AccountId": accounts[1]], token: token)
            try await h.waitUntilSettled()
            let sf = try await h.connector()
            let accountsRun = try await readAll(sf, ReadRequest(object: "Account"))
            let contactsRun = try await readAll(sf, ReadRequest(object: "Contact"))
            #expect(accountsRun.records.count == 3 && ids(contactsRun.records) == [contact])
            let merged = try await h.control("app/merge", ["object": "Account", "master": accounts[0], "merged": [accounts[1]]])
            #expect(merged["moved"] as? [String] == [contact])
            try await h.waitUntilSettled()
            let changes = try await readAll(sf, ReadRequest(object: "Account", cursor: accountsRun.cursor))
            #expect(Set(ids(changes.records)) == [accounts[0], accounts[1]])
            let loser = try #require(changes.records.first { $0.id == accounts[1] })
            #expect(loser.change == .merge && loser.mergedInto == accounts[0] && loser.deleted)
            #expect(changes.records.first { $0.id == accounts[0] }?.change == .upsert)
            let moved = try await readAll(sf, ReadRequest(object: "Contact", cursor: contactsRun.cursor))
            #expect(ids(moved.records) == [contact])
            #expect(moved.records.first?.links.contains(RecordLink(object: "Account", id: accounts[0], type: "AccountId")) == true)
            // A read by id says the same.
            let byID = try await sf.read(ReadRequest(object: "Account", ids: [accounts[1]]))
            #expect(byID.records.first?.change == .merge && byID.records.first?.mergedInto == accounts[0])
            await sf.close()
        }
    }
}
