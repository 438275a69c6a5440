import CrosswalkCore
import Foundation

/// The tenant configuration (types, stages, fields, templates) and generated demo data.
enum SpotioSeed {
    static let adminUserId = "1001"
    static let leadTypeId = "1"
    static let customerTypeId = "2"

    static func adminUser(email: String, now: Date) -> SpotioUser {
        SpotioUser(id: adminUserId, firstName: "Avery", lastName: "Admin", email: email, role: "Admin", status: "Active",
                   phone: "+1 555 100 1000", externalSystemUserId: nil, territoryIds: [], teamsIds: [], timezone: "America/Chicago",
                   visible: true, createdAt: now.addingTimeInterval(-500 * 86_400), updatedAt: now.addingTimeInterval(-500 * 86_400))
    }

    private static func field(_ id: String, _ name: String, _ type: String, systemRole: String? = nil, role: String? = nil,
                              options: [String] = [], now: Date) -> SpotioFieldDefinition {
        SpotioFieldDefinition(id: id, name: name, type: type, systemRole: systemRole, role: role, activeOptions: options,
                              createdAt: now.addingTimeInterval(-600 * 86_400))
    }

    static let leadSources = ["Door Knock", "Referral", "Website", "Trade Show", "Cold Call"]
    static let products = ["Solar Panels", "Battery Storage", "Roofing", "EV Charger"]

    /// Lead (type 1) and Customer (type 2), each with its pipeline and custom fields (numeric ids).
    static func objectTypes(now: Date) -> [SpotioObjectType] {
        [
            SpotioObjectType(id: leadTypeId, name: "Lead", hasAddress: true, hasPhone: true, hasEmail: true, stages: [
                SpotioStage(id: "11", name: "New Lead", color: "#2D9CDB", group: "active", lossReasons: []),
                SpotioStage(id: "12", name: "Contacted", color: "#56CCF2", group: "active", lossReasons: []),
                SpotioStage(id: "13", name: "Appointment Set", color: "#F2C94C", group: "active", lossReasons: []),
                SpotioStage(id: "14", name: "Proposal Sent", color: "#F2994A", group: "active", lossReasons: []),
                SpotioStage(id: "15", name: "Sold", color: "#27AE60", group: "won", lossReasons: []),
                SpotioStage(id: "16", name: "Not Interested", color: "#EB5757", group: "lost",
                            lossReasons: ["Price", "Went with a competitor", "No longer interested"]),
            ], fields: [
                field("101", "Company", "Text", systemRole: "Company", role: "Name", now: now),
                field("102", "First Name", "Text", systemRole: "FirstName", now: now),
                field("103", "Last Name", "Text", systemRole: "LastName", now: now),
                field("104", "Email", "Email", systemRole: "Email", now: now),
                field("105", "Phone", "Phone", systemRole: "Phone", now: now),
                field("106", "Deal Value", "Currency", systemRole: "Value", now: now),
                field("107", "Lead Source", "SingleChoice", options: leadSources, now: now),
                field("108", "Notes", "MultiLine", now: now),
                field("109", "Products of Interest", "MultiChoice", options: products, now: now),
                field("110", "Next Follow-up", "Date", now: now),
            ]),
            SpotioObjectType(id: customerTypeId, name: "Customer", hasAddress: true, hasPhone: true, hasEmail: true, stages: [
                SpotioStage(id: "21", name: "Onboarding", color: "#9B51E0", group: "active", lossReasons: []),
                SpotioStage(id: "22", name: "Active Customer", color: "#6FCF97", group: "active", lossReasons: []),
                SpotioStage(id: "23", name: "Renewed", color: "#219653", group: "won", lossReasons: []),
                SpotioStage(id: "24", name: "Churned", color: "#EB5757", group: "lost", lossReasons: ["Price", "Service quality"]),
            ], fields: [
                field("201", "Account Name", "Text", systemRole: "Company", role: "Name", now: now),
                field("202", "Industry", "SingleChoice", options: FakeData.industries, now: now),
                field("203", "Website", "Text", now: now),
                field("204", "Main Phone", "Phone", systemRole: "Phone", now: now),
                field("205", "Employees", "Number", now: now),
                field("206", "Billing Email", "Email", systemRole: "Email", now: now),
            ]),
        ]
    }

    static let activityTemplates = [
        SpotioActivityTemplate(id: "a6vhAo3FG7t1", name: "Door Knock", systemRole: "Visit", defaultDuration: 15, color: "#2D9CDB", results: [
            SpotioActivityResult(id: "1", name: "Not Home", color: "#BDBDBD"),
            SpotioActivityResult(id: "2", name: "Interested", color: "#27AE60"),
            SpotioActivityResult(id: "3", name: "Not Interested", color: "#EB5757"),
        ]),
        SpotioActivityTemplate(id: "b7KpQ2xLm9s4", name: "Phone Call", systemRole: "Call", defaultDuration: 10, color: "#F2994A", results: [
            SpotioActivityResult(id: "4", name: "No Answer", color: "#BDBDBD"),
            SpotioActivityResult(id: "5", name: "Left Voicemail", color: "#F2C94C"),
            SpotioActivityResult(id: "6", name: "Connected", color: "#27AE60"),
        ]),
        SpotioActivityTemplate(id: "c3Tn8WqZr1v7", name: "Meeting", systemRole: "Appointment", defaultDuration: 60, color: "#9B51E0",
                               results: [SpotioActivityResult(id: "7", name: "Held", color: "#27AE60")]),
        SpotioActivityTemplate(id: "d5Yh2MbXc6n0", name: "Note", systemRole: "Note", defaultDuration: 0, color: "#828282", results: []),
    ]
}

extension SpotioStore {
    /// Adds `options.count` leads (about one in five without an e-mail), a customer per five leads, a sales team
    /// and about two activities per lead. The same seed and starting state give the same data.
    func seed(_ options: SandboxSeed) {
        let now = environment.now()
        var rng = SeededRandom(seed: options.randomSeed &+ state.seedRounds &* 1_000_003)
        state.seedRounds += 1
        let reps = seedUsers(count: min(20, max(3, options.count / 20)), rng: &rng, now: now)
        for index in 0..<options.count {
            let id = seedRecord(typeId: SpotioSeed.leadTypeId, index: index, owners: reps, rng: &rng, now: now)
            seedActivities(for: id, rng: &rng, now: now)
        }
        for index in 0..<(options.count / 5) {
            _ = seedRecord(typeId: SpotioSeed.customerTypeId, index: index, owners: reps, rng: &rng, now: now)
        }
    }

    private func seedUsers(count: Int, rng: inout SeededRandom, now: Date) -> [String] {
        (0..<count).map { _ in
            let number = state.nextUserNumber
            let person = FakeData.person(&rng, index: number, domain: "spotio-demo.example.com")
            let user = SpotioUser(id: String(number), firstName: person.first, lastName: person.last, email: person.email,
                                  role: rng.chance(0.2) ? "Manager" : "Sales Rep", status: "Active", phone: FakeData.phone(&rng),
                                  externalSystemUserId: "EXT-\(number)", territoryIds: [], teamsIds: [], timezone: "America/Chicago",
                                  visible: true, createdAt: now.addingTimeInterval(-400 * 86_400), updatedAt: now.addingTimeInterval(-400 * 86_400))
            state.users[user.id] = user
            state.nextUserNumber += 1
            return user.id
        }
    }

    private func seedRecord(typeId: String, index: Int, owners: [String], rng: inout SeededRandom, now: Date) -> String {
        let type = state.type(typeId)!
        let id = newObjectId()
        let company = FakeData.company(&rng, index: Int(state.nextObjectNumber))
        let domain = FakeData.domain(for: company)
        let person = FakeData.person(&rng, index: Int(state.nextObjectNumber), domain: domain)
        let (city, region, country) = rng.pick(FakeData.cities)
        let houseNumber = String(10 + rng.next() % 9_000), street = rng.pick(FakeData.streets), zip = String(10_000 + rng.next() % 89_999)
        let lat = 30 + Double(rng.next() % 20_000) / 1_000, lng = -120 + Double(rng.next() % 40_000) / 1_000
        let pin = SpotioPin(id: id, lat: lat, lng: lng, placeId: nil,
                            address: "\(houseNumber) \(street), \(city), \([region, zip].filter { !$0.isEmpty }.joined(separator: " ")), \(country)",
                            street: street, houseNumber: houseNumber, zip: zip, city: city, state: region.isEmpty ? nil : region,
                            country: country, shortAddress: "\(houseNumber) \(street)")
        var values: [String: String] = [:]
        if typeId == SpotioSeed.leadTypeId {
            values = ["101": company, "102": person.first, "103": person.last, "105": FakeData.phone(&rng),
                      "106": String(1_000 * (1 + rng.next() % 60)), "107": rng.pick(SpotioSeed.leadSources)]
            if !rng.chance(0.2) { values["104"] = person.email }
            if rng.chance(0.3) { values["108"] = "Met \(person.first) at the door; call back about pricing." }
        } else {
            values = ["201": company, "202": rng.pick(FakeData.industries), "203": "https://\(domain)",
                      "204": FakeData.phone(&rng), "205": String(5 + rng.next() % 2_000), "206": "billing@\(domain)"]
        }
        var fields = type.fields.compactMap { f in values[f.id].map { SpotioFieldValue(fieldId: f.id, value: $0, values: nil) } }
        if typeId == SpotioSeed.leadTypeId, rng.chance(0.5) {
            fields.append(SpotioFieldValue(fieldId: "109", value: nil, values: [rng.pick(SpotioSeed.products)]))
        }
        let created = now.addingTimeInterval(-Double(86_400 * (30 + Int(rng.next() % 370))))
        let updated = min(now, created.addingTimeInterval(Double(rng.next() % (86_400 * 30))))
        let stage = rng.pick(type.stages)
        let owner = rng.pick(owners)
        state.dataObjects[id] = SpotioDataObject(
            id: id, typeId: typeId, stageId: stage.id, ownerId: owner, pin: pin, source: rng.pick(["Web", "Mobile", "Import"]),
            externalDataObjectId: rng.chance(0.3) ? "EXT-\(100_000 + index)" : nil, fields: fields, collaboratorIds: [],
            territoryId: nil, createdAt: created, updatedAt: updated, createdById: owner, updatedById: owner,
            stageUpdatedAt: updated, stageUpdatedById: owner, dateOfAssignment: created, visitsCount: 0, callsCount: 0,
            textOptedIn: rng.chance(0.4))
        return id
    }

    private func seedActivities(for recordId: String, rng: inout SeededRandom, now: Date) {
        guard var record = state.dataObjects[recordId] else { return }
        for _ in 0..<Int(rng.next() % 4) {
            let template = rng.pick(state.activityTemplates)
            let date = min(now, record.createdAt.addingTimeInterval(Double(rng.next() % (86_400 * 60))))
            let done = date < now.addingTimeInterval(-3_600) ? !rng.chance(0.1) : false
            let result = template.results.isEmpty ? nil : rng.pick(template.results).id
            let activity = SpotioActivity(
                id: String(state.nextActivityNumber), dataObjectId: recordId, type: template.systemRole == "Note" ? "Note" : "Event",
                done: done, title: template.name, notes: rng.chance(0.5) ? "Follow-up on \(template.name.lowercased())." : nil,
                date: date, duration: template.defaultDuration, allDay: false, ownerId: record.ownerId,
                activityTemplateId: template.id, resultId: done ? result : nil, createdAt: date, updatedAt: date)
            state.activities[activity.id] = activity
            state.nextActivityNumber += 1
            if done {
                record.lastActivityTime = max(record.lastActivityTime ?? .distantPast, date)
                if template.systemRole == "Visit" {
                    record.visitsCount += 1
                    record.lastVisitDate = date
                    record.lastVisitResultId = result
                } else if template.systemRole == "Call" {
                    record.callsCount += 1
                    record.lastCallDate = date
                    record.lastCallResultId = result
                }
            }
        }
        state.dataObjects[recordId] = record
    }
}
