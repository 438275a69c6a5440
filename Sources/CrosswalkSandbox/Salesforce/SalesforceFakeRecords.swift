import Foundation

/// Field values of realistic generated records, as a real org's rows look: most standard fields an
/// integration reads are filled, the rarely used ones are empty.
struct SalesforceFakeRecords {
    var rng: SeededRandom
    let now: Date

    /// Where a generated company sits, with its coordinates.
    struct Place {
        var city: String
        var state: String
        var postalCode: String
        var country: String
        var latitude: Double
        var longitude: Double
        var street: String
    }

    /// Latitude and longitude of `FakeData.cities`, in the same order.
    private static let coordinates: [(Double, Double)] = [
        (30.2672, -97.7431), (39.7392, -104.9903), (42.3601, -71.0589), (47.6062, -122.3321), (43.6532, -79.3832),
        (51.5072, -0.1276), (48.8566, 2.3522), (52.5200, 13.4050), (45.7640, 4.8357), (40.4168, -3.7038),
    ]
    static let titles = ["CEO", "CFO", "VP Sales", "Head of Operations", "Purchasing Manager", "IT Director", "Office Manager",
                         "Account Executive", "Marketing Manager", "Controller"]
    static let departments = ["Sales", "Finance", "Operations", "IT", "Marketing", "Procurement", "Executive"]
    static let products = ["Platform Licence", "Renewal", "Expansion", "Services", "Support Plan"]
    static let subjects = ["Call", "Follow-up email", "Product demo", "Site visit", "Send proposal", "Send Quote", "Send Letter"]
    static let sicCodes = [("7372", "Prepackaged Software"), ("3571", "Electronic Computers"), ("5045", "Computers & Software Wholesale"),
                           ("8742", "Management Consulting Services"), ("2834", "Pharmaceutical Preparations"), ("6021", "National Commercial Banks")]

    /// E-mail-ready forms of `FakeData`'s names (lower-cased, accents and spaces gone), made once.
    private static let emailFirst = FakeData.firstNames.map(emailForm)
    private static let emailLast = FakeData.lastNames.map(emailForm)
    /// Web-domain slugs of `FakeData`'s company stems and suffixes ("Pied Piper" → "pied-piper", "Inc." → "inc").
    private static let stemSlugs = FakeData.companyStems.map(slug)
    private static let suffixSlugs = FakeData.companySuffixes.map(slug)

    private static func emailForm(_ name: String) -> String {
        name.lowercased().folding(options: .diacriticInsensitive, locale: nil)
            .replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "'", with: "")
    }

    private static func slug(_ text: String) -> String {
        text.lowercased().folding(options: .diacriticInsensitive, locale: nil)
            .map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
            .split(separator: "-").joined(separator: "-")
    }

    /// A company name and its web domain, as `FakeData.company` and `FakeData.domain(for:)` make them
    /// ("Globex Holdings 12", "globex-holdings-12.example.com"), without per-call text folding.
    mutating func company(index: Int) -> (name: String, domain: String) {
        let stem = Int(rng.next() % UInt64(FakeData.companyStems.count))
        let suffix = Int(rng.next() % UInt64(FakeData.companySuffixes.count))
        return ("\(FakeData.companyStems[stem]) \(FakeData.companySuffixes[suffix]) \(index)",
                "\(Self.stemSlugs[stem])-\(Self.suffixSlugs[suffix])-\(index).example.com")
    }

    /// A person with an e-mail at `domain`, as `FakeData.person` makes them.
    mutating func person(index: Int, domain: String) -> (first: String, last: String, email: String) {
        let first = Int(rng.next() % UInt64(FakeData.firstNames.count))
        let last = Int(rng.next() % UInt64(FakeData.lastNames.count))
        return (FakeData.firstNames[first], FakeData.lastNames[last], "\(Self.emailFirst[first]).\(Self.emailLast[last]).\(index)@\(domain)")
    }

    mutating func place() -> Place {
        let index = Int(rng.next() % UInt64(FakeData.cities.count))
        let (city, state, country) = FakeData.cities[index]
        let (lat, lon) = Self.coordinates[index]
        // A few hundred metres around the city centre.
        let jitter = { (r: inout SeededRandom) in Double(Int(r.next() % 2001) - 1000) / 100_000 }
        return Place(city: city, state: state, postalCode: String(10_000 + rng.next() % 89_999), country: country,
                     latitude: ((lat + jitter(&rng)) * 1_000_000).rounded() / 1_000_000,
                     longitude: ((lon + jitter(&rng)) * 1_000_000).rounded() / 1_000_000,
                     street: "\(1 + rng.next() % 999) \(rng.pick(FakeData.streets))")
    }

    private mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(rng.next() % 10)) })
    }

    /// An address block (`Billing`, `Shipping`, `Mailing`, `` for Lead) of `place`.
    static func address(_ prefix: String, _ place: Place, geocoded: Bool, into values: inout [String: SalesforceValue]) {
        values["\(prefix)Street"] = .text(place.street)
        values["\(prefix)City"] = .text(place.city)
        if !place.state.isEmpty { values["\(prefix)State"] = .text(place.state) }
        values["\(prefix)PostalCode"] = .text(place.postalCode)
        values["\(prefix)Country"] = .text(place.country)
        if geocoded {
            values["\(prefix)Latitude"] = .number(place.latitude)
            values["\(prefix)Longitude"] = .number(place.longitude)
            values["\(prefix)GeocodeAccuracy"] = .text("Address")
        }
    }

    mutating func account(index: Int, company: String, domain: String, place: Place) -> [String: SalesforceValue] {
        var v: [String: SalesforceValue] = [
            "Name": .text(company), "Type": .text(rng.pick(["Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller"])),
            "Industry": .text(rng.pick(SalesforceCatalog.industries)), "Website": .text("https://www.\(domain)"),
            "Phone": .text(FakeData.phone(&rng)), "NumberOfEmployees": .number(Double(5 + rng.next() % 5000)),
            "AnnualRevenue": .number(Double((50 + rng.next() % 50_000) * 1000)), "CleanStatus": .text("Pending"),
            "AccountSource": .text(rng.pick(SalesforceCatalog.leadSources)), "Ownership": .text(rng.pick(SalesforceCatalog.ownerships)),
        ]
        let geocoded = rng.chance(0.6)
        Self.address("Billing", place, geocoded: geocoded, into: &v)
        if rng.chance(0.6) { Self.address("Shipping", place, geocoded: geocoded, into: &v) }
        if rng.chance(0.3) { v["Fax"] = .text(FakeData.phone(&rng)) }
        if rng.chance(0.6) { v["AccountNumber"] = .text("CD\(digits(6))") }
        if rng.chance(0.5) { v["Rating"] = .text(rng.pick(SalesforceCatalog.ratings)) }
        if rng.chance(0.2) { v["Site"] = .text(rng.pick(["Headquarters", "Branch", place.city])) }
        if rng.chance(0.5) {
            let (sic, description) = rng.pick(Self.sicCodes)
            v["Sic"] = .text(sic)
            v["SicDesc"] = .text(description)
        }
        if rng.chance(0.1) { v["TickerSymbol"] = .text(String(company.uppercased().filter(\.isLetter).prefix(4))) }
        if rng.chance(0.6) { v["YearStarted"] = .text(String(1950 + rng.next() % 74)) }
        if rng.chance(0.3) { v["Description"] = .text("\(company) buys \(rng.pick(Self.products).lowercased()) for its \(place.city) office.") }
        if rng.chance(0.5) { v["CustomerPriority__c"] = .text(rng.pick(["High", "Low", "Medium"])) }
        if rng.chance(0.4) { v["SLA__c"] = .text(rng.pick(["Gold", "Silver", "Platinum", "Bronze"])) }
        if rng.chance(0.8) { v["Active__c"] = .text(rng.chance(0.85) ? "Yes" : "No") }
        if rng.chance(0.7) { v["NetSuite_Id__c"] = .text(String(1000 + index)) }
        if rng.chance(0.3) { v["Spotio_Id__c"] = .text(hex()) }
        if rng.chance(0.25) { v["Aritic_Id__c"] = .text(String(500 + index)) }
        return v
    }

    mutating func contact(index: Int, accountID: String?, domain: String, place: Place, reportsTo: String?) -> [String: SalesforceValue] {
        let person = self.person(index: index, domain: domain)
        var v: [String: SalesforceValue] = [
            "FirstName": .text(person.first), "LastName": .text(person.last), "Email": .text(person.email),
            "Title": .text(rng.pick(Self.titles)), "Phone": .text(FakeData.phone(&rng)),
            "HasOptedOutOfEmail": .bool(rng.chance(0.05)), "LeadSource": .text(rng.pick(SalesforceCatalog.leadSources)),
            "CleanStatus": .text("Pending"),
        ]
        if let accountID { v["AccountId"] = .text(accountID) }
        Self.address("Mailing", place, geocoded: rng.chance(0.4), into: &v)
        if rng.chance(0.6) { v["Salutation"] = .text(rng.pick(["Mr.", "Ms.", "Mrs.", "Dr."])) }
        if rng.chance(0.6) { v["Department"] = .text(rng.pick(Self.departments)) }
        if rng.chance(0.5) { v["MobilePhone"] = .text(FakeData.phone(&rng)) }
        if rng.chance(0.1) { v["Fax"] = .text(FakeData.phone(&rng)) }
        if rng.chance(0.1) { v["HomePhone"] = .text(FakeData.phone(&rng)) }
        if rng.chance(0.2) { v["Birthdate"] = .text(SalesforceDates.date(SalesforceDates.adding(days: -Int(8000 + rng.next() % 15_000), to: now))) }
        v["DoNotCall"] = .bool(rng.chance(0.03))
        if rng.chance(0.1) { v["Description"] = .text("Met at the \(place.city) roadshow.") }
        if rng.chance(0.4) { v["Level__c"] = .text(rng.pick(["Secondary", "Tertiary", "Primary"])) }
        if rng.chance(0.2) { v["Languages__c"] = .text(rng.pick(["English", "English;French", "German", "Spanish", "Japanese"])) }
        if let reportsTo, rng.chance(0.3) { v["ReportsToId"] = .text(reportsTo) }
        if rng.chance(0.5) { v["NetSuite_Id__c"] = .text(String(20_000 + index)) }
        // Legacy rows: no e-mail, first name or even last name (impossible through the API today).
        if rng.chance(0.1) { v["Email"] = nil }
        if rng.chance(0.05) { v["FirstName"] = nil }
        if rng.chance(0.04) { v["LastName"] = nil }
        return v
    }

    mutating func lead(index: Int, company: String, domain: String, place: Place) -> [String: SalesforceValue] {
        let person = self.person(index: index, domain: domain)
        var v: [String: SalesforceValue] = [
            "FirstName": .text(person.first), "LastName": .text(person.last), "Company": .text(company),
            "Email": .text(person.email), "Phone": .text(FakeData.phone(&rng)), "Title": .text(rng.pick(Self.titles)),
            "Status": .text(rng.pick(SalesforceCatalog.leadStatuses.filter { $0 != "Closed - Converted" })),
            "LeadSource": .text(rng.pick(SalesforceCatalog.leadSources)), "Industry": .text(rng.pick(SalesforceCatalog.industries)),
            "Website": .text("https://www.\(domain)"), "CleanStatus": .text("Pending"), "IsUnreadByOwner": .bool(rng.chance(0.2)),
        ]
        Self.address("", place, geocoded: rng.chance(0.3), into: &v)
        if rng.chance(0.5) { v["Salutation"] = .text(rng.pick(["Mr.", "Ms.", "Mrs.", "Dr."])) }
        if rng.chance(0.4) { v["MobilePhone"] = .text(FakeData.phone(&rng)) }
        if rng.chance(0.5) { v["Rating"] = .text(rng.pick(SalesforceCatalog.ratings)) }
        if rng.chance(0.4) { v["AnnualRevenue"] = .number(Double((10 + rng.next() % 20_000) * 1000)) }
        if rng.chance(0.5) { v["NumberOfEmployees"] = .number(Double(1 + rng.next() % 2000)) }
        if rng.chance(0.15) { v["Description"] = .text("Asked about \(rng.pick(Self.products).lowercased()).") }
        if rng.chance(0.4) { v["Spotio_Id__c"] = .text(hex()) }
        return v
    }

    mutating func opportunity(accountID: String?, contactID: String?, company: String) -> [String: SalesforceValue] {
        let stage = rng.pick(SalesforceCatalog.opportunityStages)
        var v: [String: SalesforceValue] = [
            "Name": .text("\(company) - \(rng.pick(Self.products))"), "StageName": .text(stage),
            "CloseDate": .text(SalesforceDates.date(SalesforceDates.adding(days: Int(rng.next() % 180) - 90, to: now))),
            "Amount": .number(Double((1 + rng.next() % 250) * 1000)),
            "Probability": .number(SalesforceCatalog.stageDefaults[stage]?.probability ?? 10),
            "Type": .text(rng.pick(["Existing Customer - Upgrade", "New Customer", "Existing Customer - Replacement"])),
            "LeadSource": .text(rng.pick(SalesforceCatalog.leadSources)), "IsPrivate": .bool(false),
        ]
        if let accountID { v["AccountId"] = .text(accountID) }
        if let contactID, rng.chance(0.3) { v["ContactId"] = .text(contactID) }
        if rng.chance(0.5) { v["NextStep"] = .text(rng.pick(["Send proposal", "Schedule demo", "Legal review", "Sign contract"])) }
        if rng.chance(0.2) { v["Description"] = .text("Opportunity opened after the \(rng.pick(Self.subjects).lowercased()).") }
        if rng.chance(0.3) { v["TotalOpportunityQuantity"] = .number(Double(1 + rng.next() % 500)) }
        if rng.chance(0.3) { v["NetSuite_Id__c"] = .text(String(70_000 + rng.next() % 1_000_000)) }
        return v
    }

    mutating func task(whoID: String?, whatID: String?, accountID: String?) -> [String: SalesforceValue] {
        let status = rng.pick(SalesforceCatalog.taskStatuses)
        let type = rng.pick(["Call", "Email", "Meeting", "Visit"])
        var v: [String: SalesforceValue] = [
            "Subject": .text(rng.pick(Self.subjects)),
            "ActivityDate": .text(SalesforceDates.date(SalesforceDates.adding(days: Int(rng.next() % 60) - 30, to: now))),
            "Status": .text(status), "Priority": .text(rng.pick(["High", "Normal", "Normal", "Low"])), "Type": .text(type),
            "TaskSubtype": .text(type == "Call" ? "Call" : type == "Email" ? "Email" : "Task"),
            "IsReminderSet": .bool(false), "IsRecurrence": .bool(false),
        ]
        if let whoID { v["WhoId"] = .text(whoID) }
        if let whatID { v["WhatId"] = .text(whatID) }
        if let accountID { v["AccountId"] = .text(accountID) }
        if type == "Call" {
            v["CallType"] = .text(rng.pick(["Inbound", "Outbound"]))
            v["CallDurationInSeconds"] = .number(Double(30 + rng.next() % 1800))
            if rng.chance(0.5) { v["CallDisposition"] = .text(rng.pick(["Left voicemail", "Connected", "No answer"])) }
        }
        if rng.chance(0.3) { v["Description"] = .text("Notes: \(rng.pick(Self.subjects).lowercased()) went well.") }
        if rng.chance(0.2) { v["Spotio_Id__c"] = .text(hex()) }
        return v
    }

    /// A 24-digit hex id, like SPOTIO's.
    mutating func hex() -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 24)
        for half in 0..<2 {
            var v = rng.next() & 0xFFFF_FFFF_FFFF
            for k in stride(from: 11, through: 0, by: -1) {
                out[half * 12 + k] = digits[Int(v & 0xF)]
                v >>= 4
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
