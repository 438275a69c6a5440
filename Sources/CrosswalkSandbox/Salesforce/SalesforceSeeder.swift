import Foundation

/// Realistic generated org data: users, and per seeded account about three contacts, plus leads,
/// opportunities and tasks. The same seed gives the same data.
///
/// Seeded rows skip API validation on purpose in one way: about 4% of contacts have no LastName
/// (legacy imported rows), so flows that filter out an empty LastName have something to filter.
enum SalesforceSeeder {
    /// The API user (fixed id, the credentials' username) and four sales reps.
    static func addUsers(to store: inout SalesforceStore, credentials: SalesforceCredentials, now: Date) {
        let created = SalesforceDates.adding(days: -400, to: now)
        let people = [("Integration", "User", credentials.username, SalesforceApp.apiUserID),
                      ("Maya", "Okafor", "maya.okafor@crosswalk-sandbox.example", SalesforceID.to18("005Hs000000Cwl1")),
                      ("Tomás", "Reyes", "tomas.reyes@crosswalk-sandbox.example", SalesforceID.to18("005Hs000000Cwl2")),
                      ("Hannah", "Berg", "hannah.berg@crosswalk-sandbox.example", SalesforceID.to18("005Hs000000Cwl3")),
                      ("Kenji", "Mori", "kenji.mori@crosswalk-sandbox.example", SalesforceID.to18("005Hs000000Cwl4"))]
        for (first, last, username, id) in people where store.record(id) == nil {
            let stamp = SalesforceValue.text(SalesforceDates.dateTime(created))
            var record = SalesforceRecord(id: id, type: "User", fields: [
                "Id": .text(id), "Username": .text(username), "FirstName": .text(first), "LastName": .text(last),
                "Email": .text(username), "Alias": .text(String((first.prefix(1) + last.prefix(4)).lowercased())),
                "IsActive": .bool(true), "CreatedDate": stamp, "LastModifiedDate": stamp, "SystemModstamp": stamp,
            ], modstamp: created)
            record.recalculate()
            store.put(record)
        }
    }

    static let userIDs = [SalesforceApp.apiUserID] + (1...4).map { SalesforceID.to18("005Hs000000Cwl\($0)") }

    static func seed(_ store: inout SalesforceStore, options: SandboxSeed, now: Date) {
        let first = store.records("Account", includeDeleted: true).count
        var rng = SeededRandom(seed: options.randomSeed &+ UInt64(first))
        var builder = Builder(store: store, now: now)
        let titles = ["CEO", "CFO", "VP Sales", "Head of Operations", "Purchasing Manager", "IT Director", "Office Manager", "Account Executive"]
        let products = ["Platform Licence", "Renewal", "Expansion", "Services", "Support Plan"]
        for i in first..<(first + options.count) {
            let company = FakeData.company(&rng, index: i + 1)
            let domain = FakeData.domain(for: company)
            let (city, state, country) = rng.pick(FakeData.cities)
            let street = "\(1 + rng.next() % 999) \(rng.pick(FakeData.streets))"
            var account: [String: SalesforceValue] = [
                "Name": .text(company), "Type": .text(rng.pick(["Prospect", "Customer - Direct", "Customer - Channel", "Partner"])),
                "Industry": .text(rng.pick(SalesforceCatalog.industries)), "Website": .text("https://www.\(domain)"),
                "Phone": .text(FakeData.phone(&rng)), "NumberOfEmployees": .number(Double(5 + rng.next() % 5000)),
                "AnnualRevenue": .number(Double((50 + rng.next() % 50_000) * 1000)),
                "BillingStreet": .text(street), "BillingCity": .text(city), "BillingPostalCode": .text(String(10_000 + rng.next() % 89_999)),
                "BillingCountry": .text(country),
            ]
            if !state.isEmpty { account["BillingState"] = .text(state) }
            if rng.chance(0.7) { account["NetSuite_Id__c"] = .text(String(1000 + i)) }
            if rng.chance(0.3) { account["Spotio_Id__c"] = .text(hex(&rng)) }
            if rng.chance(0.25) { account["Aritic_Id__c"] = .text(String(500 + i)) }
            let accountID = builder.add(SalesforceCatalog.account, account, &rng)

            for c in 0..<Int(2 + rng.next() % 3) {
                let person = FakeData.person(&rng, index: i * 10 + c, domain: domain)
                var contact: [String: SalesforceValue] = [
                    "AccountId": .text(accountID), "FirstName": .text(person.first), "LastName": .text(person.last),
                    "Email": .text(person.email), "Title": .text(rng.pick(titles)), "Phone": .text(FakeData.phone(&rng)),
                    "MailingCity": .text(city), "MailingCountry": .text(country), "HasOptedOutOfEmail": .bool(rng.chance(0.05)),
                    "LeadSource": .text(rng.pick(SalesforceCatalog.leadSources)),
                ]
                if rng.chance(0.1) { contact["Email"] = nil }
                if rng.chance(0.05) { contact["FirstName"] = nil }
                if rng.chance(0.04) { contact["LastName"] = nil }
                if rng.chance(0.5) { contact["NetSuite_Id__c"] = .text(String(20_000 + i * 10 + c)) }
                let contactID = builder.add(SalesforceCatalog.contact, contact, &rng)
                if rng.chance(0.5) {
                    builder.add(SalesforceCatalog.task, [
                        "WhoId": .text(contactID), "WhatId": .text(accountID),
                        "Subject": .text(rng.pick(["Call", "Follow-up email", "Product demo", "Site visit", "Send proposal"])),
                        "ActivityDate": .text(SalesforceDates.date(SalesforceDates.adding(days: Int(rng.next() % 60) - 30, to: now))),
                        "Status": .text(rng.pick(SalesforceCatalog.taskStatuses)), "Priority": .text(rng.pick(["High", "Normal", "Normal", "Low"])),
                        "Type": .text(rng.pick(["Call", "Email", "Meeting", "Visit"])),
                    ], &rng)
                }
            }
            for _ in 0..<Int(rng.next() % 3) {
                let stage = rng.pick(SalesforceCatalog.opportunityStages)
                let index = SalesforceCatalog.opportunityStages.firstIndex(of: stage)!
                builder.add(SalesforceCatalog.opportunity, [
                    "AccountId": .text(accountID), "Name": .text("\(company) - \(rng.pick(products))"), "StageName": .text(stage),
                    "CloseDate": .text(SalesforceDates.date(SalesforceDates.adding(days: Int(rng.next() % 180) - 90, to: now))),
                    "Amount": .number(Double((1 + rng.next() % 250) * 1000)),
                    "Probability": .number(stage == "Closed Won" ? 100 : stage == "Closed Lost" ? 0 : Double(10 * (index + 1))),
                    "Type": .text(rng.pick(["Existing Customer - Upgrade", "New Customer"])),
                ], &rng)
            }
            if i % 2 == 0 {
                let leadCompany = FakeData.company(&rng, index: i + 100_000)
                let person = FakeData.person(&rng, index: i, domain: FakeData.domain(for: leadCompany))
                var lead: [String: SalesforceValue] = [
                    "FirstName": .text(person.first), "LastName": .text(person.last), "Company": .text(leadCompany),
                    "Email": .text(person.email), "Phone": .text(FakeData.phone(&rng)), "Title": .text(rng.pick(titles)),
                    "Status": .text(rng.pick(SalesforceCatalog.leadStatuses.filter { $0 != "Closed - Converted" })),
                    "LeadSource": .text(rng.pick(SalesforceCatalog.leadSources)), "City": .text(city), "Country": .text(country),
                    "IsConverted": .bool(false),
                ]
                if rng.chance(0.4) { lead["Spotio_Id__c"] = .text(hex(&rng)) }
                builder.add(SalesforceCatalog.lead, lead, &rng)
            }
        }
        store = builder.store
    }

    /// A 24-digit hex id, like SPOTIO's.
    private static func hex(_ rng: inout SeededRandom) -> String {
        String(format: "%012llx%012llx", rng.next() & 0xFFFF_FFFF_FFFF, rng.next() & 0xFFFF_FFFF_FFFF)
    }

    /// Adds records with audit fields, spread over the last 90 days.
    private struct Builder {
        var store: SalesforceStore
        let now: Date

        @discardableResult
        mutating func add(_ object: SalesforceObject, _ values: [String: SalesforceValue], _ rng: inout SeededRandom) -> String {
            let id = store.nextID(object)
            let created = now.addingTimeInterval(-Double(3600 + rng.next() % (90 * 86_400)))
            let modified = created.addingTimeInterval(Double(rng.next() % UInt64(max(1, now.timeIntervalSince(created) - 60))))
            let owner = rng.pick(SalesforceSeeder.userIDs)
            var fields = values
            fields["Id"] = .text(id)
            fields["IsDeleted"] = .bool(false)
            fields["OwnerId"] = .text(owner)
            fields["CreatedById"] = .text(owner)
            fields["LastModifiedById"] = .text(owner)
            fields["CreatedDate"] = .text(SalesforceDates.dateTime(created))
            fields["LastModifiedDate"] = .text(SalesforceDates.dateTime(modified))
            fields["SystemModstamp"] = .text(SalesforceDates.dateTime(modified))
            for field in object.fields where fields[field.name] == nil && field.type == .boolean && field.defaultValue != nil {
                fields[field.name] = .bool(field.defaultValue == "true")
            }
            var record = SalesforceRecord(id: id, type: object.name, fields: fields, modstamp: modified)
            record.recalculate()
            store.put(record)
            return id
        }
    }
}
