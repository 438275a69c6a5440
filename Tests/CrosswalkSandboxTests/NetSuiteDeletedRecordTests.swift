import CrosswalkCore
@testable import CrosswalkSandbox
import Foundation
import Testing

/// SuiteQL's `DeletedRecord` table: what a connector reads deletions from.
@Suite("NetSuite emulator: the deleted-record feed")
struct NetSuiteDeletedRecordTests {
    let env = WebhookRecordingEnvironment()
    let app: NetSuiteApp
    static let records = "/services/rest/record/v1"

    init() { app = NetSuiteApp(environment: env) }

    private func suiteQL(_ q: String, token: String) async -> JSONReply {
        await app.rest("POST", "/services/rest/query/v1/suiteql", json: ["q": q], token: token, headers: ["Prefer": "transient"])
    }

    @Test func aDeleteThroughRESTLeavesARowWithTypeIdNameAndTime() async throws {
        let token = try await app.demoBearer()
        let created = await app.rest("POST", "\(Self.records)/contact", json: ["firstName": "Ada", "lastName": "Lovelace"], token: token)
        let id = try #require(created.headers["Location"]?.split(separator: "/").last.map(String.init))
        _ = await app.rest("POST", "\(Self.records)/customer", json: ["companyName": "Kept Co"], token: token)
        env.advance(75)
        #expect(await app.rest("DELETE", "\(Self.records)/contact/\(id)", token: token).status == 204)

        let rows = await suiteQL("SELECT recordid, type, name, TO_CHAR(deleteddate, 'YYYY-MM-DD HH24:MI:SS') AS at FROM deletedrecord WHERE type = 'contact' ORDER BY deleteddate, recordid", token: token)
        #expect(rows.status == 200)
        let items = rows.object["items"] as? [[String: Any]] ?? []
        #expect(items.count == 1)
        #expect(items.first?["recordid"] as? String == id)
        #expect(items.first?["type"] as? String == "contact")
        #expect(items.first?["name"] as? String == "Ada Lovelace")
        let expected = env.now()
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        #expect(items.first?["at"] as? String == f.string(from: expected))
        // Keyset conditions over the feed work as over any table; other types are not in it.
        let after = await suiteQL("SELECT recordid FROM deletedrecord WHERE type = 'customer'", token: token)
        #expect((after.object["items"] as? [Any])?.isEmpty == true)
        // The record service does not serve the feed.
        #expect(await app.rest("GET", "\(Self.records)/deletedrecord", token: token).status == 400)
    }

    @Test func aRefusedDeleteLeavesNoRow() async throws {
        let token = try await app.demoBearer()
        let customer = await app.rest("POST", "\(Self.records)/customer", json: ["companyName": "Busy Co"], token: token)
        let id = try #require(customer.headers["Location"]?.split(separator: "/").last.map(String.init))
        _ = await app.rest("POST", "\(Self.records)/invoice", json: ["entity": ["id": id], "item": ["items": [["item": ["id": "10"], "quantity": 1]]]], token: token)
        #expect(await app.rest("DELETE", "\(Self.records)/customer/\(id)", token: token).status == 400)
        let rows = await suiteQL("SELECT COUNT(*) AS n FROM deletedrecord", token: token)
        #expect((rows.object["items"] as? [[String: Any]])?.first?["n"] as? String == "0")
    }
}
