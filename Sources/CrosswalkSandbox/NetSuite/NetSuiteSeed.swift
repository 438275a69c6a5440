import CrosswalkCore
import Foundation

/// Generated account data: customers (companies with a Company ID in `entityId`), two or three contacts linked to each,
/// one or two invoices per customer, and for about half the customers an opportunity (seeded last, from a random
/// stream of its own, so that the other records are the same with or without them); a won opportunity's first invoice
/// names it in `opportunity`, as an invoice billed from it does.
enum NetSuiteSeed {
    static func seed(_ state: inout NetSuiteState, options: SandboxSeed, now: Date) {
        var rng = SeededRandom(seed: options.randomSeed &+ 0x4E53)
        let terms = ["1", "2", "3"]
        for index in 0..<max(0, options.count) {
            let created = now.addingTimeInterval(-Double(86_400 * Int(1 + rng.next() % 365)))
            let name = FakeData.company(&rng, index: state.nextEntityId)
            let domain = FakeData.domain(for: name)
            var customerFields: [String: String] = [
                "companyName": name, "entityId": "CID\(String(format: "%05d", state.nextEntityId))", "email": "billing@\(domain)",
                "phone": FakeData.phone(&rng), "url": "https://www.\(domain)", "terms": rng.pick(terms),
                "creditLimit": String(5_000 * Int(1 + rng.next() % 20)), "externalId": "SEED-CUST-\(index + 1)",
            ]
            if rng.chance(0.3) { customerFields["custentity_sf_account_id"] = "001" + String(format: "%015llX", rng.next() % 0xFFFF_FFFF_FFFF) }
            let customer = state.insert("customer", fields: customerFields, lines: [], now: created)
            for n in 0..<(2 + Int(rng.next() % 2)) {
                let person = FakeData.person(&rng, index: customer.id * 10 + n, domain: domain)
                var fields: [String: String] = ["firstName": person.first, "email": person.email, "phone": FakeData.phone(&rng),
                                                "title": rng.pick(["Controller", "Buyer", "CFO", "Office Manager", "Engineer"]),
                                                "company": String(customer.id)]
                if !rng.chance(0.1) { fields["lastName"] = person.last }
                _ = state.insert("contact", fields: fields, lines: [], now: created.addingTimeInterval(Double(rng.next() % 86_400)))
            }
            for n in 0..<(1 + Int(rng.next() % 2)) {
                let items = Array(NetSuiteRecordRoutes.itemRates.keys.sorted().shuffled(using: &rng).prefix(1 + Int(rng.next() % 3)))
                let lines = items.map { item -> [String: String] in
                    let quantity = Double(1 + rng.next() % 10), rate = NetSuiteRecordRoutes.itemRates[item] ?? 0
                    return ["item": item, "quantity": NetSuiteValues.number(quantity), "rate": NetSuiteValues.number(rate),
                            "amount": NetSuiteValues.number(quantity * rate)]
                }
                let date = created.addingTimeInterval(Double(86_400 * (10 + n * 30)))
                _ = state.insert("invoice", fields: [
                    "entity": String(customer.id), "tranDate": NetSuiteTime.day(date), "dueDate": NetSuiteTime.day(date.addingTimeInterval(86_400 * 30)),
                    "status": rng.chance(0.5) ? "B" : "A", "memo": "Seeded invoice \(n + 1) for \(name)",
                ], lines: lines, now: min(now, date))
            }
        }
        seedOpportunities(&state, options: options, now: now)
    }

    private static func seedOpportunities(_ state: inout NetSuiteState, options: SandboxSeed, now: Date) {
        var rng = SeededRandom(seed: options.randomSeed &+ 0x4F50)
        let invoicesByCustomer = Dictionary(grouping: state.all("invoice"), by: { $0.fields["entity"] ?? "" })
        for customer in state.all("customer") where rng.chance(0.5) {
            let name = customer.fields["companyName"] ?? customer.fields["entityId"] ?? "Customer \(customer.id)"
            let opened = NetSuiteTime.parse(customer.fields["dateCreated"] ?? "")?.date ?? now
            let status = rng.pick(["A", "B", "C", "C", "D"])
            let invoices = invoicesByCustomer[String(customer.id)] ?? []
            let total = invoices.reduce(0.0) { $0 + (Double($1.fields["total"] ?? "") ?? 0) }
            let opportunity = state.insert("opportunity", fields: [
                "entity": String(customer.id), "title": "\(rng.pick(["Renewal", "Expansion", "New business", "Pilot"])) — \(name)",
                "tranDate": NetSuiteTime.day(opened), "expectedCloseDate": NetSuiteTime.day(opened.addingTimeInterval(86_400 * 45)),
                "probability": status == "C" ? "100" : status == "D" ? "0" : String(10 * Int(1 + rng.next() % 9)),
                "projectedTotal": NetSuiteValues.number(total > 0 ? total : Double(1_000 * Int(1 + rng.next() % 50))), "status": status,
            ], lines: [], now: min(now, opened.addingTimeInterval(3_600)))
            // A won opportunity was billed: its customer's first invoice names it (stored as is, no new stamp).
            if status == "C", var first = invoices.first {
                first.fields["opportunity"] = String(opportunity.id)
                state.store(first)
            }
        }
    }
}
