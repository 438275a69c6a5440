import CrosswalkCore
import CrosswalkEngine
import CrosswalkRuntime
import CrosswalkStore
import CrosswalkTestKit
import Foundation
import Testing

@Suite(.serialized) struct SalesforceNetSuiteTemplateTests {
    @Test("seed 001: Salesforce contacts → NetSuite contacts through the model; empty LastName filtered out with its reason; a second run writes nothing; an edit moves alone")
    func salesforceContactsToNetSuite() async throws {
        let flow = "salesforce-contacts-to-netsuite"
        try await TemplateHarness.with([.salesforceContactsToNetSuite], seed: 40) { h in
            let contacts = try await h.soql("SELECT Id, Email, FirstName, LastName FROM Contact")
            let qualifying = contacts.filter { !$0.text("LastName").isEmpty }
            #expect(qualifying.count > 80 && qualifying.count < contacts.count, "the seed has contacts with and without a LastName")

            let first = try await h.run(flow)
            #expect(first.counts.created == qualifying.count && first.counts.failed == 0, "\(first.counts) \(first.reasons)")
            #expect(first.counts.skipped == contacts.count - qualifying.count)
            #expect(first.reasons.keys.contains { $0.contains("LastName") }, "the skip reason names the rule: \(first.reasons)")

            // NetSuite holds each qualifying contact once, field by field, keyed by the Salesforce id.
            let rows = try await h.suiteQL("SELECT id, email, firstname, lastname, custentity_sf_contact_id FROM contact WHERE custentity_sf_contact_id IS NOT NULL")
            let bySF = Dictionary(grouping: rows, by: { $0.text("custentity_sf_contact_id") })
            #expect(Set(bySF.keys) == Set(qualifying.map { $0.text("Id") }))
            #expect(bySF.values.allSatisfy { $0.count == 1 }, "no contact twice")
            for c in qualifying {
                let ns = bySF[c.text("Id")]?.first ?? [:]
                #expect(ns.text("email") == c.text("Email") && ns.text("firstname") == c.text("FirstName") && ns.text("lastname") == c.text("LastName"))
            }
            // The ID map links each pair.
            let one = qualifying[0].text("Id")
            let twins = try await h.flows.idmap(connection: "salesforce", object: "Contact", id: one)
            #expect(twins.contains { $0.b.id == bySF[one]?.first?.text("id") || $0.a.id == bySF[one]?.first?.text("id") }, "\(twins)")
            // The sync log keeps each skipped record's reason.
            let log = try await h.flows.log(run: first.run!, limit: 1_000)
            let skipped = log.filter { $0.outcome == .skipped }
            #expect(skipped.count == contacts.count - qualifying.count && skipped.allSatisfy { ($0.reason ?? "").contains("LastName") })

            let second = try await h.run(flow)
            #expect(second.counts.created == 0 && second.counts.updated == 0 && second.counts.failed == 0, "\(second.counts)")

            // One edit in Salesforce moves alone.
            try await h.change("salesforce", "PATCH", "/services/data/v60.0/sobjects/Contact/\(one)", ["FirstName": "Edited"])
            try await h.untilSettled()
            let third = try await h.run(flow)
            #expect(third.counts.created == 0 && third.counts.updated == 1, "\(third.counts)")
            let after = try await h.suiteQL("SELECT firstname FROM contact WHERE custentity_sf_contact_id = '\(one)'")
            #expect(after.first?.text("firstname") == "Edited")
        }
    }

    @Test("seed 000: NetSuite contacts → Salesforce contacts only of customers synced as accounts; the ids written back; the others failed with the reason and retried once their account syncs")
    func netsuiteContactsToSalesforce() async throws {
        try await TemplateHarness.with([.netsuiteContactsToSalesforce], seed: 30) { h in
            let customers = try await h.suiteQL("SELECT id, companyname, creditlimit FROM customer")
            let synced = Set(customers.filter { (Int($0.text("creditlimit")) ?? 0) >= 50_000 }.map { $0.text("id") })
            #expect(synced.count > 5 && synced.count < customers.count, "some customers qualify as accounts, some do not")
            let contacts = try await h.suiteQL("SELECT id, firstname, lastname, email, company FROM contact")
            let named = contacts.filter { !$0.text("lastname").isEmpty }
            let ready = named.filter { synced.contains($0.text("company")) }, waiting = named.filter { !synced.contains($0.text("company")) }
            #expect(!ready.isEmpty && !waiting.isEmpty && named.count < contacts.count)

            // The accounts first: each carries its NetSuite Company ID, and its id is written back to the customer.
            let accounts = try await h.run("netsuite-customers-to-salesforce")
            #expect(accounts.counts.created == synced.count && accounts.counts.failed == 0, "\(accounts.counts)")
            let sfAccounts = try await h.soql("SELECT Id, Name, NetSuite_Id__c FROM Account WHERE NetSuite_Id__c != null")
            // (The org's seeded records carry NetSuite ids of their own, of no customer of this account.)
            let customerIDs = Set(customers.map { $0.text("id") }), contactIDs = Set(contacts.map { $0.text("id") })
            let accountOf = Dictionary(uniqueKeysWithValues: sfAccounts.filter { customerIDs.contains($0.text("NetSuite_Id__c")) }
                .map { ($0.text("NetSuite_Id__c"), $0.text("Id")) })
            #expect(Set(accountOf.keys) == synced)
            let written = try await h.suiteQL("SELECT id, custentity_sf_account_id FROM customer")
            for c in written where synced.contains(c.text("id")) { #expect(c.text("custentity_sf_account_id") == accountOf[c.text("id")]) }

            let first = try await h.run("netsuite-contacts-to-salesforce")
            #expect(first.counts.created == ready.count, "\(first.counts) \(first.reasons)")
            #expect(first.counts.failed == waiting.count, "a contact of an unsynced company fails")
            #expect(first.counts.skipped == contacts.count - named.count, "no last name: does not qualify")
            let sfContacts = try await h.soql("SELECT Id, FirstName, LastName, Email, AccountId, NetSuite_Id__c FROM Contact WHERE NetSuite_Id__c != null")
            let byNS = Dictionary(grouping: sfContacts.filter { contactIDs.contains($0.text("NetSuite_Id__c")) }, by: { $0.text("NetSuite_Id__c") })
            #expect(Set(byNS.keys) == Set(ready.map { $0.text("id") }) && byNS.values.allSatisfy { $0.count == 1 })
            for c in ready {
                let sf = byNS[c.text("id")]?.first ?? [:]
                #expect(sf.text("LastName") == c.text("lastname") && sf.text("FirstName") == c.text("firstname") && sf.text("Email") == c.text("email"))
                #expect(sf.text("AccountId") == accountOf[c.text("company")], "linked to its company's account")
            }
            // The Salesforce id written back to each NetSuite contact.
            let back = try await h.suiteQL("SELECT id, custentity_sf_contact_id FROM contact WHERE custentity_sf_contact_id IS NOT NULL")
            #expect(Dictionary(uniqueKeysWithValues: back.map { ($0.text("id"), $0.text("custentity_sf_contact_id")) })
                    == Dictionary(uniqueKeysWithValues: byNS.map { ($0.key, $0.value[0].text("Id")) }))
            // Each unmet condition is in the failed queue with its reason.
            let errors = try await h.flows.errors(flow: "netsuite-contacts-to-salesforce")
            #expect(Set(errors.map(\.failure.source.id)) == Set(waiting.map { $0.text("id") }))
            #expect(errors.allSatisfy { $0.failure.message.contains("customer") && $0.failure.message.contains("synced") }, "\(errors.first?.failure.message ?? "")")

            // Nothing changed (the write-backs are not changes to sync): nothing written.
            try await h.untilSettled()
            let quiet = try await h.run("netsuite-contacts-to-salesforce")
            #expect(quiet.counts.created == 0 && quiet.counts.updated == 0, "\(quiet.counts)")

            // One waiting company qualifies: its account syncs, and a retry moves its contacts.
            let late = waiting[0].text("company")
            try await h.change("netsuite", "PATCH", "/services/rest/record/v1/customer/\(late)", ["creditLimit": 75_000])
            try await h.untilSettled()
            #expect(try await h.run("netsuite-customers-to-salesforce").counts.created == 1)
            let retried = try await h.flows.retry("netsuite-contacts-to-salesforce")
            let theirs = waiting.filter { $0.text("company") == late }
            #expect(retried.counts.created == theirs.count, "\(retried.counts) \(retried.reasons)")
            let left = try await h.flows.errors(flow: "netsuite-contacts-to-salesforce")
            #expect(left.count == waiting.count - theirs.count)
        }
    }
}
