import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// The manifest as the host loaded it, check (and a refused key), discover.
@Suite("SPOTIO connector: manifest, check, discover")
struct SPOTIOBasicsTests {
    @Test("the manifest declares the objects, the Lead read block, API-key auth, limits, settings and the signed webhooks")
    func manifest() async throws {
        try await SPOTIOHarness.with { h in
            let m = h.plugin.manifest
            #expect(h.plugin.id == "com.spotio")
            #expect(m.objects.map(\.name) == ["Lead", "Activity", "Stage", "User"])
            let lead = try #require(m.objects.first { $0.name == "Lead" })
            #expect(lead.matchKeys == ["Email"] && lead.externalIDFields == ["externalDataObjectId"])
            #expect(lead.operations == ["read", "create", "update", "delete"])
            let read = try #require(lead.read)
            #expect(read.incremental && read.orderKeys == ["-updatedAt", "id"] && read.boundary?.rawValue == "exclusive")
            #expect(read.deletes?.rawValue == "feed" && read.byIDs == true)
            #expect(m.auth.scheme == "api_key")
            #expect(Set(m.capabilities) == ["crosswalk.read/1", "crosswalk.write/1", "crosswalk.webhooks/1", "crosswalk.discover/2"])
            #expect(m.batchLimits?.read == 1000 && m.batchLimits?.write == 1000)
            #expect(Set(m.settings.map(\.name)).isSuperset(of: ["base_url", "lead_type_id", "settle_seconds", "bulk_threshold"]))
            #expect(m.settings.first { $0.name == "base_url" }?.default == .string("https://api.spotio2.com"))
            #expect(m.webhooks?.signature?.scheme == "hmac-sha256" && m.webhooks?.signature?.header == "X-Signature")
        }
    }

    @Test("check names the Lead type, its stages and fields in one call; a refused API key gets a message a person can act on")
    func check() async throws {
        try await SPOTIOHarness.with { h in
            let spotio = try await h.connector()
            let ok = try await spotio.check()
            #expect(ok.ok)
            #expect(ok.message.contains("DataObject type \"Lead\" (1) with 6 stages and 10 custom fields"))
            #expect(ok.message.contains("Customer (2)"))
            let calls = try await h.counters()
            #expect(calls["GET /api/workflow/dataObjects/full"] == 1)
            await spotio.close()

            let wrong = try await h.connector("wrong-key", secret: "not-the-secret")
            let refused = try await wrong.check()
            #expect(!refused.ok)
            #expect(refused.message.contains("SPOTIO refused the API key"))
            #expect(refused.message.contains("Settings → Integrations → API Access"))
            #expect(!refused.message.contains("not-the-secret"))
            await wrong.close()

            let missingType = try await h.connector("type-9", settings: ["lead_type_id": "9"])
            let noType = try await missingType.check()
            #expect(!noType.ok && noType.message.contains("no DataObject type 9") && noType.message.contains("Lead (1)"))
            await missingType.close()
        }
    }

    @Test("discover maps the Lead type's custom fields by system role, choices as picklists, stages as the stageId picklist")
    func discover() async throws {
        try await SPOTIOHarness.with { h in
            let spotio = try await h.connector()
            let result = try await spotio.discover(DiscoverRequest())
            #expect(result.objects.map(\.name) == ["Lead", "Activity", "Stage", "User"])
            let lead = try #require(result.objects.first { $0.name == "Lead" })
            func field(_ name: String) throws -> FieldSchema { try #require(lead.fields.first { $0.name == name }) }
            #expect(try field("id").type == .id)
            #expect(try field("Email").type == .email && (try field("Email")).custom == true && (try field("Email")).label == "Email")
            #expect(try field("FirstName").label == "First Name")
            #expect(try field("Value").type == .currency)
            let source = try field("field_107")
            #expect(source.type == .picklist && source.label == "Lead Source" && (source.picklist ?? []).contains { $0.value == "Referral" })
            #expect(try field("field_109").type == .multipicklist)
            #expect(try field("field_110").type == .date)
            let stage = try field("stageId")
            #expect(stage.type == .reference && stage.referenceTo == ["Stage"] && (stage.picklist ?? []).contains { $0.value == "15" && $0.label == "Sold" })
            #expect(try field("externalDataObjectId").externalID == true)
            #expect(try field("updatedAt").type == .datetime && (try field("updatedAt")).createable == false)
            let activity = try #require(result.objects.first { $0.name == "Activity" })
            #expect(activity.fields.first { $0.name == "dataObjectId" }?.referenceTo == ["Lead"])

            let one = try await spotio.discover(DiscoverRequest(objects: ["Stage"]))
            #expect(one.objects.map(\.name) == ["Stage"])
            do {
                _ = try await spotio.discover(DiscoverRequest(objects: ["Pin"]))
                Issue.record("an unknown object was discovered")
            } catch let e as CrosswalkError {
                #expect(e.code == .notFound && e.message.contains("Pin"))
            }
            // The workflow configuration is fetched once per instance.
            #expect(try await h.counters()["GET /api/workflow/dataObjects/full"] == 1)
            await spotio.close()
        }
    }
}
