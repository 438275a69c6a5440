import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Logging
import Testing

/// The manifest as the host loaded it, check (and the missing-scope and revoked-token states), discover, the
/// mapping functions.
@Suite("HubSpot connector: manifest, check, discover, functions")
struct HubSpotBasicsTests {
    @Test("the manifest declares the four objects, their read blocks, OAuth 2.0 or a private-app token, batches of 100, 190/10 s and base_url")
    func manifest() async throws {
        try await HubSpotHarness.with { h in
            let m = h.plugin.manifest
            #expect(h.plugin.id == "com.hubspot")
            #expect(m.objects.map(\.name) == ["contacts", "companies", "deals", "invoices"])
            let contacts = try #require(m.objects.first { $0.name == "contacts" })
            #expect(contacts.matchKeys == ["email"])
            #expect(Set(contacts.operations) == ["read", "create", "update", "upsert", "delete"])
            let read = try #require(contacts.read)
            #expect(read.incremental && read.orderKeys == ["lastmodifieddate", "hs_object_id"] && read.boundary?.rawValue == "exclusive")
            #expect(read.byIDs == true && (read.indexLagMilliseconds ?? 0) > 0)
            #expect(m.objects.first { $0.name == "deals" }?.read?.orderKeys == ["hs_lastmodifieddate", "hs_object_id"])
            #expect(m.auth.scheme == "oauth2")
            #expect(m.auth.authorizeURL == "https://app.hubspot.com/oauth/authorize" && m.auth.tokenURL == "https://api.hubapi.com/oauth/v1/token")
            #expect(m.auth.scopes?.contains("crm.objects.invoices.read") == true)
            #expect(m.auth.alternatives?.first?.scheme == "api_key" && m.auth.alternatives?.first?.prefix == "Bearer ")
            #expect(m.batchLimits?.write == 100)
            #expect(m.rateLimits?.windowRequests == 190 && m.rateLimits?.windowSeconds == 10)
            // A bucket of `burst` refilled at `rate` never passes `burst + 10 * rate` in any 10 s.
            let rate = try #require(m.rateLimits?.requestsPerSecond), burst = try #require(m.rateLimits?.burst)
            #expect(Double(burst) + 10 * rate <= 190)
            #expect(m.settings.map(\.name).contains("base_url"))
            #expect(m.webhooks?.signature?.header == "X-HubSpot-Signature-v3" && m.webhooks?.signature?.signed == ["method", "url", "body", "timestamp"])
            #expect(m.functions.map(\.name) == ["hs_date", "hs_date_ms", "hs_date_text"])
        }
    }

    @Test("check makes one call and succeeds; missing scopes and a revoked token get messages a person can act on, without the token")
    func check() async throws {
        try await HubSpotHarness.with(seed: 2) { h in
            let hubspot = try await h.connector()
            try await h.resetCounters()
            let ok = try await hubspot.check()
            #expect(ok.ok, "\(ok.message)")
            #expect(ok.message.contains("Connected to HubSpot"))
            #expect(try await h.apiCounters().values.reduce(0, +) == 1)

            try await h.control("app/scopes", ["missing": ["crm.objects.contacts.read"]])
            let missing = try await hubspot.check()
            #expect(!missing.ok)
            #expect(missing.message.contains("missing scopes: crm.objects.contacts.read"), "\(missing.message)")
            #expect(missing.message.contains("Private apps"))
            try await h.control("app/scopes", ["missing": [String]()])

            try await h.control("app/token", ["revoked": true])
            let revoked = try await hubspot.check()
            #expect(!revoked.ok && revoked.message.contains("401"))
            #expect(!revoked.message.contains(h.token) && !missing.message.contains(h.token))
            try await h.control("app/token", ["revoked": false])
            #expect(try await hubspot.check().ok)
            await hubspot.close()
        }
    }

    @Test("OAuth 2.0: a refresh token from HubSpot's code exchange is refreshed at /oauth/v1/token by the host, and the connector works with the new token")
    func oauth() async throws {
        try await HubSpotHarness.with(seed: 1) { h in
            let tokenURL = h.baseURL + "/oauth/v1/token"
            let form = ["grant_type=authorization_code", "client_id=\(HubSpotDemoCredentials.clientId)",
                        "client_secret=\(HubSpotDemoCredentials.clientSecret)", "redirect_uri=https%3A%2F%2Fexample.com%2Fcallback",
                        "code=\(HubSpotDemoCredentials.authorizationCode)"].joined(separator: "&")
            let exchanged = try await TestHTTP.send("POST", try #require(URL(string: tokenURL)), form: form)
            #expect(exchanged.status == 200, "\(exchanged.text)")
            let refresh = try #require(exchanged.object["refresh_token"] as? String)
            // The access token is stored as expired: the host refreshes before the first call.
            let credentials = OAuth2Credentials(flow: .authorizationCode, clientID: HubSpotDemoCredentials.clientId,
                                                clientSecret: HubSpotDemoCredentials.clientSecret, tokenURL: tokenURL,
                                                scopes: h.plugin.manifest.auth.scopes ?? [],
                                                token: OAuth2Token(accessToken: "expired", refreshToken: refresh, expiresAt: Date().addingTimeInterval(-60)))
            try await h.runtime.vault.store(.oauth2(credentials), name: "hubspot-oauth")
            let hubspot = try await h.runtime.client(for: ConnectionConfig(name: "hubspot-oauth", connector: h.plugin.id,
                                                                          settings: .object(["base_url": .string(h.baseURL)])), plugin: h.plugin)
            try await h.resetCounters()
            let ok = try await hubspot.check()
            #expect(ok.ok, "\(ok.message)")
            #expect(ok.message.contains("110"), "an OAuth installation has 110 calls per 10 s: \(ok.message)")
            #expect(try await h.counters()["POST /oauth/v1/token"] == 1)
            await hubspot.close()
        }
    }

    @Test("discover reads each object's properties: types, read-only, unique e-mail, picklist options, custom properties; one object on request")
    func discover() async throws {
        try await HubSpotHarness.with { h in
            let custom = try await h.api("POST", "/crm/v3/properties/contacts", [
                "name": "loyalty_tier", "label": "Loyalty tier", "type": "enumeration", "fieldType": "select", "groupName": "contactinformation",
                "options": [["label": "Gold", "value": "gold", "displayOrder": 0, "hidden": false], ["label": "Silver", "value": "silver", "displayOrder": 1, "hidden": false]],
            ])
            #expect(custom.status == 201, "\(custom.text)")
            let hubspot = try await h.connector()
            try await h.resetCounters()
            let all = try await hubspot.discover(DiscoverRequest())
            #expect(all.objects.map(\.name) == ["contacts", "companies", "deals", "invoices"])
            #expect(try await h.apiCounters().values.reduce(0, +) == 4)
            let contacts = try #require(all.objects.first { $0.name == "contacts" })
            func field(_ name: String) throws -> FieldSchema { try #require(contacts.fields.first { $0.name == name }, "\(name)") }
            #expect(try field("email").type == .email && (try field("email")).unique)
            #expect(try field("hs_object_id").type == .id && (try field("hs_object_id")).createable == false)
            #expect(try field("lastmodifieddate").type == .datetime && (try field("lastmodifieddate")).updateable == false)
            let lifecycle = try field("lifecyclestage")
            #expect(lifecycle.type == .picklist && lifecycle.picklist?.contains { $0.value == "customer" } == true)
            let tier = try field("loyalty_tier")
            #expect(tier.custom == true && tier.picklist?.map(\.value) == ["gold", "silver"] && tier.label == "Loyalty tier")
            #expect(try field("firstname").custom == false && (try field("firstname")).createable == true)
            #expect(contacts.fields.count > 100)
            let invoices = try #require(all.objects.first { $0.name == "invoices" })
            #expect(invoices.fields.first { $0.name == "hs_currency" }?.required == true)

            let one = try await hubspot.discover(DiscoverRequest(objects: ["deals"]))
            #expect(one.objects.map(\.name) == ["deals"])
            do {
                _ = try await hubspot.discover(DiscoverRequest(objects: ["tickets"]))
                Issue.record("an unknown object was discovered")
            } catch let e as CrosswalkError {
                #expect(e.code == .notFound && e.message.contains("tickets"))
            }
            await hubspot.close()
        }
    }

    @Test("hs_date gives midnight UTC in milliseconds for a date, a time's date as written and epoch ms; hs_date_text goes back; bad input is the function's error")
    func functions() throws {
        let plugin = try PluginLoader(logger: LogRecorder.logger().0).load(path: TestFiles.builtPlugin("CrosswalkHubSpot"))
        let functions = PluginFunctionRegistry(plugins: [plugin])
        #expect(Set(functions.functions.map(\.qualifiedName)) == ["com.hubspot.hs_date", "com.hubspot.hs_date_ms", "com.hubspot.hs_date_text"])
        func call(_ name: String, _ argument: JSONValue) throws -> JSONValue { try functions.call("com.hubspot.\(name)", [argument]) }
        #expect(try call("hs_date", "2024-05-01") == "1714521600000")
        #expect(try call("hs_date", "2024-05-01T23:30:00-05:00") == "1714521600000")
        #expect(try call("hs_date", "2024-05-01T00:00:00Z") == "1714521600000")
        #expect(try call("hs_date", "1714560000000") == "1714521600000")
        #expect(try call("hs_date", "1969-12-31") == "-86400000")
        #expect(try call("hs_date", .null) == .null)
        #expect(try call("hs_date_ms", "2024-02-29") == .number(JSONNumber(1_709_164_800_000)))
        #expect(try call("hs_date_text", "1714521600000") == "2024-05-01")
        #expect(throws: CrosswalkError.self) { try call("hs_date", "2024-02-30") }
        #expect(throws: CrosswalkError.self) { try call("hs_date", "yesterday") }
        #expect(throws: CrosswalkError.self) { try call("hs_date_ms", .null) }
        #expect(try call("hs_date", "2000-01-01") == "946684800000")
    }
}
