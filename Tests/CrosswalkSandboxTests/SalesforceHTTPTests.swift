import CrosswalkCore
@testable import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// Serves only the Salesforce emulator (over plain HTTP) for tests that need real requests on loopback.
private func salesforceOnly(_ webhooks: SandboxWebhookDispatcher) -> [any SandboxApp] {
    [SalesforceApp(environment: webhooks.environment(for: "salesforce"))]
}

/// A session token from the emulator's token endpoint.
private func token(_ sandbox: RunningSandbox) async throws -> String {
    let c = SalesforceApp.demoCredentials
    let form = "grant_type=password&client_id=\(c.clientID)&client_secret=\(c.clientSecret)&username=\(SalesforceApp.formEncode(c.username))&password=\(c.password)"
    let response = try await TestHTTP.send("POST", sandbox.url("salesforce", "/services/oauth2/token"), form: form)
    return try #require(response.object["access_token"] as? String)
}

private func firstError(_ response: TestResponse) -> [String: Any] { response.array.first as? [String: Any] ?? [:] }

@Suite("Salesforce over HTTP: malformed and oversized requests")
struct SalesforceHTTPTests {
    @Test("a URI over 16,384 bytes gets 414, URI and headers over it 431, a body over the limit 413, in Salesforce's error format")
    func uriLimits() async throws {
        try await RunningSandbox.with(salesforceOnly) { sandbox in
            let auth = ["Authorization": "Bearer \(try await token(sandbox))"]
            let ids = (0..<1000).map { _ in "'003Hs000000000AIAQ'" }.joined(separator: ",")
            let soql = "SELECT Id FROM Contact WHERE Id IN (\(ids))".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let long = try await TestHTTP.send("GET", sandbox.url("salesforce", "/services/data/v60.0/query?q=\(soql)"), headers: auth)
            #expect(long.status == 414)
            #expect(firstError(long)["errorCode"] as? String == "URI_TOO_LONG")
            #expect(firstError(long)["message"] as? String == "The length of the URI exceeds the 16,384 byte limit")

            let shorter = "SELECT Id FROM Contact WHERE Id IN (\((0..<300).map { _ in "'003Hs000000000AIAQ'" }.joined(separator: ",")))"
                .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            var heavy = auth
            heavy["X-Padding"] = String(repeating: "p", count: 8000)
            let headers = try await TestHTTP.send("GET", sandbox.url("salesforce", "/services/data/v60.0/query?q=\(shorter)"), headers: heavy)
            #expect(headers.status == 431)
            #expect(firstError(headers)["errorCode"] as? String == "REQUEST_HEADER_FIELDS_TOO_LARGE")
            // The same query without the padding goes through.
            let fine = try await TestHTTP.send("GET", sandbox.url("salesforce", "/services/data/v60.0/query?q=\(shorter)"), headers: auth)
            #expect(fine.status == 200)
        }
        try await RunningSandbox.with(salesforceOnly, configure: { $0.maxBodyBytes = 4096 }) { sandbox in
            let auth = ["Authorization": "Bearer \(try await token(sandbox))"]
            let big = try await TestHTTP.send("POST", sandbox.url("salesforce", "/services/data/v60.0/sobjects/Account"),
                                              json: ["Name": String(repeating: "x", count: 8000)], headers: auth)
            #expect(big.status == 413)
            #expect(firstError(big)["errorCode"] as? String == "EXCEEDED_MAX_SIZE_REQUEST")
        }
    }

    @Test("a body that is not JSON gets JSON_PARSER_ERROR with the parser's place, as Salesforce's parser reports it")
    func badJSON() async throws {
        try await RunningSandbox.with(salesforceOnly) { sandbox in
            var headers = ["Authorization": "Bearer \(try await token(sandbox))"]
            headers["Content-Type"] = "application/json"
            let url = sandbox.url("salesforce", "/services/data/v60.0/sobjects/Account")
            let cases: [(String, String)] = [
                ("{\"Name\": \"x\",}", "Unexpected character ('}' (code 125)): was expecting double-quote to start field name at [line:1, column:14]"),
                ("{\"Name\": tru}", "Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at [line:1, column:13]"),
                ("{\"Name\" \"x\"}", "Unexpected character ('\"' (code 34)): was expecting a colon to separate field name and value at [line:1, column:9]"),
                ("{\n  \"Name\": \"x\"\n  \"Phone\": \"1\"\n}", "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries at [line:3, column:3]"),
                ("{\"Name\": \"x\"", "Unexpected end-of-input: expected close marker for OBJECT (start marker at [line:1, column:1])"),
            ]
            for (body, message) in cases {
                let response = try await TestHTTP.send("POST", url, form: body, headers: headers)
                #expect(response.status == 400)
                #expect(firstError(response)["errorCode"] as? String == "JSON_PARSER_ERROR")
                #expect(firstError(response)["message"] as? String == message)
            }
            let empty = try await TestHTTP.send("POST", url, form: "", headers: headers)
            #expect(firstError(empty)["message"] as? String == "No content to map to Object due to end of input")
        }
    }

    @Test("malformed SOQL gets MALFORMED_QUERY in Salesforce's ERROR at Row:Column style")
    func malformedSOQL() async throws {
        try await RunningSandbox.with(salesforceOnly) { sandbox in
            let auth = ["Authorization": "Bearer \(try await token(sandbox))"]
            func query(_ soql: String) async throws -> [String: Any] {
                let q = soql.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                return firstError(try await TestHTTP.send("GET", sandbox.url("salesforce", "/services/data/v60.0/query?q=\(q)"), headers: auth))
            }
            let wrongWord = try await query("SELECT Id FROM Contact WHER Id = '1'")
            #expect(wrongWord["errorCode"] as? String == "MALFORMED_QUERY")
            #expect(wrongWord["message"] as? String == "\nSELECT Id FROM Contact WHER Id = '1'\n\(String(repeating: " ", count: 23))^\nERROR at Row:1:Column:24\nunexpected token: 'WHER'")
            let end = try await query("SELECT Id FROM Contact WHERE")
            #expect(end["message"] as? String == "\nSELECT Id FROM Contact WHERE\n\(String(repeating: " ", count: 28))^\nERROR at Row:1:Column:29\nunexpected token: <EOF>")
            let column = try await query("SELECT Id, Nope FROM Contact")
            #expect(column["errorCode"] as? String == "INVALID_FIELD")
            #expect((column["message"] as? String)?.hasPrefix("\nSELECT Id, Nope FROM Contact\n\(String(repeating: " ", count: 11))^\nERROR at Row:1:Column:12\nNo such column 'Nope' on entity 'Contact'.") == true)
            let type = try await query("SELECT Id FROM Widget")
            #expect(type["errorCode"] as? String == "INVALID_TYPE")
            #expect((type["message"] as? String)?.contains("ERROR at Row:1:Column:16\nsObject type 'Widget' is not supported.") == true)
        }
    }
}
