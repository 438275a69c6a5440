/// One record type the connector offers: its REST name, its SuiteQL table, how the deleted-record feed names
/// it, and the few places where SuiteQL's columns are not the REST field names in lower case.
struct NetSuiteObject: Sendable {
    /// The REST record type (`customer`), also the object's name in records and the manifest.
    let name: String
    let label: String
    /// The SuiteQL table (`transaction` holds invoices).
    let table: String
    /// The rows of `table` that are this type (`type = 'CustInvc'`), when the table holds several.
    let tableType: String?
    /// `DeletedRecord.type` of this record type.
    let deletedType: String
    let matchKeys: [String]
    /// REST field → SuiteQL column where it is not the REST name in lower case.
    let columns: [String: String]
    /// Reference fields whose target is known without the metadata catalog (writes, links).
    let references: [String: String]
    /// Reference fields that become record links, with the linked object.
    let linkFields: [String: String]

    /// The SuiteQL column of a REST field.
    func column(_ field: String) -> String { columns[field] ?? field.lowercased() }

    /// The reference field a write link to `object` sets when the link names no field.
    func linkField(to object: String) -> String? {
        linkFields.sorted { $0.key < $1.key }.first { $0.value == object }?.key
    }

    static let customer = NetSuiteObject(
        name: "customer", label: "Customer", table: "customer", tableType: nil, deletedType: "customer",
        matchKeys: ["email"], columns: [:],
        references: ["parent": "customer", "subsidiary": "subsidiary", "currency": "currency", "terms": "term",
                     "salesRep": "employee", "category": "customercategory", "entityStatus": "customerstatus"],
        linkFields: ["parent": "customer"])

    static let contact = NetSuiteObject(
        name: "contact", label: "Contact", table: "contact", tableType: nil, deletedType: "contact",
        matchKeys: ["email"], columns: [:],
        references: ["company": "customer", "subsidiary": "subsidiary", "supervisor": "contact"],
        linkFields: ["company": "customer"])

    static let invoice = NetSuiteObject(
        name: "invoice", label: "Invoice", table: "transaction", tableType: "CustInvc", deletedType: "invoice",
        matchKeys: ["tranId"], columns: ["total": "foreigntotal", "amountRemaining": "foreignamountremaining"],
        references: ["entity": "customer", "currency": "currency", "subsidiary": "subsidiary", "terms": "term",
                     "status": "invoicestatus", "salesRep": "employee", "location": "location", "department": "department",
                     "class": "classification", "account": "account", "postingPeriod": "accountingperiod",
                     "opportunity": "opportunity"],
        linkFields: ["entity": "customer", "opportunity": "opportunity"])

    static let opportunity = NetSuiteObject(
        name: "opportunity", label: "Opportunity", table: "transaction", tableType: "Opprtnty", deletedType: "opportunity",
        matchKeys: ["tranId"], columns: [:],
        references: ["entity": "customer", "currency": "currency", "subsidiary": "subsidiary", "status": "opportunitystatus",
                     "entityStatus": "customerstatus", "salesRep": "employee", "forecastType": "forecasttype"],
        linkFields: ["entity": "customer"])

    static let all = [customer, contact, invoice, opportunity]

    static func named(_ name: String) -> NetSuiteObject? { all.first { $0.name == name } }
}
