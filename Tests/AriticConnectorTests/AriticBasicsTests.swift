import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// The manifest as the host loaded it, check (and a refused user), discover.
@Suite("Aritic connector: manifest, check, discover")
struct AriticBasicsTests {
    @Test("the manifest declares contacts and companies, their read blocks, basic auth, batch limits of 200 and base_url")
    func manifest() async throws {
        try await AriticHarness.with { h in
            let m = h.plugin.manifest
            #expect(h.plugin.id == "com.aritic")
            #expect(m.objects.map(\.name) == ["contacts", "companies"])
            let contacts = try #require(m.objects.first { $0.name == "contacts" })
            #expect(contacts.matchKeys == ["email"])
            #expect(Set(contacts.operations).isSuperset(of: ["read", "create", "update", "delete"]))
            let read = try #require(contacts.read)
            #expect(read.incremental && read.orderKeys == ["dateModified", "id"] && read.boundary?.rawValue == "exclusive")
            #expect(read.byIDs == true)
            #expect(m.auth.scheme == "basic")
            #expect(m.batchLimits?.read == 200 && m.batchLimits?.write == 200)
            #expect(m.settings.map(\.name).contains("base_url"))
        }
    }

    @Test("check makes one call and succeeds; a wrong password gets a message a person can act on, without the password")
    func check() async throws {
        try await AriticHarness.with(seed: 3) { h in
            let aritic = try await h.connector()
            try await h.resetCounters()
            let ok = try await aritic.check()
            #expect(ok.ok, "\(ok.message)")
            #expect(ok.message.contains("Connected to Aritic PinPoint"))
            let calls = try await h.counters().filter { !$0.key.contains("__sandbox") }
            #expect(calls.values.reduce(0, +) == 1)
            await aritic.close()

            let wrong = try await h.connector("wrong", password: "not-the-password")
            let refused = try await wrong.check()
            #expect(!refused.ok)
            #expect(refused.message.contains("refused the API user") && refused.message.contains("API authorization denied."))
            #expect(refused.message.contains("HTTP basic auth"))
            #expect(!refused.message.contains("not-the-password"))
            await wrong.close()
        }
    }

    @Test("discover reads both objects' fields from /api/fields, types mapped, e-mail unique, one object on request")
    func discover() async throws {
        try await AriticHarness.with { h in
            let aritic = try await h.connector()
            let all = try await aritic.discover(DiscoverRequest())
            #expect(all.objects.map(\.name) == ["contacts", "companies"])
            let contacts = try #require(all.objects.first { $0.name == "contacts" })
            func field(_ name: String) throws -> FieldSchema { try #require(contacts.fields.first { $0.name == name }) }
            #expect(try field("id").type == .id)
            #expect(try field("email").type == .email && (try field("email")).unique)
            #expect(try field("mobile").type == .phone)
            #expect(try field("crm_id").label != nil)
            #expect(try field("dateModified").type == .datetime && (try field("dateModified")).createable == false)
            let companies = try #require(all.objects.first { $0.name == "companies" })
            #expect(companies.fields.contains { $0.name == "companyname" })

            try await h.resetCounters()
            let one = try await aritic.discover(DiscoverRequest(objects: ["companies"]))
            #expect(one.objects.map(\.name) == ["companies"])
            #expect(try await h.counters()["GET /api/fields/company"] == 1)
            do {
                _ = try await aritic.discover(DiscoverRequest(objects: ["leads"]))
                Issue.record("an unknown object was discovered")
            } catch let e as CrosswalkError {
                #expect(e.code == .notFound && e.message.contains("leads"))
            }
            await aritic.close()
        }
    }
}
