import CrosswalkCore
@testable import CrosswalkSandbox
import Crypto
import Foundation
import Testing

// Uses WebhookRecordingEnvironment, JSONReply and SandboxApp.call(...) from the suite's shared test helpers.

@Suite("NetSuite emulator")
struct NetSuiteTests {
    let env = WebhookRecordingEnvironment()
    let app: NetSuiteApp
    static let base = "http://127.0.0.1:8404"
    static let records = "/services/rest/record/v1"

    init() { app = NetSuiteApp(environment: env) }

    // MARK: helpers

    /// A client assertion (ES256 JWT) for the client-credentials grant, signed here with the demo key.
    private func assertion(audience: String = "\(base)/services/rest/auth/oauth2/v1/token", lifetime: Int = 3600,
                           kid: String = NetSuiteDemoCredentials.certificateId, scope: Any = "rest_webservices") throws -> String {
        func b64(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let now = Int(env.now().timeIntervalSince1970)
        let header = b64(try JSONSerialization.data(withJSONObject: ["alg": "ES256", "typ": "JWT", "kid": kid]))
        let claims: [String: Any] = ["iss": NetSuiteDemoCredentials.clientId, "scope": scope, "aud": audience, "iat": now, "exp": now + lifetime]
        let payload = b64(try JSONSerialization.data(withJSONObject: claims))
        let key = try P256.Signing.PrivateKey(pemRepresentation: NetSuiteDemoCredentials.clientAssertionPrivateKeyPEM)
        let signature = try key.signature(for: Data("\(header).\(payload)".utf8)).rawRepresentation
        return "\(header).\(payload).\(b64(signature))"
    }

    private func form(_ path: String, on target: NetSuiteApp? = nil, _ fields: [(String, String)], basic: Bool = false) async -> JSONReply {
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        var headers: HTTPFields = ["Content-Type": "application/x-www-form-urlencoded"]
        if basic {
            headers["Authorization"] = "Basic " + Data("\(NetSuiteDemoCredentials.clientId):\(NetSuiteDemoCredentials.clientSecret)".utf8).base64EncodedString()
        }
        return await (target ?? app).call("POST", path, rawBody: Data(body.utf8), headers: headers)
    }

    private func clientCredentials(_ jwt: String, on target: NetSuiteApp? = nil) async -> JSONReply {
        await form("/services/rest/auth/oauth2/v1/token", on: target, [
            ("grant_type", "client_credentials"), ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", jwt),
        ])
    }

    private func bearer(on target: NetSuiteApp? = nil) async throws -> String {
        try #require(await clientCredentials(try assertion(), on: target).object["access_token"] as? String)
    }

    /// A REST call with an OAuth 2.0 bearer token.
    private func rest(_ method: String, _ path: String, query: [(String, String)] = [], json: Any? = nil, token: String,
                      headers: HTTPFields = [:]) async -> JSONReply {
        var h = headers
        h["Authorization"] = "Bearer \(token)"
        return await app.call(method, path, query: query, json: json, headers: h)
    }

    private func suiteQL(_ sql: String, token: String, limit: Int = 1000, offset: Int = 0) async -> JSONReply {
        await rest("POST", "/services/rest/query/v1/suiteql", query: [("limit", String(limit)), ("offset", String(offset))],
                   json: ["q": sql], token: token, headers: ["Prefer": "transient"])
    }

    private func items(_ reply: JSONReply) -> [[String: Any]] { reply.object["items"] as? [[String: Any]] ?? [] }

    /// Checks NetSuite's error envelope and returns the first error detail.
    @discardableResult
    private func expectError(_ reply: JSONReply, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String: Any] {
        #expect(reply.status == status, sourceLocation: sourceLocation)
        #expect(reply.object["status"] as? Int == status, sourceLocation: sourceLocation)
        #expect((reply.object["type"] as? String)?.hasPrefix("https://www.rfc-editor.org/rfc/rfc9110.html#section-") == true, sourceLocation: sourceLocation)
        let detail = (reply.object["o:errorDetails"] as? [[String: Any]])?.first ?? [:]
        #expect(detail["o:errorCode"] as? String == code, sourceLocation: sourceLocation)
        #expect(detail["detail"] is String, sourceLocation: sourceLocation)
        return detail
    }

    private func createdId(_ reply: JSONReply, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(reply.status == 204, sourceLocation: sourceLocation)
        return String((reply.headers["Location"] ?? "").split(separator: "/").last ?? "")
    }

    // MARK: token-based authentication

    /// Requests signed by authlib 1.9.10 (as the `netsuite` package signs them, `oauth_body_hash` included) with the
    /// demo credentials, nonce and timestamp pinned: the verifier must accept each exactly once.
    static let authlibVectors: [(method: String, url: String, authorization: String, body: String)] = [
        ("GET", "http://127.0.0.1:8402/services/rest/record/v1/customer?limit=5&q=companyName%20START_WITH%20%22Acme%20%26%20Co%22",
         #"OAuth realm="1234567_SB1", oauth_nonce="authlibnonce1", oauth_timestamp="1780000000", oauth_version="1.0", oauth_signature_method="HMAC-SHA256", oauth_consumer_key="7c4f1d0a9b3e8c2d5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7a8b9c0", oauth_token="3a5c7e9f1b2d4f6a8c0e2a4c6e8a0c2e4a6c8e0a2c4e6a8c0e2a4c6e8a0c2e4a", oauth_signature="TaP7qEatjLm2dsfHkvxTkd2lKG8TfKP%2Fh6T4z6LfKdw%3D""#,
         ""),
        ("POST", "http://127.0.0.1:8402/services/rest/record/v1/contact",
         #"OAuth realm="1234567_SB1", oauth_nonce="authlibnonce2", oauth_timestamp="1780000000", oauth_version="1.0", oauth_signature_method="HMAC-SHA256", oauth_consumer_key="7c4f1d0a9b3e8c2d5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7a8b9c0", oauth_token="3a5c7e9f1b2d4f6a8c0e2a4c6e8a0c2e4a6c8e0a2c4e6a8c0e2a4c6e8a0c2e4a", oauth_body_hash="1FqFt%2Bf7%2BPxvHvcvXp6eQG7CWdc%3D", oauth_signature="ndGzDxTjU9gkWdCgnM05l3vSngZTSbIN%2FOwSGny1HPs%3D""#,
         #"{"firstName": "Ada", "lastName": "Lovelace"}"#),
        ("POST", "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql?limit=2&offset=0",
         #"OAuth realm="1234567_SB1", oauth_nonce="authlibnonce3", oauth_timestamp="1780000000", oauth_version="1.0", oauth_signature_method="HMAC-SHA256", oauth_consumer_key="7c4f1d0a9b3e8c2d5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7a8b9c0", oauth_token="3a5c7e9f1b2d4f6a8c0e2a4c6e8a0c2e4a6c8e0a2c4e6a8c0e2a4c6e8a0c2e4a", oauth_body_hash="8ZTmvZ8bq1rUqTMkYZ%2FcU17rdJs%3D", oauth_signature="LU76836Tl2KkMtMFT5rAa%2Frxrqv9pMkJcmz4AbccOUs%3D""#,
         #"{"q": "SELECT id FROM customer"}"#),
    ]

    /// A `SandboxRequest` as the server would build it for `url`.
    static func request(_ method: String, _ url: String, authorization: String?, body: String,
                                headers extra: HTTPFields = [:]) throws -> SandboxRequest {
        let components = try #require(URLComponents(string: url))
        var headers: HTTPFields = ["Content-Type": "application/json", "Prefer": "transient"]
        if let authorization { headers["Authorization"] = authorization }
        for field in extra { headers[field.name] = field.value }
        let port = components.port.map { ":\($0)" } ?? ""
        return SandboxRequest(method: method, path: components.path,
                              query: (components.queryItems ?? []).map { (name: $0.name, value: $0.value ?? "") },
                              rawQuery: components.percentEncodedQuery ?? "", headers: headers, body: Data(body.utf8),
                              baseURL: "\(components.scheme ?? "http")://\(components.host ?? "")\(port)")
    }

    @Test func acceptsRequestsSignedByAuthlibOnce() async throws {
        for vector in Self.authlibVectors {
            let request = try Self.request(vector.method, vector.url, authorization: vector.authorization, body: vector.body)
            let first = await app.handle(request)
            #expect(first.status == 200 || first.status == 204, "\(vector.method) \(vector.url): \(String(decoding: first.body, as: UTF8.self))")
            let replay = await app.handle(request)
            #expect(replay.status == 401, "a reused nonce must be refused")
        }
        #expect(app.loginAuditTrail() == ["reusedNonce", "reusedNonce", "reusedNonce"])
    }

    @Test func refusesEveryBadSignatureWithNetSuites401() async throws {
        let good = Self.authlibVectors[1]
        let cases: [(String, String, String, String)] = [
            ("badSignature", good.url, good.authorization.replacingOccurrences(of: "oauth_signature=\"ndGz", with: "oauth_signature=\"mdGz"), good.body),
            ("realmMismatch", good.url, good.authorization.replacingOccurrences(of: "realm=\"1234567_SB1\"", with: "realm=\"1234567-sb1\""), good.body),
            ("unknownToken", good.url, good.authorization.replacingOccurrences(of: "oauth_token=\"3a5c", with: "oauth_token=\"4a5c"), good.body),
            ("unknownConsumer", good.url, good.authorization.replacingOccurrences(of: "oauth_consumer_key=\"7c4f", with: "oauth_consumer_key=\"8c4f"), good.body),
            ("unsupportedSignatureMethod", good.url, good.authorization.replacingOccurrences(of: "HMAC-SHA256", with: "HMAC-SHA1"), good.body),
            ("bodyHashMismatch", good.url, good.authorization, #"{"firstName": "Eve", "lastName": "Lovelace"}"#),
            ("badSignature", good.url + "?extra=1", good.authorization, good.body),
            ("shortNonce", good.url, good.authorization.replacingOccurrences(of: "authlibnonce2", with: "abc"), good.body),
            ("malformedHeader", good.url, "Basic Zm9vOmJhcg==", good.body),
        ]
        var bodies: Set<Data> = []
        for (_, url, authorization, body) in cases {
            let response = await app.handle(try Self.request("POST", url, authorization: authorization, body: body))
            #expect(response.status == 401)
            #expect(response.headers["WWW-Authenticate"] == #"OAuth realm="1234567_SB1", error="token_rejected", error_description="Invalid login attempt.""#)
            let reply = JSONReply(status: response.status, headers: response.headers, json: try JSONSerialization.jsonObject(with: response.body))
            let detail = expectError(reply, 401, "INVALID_LOGIN")
            #expect((detail["detail"] as? String)?.hasPrefix("Invalid login attempt.") == true)
            #expect(reply.object["title"] as? String == "Unauthorized")
            bodies.insert(try JSONSerialization.data(withJSONObject: reply.object["o:errorDetails"] ?? [], options: [.sortedKeys]))
        }
        #expect(bodies.count == 1, "every refusal looks the same to the caller")
        #expect(app.loginAuditTrail() == cases.map(\.0))
        #expect(items(await rest("GET", "\(Self.records)/contact", token: try await bearer())).isEmpty, "nothing was created")
    }

    @Test func refusesStaleTimestamps() async throws {
        env.advance(301)
        let vector = Self.authlibVectors[0]
        let response = await app.handle(try Self.request(vector.method, vector.url, authorization: vector.authorization, body: vector.body))
        #expect(response.status == 401)
        #expect(app.loginAuditTrail() == ["staleTimestamp"])
    }

    // MARK: OAuth 2.0

    @Test func clientCredentialsChecksTheAssertion() async throws {
        let ok = await clientCredentials(try assertion())
        #expect(ok.status == 200)
        #expect(ok.object["expires_in"] as? String == "3600")
        #expect(ok.object["token_type"] as? String == "bearer")
        #expect(ok.object["refresh_token"] == nil)
        let real = "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token"
        #expect(await clientCredentials(try assertion(audience: real)).status == 200)
        #expect(await clientCredentials(try assertion(audience: "https://elsewhere.example.com/token")).object["error"] as? String == "invalid_client")
        #expect(await clientCredentials(try assertion(kid: "other")).object["error"] as? String == "invalid_client")
        #expect(await clientCredentials(try assertion(lifetime: 7200)).object["error"] as? String == "invalid_grant")
        #expect(await clientCredentials(try assertion(scope: "restlets")).object["error"] as? String == "invalid_scope")
        #expect(await clientCredentials(try assertion(scope: ["restlets", "rest_webservices"])).status == 200)
        let tampered = try assertion().dropLast(4) + "AAAA"
        #expect(await clientCredentials(String(tampered)).object["error"] as? String == "invalid_client")
    }

    @Test func authorizationCodeFlowExpiryAndRefresh() async throws {
        let authorize = await app.call("GET", "/app/login/oauth2/authorize.nl", query: [
            ("response_type", "code"), ("client_id", NetSuiteDemoCredentials.clientId), ("redirect_uri", "http://127.0.0.1:9000/cb"),
            ("scope", "rest_webservices"), ("state", "s1"),
        ])
        #expect(authorize.status == 302)
        let location = try #require(URLComponents(string: authorize.headers["Location"] ?? ""))
        let query = Dictionary(uniqueKeysWithValues: (location.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(query["state"] == "s1")
        #expect(query["company"] == NetSuiteDemoCredentials.accountId)
        let code = try #require(query["code"])

        let noClient = await form("/services/rest/auth/oauth2/v1/token", [("grant_type", "authorization_code"), ("code", code)])
        #expect(noClient.status == 401)
        let issued = await form("/services/rest/auth/oauth2/v1/token",
                                [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "http://127.0.0.1:9000/cb")], basic: true)
        let access = try #require(issued.object["access_token"] as? String)
        let refresh = try #require(issued.object["refresh_token"] as? String)
        #expect(access.split(separator: ".").count == 3)
        #expect(await rest("GET", "\(Self.records)/customer", token: access).status == 200)

        await app.expireAccessTokens()
        let expired = await rest("GET", "\(Self.records)/customer", token: access)
        expectError(expired, 401, "INVALID_LOGIN")
        #expect(expired.headers["WWW-Authenticate"]?.hasPrefix("Bearer error=\"invalid_token\"") == true)

        let refreshed = await form("/services/rest/auth/oauth2/v1/token", [("grant_type", "refresh_token"), ("refresh_token", refresh)], basic: true)
        let fresh = try #require(refreshed.object["access_token"] as? String)
        #expect(await rest("GET", "\(Self.records)/customer", token: fresh).status == 200)
        let reused = await form("/services/rest/auth/oauth2/v1/token",
                                [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "http://127.0.0.1:9000/cb")], basic: true)
        #expect(reused.object["error"] as? String == "invalid_grant")
    }

    // MARK: records

    @Test func customerCreateGetPatchDelete() async throws {
        let token = try await bearer()
        let created = await rest("POST", "\(Self.records)/customer", json: [
            "companyName": "Lovelace Analytics", "email": "ap@lovelace.example", "creditLimit": 2500, "terms": ["id": "2"],
        ], token: token)
        let id = createdId(created)
        #expect(created.headers["Location"] == "\(Self.base)\(Self.records)/customer/\(id)")

        let fetched = await rest("GET", "\(Self.records)/customer/\(id)", token: token)
        #expect(fetched.status == 200)
        #expect(fetched.object["id"] as? String == id)
        #expect(fetched.object["companyName"] as? String == "Lovelace Analytics")
        #expect(fetched.object["creditLimit"] as? Int == 2500)
        #expect(fetched.object["isInactive"] as? Bool == false)
        #expect(fetched.object["entityId"] as? String == "CUST\(id)")
        let terms = fetched.object["terms"] as? [String: Any]
        #expect(terms?["id"] as? String == "2")
        #expect(terms?["refName"] as? String == "Net 30")
        #expect((fetched.object["lastModifiedDate"] as? String)?.hasSuffix("Z") == true)
        #expect(fetched.object["url"] == nil, "null fields are omitted")

        env.advance(60)
        #expect(await rest("PATCH", "\(Self.records)/customer/\(id)", json: ["email": NSNull(), "phone": "+1 555 0100"], token: token).status == 204)
        let patched = await rest("GET", "\(Self.records)/customer/\(id)", token: token)
        #expect(patched.object["email"] == nil)
        #expect(patched.object["phone"] as? String == "+1 555 0100")
        #expect(patched.object["lastModifiedDate"] as? String != fetched.object["lastModifiedDate"] as? String)

        #expect(await rest("DELETE", "\(Self.records)/customer/\(id)", token: token).status == 204)
        let gone = await rest("GET", "\(Self.records)/customer/\(id)", token: token)
        let detail = expectError(gone, 404, "NONEXISTENT_ID")
        #expect(detail["detail"] as? String == "The record instance does not exist. Provide a valid record instance ID.")
    }

    @Test func externalIdAddressingAndPutUpsert() async throws {
        let token = try await bearer()
        let first = await rest("PUT", "\(Self.records)/customer/eid:CID002", json: ["companyName": "Globex"], token: token)
        let id = createdId(first)
        let second = await rest("PUT", "\(Self.records)/customer/eid:CID002", json: ["companyName": "Globex Corp"], token: token)
        #expect(createdId(second) == id)
        let fetched = await rest("GET", "\(Self.records)/customer/eid:CID002", token: token)
        #expect(fetched.object["id"] as? String == id)
        #expect(fetched.object["companyName"] as? String == "Globex Corp")
        #expect(fetched.object["externalId"] as? String == "CID002")
        expectError(await rest("PUT", "\(Self.records)/customer/\(id)", json: ["companyName": "X"], token: token), 400, "INVALID_PARAMETER")
        let duplicate = await rest("POST", "\(Self.records)/customer", json: ["companyName": "Again", "externalId": "CID002"], token: token)
        #expect(expectError(duplicate, 400, "USER_ERROR")["o:errorPath"] as? String == "externalId")
        let contact = createdId(await rest("POST", "\(Self.records)/contact",
                                           json: ["firstName": "Ada", "company": ["externalId": "CID002"]], token: token))
        let linked = await rest("GET", "\(Self.records)/contact/\(contact)", token: token)
        #expect((linked.object["company"] as? [String: Any])?["id"] as? String == id)
        #expect((linked.object["company"] as? [String: Any])?["refName"] as? String == "Globex Corp")
    }

    @Test func validationErrorsNameTheField() async throws {
        let token = try await bearer()
        let noName = await rest("POST", "\(Self.records)/customer", json: ["email": "x@example.com"], token: token)
        #expect(expectError(noName, 400, "USER_ERROR")["o:errorPath"] as? String == "companyName")
        let badRef = await rest("POST", "\(Self.records)/contact", json: ["firstName": "A", "company": ["id": "9999"]], token: token)
        let detail = expectError(badRef, 400, "INVALID_CONTENT")
        #expect(detail["o:errorPath"] as? String == "company")
        #expect((detail["detail"] as? String)?.contains("Invalid Field Value 9999") == true)
        let badType = await rest("POST", "\(Self.records)/customer", json: ["companyName": "A", "creditLimit": "lots"], token: token)
        expectError(badType, 400, "INVALID_CONTENT")
        let strict = await rest("POST", "\(Self.records)/customer", json: ["companyName": "A", "favouriteColour": "blue"], token: token,
                                headers: ["X-NetSuite-PropertyNameValidation": "error"])
        expectError(strict, 400, "INVALID_CONTENT")
        #expect(await rest("POST", "\(Self.records)/customer", json: ["companyName": "A", "favouriteColour": "blue"], token: token,
                           headers: ["X-NetSuite-PropertyNameValidation": "ignore"]).status == 204)
        let noLines = await rest("POST", "\(Self.records)/invoice", json: ["entity": ["id": "101"]], token: token)
        expectError(noLines, 400, "USER_ERROR")
        expectError(await rest("GET", "\(Self.records)/salesOrder", token: token), 400, "INVALID_PARAMETER")
    }

    @Test func invoiceLinesTotalsAndSublistExpansion() async throws {
        let token = try await bearer()
        let customer = createdId(await rest("POST", "\(Self.records)/customer", json: ["companyName": "Initech"], token: token))
        let invoice = createdId(await rest("POST", "\(Self.records)/invoice", json: [
            "entity": ["id": customer], "tranDate": "2026-05-01",
            "item": ["items": [["item": ["id": "10"], "quantity": 3], ["item": ["id": "12"], "quantity": 2, "rate": 30]]],
        ], token: token))
        let stub = await rest("GET", "\(Self.records)/invoice/\(invoice)", token: token)
        #expect(stub.object["total"] as? Double == 510)
        #expect((stub.object["status"] as? [String: Any])?["refName"] as? String == "Open")
        #expect((stub.object["entity"] as? [String: Any])?["refName"] as? String == "Initech")
        #expect((stub.object["item"] as? [String: Any])?["items"] == nil)
        #expect(stub.object["tranDate"] as? String == "2026-05-01")

        let expanded = await rest("GET", "\(Self.records)/invoice/\(invoice)", query: [("expandSubResources", "true")], token: token)
        let lines = (expanded.object["item"] as? [String: Any])?["items"] as? [[String: Any]] ?? []
        #expect(lines.map { $0["amount"] as? Double } == [450, 60])
        #expect((lines.first?["item"] as? [String: Any])?["refName"] as? String == "Consulting Hour")

        _ = await rest("PATCH", "\(Self.records)/invoice/\(invoice)", json: ["item": ["items": [["item": ["id": "13"]]]]], token: token)
        #expect(await rest("GET", "\(Self.records)/invoice/\(invoice)", token: token).object["total"] as? Double == 810)
        _ = await rest("PATCH", "\(Self.records)/invoice/\(invoice)", query: [("replace", "item")],
                       json: ["item": ["items": [["item": ["id": "11"]]]]], token: token)
        let replaced = await rest("GET", "\(Self.records)/invoice/\(invoice)/item", token: token)
        #expect(items(replaced).count == 1)
        let selected = await rest("GET", "\(Self.records)/invoice/\(invoice)", query: [("fields", "tranId,total")], token: token)
        #expect(Set(selected.object.keys) == ["links", "id", "tranId", "total"])
        expectError(await rest("DELETE", "\(Self.records)/customer/\(customer)", token: token), 400, "USER_ERROR")
    }

    @Test("opportunities: REST records with a required customer; the transaction table holds them beside invoices (type 'Opprtnty'), one id sequence; an invoice names its opportunity; a customer with an opportunity cannot be deleted")
    func opportunitiesBesideInvoices() async throws {
        let token = try await bearer()
        let customer = createdId(await rest("POST", "\(Self.records)/customer", json: ["companyName": "Globex"], token: token))
        expectError(await rest("POST", "\(Self.records)/opportunity", json: ["title": "No customer"], token: token), 400, "USER_ERROR")
        let opportunity = createdId(await rest("POST", "\(Self.records)/opportunity", json: [
            "entity": ["id": customer], "title": "Renewal", "projectedTotal": 1200, "status": ["id": "C"], "expectedCloseDate": "2026-06-30",
        ], token: token))
        let invoice = createdId(await rest("POST", "\(Self.records)/invoice", json: [
            "entity": ["id": customer], "opportunity": ["id": opportunity], "item": ["items": [["item": ["id": "10"]]]],
        ], token: token))
        #expect(Int(invoice)! > Int(opportunity)!, "one transaction id sequence")
        let got = await rest("GET", "\(Self.records)/opportunity/\(opportunity)", token: token)
        #expect(got.object["tranId"] as? String == "OPP\(opportunity)")
        #expect((got.object["status"] as? [String: Any])?["refName"] as? String == "Closed - Won")
        #expect((got.object["entity"] as? [String: Any])?["refName"] as? String == "Globex")
        let billed = await rest("GET", "\(Self.records)/invoice/\(invoice)", token: token)
        #expect((billed.object["opportunity"] as? [String: Any])?["refName"] as? String == "Opportunity #OPP\(opportunity)")

        let opportunities = items(await suiteQL("SELECT id, type, title, projectedtotal, BUILTIN.DF(status) AS status FROM transaction WHERE type = 'Opprtnty'", token: token))
        #expect(opportunities.map { $0["id"] as? String } == [opportunity])
        #expect(opportunities.first?["title"] as? String == "Renewal" && opportunities.first?["status"] as? String == "Closed - Won")
        let invoices = items(await suiteQL("SELECT id, opportunity FROM transaction WHERE type = 'CustInvc'", token: token))
        #expect(invoices.map { $0["id"] as? String } == [invoice] && invoices.first?["opportunity"] as? String == opportunity)
        // Without a type: both kinds in id order; a column of the other kind is NULL (omitted).
        let both = items(await suiteQL("SELECT id, type, title FROM transaction WHERE entity = \(customer)", token: token))
        #expect(both.map { $0["type"] as? String } == ["Opprtnty", "CustInvc"])
        #expect(both.last?["title"] == nil)
        expectError(await suiteQL("SELECT shoesize FROM transaction", token: token), 400, "INVALID_PARAMETER")

        _ = await rest("DELETE", "\(Self.records)/invoice/\(invoice)", token: token)
        expectError(await rest("DELETE", "\(Self.records)/customer/\(customer)", token: token), 400, "USER_ERROR")
        #expect(await rest("DELETE", "\(Self.records)/opportunity/\(opportunity)", token: token).status == 204)
        #expect(await rest("DELETE", "\(Self.records)/customer/\(customer)", token: token).status == 204)
    }

    @Test func listReturnsIdsAndLinksAndPages() async throws {
        let token = try await bearer()
        await app.seed(SandboxSeed(count: 5))
        let first = await rest("GET", "\(Self.records)/customer", query: [("limit", "2")], token: token)
        #expect(first.object["totalResults"] as? Int == 5)
        #expect(first.object["hasMore"] as? Bool == true)
        #expect(first.object["count"] as? Int == 2)
        for item in items(first) { #expect(Set(item.keys) == ["links", "id"]) }
        let rels = (first.object["links"] as? [[String: String]] ?? []).compactMap { $0["rel"] }
        #expect(rels == ["next", "last", "self"])
        var ids: [String] = []
        var offset = 0
        while true {
            let page = await rest("GET", "\(Self.records)/customer", query: [("limit", "2"), ("offset", String(offset))], token: token)
            ids += items(page).compactMap { $0["id"] as? String }
            guard page.object["hasMore"] as? Bool == true else { break }
            offset += 2
        }
        #expect(Set(ids).count == 5)
        expectError(await rest("GET", "\(Self.records)/customer", query: [("limit", "1001")], token: token), 400, "INVALID_PARAMETER")
    }

    @Test func qFilterOperatorsByFieldType() async throws {
        var ids: [String: String] = [:]
        for (name, email) in [("Acme Rockets", "ops@acme.example"), ("Acme Anvils", "sales@anvils.example"), ("Globex", "")] {
            var body: [String: Any] = ["companyName": name]
            if !email.isEmpty { body["email"] = email }
            ids[name] = createdId(await rest("POST", "\(Self.records)/customer", json: body, token: try await bearer()))
            env.advance(86_400)
        }
        let token = try await bearer()
        _ = await rest("PATCH", "\(Self.records)/customer/\(ids["Globex"]!)", json: ["isInactive": true], token: token)
        func q(_ filter: String) async -> Set<String> {
            let reply = await rest("GET", "\(Self.records)/customer", query: [("q", filter)], token: token)
            #expect(reply.status == 200, "\(filter)")
            return Set(items(reply).compactMap { $0["id"] as? String })
        }
        let acme: Set = [ids["Acme Rockets"]!, ids["Acme Anvils"]!]
        #expect(await q(#"companyName START_WITH "acme""#) == acme)
        #expect(await q(#"companyname CONTAIN "anvil""#) == [ids["Acme Anvils"]!])
        #expect(await q("email EMPTY") == [ids["Globex"]!])
        #expect(await q("email EMPTY_NOT AND isInactive IS false") == acme)
        #expect(await q("id ANY_OF [\(ids["Acme Rockets"]!), \(ids["Globex"]!)]") == [ids["Acme Rockets"]!, ids["Globex"]!])
        #expect(await q("id GREATER \(ids["Acme Rockets"]!)") == [ids["Acme Anvils"]!, ids["Globex"]!])
        let day2 = NetSuiteTime.parts(env.now().addingTimeInterval(-2 * 86_400))
        #expect(await q("dateCreated ON_OR_AFTER \"\(day2.month)/\(day2.day)/\(day2.year)\"") == [ids["Acme Anvils"]!, ids["Globex"]!])
        #expect(await q("dateCreated BEFORE \"\(day2.month)/\(day2.day)/\(day2.year)\"") == [ids["Acme Rockets"]!])
        #expect(await q(#"(companyName IS "Globex" OR email END_WITH "acme.example") AND isInactive IS_NOT true"#) == [ids["Acme Rockets"]!])
        let wrongOp = await rest("GET", "\(Self.records)/customer", query: [("q", "companyName GREATER 3")], token: token)
        #expect(expectError(wrongOp, 400, "INVALID_PARAMETER")["o:errorQueryParam"] as? String == "q")
        expectError(await rest("GET", "\(Self.records)/customer", query: [("q", "shoeSize EQUAL 3")], token: token), 400, "INVALID_PARAMETER")
    }

    // MARK: SuiteQL

    @Test func suiteQLSelectsFiltersOrdersAndPages() async throws {
        let token = try await bearer()
        await app.seed(SandboxSeed(count: 6))
        let noPrefer = await rest("POST", "/services/rest/query/v1/suiteql", json: ["q": "SELECT id FROM customer"], token: token)
        #expect(expectError(noPrefer, 400, "INVALID_PARAMETER")["o:errorHeader"] as? String == "Prefer")

        let all = await suiteQL("SELECT id, companyName AS name, email, isinactive FROM customer ORDER BY id DESC", token: token)
        #expect(all.status == 200)
        let rows = items(all)
        #expect(rows.count == 6)
        #expect(all.object["totalResults"] as? Int == 6)
        #expect(Set(rows[0].keys) == ["links", "id", "name", "email", "isinactive"])
        #expect(rows[0]["isinactive"] as? String == "F")
        #expect((rows[0]["links"] as? [Any])?.isEmpty == true)
        let ids = rows.compactMap { Int($0["id"] as? String ?? "") }
        #expect(ids == ids.sorted(by: >))

        let customer = ids[2]
        let contacts = items(await suiteQL("SELECT c.id, c.lastname, c.company FROM contact c WHERE c.company = \(customer) ORDER BY c.id", token: token))
        #expect(!contacts.isEmpty)
        #expect(contacts.allSatisfy { $0["company"] as? String == String(customer) })
        let missingLast = items(await suiteQL("SELECT id, lastname FROM contact WHERE lastname IS NULL", token: token))
        #expect(missingLast.allSatisfy { $0["lastname"] == nil }, "NULL columns are omitted")
        let withLast = items(await suiteQL("SELECT id FROM contact WHERE lastname IS NOT NULL", token: token))
        let everyContact = items(await suiteQL("SELECT id FROM contact", token: token))
        #expect(missingLast.count + withLast.count == everyContact.count)

        let picked = items(await suiteQL("SELECT id FROM customer WHERE id IN (\(ids[0]), \(ids[1])) OR (companyname LIKE '%' AND id < 0)", token: token))
        #expect(Set(picked.compactMap { $0["id"] as? String }) == [String(ids[0]), String(ids[1])])
        let invoices = items(await suiteQL("SELECT id, tranid, entity, foreigntotal, BUILTIN.DF(status) AS status FROM transaction WHERE type = 'CustInvc' AND foreigntotal > 0", token: token))
        #expect(!invoices.isEmpty)
        #expect(invoices.allSatisfy { ["Open", "Paid In Full"].contains($0["status"] as? String ?? "") })
        let counted = items(await suiteQL("SELECT COUNT(*) AS n FROM customer", token: token))
        #expect(counted.first?["n"] as? String == "6")

        let stamped = items(await suiteQL("SELECT TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS modified, datecreated FROM customer WHERE lastmodifieddate >= TO_DATE('2000-01-01 00:00:00', 'YYYY-MM-DD HH24:MI:SS')", token: token))
        #expect(stamped.count == 6)
        #expect((stamped.first?["modified"] as? String)?.count == 19)
        #expect((stamped.first?["datecreated"] as? String)?.contains("/") == true)

        let page = await suiteQL("SELECT id FROM customer ORDER BY id", token: token, limit: 4, offset: 4)
        #expect(items(page).count == 2)
        #expect(page.object["hasMore"] as? Bool == false)
        #expect((page.object["links"] as? [[String: String]] ?? []).compactMap { $0["rel"] } == ["previous", "first", "self"])
        let firstPage = await suiteQL("SELECT id FROM customer ORDER BY id", token: token, limit: 4)
        #expect(firstPage.object["hasMore"] as? Bool == true)

        expectError(await suiteQL("SELECT id FROM widget", token: token), 400, "INVALID_PARAMETER")
        expectError(await suiteQL("SELECT shoesize FROM customer", token: token), 400, "INVALID_PARAMETER")
        expectError(await suiteQL("SELEKT id FROM customer", token: token), 400, "INVALID_PARAMETER")
        expectError(await suiteQL("SELECT id FROM customer", token: token, limit: 5000), 400, "INVALID_PARAMETER")
        expectError(await suiteQL("SELECT id FROM customer", token: token, limit: 1000, offset: 99_500), 400, "INVALID_PARAMETER")
    }

    @Test func malformedRequestsGetNetSuiteErrorsNotCrashes() async throws {
        await app.seed(SandboxSeed(count: 1))
        let token = try await bearer()
        let paths = ["customer", "contact/101", "invoice/1001/item", "customer/eid:", "customer/eid:%00", "invoice/-1", "contact/99999999999999999999999",
                     "customer/101/extra/deep", "metadata-catalog/x", ""]
        let queries: [[(String, String)]] = [[("q", "(")], [("q", "id ANY_OF [")], [("q", #"companyName IS "unterminated"#)], [("q", "dateCreated ON \"99/99/99999999\"")],
                                             [("limit", "-1"), ("offset", "x")], [("limit", "0")], [("fields", ",,,")], [("expandSubResources", "true")]]
        let bodies: [Data] = [Data(), Data("null".utf8), Data("[]".utf8), Data("{".utf8),
                              Data(#"{"companyName":{},"company":{"id":{}},"entity":"x","item":{"items":[{"item":{"id":"10"},"quantity":"q"}]},"tranDate":"13/45/2024"}"#.utf8),
                              Data(#"{"creditLimit":1e300,"isPerson":"yes","company":{"externalId":5},"item":5}"#.utf8)]
        for path in paths {
            for query in queries {
                #expect(await rest("GET", "\(Self.records)/\(path)", query: query, token: token).status < 500, "GET \(path) \(query)")
            }
            for method in ["POST", "PATCH", "PUT", "DELETE"] {
                for body in bodies {
                    let reply = await app.call(method, "\(Self.records)/\(path)", query: [("replace", "item")], rawBody: body,
                                               headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"])
                    #expect(reply.status < 500, "\(method) \(path) \(String(decoding: body, as: UTF8.self))")
                }
            }
        }
        for sql in ["", "SELECT", "SELECT * FROM", "SELECT id FROM customer WHERE", "SELECT TOP 1e99 id FROM customer", "SELECT id FROM customer WHERE ((((id",
                    "SELECT id FROM customer WHERE datecreated > TO_DATE('99', 'YYYY-MM-DD')", "SELECT COUNT(*), id FROM customer",
                    "SELECT 'unterminated FROM customer", "SELECT id FROM customer ORDER BY", "SELECT x.id FROM customer c", "SELECT NVL(id) FROM customer"] {
            #expect(await suiteQL(sql, token: token).status == 400, "\(sql)")
        }
    }

    // MARK: limits and faults

    @Test func concurrencyLimitAnswers429LikeNetSuite() async throws {
        let token = try await bearer()
        for _ in 0..<5 { #expect(app.gate.enter()) }
        let refused = await rest("GET", "\(Self.records)/customer", token: token)
        expectError(refused, 429, "CONCURRENCY_LIMIT_EXCEEDED")
        #expect(refused.object["title"] as? String == "Bad Request")
        #expect(refused.headers["Retry-After"] == nil)
        app.gate.leave()
        #expect(await rest("GET", "\(Self.records)/customer", token: token).status == 200)
        for _ in 0..<4 { app.gate.leave() }
        #expect(app.gate.current == 0, "every request gives its slot back")
    }

    @Test func faultResponsesUseNetSuiteShapes() throws {
        let limited = app.faultResponse(.rateLimited(retryAfterSeconds: 3))
        let body = try #require(try JSONSerialization.jsonObject(with: limited.body) as? [String: Any])
        expectError(JSONReply(status: limited.status, headers: limited.headers, json: body), 429, "CONCURRENCY_LIMIT_EXCEEDED")
        let failed = app.faultResponse(.serverError)
        let error = try #require(try JSONSerialization.jsonObject(with: failed.body) as? [String: Any])
        expectError(JSONReply(status: failed.status, headers: failed.headers, json: error), 500, "UNEXPECTED_ERROR")
    }

    // MARK: notifications, seed, state

    @Test func changeNotificationsAreSignedAndFiltered() async throws {
        let token = try await bearer()
        await app.subscribe(url: "https://hooks.example.com/ns", secret: "whsec", events: ["contact.*"])
        let customer = createdId(await rest("POST", "\(Self.records)/customer", json: ["companyName": "Hooli"], token: token))
        #expect(env.webhooks.isEmpty, "customer events are not subscribed")
        let contact = createdId(await rest("POST", "\(Self.records)/contact",
                                           json: ["firstName": "Gavin", "company": ["id": customer]], token: token))
        _ = await rest("PATCH", "\(Self.records)/contact/\(contact)", json: ["lastName": "Belson"], token: token)
        _ = await rest("DELETE", "\(Self.records)/contact/\(contact)", token: token)
        let deliveries = env.webhooks
        #expect(deliveries.count == 3)
        var types: [String] = []
        for delivery in deliveries {
            let timestamp = try #require(delivery.headers["X-NetSuite-Event-Timestamp"])
            let mac = HMAC<SHA256>.authenticationCode(for: Data((timestamp + ".").utf8) + delivery.body, using: SymmetricKey(data: Data("whsec".utf8)))
            #expect(delivery.headers["X-NetSuite-Signature"] == "sha256=" + Data(mac).map { String(format: "%02x", $0) }.joined())
            let event = try #require(try JSONSerialization.jsonObject(with: delivery.body) as? [String: Any])
            #expect(event["recordType"] as? String == "contact")
            #expect(event["recordId"] as? String == contact)
            #expect(event["account"] as? String == NetSuiteDemoCredentials.accountId)
            types.append(event["eventType"] as? String ?? "")
            if event["eventType"] as? String == "edit" {
                #expect(event["changedFields"] as? [String] == ["entityId", "lastName"] || event["changedFields"] as? [String] == ["lastName"])
                #expect((event["newRecord"] as? [String: Any])?["lastName"] as? String == "Belson")
            }
        }
        #expect(types == ["create", "edit", "delete"])
    }

    @Test func seedCreatesLinkedCustomersContactsAndInvoices() async throws {
        let token = try await bearer()
        await app.seed(SandboxSeed(count: 4))
        let customers = items(await suiteQL("SELECT id, entityid, companyname FROM customer", token: token))
        #expect(customers.count == 4)
        #expect(customers.allSatisfy { ($0["entityid"] as? String)?.hasPrefix("CID") == true && $0["companyname"] != nil })
        let orphans = items(await suiteQL("SELECT id FROM contact WHERE company IS NULL", token: token))
        #expect(orphans.isEmpty)
        let invoices = items(await suiteQL("SELECT entity FROM transaction", token: token))
        #expect(Set(invoices.compactMap { $0["entity"] as? String }) == Set(customers.compactMap { $0["id"] as? String }))

        let again = NetSuiteApp(environment: env)
        await again.seed(SandboxSeed(count: 4))
        let sql = "SELECT id, companyname, email, creditlimit FROM customer ORDER BY id"
        let theirs = await again.call("POST", "/services/rest/query/v1/suiteql", json: ["q": sql],
                                      headers: ["Authorization": "Bearer \(try await bearer(on: again))", "Prefer": "transient"])
        let mine = items(await suiteQL(sql, token: token))
        #expect(NSArray(array: items(theirs)) == NSArray(array: mine), "the same seed gives the same data")
    }

    @Test func exportImportResetAndMetadata() async throws {
        let token = try await bearer()
        let id = createdId(await rest("POST", "\(Self.records)/customer", json: ["companyName": "Kept"], token: token))
        let copy = NetSuiteApp(environment: env)
        try await copy.importState(await app.exportState())
        var headers: HTTPFields = ["Authorization": "Bearer \(token)"]
        #expect(await copy.call("GET", "\(Self.records)/customer/\(id)", headers: headers).object["companyName"] as? String == "Kept")
        await #expect(throws: CrosswalkError.self) { try await copy.importState(Data("{".utf8)) }

        await app.reset()
        #expect(items(await rest("GET", "\(Self.records)/customer", token: token)).isEmpty, "records are gone, the token still works")

        headers["Accept"] = "application/schema+json"
        let schema = await app.call("GET", "\(Self.records)/metadata-catalog/contact", headers: headers)
        let properties = schema.object["properties"] as? [String: Any] ?? [:]
        #expect((properties["company"] as? [String: Any])?["x-ns-referenced-type"] as? String == "customer")
        #expect((properties["custentity_sf_contact_id"] as? [String: Any])?["x-ns-custom-field"] as? Bool == true)
        let catalog = await rest("GET", "\(Self.records)/metadata-catalog", token: token)
        #expect(items(catalog).compactMap { $0["name"] as? String } == ["customer", "contact", "invoice", "opportunity"])
    }
}
