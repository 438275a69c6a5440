import Foundation

/// The objects of the emulated org: Account, Contact, Lead, Opportunity, Task, User, with the custom
/// external-id fields the Crosswalk flows use (`NetSuite_Id__c`, `Spotio_Id__c`, `Aritic_Id__c`).
enum SalesforceCatalog {
    static let objects: [String: SalesforceObject] = {
        var all: [String: SalesforceObject] = [:]
        for object in [account, contact, lead, opportunity, task, user] { all[object.name.lowercased()] = object }
        return all
    }()

    /// Object names in describe order.
    static let names = ["Account", "Contact", "Lead", "Opportunity", "Task", "User"]

    /// The object named `name` (case-insensitive).
    static func object(_ name: String) -> SalesforceObject? { objects[name.lowercased()] }

    /// The object whose ids start with `prefix`.
    static func object(keyPrefix prefix: Substring) -> SalesforceObject? {
        objects.values.first { $0.keyPrefix == prefix }
    }

    private static func audit() -> [SalesforceField] {
        [
            SalesforceField("IsDeleted", "Deleted", .boolean).system(),
            .reference("OwnerId", "Owner ID", to: ["User"], relationship: "Owner").required(default: SalesforceField.currentUserDefault),
            SalesforceField("CreatedDate", "Created Date", .datetime).system(),
            .reference("CreatedById", "Created By ID", to: ["User"], relationship: "CreatedBy").system(),
            SalesforceField("LastModifiedDate", "Last Modified Date", .datetime).system(),
            .reference("LastModifiedById", "Last Modified By ID", to: ["User"], relationship: "LastModifiedBy").system(),
            SalesforceField("SystemModstamp", "System Modstamp", .datetime).system(),
        ]
    }

    private static func idField(_ label: String) -> SalesforceField { SalesforceField("Id", "\(label) ID", .id).system() }

    private static func address(_ prefix: String, _ label: String) -> [SalesforceField] {
        func labelled(_ text: String) -> String { "\(label) \(text)".trimmingCharacters(in: .whitespaces) }
        return [
            SalesforceField("\(prefix)Street", labelled("Street"), .textarea, length: 255),
            SalesforceField("\(prefix)City", labelled("City"), .string, length: 40),
            SalesforceField("\(prefix)State", labelled("State/Province"), .string, length: 80),
            SalesforceField("\(prefix)PostalCode", labelled("Zip/Postal Code"), .string, length: 20),
            SalesforceField("\(prefix)Country", labelled("Country"), .string, length: 80),
        ]
    }

    static let leadSources = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other", "Door to Door"]
    static let industries = ["Agriculture", "Apparel", "Banking", "Chemicals", "Communications", "Construction", "Consulting",
                             "Education", "Electronics", "Energy", "Engineering", "Finance", "Healthcare", "Manufacturing",
                             "Media", "Retail", "Technology", "Other"]
    static let opportunityStages = ["Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
                                    "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost"]
    static let leadStatuses = ["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"]
    static let taskStatuses = ["Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"]

    static let account = SalesforceObject(
        name: "Account", label: "Account", labelPlural: "Accounts", keyPrefix: "001",
        fields: [idField("Account")] + [
            { var f = SalesforceField("Name", "Account Name", .string, length: 255).required(); f.nameField = true; return f }(),
            .picklist("Type", "Account Type", ["Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller", "Partner", "Other"]),
            .reference("ParentId", "Parent Account ID", to: ["Account"], relationship: "Parent"),
            .picklist("Industry", "Industry", industries),
            SalesforceField("Website", "Website", .url),
            SalesforceField("Phone", "Account Phone", .phone, length: 40),
            SalesforceField("NumberOfEmployees", "Employees", .int),
            SalesforceField("AnnualRevenue", "Annual Revenue", .currency),
            SalesforceField("Description", "Account Description", .textarea),
        ] + address("Billing", "Billing") + audit() + [
            .externalID("NetSuite_Id__c", "NetSuite ID"),
            .externalID("Spotio_Id__c", "SPOTIO ID"),
            .externalID("Aritic_Id__c", "Aritic PinPoint ID"),
        ],
        children: [
            .init(childObject: "Contact", field: "AccountId", name: "Contacts"),
            .init(childObject: "Opportunity", field: "AccountId", name: "Opportunities"),
            .init(childObject: "Task", field: "WhatId", name: "Tasks"),
        ])

    static let contact = SalesforceObject(
        name: "Contact", label: "Contact", labelPlural: "Contacts", keyPrefix: "003",
        fields: [idField("Contact")] + [
            .reference("AccountId", "Account ID", to: ["Account"], relationship: "Account"),
            .picklist("Salutation", "Salutation", ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof."]),
            SalesforceField("FirstName", "First Name", .string, length: 40),
            SalesforceField("LastName", "Last Name", .string, length: 80).required(),
            { var f = SalesforceField("Name", "Full Name", .string, length: 121).calculatedField(); f.nameField = true; return f }(),
            SalesforceField("Title", "Title", .string, length: 128),
            SalesforceField("Email", "Email", .email, length: 80),
            SalesforceField("Phone", "Business Phone", .phone, length: 40),
            SalesforceField("MobilePhone", "Mobile Phone", .phone, length: 40),
            .picklist("LeadSource", "Lead Source", leadSources),
            SalesforceField("Description", "Contact Description", .textarea),
            SalesforceField("HasOptedOutOfEmail", "Email Opt Out", .boolean).required(default: "false"),
        ] + address("Mailing", "Mailing") + audit() + [
            .externalID("NetSuite_Id__c", "NetSuite ID"),
            .externalID("Spotio_Id__c", "SPOTIO ID"),
            .externalID("Aritic_Id__c", "Aritic PinPoint ID"),
        ],
        children: [.init(childObject: "Task", field: "WhoId", name: "Tasks")])

    static let lead = SalesforceObject(
        name: "Lead", label: "Lead", labelPlural: "Leads", keyPrefix: "00Q",
        fields: [idField("Lead")] + [
            SalesforceField("FirstName", "First Name", .string, length: 40),
            SalesforceField("LastName", "Last Name", .string, length: 80).required(),
            { var f = SalesforceField("Name", "Full Name", .string, length: 121).calculatedField(); f.nameField = true; return f }(),
            SalesforceField("Company", "Company", .string, length: 255).required(),
            SalesforceField("Title", "Title", .string, length: 128),
            SalesforceField("Email", "Email", .email, length: 80),
            SalesforceField("Phone", "Phone", .phone, length: 40),
            .picklist("Status", "Lead Status", leadStatuses).required(default: "Open - Not Contacted"),
            .picklist("LeadSource", "Lead Source", leadSources),
            .picklist("Industry", "Industry", industries),
            SalesforceField("Description", "Description", .textarea),
            SalesforceField("IsConverted", "Converted", .boolean).required(default: "false"),
        ] + address("", "") + audit() + [
            .externalID("Spotio_Id__c", "SPOTIO ID"),
            .externalID("Aritic_Id__c", "Aritic PinPoint ID"),
        ],
        children: [.init(childObject: "Task", field: "WhoId", name: "Tasks")])

    static let opportunity = SalesforceObject(
        name: "Opportunity", label: "Opportunity", labelPlural: "Opportunities", keyPrefix: "006",
        fields: [idField("Opportunity")] + [
            .reference("AccountId", "Account ID", to: ["Account"], relationship: "Account"),
            { var f = SalesforceField("Name", "Name", .string, length: 120).required(); f.nameField = true; return f }(),
            .picklist("StageName", "Stage", opportunityStages).required(),
            SalesforceField("CloseDate", "Close Date", .date).required(),
            SalesforceField("Amount", "Amount", .currency),
            SalesforceField("Probability", "Probability (%)", .percent),
            .picklist("Type", "Opportunity Type", ["Existing Customer - Upgrade", "Existing Customer - Replacement", "New Customer"]),
            .picklist("LeadSource", "Lead Source", leadSources),
            SalesforceField("Description", "Description", .textarea),
            SalesforceField("IsClosed", "Closed", .boolean).calculatedField(),
            SalesforceField("IsWon", "Won", .boolean).calculatedField(),
        ] + audit() + [
            .externalID("NetSuite_Id__c", "NetSuite ID"),
            .externalID("Spotio_Id__c", "SPOTIO ID"),
        ],
        children: [.init(childObject: "Task", field: "WhatId", name: "Tasks")])

    static let task = SalesforceObject(
        name: "Task", label: "Task", labelPlural: "Tasks", keyPrefix: "00T",
        fields: [idField("Activity")] + [
            .reference("WhoId", "Name ID", to: ["Contact", "Lead"], relationship: "Who"),
            .reference("WhatId", "Related To ID", to: ["Account", "Opportunity"], relationship: "What"),
            { var f = SalesforceField("Subject", "Subject", .string, length: 255); f.nameField = true; return f }(),
            SalesforceField("ActivityDate", "Due Date Only", .date),
            .picklist("Status", "Status", taskStatuses).required(default: "Not Started"),
            .picklist("Priority", "Priority", ["High", "Normal", "Low"]).required(default: "Normal"),
            SalesforceField("Description", "Description", .textarea),
            SalesforceField("IsClosed", "Closed", .boolean).calculatedField(),
            .picklist("Type", "Type", ["Call", "Email", "Meeting", "Visit", "Other"]),
        ] + audit() + [
            .externalID("Spotio_Id__c", "SPOTIO ID"),
        ])

    static let user = SalesforceObject(
        name: "User", label: "User", labelPlural: "Users", keyPrefix: "005",
        fields: [idField("User")] + [
            SalesforceField("Username", "Username", .string, length: 80).required(),
            SalesforceField("FirstName", "First Name", .string, length: 40),
            SalesforceField("LastName", "Last Name", .string, length: 80).required(),
            { var f = SalesforceField("Name", "Full Name", .string, length: 121).calculatedField(); f.nameField = true; return f }(),
            SalesforceField("Email", "Email", .email, length: 128).required(),
            SalesforceField("Alias", "Alias", .string, length: 8).required(),
            SalesforceField("IsActive", "Active", .boolean).required(default: "true"),
            SalesforceField("CreatedDate", "Created Date", .datetime).system(),
            SalesforceField("LastModifiedDate", "Last Modified Date", .datetime).system(),
            SalesforceField("SystemModstamp", "System Modstamp", .datetime).system(),
        ],
        createable: false)
}
