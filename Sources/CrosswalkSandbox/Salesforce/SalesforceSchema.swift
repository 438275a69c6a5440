/// The field types the emulated org uses, named as describe names them.
enum SalesforceFieldType: String, Sendable {
    case id, string, email, phone, reference, picklist, boolean, datetime, date, double, currency, percent, int, textarea, url

    /// The SOAP type describe reports.
    var soapType: String {
        switch self {
        case .id, .reference: "tns:ID"
        case .boolean: "xsd:boolean"
        case .datetime: "xsd:dateTime"
        case .date: "xsd:date"
        case .double, .currency, .percent: "xsd:double"
        case .int: "xsd:int"
        default: "xsd:string"
        }
    }

    var isNumeric: Bool { self == .double || self == .currency || self == .percent || self == .int }
    var isText: Bool { [.string, .email, .phone, .picklist, .textarea, .url].contains(self) }
}

/// One field of an emulated object, with what describe says about it.
struct SalesforceField: Sendable {
    var name: String
    var label: String
    var type: SalesforceFieldType
    var length = 0
    var nillable = true
    var createable = true
    var updateable = true
    var custom = false
    var externalId = false
    var unique = false
    var calculated = false
    /// Required on create (not nillable, no default).
    var required = false
    var defaultValue: String?
    var referenceTo: [String] = []
    var relationshipName: String?
    var picklist: [String] = []
    var nameField = false

    /// The `defaultValue` meaning "the user making the call" (OwnerId).
    static let currentUserDefault = "$currentUser"

    var idLookup: Bool { type == .id || externalId || (type == .email) }
    var isSystem: Bool { !createable && !updateable }

    init(_ name: String, _ label: String, _ type: SalesforceFieldType, length: Int? = nil) {
        self.name = name
        self.label = label
        self.type = type
        self.length = length ?? (type == .textarea ? 32_000 : type.isText ? 255 : type == .id || type == .reference ? 18 : 0)
    }

    /// A read-only field the system sets.
    func system() -> SalesforceField {
        var f = self
        f.createable = false
        f.updateable = false
        f.nillable = false
        return f
    }

    /// A field that must be given on create.
    func required(default value: String? = nil) -> SalesforceField {
        var f = self
        f.nillable = false
        f.required = value == nil
        f.defaultValue = value
        return f
    }

    /// A custom text field marked External ID and unique.
    static func externalID(_ name: String, _ label: String) -> SalesforceField {
        var f = SalesforceField(name, label, .string, length: 255)
        f.custom = true
        f.externalId = true
        f.unique = true
        return f
    }

    /// A lookup to `targets` through relationship `relationship`.
    static func reference(_ name: String, _ label: String, to targets: [String], relationship: String) -> SalesforceField {
        var f = SalesforceField(name, label, .reference)
        f.referenceTo = targets
        f.relationshipName = relationship
        return f
    }

    static func picklist(_ name: String, _ label: String, _ values: [String]) -> SalesforceField {
        var f = SalesforceField(name, label, .picklist)
        f.picklist = values
        return f
    }

    /// A value computed by the org (formula, name compound, roll-up).
    func calculatedField() -> SalesforceField {
        var f = self.system()
        f.calculated = true
        f.nillable = true
        return f
    }
}

/// A child relationship describe lists (e.g. Account → Contacts through Contact.AccountId).
struct SalesforceChildRelationship: Sendable {
    var childObject: String
    var field: String
    var name: String
}

/// One emulated sObject type.
struct SalesforceObject: Sendable {
    var name: String
    var label: String
    var labelPlural: String
    var keyPrefix: String
    var fields: [SalesforceField]
    var createable = true
    var children: [SalesforceChildRelationship] = []

    private var index: [String: Int] = [:]

    init(name: String, label: String, labelPlural: String, keyPrefix: String, fields: [SalesforceField],
         createable: Bool = true, children: [SalesforceChildRelationship] = []) {
        self.name = name
        self.label = label
        self.labelPlural = labelPlural
        self.keyPrefix = keyPrefix
        self.fields = fields
        self.createable = createable
        self.children = children
        for (i, f) in fields.enumerated() { index[f.name.lowercased()] = i }
    }

    /// The field named `name`, compared case-insensitively as Salesforce does.
    func field(_ name: String) -> SalesforceField? { index[name.lowercased()].map { fields[$0] } }

    /// The lookup field whose relationship is `relationship` (e.g. `Account` → `AccountId`).
    func relationshipField(_ relationship: String) -> SalesforceField? {
        fields.first { $0.relationshipName?.lowercased() == relationship.lowercased() }
    }
}
