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
        for field in fields ?? object.fields { json[field.name] = record[field.name].json(field.type) }
        return json
    }

    /// A query row: selected fields, parent fields nested under the relationship name (`null` without a parent).
    static func row(_ record: SalesforceRecord, paths: [SOQLFieldPath], store: SalesforceStore, version: String) -> [String: Any] {
        var json: [String: Any] = ["attributes": attributes(record.type, id: record.id, version: version)]
        var parents: [String: [String: Any]] = [:]
        var missingParents: Set<String> = []
        for path in paths {
            guard let lookup = path.lookup, let relationship = lookup.relationshipName else {
                json[path.field.name] = record[path.field.name].json(path.field.type)
                continue
            }
            guard let parentID = record[lookup.name].text, let parent = store.record(parentID),
                  let parentObject = SalesforceCatalog.object(parent.type) else {
                missingParents.insert(relationship)
                continue
            }
            var nested = parents[relationship] ?? ["attributes": attributes(parent.type, id: parent.id, version: version)]
            if let field = parentObject.field(path.field.name) { nested[field.name] = parent[field.name].json(field.type) }
            parents[relationship] = nested
        }
        for relationship in missingParents where parents[relationship] == nil { json[relationship] = NSNull() }
        for (relationship, nested) in parents { json[relationship] = nested }
        return json
    }
}
