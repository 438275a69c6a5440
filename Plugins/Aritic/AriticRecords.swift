import CrosswalkPluginKit
import Foundation

/// A contact or company of a list or batch answer as a canonical record: `fields.all` (every alias) plus the
/// entity's own `dateAdded`, `dateModified` and `points`/`score`.
enum AriticRecords {
    /// The entity's id as text; `nil` when missing (a deleted entity comes back with `"id": null`).
    static func id(_ entity: JSONValue) -> String? {
        entity["id"]?.intValue.map(String.init) ?? entity["id"]?.stringValue
    }

    /// When the entity last changed: `dateModified`, else `dateAdded` (Mautic leaves `dateModified` null until the first edit).
    static func changedAt(_ entity: JSONValue) -> Date? {
        (entity["dateModified"]?.stringValue).flatMap(AriticTime.parse) ?? (entity["dateAdded"]?.stringValue).flatMap(AriticTime.parse)
    }

    static func record(_ kind: AriticKind, _ entity: JSONValue, fields wanted: [String]? = nil) -> Record? {
        guard let id = id(entity) else { return nil }
        var fields = entity["fields"]?["all"]?.objectValue ?? [:]
        fields["id"] = nil
        for key in ["dateAdded", "dateModified", "points", "score"] { if let v = entity[key] { fields[key] = v } }
        if let wanted { fields = fields.filter { wanted.contains($0.key) } }
        return Record(object: kind.rawValue, id: id, fields: fields, modifiedAt: changedAt(entity).map(AriticTime.rfc3339),
                      modifiedBy: entity["modifiedBy"]?.intValue.map(String.init))
    }

    /// The entities of a list answer `{"total": "n", "<kind>": {"<id>": {...}}}` (`[]` when empty).
    static func entities(_ body: JSONValue, _ kind: AriticKind) -> [JSONValue] {
        switch body[kind.rawValue] {
        case .object(let map)?: return Array(map.values)
        case .array(let list)?: return list
        default: return []
        }
    }
}
