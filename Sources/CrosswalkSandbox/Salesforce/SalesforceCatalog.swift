import Foundation

/// The objects of the emulated org — Account, Contact, Lead, Opportunity, Task, User — with the standard
/// fields a real org's describe lists (compound addresses included), plus the custom external-id fields the
/// Crosswalk flows use (`NetSuite_Id__c`, `Spotio_Id__c`, `Aritic_Id__c`). The field lists follow the
/// Object Reference for Salesforce and Lightning Platform (one page per object) and the describe of a
/// current Enterprise Edition org; see `Salesforce/README.md`.
enum SalesforceCatalog {
    static let objects: [String: SalesforceObject] = {
        var all: [String: SalesforceObject] = [:]
        for object in [account, contact, lead, opportunity, task, user] { all[object.name.lowercased()] = object }
        return all
    }()

    private static let byPrefix: [String: SalesforceObject] = {
        var all: [String: SalesforceObject] = [:]
        for object in objects.values { all[object.keyPrefix] = object }
        return all
    }()

    /// Object names in describe order.
    static let names = ["Account", "Contact", "Lead", "Opportunity", "Task", "User"]

    /// The object named `name` (case-insensitive).
    static func object(_ name: String) -> SalesforceObject? { objects[name.lowercased()] }

    /// The object whose ids start with `prefix`.
    static func object(keyPrefix prefix: Substring) -> SalesforceObject? { byPrefix[String(prefix)] }

    // MARK: shared blocks

    static func idField(_ label: String) -> SalesforceField { SalesforceField("Id", "\(label) ID", .id).system() }

    static let isDeleted = SalesforceField("IsDeleted", "Deleted", .boolean).system().with { $0.defaultValue = "false" }

    static func masterRecord(_ object: String) -> SalesforceField {
        SalesforceField.reference("MasterRecordId", "Master Record ID", to: [object], relationship: "MasterRecord").readOnly()
    }

    static func owner(to targets: [String] = ["User"]) -> SalesforceField {
        SalesforceField.reference("OwnerId", "Owner ID", to: targets, relationship: "Owner").required(default: SalesforceField.currentUserDefault)
    }

    /// CreatedDate … SystemModstamp, in describe order.
    static func audit() -> [SalesforceField] {
        [
            SalesforceField("CreatedDate", "Created Date", .datetime).system(),
            SalesforceField.reference("CreatedById", "Created By ID", to: ["User"], relationship: "CreatedBy").system(),
            SalesforceField("LastModifiedDate", "Last Modified Date", .datetime).system(),
            SalesforceField.reference("LastModifiedById", "Last Modified By ID", to: ["User"], relationship: "LastModifiedBy").system(),
            SalesforceField("SystemModstamp", "System Modstamp", .datetime).system(),
        ]
    }

    static let lastActivityDate = SalesforceField("LastActivityDate", "Last Activity", .date).readOnly()
    static let lastViewed = [
        SalesforceField("LastViewedDate", "Last Viewed Date", .datetime).readOnly(),
        SalesforceField("LastReferencedDate", "Last Referenced Date", .datetime).readOnly(),
    ]

    static func photoURL() -> SalesforceField {
        SalesforceField("PhotoUrl", "Photo URL", .url, length: 255).readOnly().with { $0.extraTypeInfo = "imageurl" }
    }

    static let geocodeAccuracies = ["Address", "NearAddress", "Block", "Street", "ExtendedZip", "Zip", "Neighborhood", "City",
                                    "County", "State", "Unknown"]

    /// The components of an address (`BillingStreet` … `BillingGeocodeAccuracy`) followed by the compound
    /// field itself (`BillingAddress`, type `address`, read-only).
    static func address(_ prefix: String, _ label: String) -> [SalesforceField] {
        let compound = "\(prefix)Address"
        func labelled(_ text: String) -> String { "\(label) \(text)".trimmingCharacters(in: .whitespaces) }
        return [
            SalesforceField("\(prefix)Street", labelled("Street"), .textarea, length: 255).part(of: compound),
            SalesforceField("\(prefix)City", labelled("City"), .string, length: 40).part(of: compound),
            SalesforceField("\(prefix)State", labelled("State/Province"), .string, length: 80).part(of: compound),
            SalesforceField("\(prefix)PostalCode", labelled("Zip/Postal Code"), .string, length: 20).part(of: compound),
            SalesforceField("\(prefix)Country", labelled("Country"), .string, length: 80).part(of: compound),
            SalesforceField.number("\(prefix)Latitude", labelled("Latitude"), precision: 18, scale: 15).part(of: compound),
            SalesforceField.number("\(prefix)Longitude", labelled("Longitude"), precision: 18, scale: 15).part(of: compound),
            SalesforceField.picklist("\(prefix)GeocodeAccuracy", labelled("Geocode Accuracy"), geocodeAccuracies, restricted: true).part(of: compound),
            SalesforceField(compound, labelled("Address"), .address).readOnly(),
        ]
    }

    /// Salutation, FirstName, LastName as parts of the compound `Name`, then `Name` itself.
    static func personName(lastNameLength: Int = 80) -> [SalesforceField] {
        [
            SalesforceField("LastName", "Last Name", .string, length: lastNameLength).required().part(of: "Name"),
            SalesforceField("FirstName", "First Name", .string, length: 40).part(of: "Name"),
            SalesforceField.picklist("Salutation", "Salutation", salutations).part(of: "Name"),
            SalesforceField("Name", "Full Name", .string, length: 121).calculatedField().with {
                $0.calculated = false
                $0.nameField = true
                $0.idLookup = true
                $0.extraTypeInfo = "personname"
                $0.nillable = false
            },
        ]
    }

    /// Data.com and Data.com Clean fields.
    static func jigsaw(_ idName: String, _ idLabel: String) -> [SalesforceField] {
        [
            SalesforceField("Jigsaw", "Data.com Key", .string, length: 20),
            SalesforceField(idName, idLabel, .string, length: 20).readOnly(),
            SalesforceField.picklist("CleanStatus", "Clean Status", cleanStatuses, restricted: true),
        ]
    }

    static func custom(_ field: SalesforceField) -> SalesforceField { field.with { $0.custom = true } }

    // MARK: picklists

    static let salutations = ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mx."]
    static let leadSources = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"]
    static let industries = ["Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications", "Construction",
                             "Consulting", "Education", "Electronics", "Energy", "Engineering", "Entertainment", "Environmental",
                             "Finance", "Food & Beverage", "Government", "Healthcare", "Hospitality", "Insurance", "Machinery",
                             "Manufacturing", "Media", "Not For Profit", "Recreation", "Retail", "Shipping", "Technology",
                             "Telecommunications", "Transportation", "Utilities", "Other"]
    static let accountTypes = ["Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller",
                               "Installation Partner", "Technology Partner", "Other"]
    static let ratings = ["Hot", "Warm", "Cold"]
    static let ownerships = ["Public", "Private", "Subsidiary", "Other"]
    static let cleanStatuses = ["Matched", "Different", "Acknowledged", "NotFound", "Inactive", "Pending", "SelectMatch", "Skipped"]
    static let opportunityStages = ["Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
                                    "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost"]
    /// Default probability and forecast category of each stage, as a new org has them.
    static let stageDefaults: [String: (probability: Double, forecast: String, forecastName: String)] = [
        "Prospecting": (10, "Pipeline", "Pipeline"), "Qualification": (10, "Pipeline", "Pipeline"),
        "Needs Analysis": (20, "Pipeline", "Pipeline"), "Value Proposition": (50, "Pipeline", "Pipeline"),
        "Id. Decision Makers": (60, "Pipeline", "Pipeline"), "Perception Analysis": (70, "Pipeline", "Pipeline"),
        "Proposal/Price Quote": (75, "Pipeline", "Pipeline"), "Negotiation/Review": (90, "Pipeline", "Pipeline"),
        "Closed Won": (100, "Closed", "Closed"), "Closed Lost": (0, "Omitted", "Omitted"),
    ]
    static let forecastCategories = ["Omitted", "Pipeline", "BestCase", "Forecast", "Closed"]
    static let forecastCategoryNames = ["Omitted", "Pipeline", "Best Case", "Commit", "Closed"]
    static let leadStatuses = ["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"]
    static let taskStatuses = ["Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"]
    static let taskPriorities = ["High", "Normal", "Low"]
    static let taskTypes = ["Call", "Email", "Meeting", "Visit", "Other"]
    static let taskSubtypes = ["Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"]
    static let timeZones = ["America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Toronto",
                            "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Asia/Tokyo", "Australia/Sydney", "GMT"]
}
