import CrosswalkPluginKit

/// One body field of a record type, as the metadata catalog describes it.
struct NetSuiteField: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case text, integer, number, boolean, date, datetime
        /// A reference `{id, refName}` to a record type or list (the target when the catalog names it).
        case reference(String?)
        /// A sublist or subrecord (`item`, `addressBook`): not a SuiteQL column.
        case sublist
    }

    var name: String
    var label: String?
    var kind: Kind
    var readOnly = false
    var nillable = true
    var required = false
    var custom = false
    var picklist: [PicklistValue]?
    /// The SuiteQL column.
    var column: String

    /// Whether SuiteQL can select it.
    var isColumn: Bool { kind != .sublist }

    var referenceTarget: String? { if case .reference(let t) = kind { t } else { nil } }
}

/// A record type's fields: from the metadata catalog's JSON Schema (`Accept: application/schema+json`).
struct NetSuiteSchema: Sendable {
    let object: NetSuiteObject
    var fields: [NetSuiteField]

    func field(_ name: String) -> NetSuiteField? { fields.first { $0.name == name } }

    /// Reads the JSON Schema of `object`: each property's type and format, `readOnly`, `nullable`, `required`,
    /// `enum` values, references (`x-ns-referenced-type`, or a `$ref` to another record's catalog entry) and
    /// custom fields (`x-ns-custom-field`, or a `cust…` script id).
    init(object: NetSuiteObject, jsonSchema: JSONValue) {
        self.object = object
        let required = Set((jsonSchema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        var fields: [NetSuiteField] = []
        for (name, property) in (jsonSchema["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) where name != "links" {
            guard let kind = Self.kind(name: name, property: property, object: object) else { continue }
            var field = NetSuiteField(name: name, label: property["title"]?.stringValue, kind: kind, column: object.column(name))
            field.readOnly = property["readOnly"]?.boolValue ?? (name == "id" || name == "lastModifiedDate")
            field.nillable = property["nullable"]?.boolValue ?? true
            field.required = required.contains(name)
            field.custom = property["x-ns-custom-field"]?.boolValue ?? Self.customPrefixes.contains { name.hasPrefix($0) }
            field.picklist = Self.picklist(property)
            fields.append(field)
        }
        self.fields = fields
    }

    static let customPrefixes = ["custentity", "custbody", "custrecord", "custevent", "custitem", "custcol"]

    private static func kind(name: String, property: JSONValue, object: NetSuiteObject) -> NetSuiteField.Kind? {
        if let target = property["x-ns-referenced-type"]?.stringValue { return .reference(target) }
        if let ref = property["$ref"]?.stringValue {
            let target = ref.split(separator: "/").last.map(String.init) ?? ""
            // Generic NetSuite shapes (nsResource, nsLink…) name no record type.
            return .reference(target.isEmpty || target.hasPrefix("ns") ? object.references[name] : target)
        }
        switch property["type"]?.stringValue {
        case "string":
            switch property["format"]?.stringValue {
            case "date": return .date
            case "date-time": return .datetime
            default: return .text
            }
        case "integer": return .integer
        case "number": return .number
        case "boolean": return .boolean
        case "object":
            let members = property["properties"]?.objectValue ?? [:]
            if members["id"] != nil || members["refName"] != nil { return .reference(object.references[name]) }
            return .sublist
        case "array": return .sublist
        default:
            return property["enum"] != nil ? .text : nil
        }
    }

    private static func picklist(_ property: JSONValue) -> [PicklistValue]? {
        if let values = property["enum"]?.arrayValue {
            let labels = property["x-ns-enum-labels"]?.arrayValue
            return values.enumerated().compactMap { index, value in
                guard let text = value.stringValue ?? value.numberValue?.text else { return nil }
                return PicklistValue(value: text, label: labels.flatMap { index < $0.count ? $0[index].stringValue : nil } ?? text, active: true)
            }
        }
        if let options = property["oneOf"]?.arrayValue {
            let values = options.compactMap { option -> PicklistValue? in
                guard let value = option["const"]?.stringValue ?? option["const"]?.numberValue?.text else { return nil }
                return PicklistValue(value: value, label: option["title"]?.stringValue ?? value, active: true)
            }
            return values.isEmpty ? nil : values
        }
        return nil
    }
}
