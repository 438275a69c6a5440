/// The field types the emulated org uses, named as describe names them.
enum SalesforceFieldType: String, Sendable {
    case id, string, email, phone, reference, picklist, multipicklist, combobox, boolean, datetime, date, double, currency,
         percent, int, textarea, url
    /// A compound address (`BillingAddress`): read-only, made of its component fields.
    case address

    /// The SOAP type describe reports.
    var soapType: String {
        switch self {
        case .id, .reference: "tns:ID"
        case .boolean: "xsd:boolean"
        case .datetime: "xsd:dateTime"
        case .date: "xsd:date"
        case .double, .currency, .percent: "xsd:double"
        case .int: "xsd:int"
        case .address: "urn:address"
        default: "xsd:string"
        }
    }

    var isNumeric: Bool { self == .double || self == .currency || self == .percent || self == .int }
    var isText: Bool { [.string, .email, .phone, .picklist, .multipicklist, .combobox, .textarea, .url].contains(self) }
    var isID: Bool { self == .id || self == .reference }
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
    /// Whether the org fills the field when a create leaves it out (system fields, defaults).
    var defaultedOnCreate = false
    var referenceTo: [String] = []
    var relationshipName: String?
    var picklist: [String] = []
    var restrictedPicklist = false
    var nameField = false
    /// Whether describe marks the field `idLookup` (Id, Name, Email, external ids…).
    var idLookup = false
    /// The compound field this one is part of (`BillingCity` → `BillingAddress`, `FirstName` → `Name`).
    var compoundFieldName: String?
    /// `plaintextarea`, `personname`, `imageurl`… as describe reports them.
    var extraTypeInfo: String?
    /// Number fields: total digits and digits after the point; `int` fields: `digits`.
    var precision = 0
    var scale = 0
    var digits = 0

    /// The `defaultValue` meaning "the user making the call" (OwnerId).
    static let currentUserDefault = "$currentUser"

    var isSystem: Bool { !createable && !updateable }
    /// Whether `sobjects/{type}/{field}/{value}` reads and upserts by this field: Id, external ids, and
    /// (as the emulator chose) e-mail fields.
    var isRecordKey: Bool { type == .id || externalId || type == .email }
    /// A long text area (over 255 characters): neither filterable, sortable nor groupable.
    var isLongText: Bool { type == .textarea && length > 255 }
    var filterable: Bool { type != .address && !isLongText }
    var sortable: Bool { type != .address && !isLongText && type != .multipicklist }
    var groupable: Bool { type != .address && !isLongText && !type.isNumeric && type != .datetime && type != .multipicklist }
    var aggregatable: Bool { type != .address && !isLongText && type != .boolean && type != .multipicklist }

    init(_ name: String, _ label: String, _ type: SalesforceFieldType, length: Int? = nil) {
        self.name = name
        self.label = label
        self.type = type
        self.length = length ?? (type == .textarea ? 32_000 : type.isText ? 255 : type.isID ? 18 : 0)
        switch type {
        case .id: idLookup = true
        case .email: idLookup = true
        case .int: digits = 9
        case .currency: precision = 18; scale = 2
        case .double: precision = 18; scale = 0
        case .percent: precision = 3; scale = 0
        case .textarea: extraTypeInfo = "plaintextarea"
        default: break
        }
    }

    /// A read-only field the system sets.
    func system() -> SalesforceField {
        var f = self
        f.createable = false
        f.updateable = false
        f.nillable = false
        f.defaultedOnCreate = true
        return f
    }

    /// A read-only field the system may leave empty (LastActivityDate, PhotoUrl…).
    func readOnly() -> SalesforceField {
        var f = self
        f.createable = false
        f.updateable = false
        return f
    }

    /// A field that must be given on create, or that gets `value` when left out.
    func required(default value: String? = nil) -> SalesforceField {
        var f = self
        f.nillable = false
        f.required = value == nil
        f.defaultValue = value
        f.defaultedOnCreate = value != nil
        return f
    }

    /// A field of the compound field `compound`.
    func part(of compound: String) -> SalesforceField {
        var f = self
        f.compoundFieldName = compound
        return f
    }

    func with(_ change: (inout SalesforceField) -> Void) -> SalesforceField {
        var f = self
        change(&f)
        return f
    }

    /// A custom text field marked External ID and unique.
    static func externalID(_ name: String, _ label: String) -> SalesforceField {
        var f = SalesforceField(name, label, .string, length: 255)
        f.custom = true
        f.externalId = true
        f.unique = true
        f.idLookup = true
        return f
    }

    /// A lookup to `targets` through relationship `relationship`.
    static func reference(_ name: String, _ label: String, to targets: [String], relationship: String) -> SalesforceField {
        var f = SalesforceField(name, label, .reference)
        f.referenceTo = targets
        f.relationshipName = relationship
        return f
    }

    static func picklist(_ name: String, _ label: String, _ values: [String], restricted: Bool = false) -> SalesforceField {
        var f = SalesforceField(name, label, .picklist)
        f.picklist = values
        f.restrictedPicklist = restricted
        return f
    }

    /// A checkbox: never null, `false` unless given.
    static func checkbox(_ name: String, _ label: String, default value: Bool = false) -> SalesforceField {
        SalesforceField(name, label, .boolean).required(default: value ? "true" : "false")
    }

    /// A number with `precision` digits, `scale` of them after the point.
    static func number(_ name: String, _ label: String, _ type: SalesforceFieldType = .double, precision: Int, scale: Int) -> SalesforceField {
        var f = SalesforceField(name, label, type)
        f.precision = precision
        f.scale = scale
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
    var cascadeDelete = false
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

    /// Field positions by lower-cased name, and by exact name (the common case, without lower-casing).
    private var index: [String: Int] = [:]
    private var exact: [String: Int] = [:]
    /// Checkbox (and other defaulted boolean) fields with their default, for records written without them.
    private(set) var booleanDefaults: [(name: String, value: Bool)] = []

    init(name: String, label: String, labelPlural: String, keyPrefix: String, fields: [SalesforceField],
         createable: Bool = true, children: [SalesforceChildRelationship] = []) {
        self.name = name
        self.label = label
        self.labelPlural = labelPlural
        self.keyPrefix = keyPrefix
        self.fields = fields
        self.createable = createable
        self.children = children
        for (i, f) in fields.enumerated() {
            index[f.name.lowercased()] = i
            exact[f.name] = i
            if f.type == .boolean, let value = f.defaultValue { booleanDefaults.append((f.name, value == "true")) }
        }
    }

    /// The field named `name`, compared case-insensitively as Salesforce does.
    func field(_ name: String) -> SalesforceField? { ordinal(name).map { fields[$0] } }

    /// The position of the field named `name` in `fields`.
    func ordinal(_ name: String) -> Int? { exact[name] ?? index[name.lowercased()] }

    /// The lookup field whose relationship is `relationship` (e.g. `Account` → `AccountId`).
    func relationshipField(_ relationship: String) -> SalesforceField? {
        fields.first { $0.relationshipName?.lowercased() == relationship.lowercased() }
    }

    /// The component fields of the compound field `compound`, in describe order.
    func components(of compound: String) -> [SalesforceField] {
        fields.filter { $0.compoundFieldName == compound }
    }
}
