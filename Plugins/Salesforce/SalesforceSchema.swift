import CrosswalkPluginKit

/// One field as `sobjects/{object}/describe` describes it (the members the connector uses).
struct SalesforceFieldDescribe: Sendable {
    var name: String
    var label: String
    /// Salesforce's own type: `id`, `reference`, `string`, `textarea`, `picklist`, `address`, `double`…
    var type: String
    var length: Int
    var scale: Int
    var nillable: Bool
    var createable: Bool
    var updateable: Bool
    var defaultedOnCreate: Bool
    var custom: Bool
    var externalID: Bool
    var idLookup: Bool
    var unique: Bool
    var filterable: Bool
    var calculated: Bool
    var hidden: Bool
    var referenceTo: [String]
    var relationshipName: String?
    var compoundFieldName: String?
    var picklist: [PicklistValue]

    init?(_ v: JSONValue) {
        guard let name = v["name"]?.stringValue, let type = v["type"]?.stringValue else { return nil }
        self.name = name
        self.type = type
        label = v["label"]?.stringValue ?? name
        length = v["length"]?.intValue ?? 0
        scale = v["scale"]?.intValue ?? 0
        nillable = v["nillable"]?.boolValue ?? true
        createable = v["createable"]?.boolValue ?? false
        updateable = v["updateable"]?.boolValue ?? false
        defaultedOnCreate = v["defaultedOnCreate"]?.boolValue ?? false
        custom = v["custom"]?.boolValue ?? name.hasSuffix("__c")
        externalID = v["externalId"]?.boolValue ?? false
        idLookup = v["idLookup"]?.boolValue ?? false
        unique = v["unique"]?.boolValue ?? false
        filterable = v["filterable"]?.boolValue ?? true
        calculated = v["calculated"]?.boolValue ?? false
        hidden = v["deprecatedAndHidden"]?.boolValue ?? false
        referenceTo = v["referenceTo"]?.arrayValue?.compactMap(\.stringValue) ?? []
        relationshipName = v["relationshipName"]?.stringValue
        compoundFieldName = v["compoundFieldName"]?.stringValue
        picklist = (v["picklistValues"]?.arrayValue ?? []).compactMap { p in
            p["value"]?.stringValue.map { PicklistValue(value: $0, label: p["label"]?.stringValue, active: p["active"]?.boolValue ?? true) }
        }
    }

    /// A compound field (an address or a geolocation): Salesforce answers its parts as their own
    /// fields, and Bulk API 2.0 refuses it.
    var isCompound: Bool { type == "address" || type == "location" }

    /// Whether a multi-record query may select it (not compound, not a base64 body, not hidden).
    var isReadable: Bool { !isCompound && type != "base64" && !hidden }

    /// Values are text, compared ignoring case by SOQL.
    var isText: Bool { ["string", "textarea", "email", "phone", "url", "picklist", "multipicklist", "combobox", "encryptedstring"].contains(type) }

    var isNumeric: Bool { ["double", "currency", "percent", "int", "long"].contains(type) }

    /// The type on the ABI's closed list.
    var abiType: String {
        switch type {
        case "id": "id"
        case "reference": "reference"
        case "string", "encryptedstring": "string"
        case "textarea": "text"
        case "email": "email"
        case "phone": "phone"
        case "url": "url"
        case "boolean": "boolean"
        case "int", "long": "integer"
        case "double": scale > 0 ? "decimal" : "number"
        case "currency": "currency"
        case "percent": "percent"
        case "date": "date"
        case "datetime": "datetime"
        case "time": "time"
        case "picklist", "combobox": "picklist"
        case "multipicklist": "multipicklist"
        case "address": "address"
        case "base64": "binary"
        default: "json" // location, anyType, complexvalue, …
        }
    }

    /// The field as discover reports it. `required`: must be set on create (not nillable, no default).
    var info: FieldInfo {
        let textual = isText || type == "id" || type == "reference"
        return FieldInfo(
            name: name, type: abiType, label: label,
            required: createable && !nillable && !defaultedOnCreate && type != "boolean",
            unique: unique || type == "id", createable: createable, updateable: updateable, nillable: nillable,
            externalID: externalID, custom: custom, length: textual && length > 0 ? length : nil,
            picklist: picklist.isEmpty ? nil : picklist, referenceTo: referenceTo.isEmpty ? nil : referenceTo)
    }
}

/// One object as `sobjects/{object}/describe` describes it.
struct SalesforceObjectDescribe: Sendable {
    var name: String
    var label: String
    var custom: Bool
    var keyPrefix: String?
    var createable: Bool
    var updateable: Bool
    var deletable: Bool
    var queryable: Bool
    var fields: [SalesforceFieldDescribe]
    private var byName: [String: Int]

    init?(_ v: JSONValue) {
        guard let name = v["name"]?.stringValue, let raw = v["fields"]?.arrayValue else { return nil }
        self.name = name
        label = v["label"]?.stringValue ?? name
        custom = v["custom"]?.boolValue ?? name.hasSuffix("__c")
        keyPrefix = v["keyPrefix"]?.stringValue
        createable = v["createable"]?.boolValue ?? false
        updateable = v["updateable"]?.boolValue ?? false
        deletable = v["deletable"]?.boolValue ?? false
        queryable = v["queryable"]?.boolValue ?? true
        fields = raw.compactMap(SalesforceFieldDescribe.init)
        byName = [:]
        for (i, f) in fields.enumerated() { byName[f.name.lowercased()] = i }
    }

    /// The field named `name` (Salesforce field names ignore case).
    func field(_ name: String) -> SalesforceFieldDescribe? { byName[name.lowercased()].map { fields[$0] } }

    /// The fields a full record read selects: every readable field, compound fields left out (their
    /// parts are fields of their own).
    var readableFields: [SalesforceFieldDescribe] { fields.filter(\.isReadable) }

    var operations: [String] {
        var ops: [String] = queryable ? ["read"] : []
        if createable { ops.append("create") }
        if updateable { ops.append("update") }
        if createable && updateable { ops.append("upsert") }
        if deletable { ops.append("delete") }
        return ops
    }

    var info: ObjectInfo {
        ObjectInfo(name: name, label: label, custom: custom, operations: operations, fields: fields.filter { !$0.hidden }.map(\.info))
    }
}

/// One entry of the global describe (`sobjects/`).
struct SalesforceGlobalEntry: Sendable {
    var name: String
    var label: String
    var keyPrefix: String?
    var custom: Bool
    var queryable: Bool

    init?(_ v: JSONValue) {
        guard let name = v["name"]?.stringValue else { return nil }
        self.name = name
        label = v["label"]?.stringValue ?? name
        keyPrefix = v["keyPrefix"]?.stringValue
        custom = v["custom"]?.boolValue ?? name.hasSuffix("__c")
        queryable = v["queryable"]?.boolValue ?? true
    }
}

/// Describes fetched once per instance: the global list and each object asked for.
final class SalesforceSchemaCache {
    private let api: SalesforceAPI
    private var global: [String: SalesforceGlobalEntry]?
    private var globalOrder: [String] = []
    private var objects: [String: SalesforceObjectDescribe] = [:]

    init(api: SalesforceAPI) { self.api = api }

    /// The global describe: every object of the org, by lower-cased name.
    func globalList() throws -> [SalesforceGlobalEntry] {
        if global == nil {
            let answer = try api.json("GET", api.data("sobjects/"), idempotent: true)
            var entries: [String: SalesforceGlobalEntry] = [:]
            var order: [String] = []
            for entry in (answer["sobjects"]?.arrayValue ?? []).compactMap(SalesforceGlobalEntry.init) {
                entries[entry.name.lowercased()] = entry
                order.append(entry.name.lowercased())
            }
            global = entries
            globalOrder = order
        }
        return globalOrder.compactMap { global?[$0] }
    }

    /// The describe of `name`, fetched on first use.
    /// - Throws: `not_found` for an object the org does not have.
    func describe(_ name: String) throws -> SalesforceObjectDescribe {
        if let cached = objects[name.lowercased()] { return cached }
        guard Self.isObjectName(name) else { throw ConnectorError(.notFound, "\"\(name)\" is not a Salesforce object name") }
        let response = try api.send("GET", api.data("sobjects/\(name)/describe/"), idempotent: true)
        if response.status == 404 {
            throw ConnectorError(.notFound, "the org has no object \(name) (or the integration user cannot see it): \(SalesforceAPI.errorItems(response).map(\.text).joined(separator: "; "))")
        }
        guard (200..<300).contains(response.status) else { throw SalesforceAPI.failure(response, "GET sobjects/\(name)/describe") }
        guard let value = response.jsonValue, let describe = SalesforceObjectDescribe(value) else {
            throw ConnectorError(.internalError, "the describe of \(name) is not a describe result")
        }
        objects[name.lowercased()] = describe
        objects[describe.name.lowercased()] = describe
        return describe
    }

    /// The object a record id points at: from the id's key prefix, among `candidates` when given.
    func object(forID id: String, candidates: [String]) -> String? {
        if candidates.count == 1 { return candidates[0] }
        let prefix = String(id.prefix(3))
        if let global, let match = global.values.first(where: { $0.keyPrefix == prefix }) { return match.name }
        if let known = SalesforceIDs.knownPrefixes[prefix] { return known }
        for name in candidates { if let d = objects[name.lowercased()], d.keyPrefix == prefix { return d.name } }
        return candidates.first
    }

    /// Object names are letters, digits and underscores (`Account`, `Invoice__c`, `ns__Thing__c`).
    static func isObjectName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 80 && name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
    }
}
