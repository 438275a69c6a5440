import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// The manifest as the host loaded it, check in every account state, discover.
@Suite("Salesforce connector: manifest, check, discover")
struct SalesforceBasicsTests {
    @Test("the manifest declares the objects, read blocks, OAuth endpoints, limits, settings, outbound-message ack and functions")
    func manifest() async throws {
        try await SalesforceHarness.with { h in
            let m = h.plugin.manifest
            #expect(h.plugin.id == "com.salesforce")
            #expect(Set(m.objects.map(\.name)).isSuperset(of: ["Account", "Contact", "Lead", "Opportunity", "Task"]))
            let contact = try #require(m.objects.first { $0.name == "Contact" })
            #expect(contact.matchKeys == ["Email"])
            #expect(contact.externalIDFields == ["NetSuite_Id__c", "Spotio_Id__c", "Aritic_Id__c"])
            #expect(contact.operations == ["read", "create", "update", "upsert", "delete"])
            let read = try #require(contact.read)
            #expect(read.incremental && read.orderKeys == ["SystemModstamp", "Id"] && read.boundary?.rawValue == "exclusive")
            #expect(read.deletes?.rawValue == "flag" && read.byIDs == true)
            #expect(m.auth.scheme == "oauth2")
            #expect(m.auth.authorizeURL == "https://login.salesforce.com/services/oauth2/authorize")
            #expect(m.auth.tokenURL == "https://login.salesforce.com/services/oauth2/token")
            #expect(m.auth.scopes == ["api", "refresh_token"])
            #expect(Set(m.capabilities) == ["crosswalk.read/1", "crosswalk.write/1", "crosswalk.webhooks/1", "crosswalk.discover/2", "crosswalk.functions/1"])
            #expect(m.batchLimits?.read == 2000 && m.batchLimits?.write == 200)
            #expect(m.settings.first { $0.name == "api_version" }?.default == .string("60.0"))
            #expect(Set(m.settings.map(\.name)).isSuperset(of: ["base_url", "api_version", "bulk_threshold", "quota_stop_percent"]))
            #expect(m.webhooks?.signature?.scheme == "none")
            #expect(m.webhooks?.ack?.body.contains("<Ack>true</Ack>") == true)
            #expect(m.functions.map(\.name) == ["sf_id18", "sf_id15"])
        }
    }

    @Test("check names the org, the user and the quota; each account state gets a message a person can act on")
    func checkAndAccountStates() async throws {
        try await SalesforceHarness.with { h in
            let sf = try await h.connector()
            let ok = try await sf.check()
            #expect(ok.ok)
            #expect(ok.message.contains(SalesforceApp.organizationID))
            #expect(ok.message.contains("integration@crosswalk-sandbox.example"))
            #expect(ok.message.contains("daily API requests used"))

            for state in ["api_disabled", "user_api_disabled"] {
                _ = try await h.control("app/account_state", ["state": state])
                let refused = try await sf.check()
                #expect(!refused.ok)
                #expect(refused.message.contains("Enterprise, Unlimited, Developer and Performance editions"))
                #expect(refused.message.contains("\"API Enabled\" permission"))
                #expect(refused.message.contains("API_DISABLED_FOR_ORG"))
            }
            _ = try await h.control("app/account_state", ["state": "password_expired"])
            let expired = try await sf.check()
            #expect(!expired.ok)
            #expect(expired.message.contains("password has expired"))
            #expect(expired.message.contains("INVALID_OPERATION_WITH_EXPIRED_PASSWORD"))

            _ = try await h.control("app/account_state", ["state": "ok"])
            #expect(try await sf.check().ok)
            await sf.close()
        }
    }

    @Test("discover maps describe onto the ABI's types: ids, references (several targets), picklists, currency, addresses, flags, custom external ids")
    func discover() async throws {
        try await SalesforceHarness.with { h in
            let sf = try await h.connector()
            let result = try await sf.discover(DiscoverRequest())
            #expect(Set(result.objects.map(\.name)).isSuperset(of: ["Account", "Contact", "Lead", "Opportunity", "Task"]))
            let contact = try #require(result.objects.first { $0.name == "Contact" })
            func field(_ object: ObjectSchema, _ name: String) throws -> FieldSchema { try #require(object.fields.first { $0.name == name }) }
            #expect(try field(contact, "Id").type == .id)
            let email = try field(contact, "Email")
            #expect(email.type == .email && email.createable == true && email.updateable == true && email.nillable == true && email.length == 80)
            let last = try field(contact, "LastName")
            #expect(last.type == .string && last.required && last.nillable == false)
            let account = try field(contact, "AccountId")
            #expect(account.type == .reference && account.referenceTo == ["Account"])
            #expect(try field(contact, "MailingAddress").type == .address)
            let netsuite = try field(contact, "NetSuite_Id__c")
            #expect(netsuite.externalID == true && netsuite.custom == true)
            let source = try field(contact, "LeadSource")
            #expect(source.type == .picklist && (source.picklist ?? []).contains { $0.value == "Web" })
            #expect(try field(contact, "SystemModstamp").type == .datetime && (try field(contact, "SystemModstamp")).createable == false)
            let task = try #require(result.objects.first { $0.name == "Task" })
            #expect(Set(try field(task, "WhoId").referenceTo) == ["Contact", "Lead"])
            let opportunity = try #require(result.objects.first { $0.name == "Opportunity" })
            #expect(try field(opportunity, "Amount").type == .currency)
            #expect(try field(opportunity, "CloseDate").type == .date)
            #expect(contact.operations == ["read", "create", "update", "upsert", "delete"])
            // One global describe and one describe per object, once per instance.
            let counts = try await h.counters()
            #expect(counts["GET /services/data/v60.0/sobjects/"] == 1)
            _ = try await sf.discover(DiscoverRequest())
            let again = try await h.counters()
            #expect(again.filter { $0.key.contains("/describe") }.values.reduce(0, +) == counts.filter { $0.key.contains("/describe") }.values.reduce(0, +))
            await sf.close()
        }
    }

    @Test("discover/2 describes only the objects asked for; an object the org lacks is not_found")
    func discoverChosenObjects() async throws {
        try await SalesforceHarness.with { h in
            let sf = try await h.connector()
            let result = try await sf.discover(DiscoverRequest(objects: ["Task", "User"]))
            #expect(result.objects.map(\.name) == ["Task", "User"])
            let describes = try await h.counters().filter { $0.key.hasSuffix("/describe/") }
            #expect(describes.keys.sorted() == ["GET /services/data/v60.0/sobjects/Task/describe/", "GET /services/data/v60.0/sobjects/User/describe/"])
            do {
                _ = try await sf.discover(DiscoverRequest(objects: ["Invoice__c"]))
                Issue.record("an unknown object was discovered")
            } catch let e as CrosswalkError {
                #expect(e.code == .notFound && e.message.contains("Invoice__c"))
            }
            await sf.close()
        }
    }
}
