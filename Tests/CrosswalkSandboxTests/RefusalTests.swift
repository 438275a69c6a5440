import CrosswalkCore
@testable import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// Requests the front end refuses (a body over the limit, a URL too long) and malformed bodies, each answered in
/// the vendor's own format, over real HTTP.
@Suite("Refusals in each vendor's format (NetSuite, SPOTIO, Aritic)")
struct RefusalTests {
    static func apps(_ webhooks: SandboxWebhookDispatcher) -> [any SandboxApp] {
        [NetSuiteApp(environment: webhooks.environment(for: "netsuite")), SpotioApp(environment: webhooks.environment(for: "spotio")),
         AriticApp(environment: webhooks.environment(for: "aritic"))]
    }

    static let longQuery = "?q=" + String(repeating: "a", count: 9000)

    @Test func bodiesOverTheLimitAndURLsTooLong() async throws {
        try await RunningSandbox.with(Self.apps, configure: { $0.maxBodyBytes = 4096 }) { sandbox in
            let big = String(repeating: "x", count: 8000)
            let netsuite413 = try await TestHTTP.send("POST", sandbox.url("netsuite", "/services/rest/record/v1/customer"), json: ["companyName": big])
            #expect(netsuite413.status == 413)
            #expect(netsuite413.object["title"] as? String == "Content Too Large")
            #expect((netsuite413.object["o:errorDetails"] as? [[String: Any]])?.first?["o:errorCode"] as? String == "INVALID_REQUEST")
            let netsuite414 = try await TestHTTP.send("GET", sandbox.url("netsuite", "/services/rest/record/v1/customer" + Self.longQuery))
            #expect(netsuite414.status == 414)
            #expect(netsuite414.object["title"] as? String == "URI Too Long")

            let spotio413 = try await TestHTTP.send("POST", sandbox.url("spotio", "/api/DataObjects"), json: ["name": big])
            #expect(spotio413.status == 413 && spotio413.body.isEmpty)
            let spotio414 = try await TestHTTP.send("GET", sandbox.url("spotio", "/api/DataObjectsSearch" + Self.longQuery))
            #expect(spotio414.status == 414 && spotio414.body.isEmpty)
            #expect(try await TestHTTP.send("GET", sandbox.url("spotio", "/api/DataObjectsSearch?q=" + String(repeating: "a", count: 7000))).status == 401,
                    "a long URL under Kestrel's limit is served")

            let aritic413 = try await TestHTTP.send("POST", sandbox.url("aritic", "/api/contacts/new"), json: ["firstname": big])
            #expect(aritic413.status == 413)
            #expect(aritic413.text.contains("<title>413 Request Entity Too Large</title>"))
            let aritic414 = try await TestHTTP.send("GET", sandbox.url("aritic", "/api/contacts" + Self.longQuery))
            #expect(aritic414.status == 414)
            #expect(aritic414.text.contains("<h1>Request-URI Too Long</h1>"))
        }
    }

    @Test func malformedJSONBodies() async throws {
        let env = WebhookRecordingEnvironment()
        let aritic = AriticApp(environment: env)
        let basic = "Basic " + Data("\(AriticApp.demoCredentials.username):\(AriticApp.demoCredentials.password)".utf8).base64EncodedString()
        let bad = await aritic.call("POST", "/api/contacts/new", rawBody: Data(#"{"firstname": "Ada""#.utf8),
                                    headers: ["Authorization": basic, "Content-Type": "application/json"])
        #expect(bad.status == 400)
        let error = (bad.object["errors"] as? [[String: Any]])?.first
        #expect(error?["message"] as? String == "Invalid json message received")
        #expect(error?["code"] as? Int == 400)

        let netsuite = NetSuiteApp(environment: env)
        let token = try await netsuite.demoBearer()
        let broken = await netsuite.call("POST", "/services/rest/record/v1/customer", rawBody: Data("{".utf8),
                                         headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"])
        #expect(broken.status == 400)
        #expect((broken.object["o:errorDetails"] as? [[String: Any]])?.first?["o:errorCode"] is String)
        let wrongType = await netsuite.rest("POST", "/services/rest/record/v1/customer", json: ["companyName": "Initech", "creditLimit": "lots"], token: token)
        #expect(wrongType.status == 400)
        #expect((wrongType.object["o:errorDetails"] as? [[String: Any]])?.first?["o:errorPath"] as? String == "creditLimit")
    }
}
