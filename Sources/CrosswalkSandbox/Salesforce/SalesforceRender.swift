import Foundation

/// Records as the REST API returns them: an `attributes` block, then fields by their API names.
enum SalesforceRender {
    static func attributes(_ type: String, id: String?, version: String) -> [String: Any] {
        var attributes: [String: Any] = ["type": type]
        if let id { attributes["url"] = "/services/data/\(version)/sobjects/\(type)/\(id)" }
        return attributes
    }

    /// A record with `fields` (all of the object's fields when `nil`), missing values as `null`.
    static func record(_ record: SalesforceRecord, _ object: SalesforceObject, fields: [SalesforceField]? = nil, version: String) -> [String: Any] {
        var json: [String: Any] = ["attributes": attributes(record.type, id: record.id, version: version)]
        for field in fields ?? object.fields { json[field.name] = value(field, of: record, object) }
        return json
    }

    /// A field's value as JSON; a compound address is an object of its parts, or `null` when all are empty.
    static func value(_ field: SalesforceField, of record: SalesforceRecord, _ object: SalesforceObject) -> Any {
        guard field.type == .address else { return record[field.name].json(field.type) }
        let prefix = String(field.name.dropLast("Address".count))
        var parts: [String: Any] = [:]
        var any = false
        for (key, suffix) in addressParts {
            let part = object.field(prefix + suffix)
            let v = part.map { record[$0.name] } ?? .null
            if v != .null { any = true }
            parts[key] = v.json(part?.type ?? .string)
        }
        return any ? parts : NSNull()
    }

    /// The keys of an address value and the component each comes from.
    static let addressParts = [("city", "City"), ("country", "Country"), ("geocodeAccuracy", "GeocodeAccuracy"), ("latitude", "Latitude"),
                               ("longitude", "Longitude"), ("postalCode", "PostalCode"), ("state", "State"), ("street", "Street")]

    /// A query row: selected fields, parent fields nested under the relationship name (`null` without a parent).
    static func row(_ record: SalesforceRecord, paths: [SOQLFieldPath], store: SalesforceStore, version: String) -> [String: Any] {
        var json: [String: Any] = ["attributes": attributes(record.type, id: record.id, version: version)]
        var parents: [String: [String: Any]] = [:]
        var missingParents: Set<String> = []
        for path in paths {
            guard let lookup = path.lookup, let relationship = lookup.relationshipName else {
                if let object = SalesforceCatalog.object(record.type) { json[path.field.name] = value(path.field, of: record, object) }
                continue
            }
            guard let parentID = record[lookup.name].text, let parent = store.record(parentID),
                  let parentObject = SalesforceCatalog.object(parent.type) else {
                missingParents.insert(relationship)
                continue
            }
            var nested = parents[relationship] ?? ["attributes": attributes(parent.type, id: parent.id, version: version)]
            if let field = parentObject.field(path.field.name) { nested[field.name] = value(field, of: parent, parentObject) }
            parents[relationship] = nested
        }
        for relationship in missingParents where parents[relationship] == nil { json[relationship] = NSNull() }
        for (relationship, nested) in parents { json[relationship] = nested }
        return json
    }
}
