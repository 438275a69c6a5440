import Foundation

/// Realistic generated org data: users, and per seeded account about three contacts, plus leads,
/// opportunities and tasks. The same seed gives the same data.
///
/// Seeded rows skip API validation on purpose in one way: about 4% of contacts have no LastName
/// (legacy imported rows), so flows that filter out an empty LastName have something to filter.
enum SalesforceSeeder {
    /// The API user (fixed id, the credentials' username) and four sales reps.
    static func addUsers(to store: inout SalesforceStore, credentials: SalesforceCredentials, now: Date) {
        let created = SalesforceDates.wholeSeconds(SalesforceDates.adding(days: -400, to: now))
        let people = [("Integration", "User", credentials.username, SalesforceApp.apiUserID),
                      ("Maya", "Okafor", "maya.okafor@crosswalk-sandbox.example", SalesforceID.to18("005Hs000000Cwl1")),
                      ("Tomás", "Reyes", "tomas.reyes@crosswalk-sandbox.example", SalesforceID.to18("005Hs000000Cwl2")),
                      ("Hannah", "Berg", "hannah.berg@crosswalk-sandbox.example", SalesforceID.to18("005Hs000000Cwl3")),
                      ("Kenji", "Mori", "kenji.mori@crosswalk-sandbox.example", SalesforceID.to18("005Hs000000Cwl4"))]
        for (first, last, username, id) in people where store.record(id) == nil {
            let stamp = SalesforceValue.text(SalesforceDates.dateTime(created))
            let alias = String((first.prefix(1) + last.prefix(4)).lowercased())
            var record = SalesforceRecord(id: id, type: "User", fields: [
                "Id": .text(id), "Username": .text(username), "FirstName": .text(first), "LastName": .text(last),
                "Email": .text(username), "Alias": .text(alias), "CommunityNickname": .text(alias),
                "IsActive": .bool(true), "CreatedDate": stamp, "LastModifiedDate": stamp, "SystemModstamp": stamp,
                "CreatedById": .text(SalesforceApp.apiUserID), "LastModifiedById": .text(SalesforceApp.apiUserID),
                "CompanyName": .text("Crosswalk Sandbox"), "Title": .text(first == "Integration" ? "Integration User" : "Account Executive"),
                "TimeZoneSidKey": .text("GMT"), "LocaleSidKey": .text("en_US"), "EmailEncodingKey": .text("UTF-8"),
                "LanguageLocaleKey": .text("en_US"), "UserType": .text("Standard"), "ProfileId": .text(SalesforceID.to18("00eHs000000Cwlk")),
                "Country": .text("US"),
            ], modstamp: created)
            record.recalculate()
            store.put(record)
        }
    }

    static let userIDs = [SalesforceApp.apiUserID] + (1...4).map { SalesforceID.to18("005Hs000000Cwl\($0)") }

    static func seed(_ store: inout SalesforceStore, options: SandboxSeed, now: Date) {
        let first = store.count("Account", includeDeleted: true)
        var fake = SalesforceFakeRecords(rng: SeededRandom(seed: options.randomSeed &+ UInt64(first)), now: now)
        var builder = Builder(store: store, now: now)
        store = SalesforceStore() // the builder's copy is then the only one: no copy-on-write of the tables
        for i in first..<(first + options.count) {
            let (company, domain) = fake.company(index: i + 1)
            let place = fake.place()
            let accountID = builder.add(SalesforceCatalog.account, fake.account(index: i, company: company, domain: domain, place: place), &fake.rng)
            var contacts: [String] = []
            for c in 0..<Int(2 + fake.rng.next() % 3) {
                let values = fake.contact(index: i * 10 + c, accountID: accountID, domain: domain, place: place, reportsTo: contacts.first)
                let contactID = builder.add(SalesforceCatalog.contact, values, &fake.rng)
                contacts.append(contactID)
                if fake.rng.chance(0.5) {
                    builder.add(SalesforceCatalog.task, fake.task(whoID: contactID, whatID: accountID, accountID: accountID), &fake.rng)
                }
            }
            for _ in 0..<Int(fake.rng.next() % 3) {
                builder.add(SalesforceCatalog.opportunity, fake.opportunity(accountID: accountID, contactID: contacts.first, company: company), &fake.rng)
            }
            if i % 2 == 0 {
                let (leadCompany, leadDomain) = fake.company(index: i + 100_000)
                builder.add(SalesforceCatalog.lead, fake.lead(index: i, company: leadCompany, domain: leadDomain, place: fake.place()), &fake.rng)
            }
        }
        store = builder.store
    }

    /// Adds `count` records of `object` (no parents) that all carry `stamp` as CreatedDate, LastModifiedDate
    /// and SystemModstamp: the "many rows share one timestamp" case incremental syncs must page through.
    /// - Returns: The new ids, in creation (and Id) order.
    static func addSharingTimestamp(_ store: inout SalesforceStore, object: SalesforceObject, count: Int, stamp: Date,
                                    randomSeed: UInt64, now: Date) -> [String] {
        var fake = SalesforceFakeRecords(rng: SeededRandom(seed: randomSeed &+ UInt64(store.sequence)), now: now)
        let base = store.sequence
        var builder = Builder(store: store, now: now, fixedStamp: stamp)
        store = SalesforceStore() // the builder's copy is then the only one: no copy-on-write of the tables
        var ids: [String] = []
        ids.reserveCapacity(count)
        for n in 0..<count {
            let index = base + n
            let (company, domain) = fake.company(index: index)
            let values: [String: SalesforceValue]
            switch object.name {
            case "Account": values = fake.account(index: index, company: company, domain: domain, place: fake.place())
            case "Contact": values = fake.contact(index: index, accountID: nil, domain: domain, place: fake.place(), reportsTo: nil)
            case "Lead": values = fake.lead(index: index, company: company, domain: domain, place: fake.place())
            case "Opportunity": values = fake.opportunity(accountID: nil, contactID: nil, company: company)
            default: values = fake.task(whoID: nil, whatID: nil, accountID: nil)
            }
            ids.append(builder.add(object, values, &fake.rng))
        }
        store = builder.store
        return ids
    }

    /// Adds records with audit fields, spread over the last 90 days (or all at `fixedStamp`).
    struct Builder {
        var store: SalesforceStore
        let now: Date
        /// When set, every record is created and last modified at this instant.
        var fixedStamp: Date?

        init(store: SalesforceStore, now: Date, fixedStamp: Date? = nil) {
            self.store = store
            self.now = SalesforceDates.wholeSeconds(now)
            self.fixedStamp = fixedStamp.map(SalesforceDates.wholeSeconds)
        }

        @discardableResult
        mutating func add(_ object: SalesforceObject, _ values: [String: SalesforceValue], _ rng: inout SeededRandom) -> String {
            let id = store.nextID(object)
            var created = now.addingTimeInterval(-Double(3600 + rng.next() % (90 * 86_400)))
            var modified = created.addingTimeInterval(Double(rng.next() % UInt64(max(1, now.timeIntervalSince(created) - 60))))
            if let fixedStamp { (created, modified) = (fixedStamp, fixedStamp) }
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
            for (name, value) in object.booleanDefaults where fields[name] == nil { fields[name] = .bool(value) }
            if object.field("PhotoUrl") != nil { fields["PhotoUrl"] = .text("/services/images/photo/\(id)") }
            if object.name == "Task", fields["Status"] == .text("Completed") {
                fields["CompletedDateTime"] = .text(SalesforceDates.dateTime(modified))
            }
            var record = SalesforceRecord(id: id, type: object.name, fields: fields, modstamp: modified)
            record.recalculate()
            store.put(record)
            return id
        }
    }
}
