import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkRuntime
import CrosswalkStore
import CrosswalkTestKit
import Foundation
import Testing

@Suite(.serialized) struct SpotioSalesforceTemplateTests {
    @Test("seed 004: SPOTIO leads past a stage (from setup on) become Salesforce Leads with custom fields, activities become Tasks (done completes), Salesforce edits come back, nothing echoes")
    func spotioSalesforceTwoWay() async throws {
        let leads = "spotio-leads-to-salesforce", tasks = "spotio-activities-to-salesforce-tasks"
        try await TemplateHarness.with([.spotioSalesforce], seed: 20) { h in
            let before = try await h.soql("SELECT Id FROM Lead WHERE Spotio_Id__c != null").count
            // Going forward only: the first run starts from now and sends none of the existing leads.
            let setup = try await h.run(leads)
            #expect(setup.counts.created == 0 && setup.counts.updated == 0, "\(setup.counts)")

            // Setup data made in SPOTIO (through its connection): one lead at Sold, one at New Lead.
            let spotio = try await h.runtime.client(for: "spotio")
            let made = try await spotio.write(WriteRequest(object: "Lead", operation: .create, records: [
                WriteItem(ref: "sold", fields: ["FirstName": "Sol", "LastName": "Dover", "Email": "sol.dover@example.com", "Company": "Dover Roofing",
                                                "stageId": "15", "Value": 12_500, "field_108": "Wants a quote for 3 roofs"]),
                WriteItem(ref: "new", fields: ["FirstName": "Nia", "LastName": "Newman", "Email": "nia.newman@example.com", "Company": "Newman Co",
                                               "stageId": "11"]),
            ]))
            #expect(made.results.allSatisfy { $0.ok }, "\(made.results)")
            let sold = try #require(made.results.first { $0.ref == "sold" }?.id), fresh = try #require(made.results.first { $0.ref == "new" }?.id)
            try await h.untilSettled()
            let first = try await h.run(leads)
            #expect(first.counts.created == 1 && first.counts.failed == 0, "only the lead at a synced stage: \(first.counts) \(first.reasons)")
            #expect(first.counts.skipped >= 1 && first.reasons.keys.contains { $0.contains("stageId") }, "\(first.reasons)")
            let sf = try await h.soql("SELECT Id, FirstName, LastName, Email, Company, AnnualRevenue, Description, Spotio_Id__c FROM Lead WHERE Spotio_Id__c != null")
            #expect(sf.count == before + 1)
            let lead = try #require(sf.first { $0.text("Spotio_Id__c") == sold })
            #expect(lead.text("FirstName") == "Sol" && lead.text("LastName") == "Dover" && lead.text("Company") == "Dover Roofing")
            #expect(lead.text("Email") == "sol.dover@example.com" && lead.text("Description") == "Wants a quote for 3 roofs")
            #expect(Double(lead.text("AnnualRevenue")) == 12_500)
            #expect(!sf.contains { $0.text("Spotio_Id__c") == fresh }, "New Lead is not a stage that syncs")

            // Nothing changed on either side (what Crosswalk wrote is not echoed back): nothing written.
            try await h.untilSettled()
            let quiet = try await h.run(leads)
            #expect(quiet.counts.created == 0 && quiet.counts.updated == 0, "\(quiet.counts) \(quiet.reasons)")

            // An activity on the synced lead becomes a Task on it; one on the unsynced lead waits.
            let acts = try await spotio.write(WriteRequest(object: "Activity", operation: .create, records: [
                WriteItem(ref: "call", fields: ["dataObjectId": .string(sold), "type": "Note", "title": "Roof inspection", "notes": "Measured 3 roofs",
                                                "date": "2026-11-30T14:05:00Z", "done": false]),
                WriteItem(ref: "other", fields: ["dataObjectId": .string(fresh), "type": "Note", "title": "Door knock", "date": "2026-11-30T15:00:00Z"]),
            ]))
            #expect(acts.results.allSatisfy { $0.ok }, "\(acts.results)")
            let call = try #require(acts.results.first { $0.ref == "call" }?.id)
            let t1 = try await h.run(tasks)
            #expect(t1.counts.created == 1, "\(t1.counts) \(t1.reasons)")
            #expect(t1.reasons.keys.contains { $0.contains("waits for its Lead") }, "\(t1.reasons)")
            func task() async throws -> [String: Any] {
                try #require(try await h.soql("SELECT Id, Subject, Description, ActivityDate, Status, WhoId FROM Task WHERE Spotio_Id__c = '\(call)'").first)
            }
            let created = try await task()
            #expect(created.text("Subject") == "Roof inspection" && created.text("Description") == "Measured 3 roofs")
            #expect(created.text("ActivityDate") == "2026-11-30" && created.text("Status") == "Not Started" && created.text("WhoId") == lead.text("Id"))
            // Marked done in SPOTIO: the Task is completed.
            _ = try await spotio.write(WriteRequest(object: "Activity", operation: .update, records: [WriteItem(ref: "done", id: call, fields: ["done": true])]))
            let t2 = try await h.run(tasks)
            #expect(t2.counts.updated == 1 && t2.counts.created == 0, "\(t2.counts)")
            let completed = try await task()
            #expect(completed.text("Status") == "Completed")

            // A Salesforce edit of the lead flows back to SPOTIO, once; the run after moves nothing (no ping-pong).
            try await h.change("salesforce", "PATCH", "/services/data/v60.0/sobjects/Lead/\(lead.text("Id"))", ["Phone": "+1 555 0100"])
            try await h.untilSettled()
            let back = try await h.run(leads)
            #expect(back.counts.updated == 1 && back.counts.created == 0, "\(back.counts) \(back.reasons)")
            let read = try await spotio.read(ReadRequest(object: "Lead", ids: [sold]))
            #expect(read.records.first?.fields["Phone"]?.stringValue == "+1 555 0100")
            try await h.untilSettled()
            let after = try await h.run(leads)
            #expect(after.counts.created == 0 && after.counts.updated == 0, "the write to SPOTIO is not echoed: \(after.counts) \(after.reasons)")
            await spotio.close()
        }
    }
}
