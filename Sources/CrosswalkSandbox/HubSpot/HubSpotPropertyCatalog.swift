import CrosswalkCore
import Foundation

/// The HubSpot-defined properties and groups each object type starts with.
enum HubSpotPropertyCatalog {
    static func groups(for type: HubSpotObjectType) -> [HubSpotPropertyGroup] {
        let info = HubSpotPropertyGroup(name: "\(type.singular)information", label: "\(type.singular.capitalized) information", displayOrder: 0)
        return [info]
    }

    /// The built-in properties of `type`, created at `date`.
    static func properties(for type: HubSpotObjectType, at date: Date) -> [HubSpotProperty] {
        let group = "\(type.singular)information"
        func p(_ name: String, _ label: String, _ kind: String = "string", _ field: String = "text",
               options: [String] = [], readOnly: Bool = false) -> HubSpotProperty {
            HubSpotProperty(name: name, label: label, type: kind, fieldType: field, groupName: group,
                            options: options.enumerated().map { HubSpotPropertyOption(label: Self.optionLabel($1), value: $1, displayOrder: $0, hidden: false, description: "") },
                            formField: !readOnly && kind != "datetime", readOnlyValue: readOnly,
                            createdAt: date, updatedAt: date)
        }
        var list = [
            p("hs_object_id", "Record ID", "number", "number", readOnly: true),
            p("hs_lastmodifieddate", "Last Modified Date", "datetime", "date", readOnly: true),
        ]
        switch type {
        case .contacts:
            list += [
                p("email", "Email"), p("firstname", "First Name"), p("lastname", "Last Name"),
                p("phone", "Phone Number", "string", "phonenumber"), p("mobilephone", "Mobile Phone Number", "string", "phonenumber"),
                p("company", "Company Name"), p("jobtitle", "Job Title"), p("website", "Website URL"),
                p("address", "Street Address"), p("city", "City"), p("state", "State/Region"), p("zip", "Postal Code"), p("country", "Country/Region"),
                p("lifecyclestage", "Lifecycle Stage", "enumeration", "radio",
                  options: ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"]),
                p("hs_lead_status", "Lead Status", "enumeration", "radio", options: ["NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING"]),
                p("createdate", "Create Date", "datetime", "date"),
                p("lastmodifieddate", "Last Modified Date", "datetime", "date", readOnly: true),
            ]
        case .companies:
            list += [
                p("name", "Company name"), p("domain", "Company Domain Name"), p("website", "Website URL"),
                p("phone", "Phone Number", "string", "phonenumber"), p("industry", "Industry"),
                p("address", "Street Address"), p("city", "City"), p("state", "State/Region"), p("zip", "Postal Code"), p("country", "Country/Region"),
                p("numberofemployees", "Number of Employees", "number", "number"), p("annualrevenue", "Annual Revenue", "number", "number"),
                p("description", "Description", "string", "textarea"),
                p("lifecyclestage", "Lifecycle Stage", "enumeration", "radio",
                  options: ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"]),
                p("createdate", "Create Date", "datetime", "date"),
            ]
        case .deals:
            list += [
                p("dealname", "Deal Name"), p("amount", "Amount", "number", "number"),
                p("dealstage", "Deal Stage", "enumeration", "radio",
                  options: ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent", "closedwon", "closedlost"]),
                p("pipeline", "Pipeline", "enumeration", "select", options: ["default"]),
                p("closedate", "Close Date", "datetime", "date"), p("description", "Deal Description", "string", "textarea"),
                p("createdate", "Create Date", "datetime", "date"),
            ]
        case .invoices:
            list += [
                p("hs_currency", "Currency", "enumeration", "select", options: ["USD", "EUR", "GBP", "CAD"]),
                p("hs_invoice_status", "Invoice status", "enumeration", "select", options: ["draft", "open", "paid", "voided"]),
                p("hs_number", "Number"), p("hs_invoice_date", "Invoice date", "datetime", "date"), p("hs_due_date", "Due date", "datetime", "date"),
                p("hs_amount_billed", "Amount billed", "number", "number"), p("hs_balance_due", "Balance due", "number", "number"),
                p("hs_external_invoice_id", "External invoice ID"), p("hs_comments", "Comments", "string", "textarea"),
                p("hs_createdate", "Create Date", "datetime", "date", readOnly: true),
            ]
        }
        return list.enumerated().map { index, property in
            var property = property
            property.displayOrder = index
            return property
        }
    }

    private static func optionLabel(_ value: String) -> String {
        value.replacingOccurrences(of: "_", with: " ").lowercased().capitalized
    }
}
