import CrosswalkPluginKit

/// Turns Salesforce rows (a REST query's records, a Bulk API 2.0 CSV row, an outbound message's
/// sObject) into canonical records: datetimes in RFC 3339, the lookups as links, deletes and merges.
struct SalesforceRecordBuilder {
    let object: SalesforceObjectDescribe
    let schema: SalesforceSchemaCache

    /// Audit lookups that are not relations between records a flow follows.
    static let unlinked: Set<String> = ["createdbyid", "lastmodifiedbyid", "masterrecordid"]

    /// A record from a row's fields (the app's names and JSON values); `nil` without an `Id`.
    func record(_ row: [String: JSONValue]) -> Record? {
        var fields = row
        fields["attributes"] = nil
        guard let id = fields["Id"]?.stringValue, !id.isEmpty else { return nil }
        var links: [RecordLink] = []
        for (name, value) in fields {
            guard let field = object.field(name) else { continue }
            switch field.type {
            case "datetime":
                if let text = value.stringValue, let seconds = SalesforceTime.seconds(text) { fields[name] = .string(SalesforceTime.text(seconds)) }
            case "reference":
                guard let target = value.stringValue, !target.isEmpty, !Self.unlinked.contains(name.lowercased()),
                      let linked = schema.object(forID: target, candidates: field.referenceTo) else { continue }
                links.append(RecordLink(object: linked, id: target, type: field.name))
            default:
                break
            }
        }
        links.sort { $0.type ?? "" < $1.type ?? "" }
        let deleted = fields["IsDeleted"]?.boolValue ?? false
        let master = fields["MasterRecordId"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let change: RecordChange = deleted ? (master != nil ? .merge : .delete) : .upsert
        return Record(object: object.name, id: id, fields: fields, modifiedAt: fields["SystemModstamp"]?.stringValue,
                      deleted: deleted, change: change, mergedInto: deleted ? master : nil,
                      modifiedBy: fields["LastModifiedById"]?.stringValue, links: links.isEmpty ? nil : links)
    }

    /// A field's value from its text (a CSV cell, an XML element), typed as describe says.
    /// `nil` text is null, `""` an empty string (a quoted empty CSV cell); text that does not parse as the
    /// field's type stays text.
    func value(_ text: String?, field name: String) -> JSONValue {
        guard let text else { return .null }
        guard let field = object.field(name) else { return .string(text) }
        switch field.type {
        case "boolean":
            if text == "true" { return true }
            if text == "false" { return false }
            return text.isEmpty ? .null : .string(text)
        case "double", "currency", "percent", "int", "long":
            if text.isEmpty { return .null }
            return (try? JSONNumber(text: text)).map(JSONValue.number) ?? .string(text)
        default:
            return .string(text)
        }
    }
}
