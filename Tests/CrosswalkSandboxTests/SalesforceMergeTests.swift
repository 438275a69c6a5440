import CrosswalkCore
@testable import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// The `merge` control: merged records deleted with MasterRecordId, their related records moved to the master.
@Suite("Salesforce merges")
struct SalesforceMergeTests {
    func merge(_ sf: SalesforceClient, _ body: [String: Any]) async -> TestResponse {
        let request = SandboxRequest(method: "POST", path: "/__sandbox/app/merge",
                                     body: try! JSONSerialization.data(withJSONObject: body), baseURL: SalesforceClient.base)
        let response = await sf.app.control("merge", request)!
        return TestResponse(status: response.status, headers: [:], body: response.body)
    }

    @Test("merging an account moves its contacts to the master and leaves it deleted with MasterRecordId, visible through queryAll")
    func mergeAccounts() async throws {
        let sf = await SalesforceClient()
        let master = try #require(await sf.data("POST", "/sobjects/Account/", json: ["Name": "Keep"]).object["id"] as? String)
        let loser = try #require(await sf.data("POST", "/sobjects/Account/", json: ["Name": "Absorbed"]).object["id"] as? String)
        let contact = try #require(await sf.data("POST", "/sobjects/Contact/", json: ["LastName": "Moved", "AccountId": loser]).object["id"] as? String)
        sf.environment.advance(by: 5)
        let answer = await merge(sf, ["object": "Account", "master": master, "merged": [loser]])
        #expect(answer.status == 200 && answer.object["moved"] as? [String] == [contact])
        let gone = await sf.query("SELECT Id, IsDeleted, MasterRecordId FROM Account WHERE Id = '\(loser)'", all: true)
        let row = try #require((gone.object["records"] as? [[String: Any]])?.first)
        #expect(row["IsDeleted"] as? Bool == true && row["MasterRecordId"] as? String == master)
        #expect((await sf.query("SELECT Id FROM Account WHERE Id = '\(loser)'").object["totalSize"] as? Int) == 0)
        let moved = await sf.data("GET", "/sobjects/Contact/\(contact)")
        #expect(moved.object["AccountId"] as? String == master)
        #expect(moved.object["SystemModstamp"] as? String != nil)
        // Bad requests get the control's usage.
        #expect(await merge(sf, ["object": "Task", "master": master, "merged": [loser]]).status == 400)
        #expect(await merge(sf, ["object": "Account", "master": master, "merged": [loser]]).status == 400, "already merged")
    }
}
