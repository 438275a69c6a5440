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
    static let recordTypes = ["customer", "contact", "invoice", "opportunity"]

    /// Transaction record types (ids from the transaction counter, rows of the SuiteQL `transaction` table) and
    /// the code its `type` column shows for each.
    static let transactionTypes: [(type: String, code: String)] = [("invoice", "CustInvc"), ("opportunity", "Opprtnty")]

    static func isTransaction(_ type: String) -> Bool { transactionTypes.contains { $0.type == type } }

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
                NetSuiteField(name: "opportunity", type: .reference("opportunity"), title: "Opportunity"),
                NetSuiteField(name: "createdDate", type: .datetime, title: "Date Created", readOnly: true),
            ]
        case "opportunity":
            return common + [
                NetSuiteField(name: "tranId", type: .text, title: "Opportunity #"),
                NetSuiteField(name: "title", type: .text, title: "Title"),
                NetSuiteField(name: "entity", type: .reference("customer"), title: "Customer"),
                NetSuiteField(name: "tranDate", type: .date, title: "Date"),
                NetSuiteField(name: "expectedCloseDate", type: .date, title: "Expected Close"),
                NetSuiteField(name: "probability", type: .number, title: "Probability (%)"),
                NetSuiteField(name: "projectedTotal", type: .number, title: "Projected Total"),
                NetSuiteField(name: "status", type: .reference("opportunitystatus"), title: "Status"),
                NetSuiteField(name: "currency", type: .reference("currency"), title: "Currency"),
                NetSuiteField(name: "subsidiary", type: .reference("subsidiary"), title: "Subsidiary"),
                NetSuiteField(name: "memo", type: .text, title: "Memo"),
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
        "opportunitystatus": ["A": "In Progress", "B": "Issued Estimate", "C": "Closed - Won", "D": "Closed - Lost"],
        "item": ["10": "Consulting Hour", "11": "Support Plan (Annual)", "12": "Widget", "13": "Installation"],
    ]

    /// The SuiteQL table `name`: the record types whose rows it holds and, for a table of several (`transaction`
    /// holds invoices and opportunities), the code its `type` column shows for each.
    static func table(_ name: String) -> NetSuiteTable? {
        switch name.lowercased() {
        case "customer": NetSuiteTable(recordTypes: ["customer"])
        case "contact": NetSuiteTable(recordTypes: ["contact"])
        case "transaction": NetSuiteTable(recordTypes: transactionTypes.map(\.type),
                                          typeCodes: Dictionary(uniqueKeysWithValues: transactionTypes.map { ($0.type, $0.code) }))
        case NetSuiteDeletedRecords.recordType: NetSuiteTable(recordTypes: [NetSuiteDeletedRecords.recordType])
        default: nil
        }
    }
}

/// A SuiteQL table: the record types of its rows, in id order when there are several.
struct NetSuiteTable: Sendable {
    var recordTypes: [String]
    /// record type → the `type` column's value; empty when the table has no `type` column.
    var typeCodes: [String: String] = [:]

    var hasTypeColumn: Bool { !typeCodes.isEmpty }

    /// The field behind `column` in the first record type that has it.
    func field(column: String) -> NetSuiteField? {
        for type in recordTypes { if let f = NetSuiteSchema.field(type, column: column) { return f } }
        return nil
    }

    /// The field behind `column` when every record type that has it reads it the same way (name and type), so it can be
    /// resolved once for all rows; `nil` otherwise (then each row resolves it).
    func uniformField(column: String) -> NetSuiteField? {
        let found = recordTypes.compactMap { NetSuiteSchema.field($0, column: column) }
        guard let first = found.first, found.allSatisfy({ $0.name == first.name && $0.type == first.type }) else { return nil }
        return first
    }

    /// Every column once, in schema order (`type` first when the table has it).
    var allColumns: [String] {
        var seen = Set<String>(), out: [String] = hasTypeColumn ? ["type"] : []
        for type in recordTypes { for f in NetSuiteSchema.fields(type) where seen.insert(f.column).inserted { out.append(f.column) } }
        return out
    }

    /// The record types a condition's `type = '…'` (at the top of an AND chain) leaves, or all.
    func recordTypes(for condition: NetSuiteSuiteQLQuery.Condition?) -> [String] {
        guard hasTypeColumn, let condition, let code = Self.typeCode(condition) else { return recordTypes }
        return recordTypes.filter { typeCodes[$0] == code }
    }

    private static func typeCode(_ condition: NetSuiteSuiteQLQuery.Condition) -> String? {
        switch condition {
        case let .and(a, b): return typeCode(a) ?? typeCode(b)
        case let .compare(.column(name), "=", .literal(.text(code))), let .compare(.literal(.text(code)), "=", .column(name)):
            return name.lowercased().split(separator: ".").last == "type" ? code : nil
        default: return nil
        }
    }
}
