import CrosswalkCore
import Foundation

/// One past value of a property (`propertiesWithHistory`).
struct HubSpotValueChange: Codable, Sendable, Equatable {
    var value: String
    var timestamp: Date
    var sourceType: String
}

/// One CRM record.
struct HubSpotRecord: Codable, Sendable {
    var id: String
    var type: HubSpotObjectType
    var properties: [String: String]
    var history: [String: [HubSpotValueChange]] = [:]
    var createdAt: Date
    var updatedAt: Date
    var archived = false
    var archivedAt: Date?
}

/// A webhook subscriber registered through `subscribe`.
struct HubSpotSubscription: Codable, Sendable {
    var id: Int
    var url: String
    var secret: String
    /// `contact.creation`, `contact.propertyChange`, `contact.propertyChange:email`, `company.*`, `*`; empty means all.
    var eventTypes: [String]
}

/// Everything the HubSpot emulator stores; `exportState` writes it as JSON.
struct HubSpotState: Codable, Sendable {
    var records: [HubSpotObjectType: [String: HubSpotRecord]] = [:]
    var properties: [HubSpotObjectType: [String: HubSpotProperty]] = [:]
    var groups: [HubSpotObjectType: [String: HubSpotPropertyGroup]] = [:]
    var associations = HubSpotAssociationStore()
    var tokens = HubSpotTokenStore()
    var subscriptions: [HubSpotSubscription] = []
    var nextObjectId = 10_001
    var nextEventId = 1
    var nextSubscriptionId = 1

    /// A fresh portal with HubSpot's built-in properties.
    init(now: Date) {
        for type in HubSpotObjectType.allCases {
            properties[type] = Dictionary(uniqueKeysWithValues: HubSpotPropertyCatalog.properties(for: type, at: now).map { ($0.name, $0) })
            groups[type] = Dictionary(uniqueKeysWithValues: HubSpotPropertyCatalog.groups(for: type).map { ($0.name, $0) })
            records[type] = [:]
        }
    }

    // MARK: records

    func record(_ type: HubSpotObjectType, _ id: String) -> HubSpotRecord? { records[type]?[id] }

    /// Live (not archived) records of `type`, oldest id first.
    func liveRecords(_ type: HubSpotObjectType, archived: Bool = false) -> [HubSpotRecord] {
        (records[type] ?? [:]).values.filter { $0.archived == archived }.sorted { (Int($0.id) ?? 0) < (Int($1.id) ?? 0) }
    }

    /// The names among `requested` that are defined for `type` (HubSpot ignores the others); nil stays nil.
    func known(_ type: HubSpotObjectType, _ requested: [String]?) -> [String]? {
        requested.map { names in names.filter { properties[type]?[$0].map { !$0.archived } ?? false } }
    }

    /// Whether `name` identifies one record of `type` (usable as `idProperty`).
    func isIdProperty(_ type: HubSpotObjectType, _ name: String) -> Bool {
        name == "hs_object_id" || (type == .contacts && name == "email") || properties[type]?[name]?.hasUniqueValue == true
    }

    /// The live record whose `idProperty` equals `value` (`hs_object_id` means the record id).
    func find(_ type: HubSpotObjectType, idProperty: String?, value: String) -> HubSpotRecord? {
        guard let idProperty, idProperty != "hs_object_id" else {
            return records[type]?[value].flatMap { $0.archived ? nil : $0 }
        }
        let wanted = idProperty == "email" ? value.lowercased() : value
        return records[type]?.values.first { !$0.archived && $0.properties[idProperty] == wanted }
    }

    /// Resolves `{id}` plus an optional `idProperty` for routes that address one record.
    func resolve(_ type: HubSpotObjectType, id: String, idProperty: String?) throws(HubSpotError) -> HubSpotRecord {
        if let idProperty, !isIdProperty(type, idProperty) {
            throw .validation("\(idProperty) is not a unique property of \(type.rawValue); use hs_object_id, email (contacts) or a property with hasUniqueValue.")
        }
        guard let found = find(type, idProperty: idProperty, value: id) else { throw .notFound(id: id) }
        return found
    }

    /// Checks and normalises client-supplied property values against the property definitions.
    func validatedProperties(_ type: HubSpotObjectType, _ raw: Any?) throws(HubSpotError) -> [String: String?] {
        guard let raw else { return [:] }
        guard let dict = raw as? [String: Any] else { throw .validation("properties must be an object of property names to values.") }
        var values: [String: String?] = [:]
        var problems: [(name: String, code: String, message: String)] = []
        for (name, value) in dict.sorted(by: { $0.key < $1.key }) {
            guard let definition = properties[type]?[name], !definition.archived else {
                problems.append((name, "PROPERTY_DOESNT_EXIST", "Property \"\(name)\" does not exist"))
                continue
            }
            if definition.readOnlyValue || type.systemProperties.contains(name) {
                problems.append((name, "READ_ONLY_VALUE", "\"\(name)\" is a read only property; its value cannot be set."))
                continue
            }
            guard let scalar = HubSpotJSON.scalarText(value) else {
                problems.append((name, "INVALID_PROPERTY_VALUE", "\(name) must be a string, number or boolean."))
                continue
            }
            guard let text = scalar, !text.isEmpty else { values[name] = .some(nil); continue }
            let checked = definition.validate(text)
            if let error = checked.error { problems.append((name, error.code, error.message)); continue }
            values[name] = checked.value
        }
        if !problems.isEmpty { throw .invalidProperties(problems) }
        return values
    }

    /// Refuses a value another live record of `type` already holds in a unique property (contacts' email included).
    func checkUnique(_ type: HubSpotObjectType, _ values: [String: String?], excluding id: String?) throws(HubSpotError) {
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let value, name != "hs_object_id", isIdProperty(type, name),
                  let other = find(type, idProperty: name, value: value), other.id != id else { continue }
            if type == .contacts && name == "email" { throw .conflict("Contact already exists. Existing ID: \(other.id)") }
            throw .conflict("A \(type.singular) with the unique property \(name)=\(value) already exists. Existing ID: \(other.id)")
        }
    }

    /// Creates a record; returns it with the changes it made.
    mutating func create(_ type: HubSpotObjectType, values: [String: String?], at now: Date, source: String = "API") -> HubSpotRecord {
        let id = String(nextObjectId)
        nextObjectId += 1
        var record = HubSpotRecord(id: id, type: type, properties: [:], createdAt: now, updatedAt: now)
        var all = values
        all["hs_object_id"] = id
        if all[type.createdProperty] == nil { all[type.createdProperty] = HubSpotTime.iso(now) }
        if let set = all[type.createdProperty] ?? nil, let date = HubSpotTime.parse(set) { record.createdAt = date }
        apply(&record, all, at: now, source: source)
        records[type, default: [:]][id] = record
        return record
    }

    /// Writes `values` (nil clears) and stamps the modification time; returns the names whose value changed.
    @discardableResult
    mutating func update(_ type: HubSpotObjectType, id: String, values: [String: String?], at now: Date) -> [String] {
        guard var record = records[type]?[id] else { return [] }
        let changed = values.filter { record.properties[$0.key] != $0.value }.map(\.key).sorted()
        apply(&record, values, at: now, source: "API")
        records[type]?[id] = record
        return changed
    }

    private func apply(_ record: inout HubSpotRecord, _ values: [String: String?], at now: Date, source: String) {
        for (name, value) in values {
            if let value {
                record.properties[name] = value
                record.history[name, default: []].insert(HubSpotValueChange(value: value, timestamp: now, sourceType: source), at: 0)
            } else if record.properties.removeValue(forKey: name) != nil {
                record.history[name, default: []].insert(HubSpotValueChange(value: "", timestamp: now, sourceType: source), at: 0)
            }
        }
        record.updatedAt = now
        let stamp = HubSpotTime.iso(now)
        record.properties["hs_lastmodifieddate"] = stamp
        if record.type == .contacts { record.properties["lastmodifieddate"] = stamp }
    }

    /// Archives a live record; returns whether one was archived.
    @discardableResult
    mutating func archive(_ type: HubSpotObjectType, id: String, at now: Date) -> Bool {
        guard var record = records[type]?[id], !record.archived else { return false }
        record.archived = true
        record.archivedAt = now
        record.updatedAt = now
        records[type]?[id] = record
        return true
    }
}
