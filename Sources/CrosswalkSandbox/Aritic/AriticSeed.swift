import CrosswalkCore
import Foundation

/// Generated demo data: companies, contacts linked to them (some without e-mail, some without company),
/// and the segments "Salesforce sync" (about half the contacts) and "Newsletter".
extension AriticStore {
    func seed(_ options: SandboxSeed) {
        // Whole seconds, as Mautic's DATETIME columns keep them (see AriticStore.handle).
        let now = Date(timeIntervalSince1970: environment.now().timeIntervalSince1970.rounded(.down))
        var rng = SeededRandom(seed: options.randomSeed &+ state.seedRounds &* 7_919)
        state.seedRounds += 1
        let sync = seedSegment(name: "Salesforce sync", description: "Contacts kept in step with Salesforce", now: now)
        let newsletter = seedSegment(name: "Newsletter", description: "Monthly newsletter audience", now: now)
        for _ in 0..<options.count {
            let companyId = seedCompany(rng: &rng, now: now)
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let contactId = seedContact(company: rng.chance(0.9) ? companyId : nil, rng: &rng, now: now)
                if rng.chance(0.5) { setMembership(sync, contactId, add: true, now: now) }
                if rng.chance(0.3) { setMembership(newsletter, contactId, add: true, now: now) }
            }
        }
    }

    private func seedSegment(name: String, description: String, now: Date) -> Int {
        if let existing = state.segments.values.first(where: { $0.name == name }) { return existing.id }
        let id = state.nextSegmentId
        state.nextSegmentId += 1
        let alias = name.lowercased().replacingOccurrences(of: " ", with: "-")
        state.segments[id] = AriticSegment(id: id, name: name, alias: alias, description: description, isPublished: true, isGlobal: true,
                                           filters: Data("[]".utf8), dateAdded: now.addingTimeInterval(-400 * 86_400),
                                           dateModified: nil, createdBy: 1, modifiedBy: nil)
        return id
    }

    private func dates(_ rng: inout SeededRandom, now: Date) -> (added: Date, modified: Date?) {
        let added = now.addingTimeInterval(-Double(86_400 * (20 + Int(rng.next() % 360)) + Int(rng.next() % 86_400)))
        let modified = rng.chance(0.6) ? min(now, added.addingTimeInterval(Double(rng.next() % (86_400 * 20)))) : nil
        return (added, modified)
    }

    private func seedCompany(rng: inout SeededRandom, now: Date) -> Int {
        let id = state.nextCompanyId
        state.nextCompanyId += 1
        let name = FakeData.company(&rng, index: id)
        let (city, region, country) = rng.pick(FakeData.cities)
        let (added, modified) = dates(&rng, now: now)
        let domain = FakeData.domain(for: name)
        let street = "\(10 + rng.next() % 900) \(rng.pick(FakeData.streets))"
        let zip = String(10_000 + rng.next() % 89_999)
        let employees = String(5 + rng.next() % 5_000)
        let revenue = String(100_000 * (1 + rng.next() % 500))
        var values: [String: String] = ["companyname": name, "companyemail": "info@\(domain)", "companyphone": FakeData.phone(&rng)]
        values["companycity"] = city
        values["companycountry"] = country
        values["companywebsite"] = "https://\(domain)"
        values["companyaddress1"] = street
        values["companyzipcode"] = zip
        values["companyindustry"] = rng.pick(FakeData.industries)
        values["companynumber_of_employees"] = employees
        values["companyannual_revenue"] = revenue
        if !region.isEmpty { values["companystate"] = region }
        state.setRecord(.companies, id, AriticRecord(id: id, values: values, dateAdded: added, dateModified: modified, createdBy: 1,
                                           modifiedBy: modified == nil ? nil : 1, ownerId: rng.chance(0.7) ? 2 : nil,
                                           points: Int(rng.next() % 200), lastActive: nil, dateIdentified: nil, tags: [], ipAddresses: []))
        return id
    }

    private func seedContact(company: Int?, rng: inout SeededRandom, now: Date) -> Int {
        let id = state.nextContactId
        state.nextContactId += 1
        let companyName = company.flatMap { state.companies[$0]?.values["companyname"] }
        let domain = companyName.map(FakeData.domain(for:)) ?? "mail.example.com"
        let person = FakeData.person(&rng, index: id, domain: domain)
        let (city, region, country) = rng.pick(FakeData.cities)
        let (added, modified) = dates(&rng, now: now)
        var values = ["firstname": person.first, "lastname": person.last, "city": city, "country": country,
                      "position": rng.pick(["CEO", "CTO", "Buyer", "Marketing Manager", "Engineer", "Office Manager"]),
                      "phone": FakeData.phone(&rng)]
        if !rng.chance(0.15) { values["email"] = person.email }
        if !region.isEmpty { values["state"] = region }
        if let companyName { values["company"] = companyName }
        if rng.chance(0.3) { values["crm_id"] = "003\(String(format: "%012d", rng.next() % 1_000_000_000_000))" }
        state.setRecord(.contacts, id, AriticRecord(id: id, values: values, dateAdded: added, dateModified: modified, createdBy: 1,
                                          modifiedBy: modified == nil ? nil : 1, ownerId: rng.chance(0.6) ? 2 : nil,
                                          points: Int(rng.next() % 100), lastActive: modified ?? added, dateIdentified: added,
                                          tags: rng.chance(0.3) ? ["customer"] : [], ipAddresses: []))
        if let company {
            state.links[id, default: []].append(AriticCompanyLink(contactId: id, companyId: company, dateAdded: added, isPrimary: true))
        }
        return id
    }
}
