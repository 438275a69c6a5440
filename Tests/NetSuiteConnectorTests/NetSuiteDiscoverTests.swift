import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkTestKit
import Foundation
import Testing

/// `discover` from the metadata catalog, and the manifest the host reads.
@Suite("NetSuite connector: manifest and discover", .serialized)
struct NetSuiteDiscoverTests {
    @Test func theManifestDeclaresObjectsReadBehaviourAuthLimitsAndSignatures() async throws {
        try await NetSuiteHarness.with { h in
            let m = h.plugin.manifest
            #expect(h.plugin.id == "com.netsuite")
            #expect(m.objects.map(\.name) == ["customer", "contact", "invoice", "opportunity"])
            for object in m.objects {
                #expect(object.operations == ["read", "create", "update", "upsert", "delete"])
                #expect(object.externalIDFields == ["externalId"])
                let read = try #require(object.read)
                #expect(read.incremental && read.orderKeys == ["lastModifiedDate", "id"] && read.boundary == .exclusive)
                #expect(read.deletes == .feed && read.byIDs == true)
                #expect(Set(read.filter ?? []) == ["eq", "ne", "lt", "le", "gt", "ge", "in", "is_null", "and", "or", "not"])
            }
            #expect(m.object("contact")?.matchKeys == ["email"])
            #expect(m.auth.scheme == "netsuite_tba")
            #expect(m.auth.alternatives?.first?.scheme == "oauth2")
            #expect(m.auth.alternatives?.first?.grants?.contains("client_credentials") == true)
            #expect(m.auth.alternatives?.first?.scopes == ["rest_webservices"])
            #expect(m.rateLimits?.maxConcurrency == 5)
            #expect(m.batchLimits?.read == 1000 && m.batchLimits?.write == 50)
            #expect(Set(m.settings.map(\.name)) == ["base_url", "account_id", "max_concurrency", "time_zone", "read_lag_seconds"])
            #expect(m.settings.first { $0.name == "base_url" }?.required == true)
            let signature = try #require(m.webhooks?.signature)
            #expect(signature.scheme == "hmac-sha256" && signature.header == "X-NetSuite-Signature" && signature.prefix == "sha256=")
            #expect(signature.signed == ["timestamp", "body"] && signature.separator == "." && signature.encoding == "hex")
            #expect(signature.timestampHeader == "X-NetSuite-Event-Timestamp" && signature.timestampUnit == "s")
            #expect(Set(m.capabilities) == ["crosswalk.read/1", "crosswalk.write/1", "crosswalk.webhooks/1", "crosswalk.discover/2", "crosswalk.functions/1"])
            #expect(m.functions.map(\.name) == ["ns_entity_name", "ns_customer_name"])
        }
    }

    @Test func discoverTypesFieldsFromTheMetadataCatalog() async throws {
        try await NetSuiteHarness.with(seed: 1) { h in
            let client = try await h.client()
            try await h.resetCounters()
            let result = try await client.discover(DiscoverRequest(objects: ["customer"]))
            #expect(result.objects.map(\.name) == ["customer"])
            // The host prefers crosswalk.discover/2: the catalog of the one type asked for, one call.
            #expect(try await h.counters().byRoute == ["GET /services/rest/record/v1/metadata-catalog/customer": 1])
            let fields = Dictionary(uniqueKeysWithValues: try #require(result.objects.first).fields.map { ($0.name, $0) })
            #expect(fields["companyName"]?.type == .string && fields["companyName"]?.createable == true)
            #expect(fields["email"]?.type == .email)
            #expect(fields["phone"]?.type == .phone)
            #expect(fields["url"]?.type == .url)
            #expect(fields["creditLimit"]?.type == .number)
            #expect(fields["isPerson"]?.type == .boolean)
            #expect(fields["lastModifiedDate"]?.type == .datetime)
            #expect(fields["lastModifiedDate"]?.createable == false && fields["lastModifiedDate"]?.updateable == false)
            #expect(fields["id"]?.type == .id && fields["id"]?.unique == true)
            #expect(fields["externalId"]?.externalID == true)
            #expect(fields["subsidiary"]?.type == .reference && fields["subsidiary"]?.referenceTo == ["subsidiary"])
            #expect(fields["custentity_sf_account_id"]?.custom == true)
            #expect(fields["companyName"]?.custom == false)

            try await h.resetCounters()
            let all = try await client.discover()
            #expect(try await h.counters().byRoute == ["GET /services/rest/record/v1/metadata-catalog/contact": 1,
                                                       "GET /services/rest/record/v1/metadata-catalog/invoice": 1,
                                                       "GET /services/rest/record/v1/metadata-catalog/opportunity": 1],
                    "customer's catalog is kept by the instance")
            #expect(all.objects.map(\.name) == ["customer", "contact", "invoice", "opportunity"])
            let contact = try #require(all.objects.first { $0.name == "contact" })
            #expect(contact.fields.first { $0.name == "company" }?.referenceTo == ["customer"])
            let invoice = try #require(all.objects.first { $0.name == "invoice" })
            #expect(invoice.fields.first { $0.name == "tranDate" }?.type == .date)
            #expect(invoice.fields.first { $0.name == "entity" }?.referenceTo == ["customer"])
            #expect(invoice.fields.first { $0.name == "total" }?.createable == false)
            #expect(invoice.fields.first { $0.name == "item" }?.type == .json, "the item sublist")

            // An object the connector does not offer is not_found (crosswalk.h, crosswalk.discover/2).
            let unknown = await #expect(throws: CrosswalkError.self) { try await client.discover(DiscoverRequest(objects: ["salesorder"])) }
            #expect(unknown?.code == .notFound)
            await #expect(throws: CrosswalkError.self) { try await client.read(ReadRequest(object: "salesorder")) }
        }
    }
}
