import CrosswalkCore
import Foundation

/// Generated portal data: per company three contacts (about one in ten without email, one in ten without
/// last name), one deal and one invoice, all associated as HubSpot associates them.
enum HubSpotSeed {
    static func seed(_ state: inout HubSpotState, options: SandboxSeed, now: Date) {
        var rng = SeededRandom(seed: options.randomSeed)
        let stages = ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "contractsent", "closedwon", "closedlost"]
        let base = state.nextObjectId
        for index in 0..<max(0, options.count) {
            let number = base + index
            let created = now.addingTimeInterval(-Double(86_400 * Int(1 + rng.next() % 365)) - Double(rng.next() % 86_400))
            func later() -> Date { min(now, created.addingTimeInterval(Double(rng.next() % (86_400 * 30)))) }
            let name = FakeData.company(&rng, index: number)
            let domain = FakeData.domain(for: name)
            let (city, region, country) = rng.pick(FakeData.cities)
            let company = state.create(.companies, values: [
                "name": name, "domain": domain, "website": "https://www.\(domain)", "phone": FakeData.phone(&rng),
                "industry": rng.pick(FakeData.industries), "city": city, "state": region.isEmpty ? nil : region, "country": country,
                "numberofemployees": String(10 + rng.next() % 5000), "annualrevenue": String(100_000 + rng.next() % 50_000_000),
                "lifecyclestage": rng.pick(["lead", "opportunity", "customer"]), "createdate": HubSpotTime.iso(created),
            ], at: later(), source: "IMPORT")

            var contactIds: [String] = []
            for n in 0..<3 {
                let person = FakeData.person(&rng, index: number * 10 + n, domain: domain)
                let contact = state.create(.contacts, values: [
                    "firstname": person.first, "lastname": rng.chance(0.1) ? nil : person.last,
                    "email": rng.chance(0.1) ? nil : person.email, "phone": FakeData.phone(&rng), "company": name,
                    "jobtitle": rng.pick(["CEO", "CTO", "Buyer", "Office Manager", "Engineer", "Accountant"]),
                    "city": city, "country": country, "lifecyclestage": rng.pick(["subscriber", "lead", "customer"]),
                    "createdate": HubSpotTime.iso(created),
                ], at: later(), source: "IMPORT")
                contactIds.append(contact.id)
                state.associations.add(HubSpotEdge(from: .contacts, fromId: contact.id, to: .companies, toId: company.id),
                                       typeIds: n == 0 ? [279, 1] : [279])
            }

            let amount = 1_000 + Int(rng.next() % 99_000)
            let deal = state.create(.deals, values: [
                "dealname": "\(name) – \(rng.pick(["Renewal", "Expansion", "New business", "Pilot"]))", "amount": String(amount),
                "dealstage": rng.pick(stages), "pipeline": "default",
                "closedate": HubSpotTime.iso(created.addingTimeInterval(86_400 * 45)), "createdate": HubSpotTime.iso(created),
            ], at: later(), source: "IMPORT")
            state.associations.add(HubSpotEdge(from: .deals, fromId: deal.id, to: .companies, toId: company.id), typeIds: [341, 5])
            state.associations.add(HubSpotEdge(from: .deals, fromId: deal.id, to: .contacts, toId: contactIds[0]), typeIds: [3])

            let paid = rng.chance(0.5)
            let invoice = state.create(.invoices, values: [
                "hs_currency": "USD", "hs_invoice_status": paid ? "paid" : "open", "hs_number": "INV-\(number)",
                "hs_invoice_date": HubSpotTime.iso(created), "hs_due_date": HubSpotTime.iso(created.addingTimeInterval(86_400 * 30)),
                "hs_amount_billed": String(amount), "hs_balance_due": paid ? "0" : String(amount),
            ], at: later(), source: "IMPORT")
            state.associations.add(HubSpotEdge(from: .invoices, fromId: invoice.id, to: .contacts, toId: contactIds[0]), typeIds: [177])
            state.associations.add(HubSpotEdge(from: .invoices, fromId: invoice.id, to: .companies, toId: company.id), typeIds: [179])
            state.associations.add(HubSpotEdge(from: .invoices, fromId: invoice.id, to: .deals, toId: deal.id), typeIds: [175])
        }
    }
}
