import CrosswalkCore
import Foundation

/// A webhook subscriber registered through `subscribe`.
struct HubSpotSubscription: Codable, Sendable {
    var id: Int
    var url: String
    var secret: String
    /// `contact.creation`, `contact.propertyChange`, `contact.propertyChange:email`, `company.*`, `*`; empty means all.
    var eventTypes: [String]
}

/// A record waiting for the search index (`search_lag`): it becomes searchable, with its values of then, at `due`.
struct HubSpotPendingIndex: Codable, Sendable {
    var due: Date
    var type: HubSpotObjectType
    var id: Int
}

/// Everything the HubSpot emulator stores; `exportState` writes it as JSON (the derived search indexes excepted).
struct HubSpotState: Codable, Sendable {
    var tables: [HubSpotObjectType: HubSpotRecordTable] = [:]
    var properties: [HubSpotObjectType: [String: HubSpotProperty]] = [:]
    var groups: [HubSpotObjectType: [String: HubSpotPropertyGroup]] = [:]
    var associations = HubSpotAssociationStore()
    var labels = HubSpotAssociationLabels()
    var tokens = HubSpotTokenStore()
    var portal = HubSpotPortalState()
    var subscriptions: [HubSpotSubscription] = []
    var nextObjectId = 10_001
    var nextEventId = 1
    var nextSubscriptionId = 1
    /// How long a write stays invisible to search (0: at once). See `search_lag` in the README.
    var searchLag: TimeInterval = 0
    var pendingIndex: [HubSpotPendingIndex] = []
    /// Sorted indexes and paging cursors for search (derived, rebuilt on demand).
    var search = HubSpotSearchIndexes()

    private enum CodingKeys: String, CodingKey {
        case tables, properties, groups, associations, labels, tokens, portal, subscriptions, nextObjectId, nextEventId,
             nextSubscriptionId, searchLag, pendingIndex
        case records  // the format before record tables
    }

    /// A fresh portal with HubSpot's built-in properties.
    init(now: Date) {
        for type in HubSpotObjectType.allCases {
            properties[type] = Dictionary(uniqueKeysWithValues: HubSpotPropertyCatalog.properties(for: type, at: now).map { ($0.name, $0) })
            groups[type] = Dictionary(uniqueKeysWithValues: HubSpotPropertyCatalog.groups(for: type).map { ($0.name, $0) })
            tables[type] = HubSpotRecordTable()
        }
        indexUniqueProperties()
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let saved = try c.decodeIfPresent([HubSpotObjectType: HubSpotRecordTable].self, forKey: .tables) {
            tables = saved
        } else if let legacy = try c.decodeIfPresent([HubSpotObjectType: [String: HubSpotRecord]].self, forKey: .records) {
            for (type, records) in legacy {
                var table = HubSpotRecordTable()
                for record in records.values.sorted(by: { $0.id < $1.id }) { table.insert(record) }
                tables[type] = table
            }
        }
        properties = try c.decode([HubSpotObjectType: [String: HubSpotProperty]].self, forKey: .properties)
        groups = try c.decode([HubSpotObjectType: [String: HubSpotPropertyGroup]].self, forKey: .groups)
        associations = try c.decode(HubSpotAssociationStore.self, forKey: .associations)
        labels = try c.decodeIfPresent(HubSpotAssociationLabels.self, forKey: .labels) ?? HubSpotAssociationLabels()
        tokens = try c.decode(HubSpotTokenStore.self, forKey: .tokens)
        portal = try c.decodeIfPresent(HubSpotPortalState.self, forKey: .portal) ?? HubSpotPortalState()
        subscriptions = try c.decode([HubSpotSubscription].self, forKey: .subscriptions)
        nextObjectId = try c.decode(Int.self, forKey: .nextObjectId)
        nextEventId = try c.decode(Int.self, forKey: .nextEventId)
        nextSubscriptionId = try c.decode(Int.self, forKey: .nextSubscriptionId)
        searchLag = try c.decodeIfPresent(TimeInterval.self, forKey: .searchLag) ?? 0
        pendingIndex = try c.decodeIfPresent([HubSpotPendingIndex].self, forKey: .pendingIndex) ?? []
        for type in HubSpotObjectType.allCases where tables[type] == nil { tables[type] = HubSpotRecordTable() }
        for type in HubSpotObjectType.allCases where properties[type] == nil {
            properties[type] = Dictionary(uniqueKeysWithValues: HubSpotPropertyCatalog.properties(for: type, at: Date()).map { ($0.name, $0) })
            groups[type] = Dictionary(uniqueKeysWithValues: HubSpotPropertyCatalog.groups(for: type).map { ($0.name, $0) })
        }
        indexUniqueProperties()
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tables, forKey: .tables)
        try c.encode(properties, forKey: .properties)
        try c.encode(groups, forKey: .groups)
        try c.encode(associations, forKey: .associations)
        try c.encode(labels, forKey: .labels)
        try c.encode(tokens, forKey: .tokens)
        try c.encode(portal, forKey: .portal)
        try c.encode(subscriptions, forKey: .subscriptions)
        try c.encode(nextObjectId, forKey: .nextObjectId)
        try c.encode(nextEventId, forKey: .nextEventId)
        try c.encode(nextSubscriptionId, forKey: .nextSubscriptionId)
        try c.encode(searchLag, forKey: .searchLag)
        try c.encode(pendingIndex, forKey: .pendingIndex)
    }

    private mutating func indexUniqueProperties() {
        for type in HubSpotObjectType.allCases {
            if type == .contacts { tables[type]?.indexUnique("email") }
            for (name, definition) in properties[type] ?? [:] where definition.hasUniqueValue && !definition.archived {
                tables[type]?.indexUnique(name)
            }
        }
    }

    // MARK: records

    /// The record with id `id` (live or archived).
    func record(_ type: HubSpotObjectType, _ id: String) -> HubSpotRecord? { Int(id).flatMap { tables[type]?[$0] } }

    /// The names among `requested` that are defined for `type` (HubSpot ignores the others); nil stays nil.
    func known(_ type: HubSpotObjectType, _ requested: [String]?) -> [String]? {
        requested.map { names in names.filter { properties[type]?[$0].map { !$0.archived } ?? false } }
    }

    /// Whether `name` identifies one record of `type` (usable as `idProperty`).
    func isIdProperty(_ type: HubSpotObjectType, _ name: String) -> Bool {
        name == "hs_object_id" || (type == .contacts && name == "email") || properties[type]?[name].map { $0.hasUniqueValue && !$0.archived } == true
    }

    /// The live record whose `idProperty` equals `value` (`hs_object_id` or nil means the record id).
    func find(_ type: HubSpotObjectType, idProperty: String?, value: String) -> HubSpotRecord? {
        guard let idProperty, idProperty != "hs_object_id" else {
            return record(type, value).flatMap { $0.archived ? nil : $0 }
        }
        guard let table = tables[type], table.hasUniqueIndex(idProperty), let id = table.find(unique: idProperty, value: value) else { return nil }
        return table[id]
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
        guard let raw, !(raw is NSNull) else { return [:] }
        guard let dict = raw as? [String: Any] else {
            throw .invalidJSON("properties", expected: "an object of property names to values", got: raw)
        }
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
    /// The 409 names the record that holds the value, as HubSpot's `Existing ID` does.
    func checkUnique(_ type: HubSpotObjectType, _ values: [String: String?], excluding id: Int?) throws(HubSpotError) {
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let value, name != "hs_object_id", isIdProperty(type, name),
                  let other = find(type, idProperty: name, value: value), other.id != id else { continue }
            if type == .contacts && name == "email" { throw .conflict("Contact already exists. Existing ID: \(other.id)") }
            throw .conflict("A \(type.singular) with the unique property \(name)=\(value) already exists. Existing ID: \(other.id)")
        }
    }

    /// Creates a record; returns it.
    mutating func create(_ type: HubSpotObjectType, values: [String: String?], at now: Date, source: String = "API") -> HubSpotRecord {
        let id = nextObjectId
        nextObjectId += 1
        var all: [String: String] = [:]
        all.reserveCapacity(values.count + 4)
        for (name, value) in values { if let value { all[name] = value } }
        let stamp = HubSpotTime.iso(now)
        all["hs_object_id"] = String(id)
        if all[type.createdProperty] == nil { all[type.createdProperty] = stamp }
        all["hs_lastmodifieddate"] = stamp
        if type == .contacts { all["lastmodifieddate"] = stamp }
        let createdAt = all[type.createdProperty].flatMap(HubSpotTime.parse) ?? now
        var record = HubSpotRecord(id: id, type: type, properties: all, source: source, createdAt: createdAt, at: now)
        record.searchView = searchLag > 0 ? nil : all
        tables[type]?.insert(record)
        afterWrite(type, id: id, now: now)
        return record
    }

    /// Writes `values` (nil clears) and stamps the modification time; returns the names whose value changed.
    @discardableResult
    mutating func update(_ type: HubSpotObjectType, id: Int, values: [String: String?], at now: Date, source: String = "API") -> [String] {
        let lag = searchLag
        let changed = tables[type]?.modify(id) { record -> [String] in
            let changed = values.filter { record.properties[$0.key] != $0.value }.map(\.key).sorted()
            for name in values.keys.sorted() {
                if let value = values[name] ?? nil {
                    record.properties[name] = value
                    record.changes.append(HubSpotValueChange(name: name, value: value, timestamp: now, sourceType: source))
                } else if record.properties.removeValue(forKey: name) != nil {
                    record.changes.append(HubSpotValueChange(name: name, value: "", timestamp: now, sourceType: source))
                }
            }
            let stamp = HubSpotTime.iso(now)
            for name in type == .contacts ? ["hs_lastmodifieddate", "lastmodifieddate"] : ["hs_lastmodifieddate"] {
                record.properties[name] = stamp
                record.changes.append(HubSpotValueChange(name: name, value: stamp, timestamp: now, sourceType: source))
            }
            record.updatedAt = now
            if lag <= 0 { record.searchView = record.properties }
            return changed
        } ?? []
        afterWrite(type, id: id, now: now)
        return changed
    }

    /// Archives a live record; returns whether one was archived.
    @discardableResult
    mutating func archive(_ type: HubSpotObjectType, id: Int, at now: Date) -> Bool {
        let archived = tables[type]?.modify(id) { record -> Bool in
            guard !record.archived else { return false }
            record.archived = true
            record.archivedAt = now
            record.updatedAt = now
            return true
        } ?? false
        if archived { search.touched(type, id: id) }
        return archived
    }

    /// After a write: the search index sees it now, or after `searchLag`.
    private mutating func afterWrite(_ type: HubSpotObjectType, id: Int, now: Date) {
        if searchLag > 0 {
            pendingIndex.append(HubSpotPendingIndex(due: now.addingTimeInterval(searchLag), type: type, id: id))
        } else {
            search.touched(type, id: id)
        }
    }

    /// Indexes every pending write that is due at `now` (all of them with `all`).
    mutating func catchUpSearchIndex(now: Date, all: Bool = false) {
        guard !pendingIndex.isEmpty else { return }
        var waiting: [HubSpotPendingIndex] = []
        for entry in pendingIndex {
            guard all || entry.due <= now else { waiting.append(entry); continue }
            tables[entry.type]?.modify(entry.id) { $0.searchView = $0.properties }
            search.touched(entry.type, id: entry.id)
        }
        pendingIndex = waiting
    }
}
