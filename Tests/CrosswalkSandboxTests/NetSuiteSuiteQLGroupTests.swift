import CrosswalkCore
@testable import CrosswalkSandbox
import Foundation
import Testing

/// SuiteQL conditions in redundant parentheses (`((a = 1))`, `((a = 1) OR b = 2)`): valid Oracle SQL, which a
/// query builder writes when it wraps every part; the emulator read them as expressions and answered "Missing ')'".
@Suite("NetSuite emulator: SuiteQL condition groups")
struct NetSuiteSuiteQLGroupTests {
    let app = NetSuiteApp(environment: WebhookRecordingEnvironment())

    @Test func nestedConditionGroupsParse() async throws {
        let token = try await app.demoBearer()
        _ = await app.rest("POST", "/services/rest/record/v1/customer", json: ["companyName": "Paren Co", "isPerson": false], token: token)
        for q in ["SELECT id FROM customer WHERE ((isperson IS NOT NULL AND isperson = 'F'))",
                  "SELECT id FROM customer WHERE (((companyname = 'Paren Co')) OR id = 0)",
                  "SELECT id FROM customer WHERE ((companyname) = 'Paren Co')"] {
            let reply = await app.rest("POST", "/services/rest/query/v1/suiteql", json: ["q": q], token: token, headers: ["Prefer": "transient"])
            #expect(reply.status == 200, "\(q): \(reply.object)")
            #expect((reply.object["items"] as? [Any])?.count == 1, "\(q)")
        }
    }
}
