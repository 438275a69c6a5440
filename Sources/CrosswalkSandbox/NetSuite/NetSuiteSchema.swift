import CrosswalkCore
import Foundation

/// How a NetSuite field is typed on the wire.
enum NetSuiteFieldType: Sendable, Equatable {
    case text
    case integer
    case number
    case boolean
    case date
    case datetime
    /// A reference `{id, refName}` to a record type or a fixed list (`subsidiary`, `currency`…).
    case reference(String)
}

/// One body field of a record type: its REST name, SuiteQL column and type.
struct NetSuiteField: Sendable {
    var name: String
    var type: NetSuiteFieldType
    var title: String
    var readOnly = false
    var custom = false
    /// The SuiteQL column when it is not the REST name in lower case.
    var sqlColumn: String?

    /// The SuiteQL column.
    var column: String { sqlColumn ?? name.lowercased() }
}

/// The record types the emulator serves, their fields, and the fixed lists references point at.
enum NetSuiteSchema {
    static let recordTypes = ["customer", "contact", "invoice"]

    static func fields(_ type: String) -> [NetSuiteField] { fieldsByType[type] ?? makeFields(type) }

    /// Each record type's fields, built once (queries look them up for every record they test).
    private static let fieldsByType: [String: [NetSuiteField]] =
        Dictionary(uniqueKeysWithValues: recordTypes.map { ($0, makeFields($0)) })

    /// Each record type's fields by SuiteQL column.
    private static let fieldsByColumn: [String: [String: NetSuiteField]] = fieldsByType.mapValues { fields in
        Dictionary(fields.map { ($0.column, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private static func makeFields(_ type: String) -> [NetSuiteField] {
        let common = [
            NetSuiteField(name: "id", type: .integer, title: "Internal ID", readOnly: true),
            NetSuiteField(name: "externalId", type: .text, title: "External ID"),
            NetSuiteField(name: "lastModifiedDate", type: .datetime, title: "Date Last Modified", readOnly: true),
        ]
        switch type {
        case "customer":
            return common + [
                NetSuiteField(name: "entityId", type: .text, title: "Customer ID"),
                NetSuiteField(name: "companyName", type: .text, title: "Company Name"),
                NetSuiteField(name: "isPerson", type: .boolean, title: "Individual"),
                NetSuiteField(name: "firstName", type: .text, title: "First Name"),
                NetSuiteField(name: "lastName", type: .text, title: "Last Name"),
                NetSuiteField(name: "email", type: .text, title: "Email"),
                NetSuiteField(name: "phone", type: .text, title: "Phone"),
                NetSuiteField(name: "url", type: .text, title: "Web Address"),
                NetSuiteField(name: "comments", type: .text, title: "Comments"),
                NetSuiteField(name: "creditLimit", type: .number, title: "Credit Limit"),
                NetSuiteField(name: "isInactive", type: .boolean, title: "Inactive"),
                NetSuiteField(name: "subsidiary", type: .reference("subsidiary"), title: "Primary Subsidiary"),
                NetSuiteField(name: "currency", type: .reference("currency"), title: "Currency"),
                NetSuiteField(name: "terms", type: .reference("term"), title: "Terms"),
                NetSuiteField(name: "dateCreated", type: .datetime, title: "Date Created", readOnly: true),
                NetSuiteField(name: "custentity_sf_account_id", type: .text, title: "Salesforce Account ID", custom: true),
            ]
        case "contact":
            return common + [
                NetSuiteField(name: "entityId", type: .text, title: "Contact"),
                NetSuiteField(name: "firstName", type: .text, title: "First Name"),
                NetSuiteField(name: "lastName", type: .text, title: "Last Name"),
                NetSuiteField(name: "email", type: .text, title: "Email"),
                NetSuiteField(name: "phone", type: .text, title: "Main Phone"),
                NetSuiteField(name: "title", type: .text, title: "Job Title"),
                NetSuiteField(name: "company", type: .reference("customer"), title: "Company"),
                NetSuiteField(name: "subsidiary", type: .reference("subsidiary"), title: "Subsidiary"),
                NetSuiteField(name: "isInactive", type: .boolean, title: "Inactive"),
                NetSuiteField(name: "dateCreated", type: .datetime, title: "Date Created", readOnly: true),
                NetSuiteField(name: "custentity_sf_contact_id", type: .text, title: "Salesforce Contact ID", custom: true),
            ]
        case "invoice":
            return common + [
                NetSuiteField(name: "tranId", type: .text, title: "Invoice #"),
                NetSuiteField(name: "entity", type: .reference("customer"), title: "Customer"),
                NetSuiteField(name: "tranDate", type: .date, title: "Date"),
                NetSuiteField(name: "dueDate", type: .date, title: "Due Date"),
                NetSuiteField(name: "currency", type: .reference("currency"), title: "Currency"),
                NetSuiteField(name: "subsidiary", type: .reference("subsidiary"), title: "Subsidiary"),
                NetSuiteField(name: "status", type: .reference("invoicestatus"), title: "Status", readOnly: true),
                NetSuiteField(name: "memo", type: .text, title: "Memo"),
                NetSuiteField(name: "total", type: .number, title: "Total", readOnly: true, sqlColumn: "foreigntotal"),
                NetSuiteField(name: "amountRemaining", type: .number, title: "Amount Remaining", readOnly: true,
                              sqlColumn: "foreignamountremaining"),
                NetSuiteField(name: "createdDate", type: .datetime, title: "Date Created", readOnly: true),
            ]
        case NetSuiteDeletedRecords.recordType:
            return NetSuiteDeletedRecords.fields
        default:
            return []
        }
    }

    /// The field of `type` whose REST name is `name` (case-insensitive, as `q` filters accept).
    static func field(_ type: String, _ name: String) -> NetSuiteField? {
        let lower = name.lowercased()
        return fields(type).first { $0.name.lowercased() == lower }
    }

    /// The field of `type` behind the SuiteQL column `column`.
    static func field(_ type: String, column: String) -> NetSuiteField? {
        if let columns = fieldsByColumn[type] { return columns[column] ?? columns[column.lowercased()] }
        let lower = column.lowercased()
        return fields(type).first { $0.column == lower }
    }

    /// The invoice `item` sublist line fields.
    static let itemLineFields = [
        NetSuiteField(name: "item", type: .reference("item"), title: "Item"),
        NetSuiteField(name: "quantity", type: .number, title: "Quantity"),
        NetSuiteField(name: "rate", type: .number, title: "Rate"),
        NetSuiteField(name: "amount", type: .number, title: "Amount"),
        NetSuiteField(name: "description", type: .text, title: "Description"),
    ]

    /// Fixed lists that references point at: id → display name.
    static let lists: [String: [String: String]] = [
        "subsidiary": ["1": "Crosswalk Demo Inc.", "2": "Crosswalk Demo Europe SAS"],
        "currency": ["1": "USA", "2": "Euro", "3": "British pound", "4": "Canadian Dollar"],
        "term": ["1": "Net 15", "2": "Net 30", "3": "Net 60", "4": "Due on receipt"],
        "invoicestatus": ["A": "Open", "B": "Paid In Full"],
        "item": ["10": "Consulting Hour", "11": "Support Plan (Annual)", "12": "Widget", "13": "Installation"],
    ]

    /// The SuiteQL table of a record type and the row filter that selects it (`transaction` holds invoices).
    static func table(_ name: String) -> (recordType: String, typeColumn: String?)? {
        switch name.lowercased() {
        case "customer": ("customer", nil)
        case "contact": ("contact", nil)
        case "transaction": ("invoice", "CustInvc")
        case NetSuiteDeletedRecords.recordType: (NetSuiteDeletedRecords.recordType, nil)
        default: nil
        }
    }
}
