import CrosswalkCore
import Foundation

/// Generated portal data: per company three contacts (about one in ten without email, one in ten without
/// last name), one deal and one invoice, all associated as HubSpot associates them. Creation times spread over the
/// last year and modification times over the time since, to the millisecond, so that no two records share a
/// `lastmodifieddate` by construction (an incremental read re-reads nothing it has seen).
enum HubSpotSeed {
    static func seed(_ state: inout HubSpotState, options: SandboxSeed, now: Date) {
        var rng = SeededRandom(seed: options.randomSeed)
        let stages = ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "contractsent", "closedwon", "closedlost"]
        let owners = state.portal.owners.filter { !$0.archived }.map { String($0.id) }
        let base = state.nextObjectId
        let links = state.labels
        state.associations.reserveCapacity(edges: max(0, options.count) * 16)
        for index in 0..<max(0, options.count) {
            let number = base + index
            let created = now.addingTimeInterval(-Double(rng.next() % (365 * 86_400_000)) / 1000 - 3_600)
            let span = now.timeIntervalSince(created) - 1
            /// A modification time after `created` and before now, to the millisecond.
            func later() -> Date { created.addingTimeInterval(Double(rng.next() % UInt64(span * 1000)) / 1000) }
            let name = FakeData.company(&rng, index: number)
            let domain = FakeData.domain(for: name)
            let (city, region, country) = rng.pick(FakeData.cities)
            let owner = rng.pick(owners)
            let street = "\(1 + rng.next() % 9_000) \(rng.pick(FakeData.streets))"
            let company = state.create(.companies, values: [
                "name": name, "domain": domain, "website": "https://www.\(domain)", "phone": FakeData.phone(&rng),
                "industry": rng.pick(HubSpotPropertyCatalog.industries), "city": city, "state": region.isEmpty ? nil : region,
                "country": country, "address": street, "zip": String(10_000 + rng.next() % 89_999),
                "numberofemployees": String(10 + rng.next() % 5000), "annualrevenue": String(100_000 + rng.next() % 50_000_000),
                "lifecyclestage": rng.pick(["lead", "opportunity", "customer"]), "createdate": HubSpotTime.iso(created),
                "hubspot_owner_id": owner, "type": rng.pick(["PROSPECT", "PARTNER", "RESELLER", "VENDOR", "OTHER"]),
                "hs_lead_status": rng.pick(["NEW", "OPEN", "IN_PROGRESS", "CONNECTED"]), "timezone": "Europe/Paris",
                "description": "\(name) makes things for the \(city) market.",
            ], at: later(), source: "IMPORT")

            var contactIds: [String] = []
            for n in 0..<3 {
                let person = FakeData.person(&rng, index: number * 10 + n, domain: domain)
                let contact = state.create(.contacts, values: [
                    "firstname": person.first, "lastname": rng.chance(0.1) ? nil : person.last,
                    "email": rng.chance(0.1) ? nil : person.email, "phone": FakeData.phone(&rng), "company": name,
                    "mobilephone": rng.chance(0.5) ? FakeData.phone(&rng) : nil,
                    "jobtitle": rng.pick(["CEO", "CTO", "Buyer", "Office Manager", "Engineer", "Accountant"]),
                    "address": street, "city": city, "state": region.isEmpty ? nil : region, "country": country,
                    "lifecyclestage": rng.pick(["subscriber", "lead", "customer"]), "createdate": HubSpotTime.iso(created),
                    "hubspot_owner_id": owner, "hs_lead_status": rng.pick(["NEW", "OPEN", "IN_PROGRESS", "CONNECTED", "UNQUALIFIED"]),
                    "website": "https://www.\(domain)", "hs_language": rng.pick(["en", "fr", "de", "es"]),
                ], at: later(), source: "IMPORT")
                contactIds.append(contact.idText)
                state.associations.add(HubSpotEdge(from: .contacts, fromId: contact.idText, to: .companies, toId: company.idText),
                                       typeIds: n == 0 ? [279, 1] : [279], labels: links)
            }

            let amount = 1_000 + Int(rng.next() % 99_000)
            let deal = state.create(.deals, values: [
                "dealname": "\(name) – \(rng.pick(["Renewal", "Expansion", "New business", "Pilot"]))", "amount": String(amount),
                "dealstage": rng.pick(stages), "pipeline": "default", "hubspot_owner_id": owner,
                "dealtype": rng.pick(["newbusiness", "existingbusiness"]), "hs_priority": rng.pick(["low", "medium", "high"]),
                "closedate": HubSpotTime.iso(created.addingTimeInterval(86_400 * 45)), "createdate": HubSpotTime.iso(created),
            ], at: later(), source: "IMPORT")
            state.associations.add(HubSpotEdge(from: .deals, fromId: deal.idText, to: .companies, toId: company.idText), typeIds: [341, 5],
                                   labels: links)
            state.associations.add(HubSpotEdge(from: .deals, fromId: deal.idText, to: .contacts, toId: contactIds[0]), typeIds: [3], labels: links)

            let paid = rng.chance(0.5)
            let invoice = state.create(.invoices, values: [
                "hs_currency": "USD", "hs_invoice_status": paid ? "paid" : "open", "hs_number": "INV-\(number)",
                "hs_invoice_date": HubSpotTime.iso(created), "hs_due_date": HubSpotTime.iso(created.addingTimeInterval(86_400 * 30)),
                "hs_amount_billed": String(amount), "hs_balance_due": paid ? "0" : String(amount),
            ], at: later(), source: "IMPORT")
            state.associations.add(HubSpotEdge(from: .invoices, fromId: invoice.idText, to: .contacts, toId: contactIds[0]), typeIds: [177],
                                   labels: links)
            state.associations.add(HubSpotEdge(from: .invoices, fromId: invoice.idText, to: .companies, toId: company.idText), typeIds: [179],
                                   labels: links)
            state.associations.add(HubSpotEdge(from: .invoices, fromId: invoice.idText, to: .deals, toId: deal.idText), typeIds: [175],
                                   labels: links)
        }
    }
}
