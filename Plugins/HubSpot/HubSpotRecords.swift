import CrosswalkPluginKit

/// A `SimplePublicObject` (`{id, properties, createdAt, updatedAt, archived, archivedAt}`) as a canonical record:
/// the properties as they come (strings or null), the modification time from the object's last-modified property.
enum HubSpotRecords {
    /// The object's id and its modification time in epoch milliseconds (the last-modified property, else `updatedAt`).
    static func key(_ kind: HubSpotKind, _ object: JSONValue) -> (id: String, ms: Int64)? {
        guard let id = object["id"]?.stringValue ?? object["id"]?.intValue.map(String.init) else { return nil }
        let text = object["properties"]?[kind.modifiedProperty]?.stringValue ?? object["updatedAt"]?.stringValue
        guard let ms = text.flatMap(HubSpotTime.millis) else { return nil }
        return (id, ms)
    }

    static func record(_ kind: HubSpotKind, _ object: JSONValue, fields wanted: [String]? = nil) -> Record? {
        guard let id = object["id"]?.stringValue ?? object["id"]?.intValue.map(String.init) else { return nil }
        var fields = object["properties"]?.objectValue ?? [:]
        if let wanted { fields = fields.filter { wanted.contains($0.key) || $0.key == kind.modifiedProperty } }
        let modified = key(kind, object).map { HubSpotTime.rfc3339($0.ms) }
        if object["archived"]?.boolValue == true {
            let at = object["archivedAt"]?.stringValue.flatMap(HubSpotTime.millis).map(HubSpotTime.rfc3339) ?? modified
            return Record(object: kind.rawValue, id: id, fields: fields, modifiedAt: at, deleted: true, change: .delete)
        }
        let by = fields["hs_updated_by_user_id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return Record(object: kind.rawValue, id: id, fields: fields, modifiedAt: modified, modifiedBy: by)
    }
}
