import _CryptoExtras
import CrosswalkCore
@testable import CrosswalkSandbox
import Crypto
import CrosswalkTestKit
import Foundation
import Testing

/// Calls into a `SalesforceApp` directly, as the server would.
struct SalesforceClient {
    let app: SalesforceApp
    let environment: TestEnvironment
    var token = ""
    static let base = "https://sf.sandbox.test"

    init(seed: Int = 0, now: Date = Date()) async {
        environment = TestEnvironment(now: now)
        app = SalesforceApp(environment: environment)
        if seed > 0 { await app.seed(SandboxSeed(count: seed, randomSeed: 7)) }
        token = await login()
    }

    /// A fresh access token from the password grant.
    func login() async -> String {
        let c = SalesforceApp.demoCredentials
        let response = await form("/services/oauth2/token", [
            ("grant_type", "password"), ("client_id", c.clientID), ("client_secret", c.clientSecret),
            ("username", c.username), ("password", c.password),
        ])
        return response.object["access_token"] as? String ?? ""
    }

    func form(_ path: String, _ fields: [(String, String)], headers: HTTPFields = [:]) async -> TestResponse {
        let body = fields.map { "\($0.0)=\(SalesforceApp.formEncode($0.1))" }.joined(separator: "&")
        return await raw("POST", path, body: Data(body.utf8), headers: headers)
    }

    /// A REST call with the session's bearer token; `path` may carry a query string.
    func call(_ method: String, _ path: String, json: Any? = nil, headers: HTTPFields = [:]) async -> TestResponse {
        var h = headers
        if h["Authorization"] == nil { h["Authorization"] = "Bearer \(token)" }
        let body = json.map { try! JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed]) } ?? Data()
        return await raw(method, path, body: body, headers: h)
    }

    /// `/services/data/v60.0` + `path`.
    func data(_ method: String, _ path: String, json: Any? = nil, headers: HTTPFields = [:]) async -> TestResponse {
        await call(method, "/services/data/v60.0" + path, json: json, headers: headers)
    }

    func query(_ soql: String, all: Bool = false) async -> TestResponse {
        let encoded = soql.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? soql
        return await data("GET", "/\(all ? "queryAll" : "query")?q=\(encoded)")
    }

    func raw(_ method: String, _ pathAndQuery: String, body: Data = Data(), headers: HTTPFields = [:]) async -> TestResponse {
        let parts = pathAndQuery.split(separator: "?", maxSplits: 1).map(String.init)
        let rawQuery = parts.count > 1 ? parts[1] : ""
        let request = SandboxRequest(method: method, path: parts[0].removingPercentEncoding ?? parts[0],
                                     query: SandboxRequest.parseForm(rawQuery), rawQuery: rawQuery,
                                     headers: headers, body: body, baseURL: Self.base)
        let response = await app.handle(request)
        var fields: [String: String] = [:]
        for field in response.headers { fields[field.name.lowercased()] = field.value }
        return TestResponse(status: response.status, headers: fields, body: response.body)
    }
}

@Suite("Salesforce ids")
struct SalesforceIDTests {
    @Test("15 → 18 checksums match published vectors")
    func checksums() {
        #expect(SalesforceID.to18("a0RE000000IJmcN") == "a0RE000000IJmcNMAT")
        #expect(SalesforceID.to18("001M000000qfPyS") == "001M000000qfPySIAU")
        #expect(SalesforceID.to18("a0D30000001n7Pi") == "a0D30000001n7PiEAI")
        #expect(SalesforceID.to18("aaaaaaaaaaaaaaa") == "aaaaaaaaaaaaaaaAAA")
        #expect(SalesforceID.to18("AbCdEfGhIjKlMnO") == "AbCdEfGhIjKlMnOVKV")
    }

    @Test("15-character and any-case 18-character ids normalize; junk does not")
    func normalize() {
        #expect(SalesforceID.normalize("001M000000qfPyS") == "001M000000qfPySIAU")
        #expect(SalesforceID.normalize("001m000000QFpYsiau") == "001M000000qfPySIAU")
        #expect(SalesforceID.normalize("001M000000qfPySZAU") == nil) // the suffix marks digits as upper case
        #expect(SalesforceID.normalize("001M000000qfPySIAA") == "001M000000qfpysIAA") // another id: the suffix decides the case
        #expect(SalesforceID.normalize("not-an-id") == nil)
        let made = SalesforceID.make(prefix: "003", sequence: 12345)
        #expect(made.count == 18 && made.hasPrefix("003") && SalesforceID.normalize(made) == made)
    }
}

@Suite("Salesforce OAuth")
struct SalesforceOAuthTests {
    let credentials = SalesforceApp.demoCredentials

    @Test("password grant returns Salesforce's token body with a verifiable signature")
    func passwordGrant() async throws {
        let sf = await SalesforceClient()
        let response = await sf.form("/services/oauth2/token", [
            ("grant_type", "password"), ("client_id", credentials.clientID), ("client_secret", credentials.clientSecret),
            ("username", credentials.username), ("password", credentials.password + credentials.securityToken),
        ])
        #expect(response.status == 200)
        let body = response.object
        #expect(body["instance_url"] as? String == SalesforceClient.base)
        #expect(body["token_type"] as? String == "Bearer")
        #expect(body["refresh_token"] == nil)
        let id = try #require(body["id"] as? String), issuedAt = try #require(body["issued_at"] as? String)
        #expect(Int64(issuedAt) != nil && issuedAt.count == 13)
        let mac = HMAC<SHA256>.authenticationCode(for: Data((id + issuedAt).utf8), using: SymmetricKey(data: Data(credentials.clientSecret.utf8)))
        #expect(body["signature"] as? String == Data(mac).base64EncodedString())
    }

    @Test("wrong password, client id and grant type get Salesforce's OAuth errors")
    func grantErrors() async {
        let sf = await SalesforceClient()
        let badPassword = await sf.form("/services/oauth2/token", [
            ("grant_type", "password"), ("client_id", credentials.clientID), ("client_secret", credentials.clientSecret),
            ("username", credentials.username), ("password", "nope"),
        ])
        #expect(badPassword.status == 400)
        #expect(badPassword.object["error"] as? String == "invalid_grant")
        #expect(badPassword.object["error_description"] as? String == "authentication failure")
        let badClient = await sf.form("/services/oauth2/token", [("grant_type", "password"), ("client_id", "x"), ("client_secret", "y")])
        #expect(badClient.object["error"] as? String == "invalid_client_id")
        let badGrant = await sf.form("/services/oauth2/token", [("grant_type", "magic")])
        #expect(badGrant.object["error"] as? String == "unsupported_grant_type")
    }

    @Test("client credentials with HTTP Basic")
    func clientCredentials() async {
        let sf = await SalesforceClient()
        let basic = Data("\(credentials.clientID):\(credentials.clientSecret)".utf8).base64EncodedString()
        let ok = await sf.form("/services/oauth2/token", [("grant_type", "client_credentials")], headers: ["Authorization": "Basic \(basic)"])
        #expect(ok.status == 200 && ok.object["access_token"] is String)
        let wrong = Data("\(credentials.clientID):wrong".utf8).base64EncodedString()
        let refused = await sf.form("/services/oauth2/token", [("grant_type", "client_credentials")], headers: ["Authorization": "Basic \(wrong)"])
        #expect(refused.status == 400 && refused.object["error"] as? String == "invalid_client")
    }

    @Test("authorization code with PKCE, refresh, and revocation")
    func authorizationCodeFlow() async throws {
        let sf = await SalesforceClient()
        let verifier = "a-very-long-code-verifier-with-enough-entropy-0123456789"
        let challenge = SalesforceApp.pkce(verifier, method: "S256")
        let redirect = "http://localhost:8765/callback"
        let authorize = await sf.raw("GET", "/services/oauth2/authorize?response_type=code&client_id=\(credentials.clientID)&redirect_uri=\(SalesforceApp.formEncode(redirect))&state=xyz&code_challenge=\(challenge)&code_challenge_method=S256")
        #expect(authorize.status == 302)
        let location = try #require(authorize.headers["location"].flatMap(URLComponents.init(string:)))
        #expect(location.path == "/callback")
        #expect(location.queryItems?.first { $0.name == "state" }?.value == "xyz")
        let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)

        let exchange: ([(String, String)]) async -> TestResponse = { extra in
            await sf.form("/services/oauth2/token", [("grant_type", "authorization_code"), ("code", code), ("client_id", self.credentials.clientID),
                                                     ("redirect_uri", redirect)] + extra)
        }
        let wrongVerifier = await exchange([("code_verifier", "wrong")])
        #expect(wrongVerifier.object["error"] as? String == "invalid_grant")
        // A code is single-use: the failed attempt consumed it, so authorize again.
        let again = await sf.raw("GET", "/services/oauth2/authorize?response_type=code&client_id=\(credentials.clientID)&redirect_uri=\(SalesforceApp.formEncode(redirect))&code_challenge=\(challenge)&code_challenge_method=S256")
        let code2 = try #require(URLComponents(string: again.headers["location"] ?? "")?.queryItems?.first { $0.name == "code" }?.value)
        let tokens = await sf.form("/services/oauth2/token", [("grant_type", "authorization_code"), ("code", code2), ("client_id", credentials.clientID),
                                                            ("redirect_uri", redirect), ("code_verifier", verifier)])
        #expect(tokens.status == 200)
        let refresh = try #require(tokens.object["refresh_token"] as? String)
        let reused = await sf.form("/services/oauth2/token", [("grant_type", "authorization_code"), ("code", code2), ("client_id", credentials.clientID),
                                                            ("redirect_uri", redirect), ("code_verifier", verifier)])
        #expect(reused.object["error"] as? String == "invalid_grant")

        let refreshed = await sf.form("/services/oauth2/token", [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", credentials.clientID)])
        #expect(refreshed.status == 200 && refreshed.object["refresh_token"] == nil)
        let access = try #require(refreshed.object["access_token"] as? String)
        var client = sf
        client.token = access
        #expect(await client.data("GET", "/limits").status == 200)

        #expect(await sf.form("/services/oauth2/revoke", [("token", refresh)]).status == 200)
        #expect(await client.data("GET", "/limits").status == 401)
        let afterRevoke = await sf.form("/services/oauth2/token", [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", credentials.clientID)])
        #expect(afterRevoke.object["error_description"] as? String == "expired access/refresh token")
    }

    private func jwt(_ claims: [String: Any], key: String = SalesforceCredentials.demoJWTPrivateKeyPEM) throws -> String {
        func b64(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let header = b64(try JSONSerialization.data(withJSONObject: ["alg": "RS256"]))
        let payload = b64(try JSONSerialization.data(withJSONObject: claims))
        let signer = try _RSA.Signing.PrivateKey(pemRepresentation: key)
        let signature = try signer.signature(for: Data("\(header).\(payload)".utf8), padding: .insecurePKCS1v1_5)
        return "\(header).\(payload).\(b64(signature.rawRepresentation))"
    }

    @Test("JWT bearer: the demo key is accepted; a forged signature and a wrong audience are refused")
    func jwtBearer() async throws {
        let sf = await SalesforceClient()
        let exp = String(Int(sf.environment.now().timeIntervalSince1970) + 180)
        let claims: [String: Any] = ["iss": credentials.clientID, "sub": credentials.username, "aud": "https://login.salesforce.com", "exp": exp]
        let grant = "urn:ietf:params:oauth:grant-type:jwt-bearer"
        let ok = await sf.form("/services/oauth2/token", [("grant_type", grant), ("assertion", try jwt(claims))])
        #expect(ok.status == 200 && ok.object["access_token"] is String && ok.object["refresh_token"] == nil)

        let otherKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let forged = await sf.form("/services/oauth2/token", [("grant_type", grant), ("assertion", try jwt(claims, key: otherKey.pemRepresentation))])
        #expect(forged.status == 400 && forged.object["error_description"] as? String == "invalid assertion")

        var wrongAudience = claims
        wrongAudience["aud"] = "https://evil.example"
        let refused = await sf.form("/services/oauth2/token", [("grant_type", grant), ("assertion", try jwt(wrongAudience))])
        #expect(refused.object["error_description"] as? String == "Audience validation failed")
    }

    @Test("a missing, expired or revoked session gets 401 INVALID_SESSION_ID as a JSON array")
    func invalidSession() async {
        let sf = await SalesforceClient()
        #expect(await sf.data("GET", "/limits").status == 200)
        let anonymous = await sf.data("GET", "/limits", headers: ["Authorization": "Bearer nope"])
        #expect(anonymous.status == 401 && anonymous.errorCode == "INVALID_SESSION_ID")
        sf.environment.advance(by: SalesforceSessions.sessionLifetime + 1)
        #expect(await sf.data("GET", "/limits").errorCode == "INVALID_SESSION_ID")
        var fresh = sf
        fresh.token = await sf.login()
        #expect(await fresh.data("GET", "/limits").status == 200)
        await sf.app.expireAccessTokens()
        #expect(await fresh.data("GET", "/limits").status == 401)
    }
}

@Suite("Salesforce records")
struct SalesforceRecordTests {
    @Test("create 201, read with attributes, update 204, delete 204, then 404s")
    func crud() async throws {
        let sf = await SalesforceClient()
        let created = await sf.data("POST", "/sobjects/Contact/", json: ["FirstName": "Ada", "LastName": "Lovelace", "Email": "ada@example.com"])
        #expect(created.status == 201)
        #expect(created.object["success"] as? Bool == true && (created.object["errors"] as? [Any])?.isEmpty == true)
        let id = try #require(created.object["id"] as? String)
        #expect(id.count == 18 && id.hasPrefix("003"))

        let read = await sf.data("GET", "/sobjects/Contact/\(id)")
        #expect(read.status == 200)
        let attributes = read.object["attributes"] as? [String: Any]
        #expect(attributes?["type"] as? String == "Contact")
        #expect(attributes?["url"] as? String == "/services/data/v60.0/sobjects/Contact/\(id)")
        #expect(read.object["Name"] as? String == "Ada Lovelace")
        #expect(read.object["OwnerId"] as? String == SalesforceApp.apiUserID)
        #expect(read.object["Phone"] is NSNull)

        let some = await sf.data("GET", "/sobjects/Contact/\(String(id.prefix(15)))?fields=Email,LastName")
        #expect(some.status == 200 && some.object.count == 3 && some.object["Email"] as? String == "ada@example.com")

        let updated = await sf.data("PATCH", "/sobjects/Contact/\(id)", json: ["Title": "Analyst"])
        #expect(updated.status == 204 && updated.body.isEmpty)
        #expect(await sf.data("GET", "/sobjects/Contact/\(id)").object["Title"] as? String == "Analyst")

        #expect(await sf.data("DELETE", "/sobjects/Contact/\(id)").status == 204)
        #expect(await sf.data("GET", "/sobjects/Contact/\(id)").status == 404)
        let again = await sf.data("DELETE", "/sobjects/Contact/\(id)")
        #expect(again.status == 404 && again.errorCode == "ENTITY_IS_DELETED")
        #expect(await sf.data("GET", "/sobjects/Contact/003Hs000009999AAA").status == 404)
        #expect(await sf.data("GET", "/sobjects/Widget/\(id)").errorCode == "NOT_FOUND")
    }

    @Test("validation errors carry Salesforce's codes and field lists")
    func validation() async {
        let sf = await SalesforceClient()
        let missing = await sf.data("POST", "/sobjects/Contact", json: ["FirstName": "No"])
        #expect(missing.status == 400 && missing.errorCode == "REQUIRED_FIELD_MISSING")
        #expect(((missing.array.first as? [String: Any])?["fields"] as? [String]) == ["LastName"])
        #expect(await sf.data("POST", "/sobjects/Contact", json: ["LastName": "X", "Bogus__c": 1]).errorCode == "INVALID_FIELD")
        #expect(await sf.data("POST", "/sobjects/Contact", json: ["LastName": "X", "Email": "not-an-email"]).errorCode == "INVALID_EMAIL_ADDRESS")
        #expect(await sf.data("POST", "/sobjects/Contact", json: ["LastName": "X", "CreatedDate": "2024-01-01T00:00:00Z"]).errorCode == "INVALID_FIELD_FOR_INSERT_UPDATE")
        #expect(await sf.data("POST", "/sobjects/Contact", json: ["LastName": String(repeating: "x", count: 81)]).errorCode == "STRING_TOO_LONG")
        #expect(await sf.data("POST", "/sobjects/Contact", json: ["LastName": "X", "AccountId": "nope"]).errorCode == "MALFORMED_ID")
        let badJSON = await sf.raw("POST", "/services/data/v60.0/sobjects/Contact", body: Data("{oops".utf8), headers: ["Authorization": "Bearer \(sf.token)"])
        #expect(badJSON.status == 400 && badJSON.errorCode == "JSON_PARSER_ERROR")
        #expect(await sf.data("PUT", "/sobjects/Contact/003Hs000000000cIAA").status == 405)
    }

    @Test("upsert by external id: 201 created, 200 updated (204 before v46), updateOnly, body key refused")
    func upsert() async throws {
        let sf = await SalesforceClient()
        let first = await sf.data("PATCH", "/sobjects/Account/NetSuite_Id__c/NS-1", json: ["Name": "Globex"])
        #expect(first.status == 201 && first.object["created"] as? Bool == true)
        let id = try #require(first.object["id"] as? String)
        let second = await sf.data("PATCH", "/sobjects/Account/NetSuite_Id__c/NS-1", json: ["Name": "Globex Corp"])
        #expect(second.status == 200 && second.object["created"] as? Bool == false && second.object["id"] as? String == id)
        let old = await sf.call("PATCH", "/services/data/v45.0/sobjects/Account/NetSuite_Id__c/NS-1", json: ["Phone": "1"])
        #expect(old.status == 204)
        let byExt = await sf.data("GET", "/sobjects/Account/NetSuite_Id__c/ns-1")
        #expect(byExt.object["Name"] as? String == "Globex Corp" && byExt.object["Phone"] as? String == "1")
        #expect(await sf.data("PATCH", "/sobjects/Account/NetSuite_Id__c/NS-2?updateOnly=true", json: ["Name": "X"]).status == 404)
        #expect(await sf.data("PATCH", "/sobjects/Account/NetSuite_Id__c/NS-3", json: ["Name": "X", "NetSuite_Id__c": "NS-3"]).status == 400)
        #expect(await sf.data("GET", "/sobjects/Account/Nope__c/1").errorCode == "NOT_FOUND")
        let duplicate = await sf.data("POST", "/sobjects/Account", json: ["Name": "Dup", "NetSuite_Id__c": "NS-1"])
        #expect(duplicate.errorCode == "DUPLICATE_VALUE")
    }

    @Test("an id-lookup value held by several records answers 300 with their URLs")
    func multipleChoices() async {
        let sf = await SalesforceClient()
        for name in ["One", "Two"] { _ = await sf.data("POST", "/sobjects/Contact", json: ["LastName": name, "Email": "shared@example.com"]) }
        let found = await sf.data("GET", "/sobjects/Contact/Email/shared@example.com")
        #expect(found.status == 300 && found.array.count == 2)
        #expect((found.array.first as? String)?.hasPrefix("/services/data/v60.0/sobjects/Contact/003") == true)
    }

    @Test("updated/ and deleted/ list changes inside the window")
    func replication() async throws {
        let sf = await SalesforceClient()
        let start = SalesforceDates.dateTime(sf.environment.now().addingTimeInterval(-60))
        let id = try #require(await sf.data("POST", "/sobjects/Lead", json: ["LastName": "L", "Company": "C"]).object["id"] as? String)
        let gone = try #require(await sf.data("POST", "/sobjects/Lead", json: ["LastName": "M", "Company": "C"]).object["id"] as? String)
        _ = await sf.data("DELETE", "/sobjects/Lead/\(gone)")
        sf.environment.advance(by: 120)
        let end = SalesforceDates.dateTime(sf.environment.now())
        let window = "start=\(SalesforceApp.formEncode(start))&end=\(SalesforceApp.formEncode(end))"
        let updated = await sf.data("GET", "/sobjects/Lead/updated/?\(window)")
        #expect(updated.status == 200 && updated.object["ids"] as? [String] == [id])
        let deleted = await sf.data("GET", "/sobjects/Lead/deleted/?\(window)")
        #expect((deleted.object["deletedRecords"] as? [[String: Any]])?.map { $0["id"] as? String } == [gone])
        let tooOld = SalesforceDates.dateTime(sf.environment.now().addingTimeInterval(-40 * 86_400))
        #expect(await sf.data("GET", "/sobjects/Lead/updated/?start=\(SalesforceApp.formEncode(tooOld))&end=\(SalesforceApp.formEncode(end))").errorCode == "INVALID_REPLICATION_DATE")
    }

    @Test("describe: global list, object fields, 304 when unchanged")
    func describe() async throws {
        let sf = await SalesforceClient()
        let global = await sf.data("GET", "/sobjects/")
        let objects = try #require(global.object["sobjects"] as? [[String: Any]])
        #expect(objects.contains { $0["name"] as? String == "Account" && $0["keyPrefix"] as? String == "001" })
        #expect(global.object["maxBatchSize"] as? Int == 200)
        let contact = await sf.data("GET", "/sobjects/Contact/describe/")
        let fields = try #require(contact.object["fields"] as? [[String: Any]])
        let lastName = try #require(fields.first { $0["name"] as? String == "LastName" })
        #expect(lastName["nillable"] as? Bool == false && lastName["type"] as? String == "string" && lastName["length"] as? Int == 80)
        let netsuite = try #require(fields.first { $0["name"] as? String == "NetSuite_Id__c" })
        #expect(netsuite["externalId"] as? Bool == true && netsuite["custom"] as? Bool == true)
        let account = try #require(fields.first { $0["name"] as? String == "AccountId" })
        #expect(account["referenceTo"] as? [String] == ["Account"] && account["relationshipName"] as? String == "Account")
        let cached = await sf.data("GET", "/sobjects/Contact/describe", headers: ["If-Modified-Since": "Mon, 01 Jul 2024 00:00:00 GMT"])
        #expect(cached.status == 304)
    }

    @Test("every call reports Sforce-Limit-Info and limits/ counts it")
    func limits() async throws {
        let sf = await SalesforceClient()
        _ = await sf.data("GET", "/sobjects/")
        let response = await sf.data("GET", "/limits/")
        #expect(response.headers["sforce-limit-info"] == "api-usage=2/15000")
        let daily = try #require(response.object["DailyApiRequests"] as? [String: Int])
        #expect(daily["Max"] == 15000 && daily["Remaining"] == 14998)
    }

    @Test("injected faults answer as Salesforce does")
    func faults() async {
        let sf = await SalesforceClient()
        let limited = sf.app.faultResponse(.rateLimited(retryAfterSeconds: 3))
        #expect(limited.status == 403)
        let body = try? JSONSerialization.jsonObject(with: limited.body) as? [[String: Any]]
        #expect(body?.first?["errorCode"] as? String == "REQUEST_LIMIT_EXCEEDED")
        #expect(sf.app.faultResponse(.serverError).status == 503)
    }
}

@Suite("Salesforce SOQL")
struct SalesforceQueryTests {
    @Test("query pages through nextRecordsUrl in batches of 2,000 (or the batchSize hint)")
    func paging() async throws {
        let sf = await SalesforceClient(seed: 800)
        let first = await sf.query("SELECT Id, LastName FROM Contact")
        let total = try #require(first.object["totalSize"] as? Int)
        #expect(total > 2000)
        #expect((first.object["records"] as? [Any])?.count == 2000 && first.object["done"] as? Bool == false)
        let next = try #require(first.object["nextRecordsUrl"] as? String)
        #expect(next.hasPrefix("/services/data/v60.0/query/0r8") && next.hasSuffix("-2000"))
        let second = await sf.call("GET", next)
        #expect((second.object["records"] as? [Any])?.count == total - 2000 && second.object["done"] as? Bool == true)
        let ids = ((first.object["records"] as? [[String: Any]]) ?? []) + ((second.object["records"] as? [[String: Any]]) ?? [])
        #expect(Set(ids.compactMap { $0["Id"] as? String }).count == total)

        let small = await sf.data("GET", "/query?q=SELECT+Id+FROM+Contact", headers: ["Sforce-Query-Options": "batchSize=500"])
        #expect((small.object["records"] as? [Any])?.count == 500)
        #expect(await sf.call("GET", "/services/data/v60.0/query/0r8Hs000000000zAAA-2000").errorCode == "INVALID_QUERY_LOCATOR")
    }

    @Test("WHERE, ORDER BY, LIMIT, OFFSET, parent fields, COUNT()")
    func filters() async throws {
        let sf = await SalesforceClient()
        for (last, email, amount) in [("Able", "a@x.com", 10.0), ("Baker", nil, 20.0), ("Charlie", "c@y.org", 30.0)] as [(String, String?, Double)] {
            var body: [String: Any] = ["Name": "Acct \(last)", "AnnualRevenue": amount]
            if email != nil { body["Website"] = "https://\(last.lowercased()).example" }
            let account = await sf.data("POST", "/sobjects/Account", json: body).object["id"] as? String
            var contact: [String: Any] = ["LastName": last, "AccountId": account ?? ""]
            if let email { contact["Email"] = email }
            _ = await sf.data("POST", "/sobjects/Contact", json: contact)
        }
        func names(_ soql: String) async -> [String] {
            ((await sf.query(soql)).object["records"] as? [[String: Any]] ?? []).compactMap { $0["LastName"] as? String }
        }
        #expect(await names("SELECT LastName FROM Contact WHERE Email != null ORDER BY LastName DESC") == ["Charlie", "Able"])
        #expect(await names("SELECT LastName FROM Contact WHERE Email = null") == ["Baker"])
        #expect(await names("SELECT LastName FROM Contact WHERE lastname LIKE 'b%' OR Email LIKE '%.org'") == ["Baker", "Charlie"])
        #expect(await names("SELECT LastName FROM Contact WHERE LastName IN ('able', 'Charlie') AND NOT (Email = 'c@y.org')") == ["Able"])
        #expect(await names("SELECT LastName FROM Contact WHERE Account.AnnualRevenue >= 20 ORDER BY Account.Name LIMIT 1 OFFSET 1") == ["Charlie"])
        #expect(await names("SELECT LastName FROM Contact WHERE CreatedDate = TODAY AND CreatedDate > 2020-01-01T00:00:00Z ORDER BY LastName LIMIT 1") == ["Able"])
        let nested = await sf.query("SELECT Id, Account.Name FROM Contact WHERE LastName = 'Able'")
        let row = (nested.object["records"] as? [[String: Any]])?.first
        #expect((row?["Account"] as? [String: Any])?["Name"] as? String == "Acct Able")
        let count = await sf.query("SELECT COUNT() FROM Contact WHERE Email != null")
        #expect(count.object["totalSize"] as? Int == 2 && (count.object["records"] as? [Any])?.isEmpty == true)
    }

    @Test("bad SOQL gets MALFORMED_QUERY, INVALID_FIELD or INVALID_TYPE")
    func errors() async {
        let sf = await SalesforceClient()
        #expect(await sf.query("SELECT FROM Contact").errorCode == "MALFORMED_QUERY")
        #expect(await sf.query("SELECT Id FROM Contact WHERE").errorCode == "MALFORMED_QUERY")
        #expect(await sf.query("SELECT Nope FROM Contact").errorCode == "INVALID_FIELD")
        #expect(await sf.query("SELECT Id FROM Widget").errorCode == "INVALID_TYPE")
        #expect(await sf.query("SELECT Id FROM Contact WHERE CreatedDate > 2024-01-01").errorCode == "INVALID_FIELD")
        #expect(await sf.query("SELECT Id FROM Contact WHERE LastName = 5").errorCode == "INVALID_FIELD")
        #expect(await sf.query("SELECT FIELDS(ALL) FROM Contact").errorCode == "MALFORMED_QUERY")
        #expect(await sf.data("GET", "/query").errorCode == "MALFORMED_QUERY")
    }

    @Test("queryAll includes deleted rows; query does not")
    func queryAll() async throws {
        let sf = await SalesforceClient()
        let id = try #require(await sf.data("POST", "/sobjects/Task", json: ["Subject": "Call"]).object["id"] as? String)
        _ = await sf.data("DELETE", "/sobjects/Task/\(id)")
        #expect(await sf.query("SELECT Id FROM Task").object["totalSize"] as? Int == 0)
        let all = await sf.query("SELECT Id, IsDeleted FROM Task", all: true)
        #expect((all.object["records"] as? [[String: Any]])?.first?["IsDeleted"] as? Bool == true)
    }

    @Test("LIKE wildcards")
    func like() {
        #expect(SOQLLike.matches("Acme Corp", pattern: "acme%"))
        #expect(SOQLLike.matches("Acme Corp", pattern: "%CORP"))
        #expect(SOQLLike.matches("abc", pattern: "a_c"))
        #expect(!SOQLLike.matches("abcd", pattern: "a_c"))
        #expect(SOQLLike.matches("50%", pattern: "50\\%"))
        #expect(!SOQLLike.matches("500", pattern: "50\\%"))
    }
}

@Suite("Salesforce collections")
struct SalesforceCollectionTests {
    @Test("create many with per-record results; allOrNone rolls back")
    func create() async {
        let sf = await SalesforceClient()
        let records: [[String: Any]] = [
            ["attributes": ["type": "Contact"], "LastName": "One"],
            ["attributes": ["type": "Contact"], "FirstName": "NoLast"],
            ["attributes": ["type": "Account"], "Name": "Acme"],
        ]
        let mixed = await sf.data("POST", "/composite/sobjects", json: ["allOrNone": false, "records": records])
        #expect(mixed.status == 200)
        let results = mixed.array as? [[String: Any]] ?? []
        #expect(results.map { $0["success"] as? Bool } == [true, false, true])
        #expect(((results[1]["errors"] as? [[String: Any]])?.first?["statusCode"] as? String) == "REQUIRED_FIELD_MISSING")
        #expect(await sf.query("SELECT COUNT() FROM Contact").object["totalSize"] as? Int == 1)

        let atomic = await sf.data("POST", "/composite/sobjects", json: ["allOrNone": true, "records": records])
        let atomicResults = atomic.array as? [[String: Any]] ?? []
        #expect(((atomicResults[0]["errors"] as? [[String: Any]])?.first?["statusCode"] as? String) == "ALL_OR_NONE_OPERATION_ROLLED_BACK")
        #expect(await sf.query("SELECT COUNT() FROM Contact").object["totalSize"] as? Int == 1)

        let tooMany = await sf.data("POST", "/composite/sobjects", json: ["records": Array(repeating: records[0], count: 201)])
        #expect(tooMany.status == 400 && tooMany.errorCode == "EXCEEDED_ID_LIMIT")
    }

    @Test("update, upsert by external id, retrieve and delete many")
    func updateUpsertDelete() async throws {
        let sf = await SalesforceClient()
        let upsert = await sf.data("PATCH", "/composite/sobjects/Contact/NetSuite_Id__c", json: ["records": [
            ["attributes": ["type": "Contact"], "NetSuite_Id__c": "100", "LastName": "Ext"],
            ["attributes": ["type": "Contact"], "NetSuite_Id__c": "101", "LastName": "Ext2"],
        ]])
        let created = upsert.array as? [[String: Any]] ?? []
        #expect(created.map { $0["created"] as? Bool } == [true, true])
        let again = await sf.data("PATCH", "/composite/sobjects/Contact/NetSuite_Id__c", json: ["records": [
            ["attributes": ["type": "Contact"], "NetSuite_Id__c": "100", "Title": "Boss"],
        ]])
        #expect((again.array.first as? [String: Any])?["created"] as? Bool == false)
        let ids = created.compactMap { $0["id"] as? String }
        let update = await sf.data("PATCH", "/composite/sobjects", json: ["records": [
            ["attributes": ["type": "Contact"], "id": ids[1], "Title": "Intern"],
            ["attributes": ["type": "Contact"], "id": "003Hs00000009ZZAAA", "Title": "Ghost"],
        ]])
        #expect((update.array as? [[String: Any]])?.map { $0["success"] as? Bool } == [true, false])
        let retrieved = await sf.data("GET", "/composite/sobjects/Contact?ids=\(ids.joined(separator: ","))&fields=Title,LastName")
        #expect((retrieved.array as? [[String: Any]])?.map { $0["Title"] as? String } == ["Boss", "Intern"])
        let deleted = await sf.data("DELETE", "/composite/sobjects?ids=\(ids[0]),\(ids[0])&allOrNone=false")
        #expect((deleted.array as? [[String: Any]])?.map { $0["success"] as? Bool } == [true, false])
    }
}

@Suite("Salesforce org")
struct SalesforceOrgTests {
    @Test("seeding is deterministic and realistic")
    func seed() async {
        let a = await SalesforceClient(seed: 20), b = await SalesforceClient(seed: 20)
        let soql = "SELECT Name, BillingCity FROM Account ORDER BY Name"
        #expect(await a.query(soql).text == b.query(soql).text)
        let accounts = await a.query("SELECT COUNT() FROM Account").object["totalSize"] as? Int
        let contacts = await a.query("SELECT COUNT() FROM Contact").object["totalSize"] as? Int ?? 0
        #expect(accounts == 20 && contacts >= 40 && contacts <= 80)
        #expect(await a.query("SELECT COUNT() FROM Opportunity").object["totalSize"] as? Int ?? 0 > 0)
        #expect(await a.query("SELECT COUNT() FROM Lead").object["totalSize"] as? Int == 10)
    }

    @Test("reset drops records but keeps users and sessions; state survives export and import")
    func resetAndState() async throws {
        let sf = await SalesforceClient(seed: 5)
        let id = try #require(await sf.data("POST", "/sobjects/Contact", json: ["LastName": "Keep"]).object["id"] as? String)
        let saved = await sf.app.exportState()

        await sf.app.reset()
        #expect(await sf.query("SELECT COUNT() FROM Account").object["totalSize"] as? Int == 0)
        #expect(await sf.query("SELECT COUNT() FROM User").object["totalSize"] as? Int == 5)

        try await sf.app.importState(saved)
        #expect(await sf.data("GET", "/sobjects/Contact/\(id)").object["LastName"] as? String == "Keep")
        #expect(await sf.query("SELECT COUNT() FROM Account").object["totalSize"] as? Int == 5)
        let next = try #require(await sf.data("POST", "/sobjects/Contact", json: ["LastName": "New"]).object["id"] as? String)
        #expect(next != id)
    }

    @Test("an outbound message (SOAP) goes to subscribers on create and update")
    func outboundMessage() async throws {
        let sf = await SalesforceClient()
        await sf.app.subscribe(url: "http://127.0.0.1:9/hook", secret: nil, events: ["Contact"])
        let id = try #require(await sf.data("POST", "/sobjects/Contact", json: ["LastName": "Notify", "Email": "n@example.com"]).object["id"] as? String)
        _ = await sf.data("POST", "/sobjects/Account", json: ["Name": "Not subscribed"])
        _ = await sf.data("PATCH", "/sobjects/Contact/\(id)", json: ["Title": "CTO"])
        let hooks = sf.environment.webhooks
        #expect(hooks.count == 2)
        let soap = String(decoding: hooks[1].body, as: UTF8.self)
        #expect(hooks[0].url == "http://127.0.0.1:9/hook" && hooks[0].headers["Content-Type"]?.hasPrefix("text/xml") == true)
        #expect(soap.contains("<notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\">"))
        #expect(soap.contains("<OrganizationId>\(SalesforceApp.organizationID)</OrganizationId>"))
        #expect(soap.contains("xsi:type=\"sf:Contact\"") && soap.contains("<sf:Id>\(id)</sf:Id>") && soap.contains("<sf:Title>CTO</sf:Title>"))
    }
}

@Suite("Salesforce robustness")
struct SalesforceRobustnessTests {
    @Test("random malformed requests always get an HTTP answer, never a crash")
    func neverCrashes() async {
        let sf = await SalesforceClient(seed: 2)
        var rng = SeededRandom(seed: 99)
        let methods = ["GET", "POST", "PATCH", "DELETE", "PUT", "HEAD"]
        let paths = ["/services/data/v60.0/sobjects/Contact", "/services/data/v60.0/sobjects/Contact/003", "/services/data/v60.0/query",
                     "/services/data/v60.0/queryAll/0r8-5", "/services/data/v60.0/composite/sobjects", "/services/data/v60.0/composite/sobjects/Contact/Email",
                     "/services/data/v60.0/composite/sobjects/Contact", "/services/oauth2/token", "/services/oauth2/authorize", "/services/oauth2/revoke",
                     "/services/data/v60.0/sobjects/Account/NetSuite_Id__c/x", "/services/data/v60.0/sobjects/Lead/updated", "/id/x/y",
                     "/services/data/vX/", "/", "/services/data/v60.0/sobjects/Task/describe", "/services/data/v60.0/limits/x"]
        let bodies = ["", "{", "[]", "null", "{\"LastName\":{}}", "{\"records\":[1,2,{}]}", "{\"records\":\"x\"}", "{\"Amount\":\"1e999\"}",
                      "{\"allOrNone\":true,\"records\":[{\"attributes\":{\"type\":\"Nope\"}}]}", "grant_type=password&username=%ZZ", "{\"CloseDate\":\"2024-02-30\"}"]
        let queries = ["", "q=SELECT", "q=" + String(repeating: "(", count: 500), "q=SELECT Id FROM Contact WHERE Name LIKE",
                       "q=SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS:99999999999", "q=SELECT Id, Id FROM Contact",
                       "q=SELECT COUNT(Nope) FROM Contact", "q=SELECT Id FROM Contact WHERE " + String(repeating: "NOT ", count: 300) + "Name = 'x'",
                       "start=x&end=y", "ids=,,,&fields=Nope", "fields=%%%", "q=SELECT Id FROM Contact LIMIT -1 OFFSET 9999"]
        for _ in 0..<400 {
            let query = rng.pick(queries).addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
            let response = await sf.raw(rng.pick(methods), rng.pick(paths) + (query.isEmpty ? "" : "?" + query), body: Data(rng.pick(bodies).utf8),
                                        headers: ["Authorization": "Bearer \(sf.token)"])
            #expect((200...599).contains(response.status))
        }
    }
}
