import CrosswalkAuth
import CrosswalkSandbox
import Foundation

extension TemplateConnection {
    /// HubSpot (`com.hubspot`), a private app's access token sent as a bearer token by the host.
    public static let hubspotCRM = TemplateConnection(
        name: "hubspot-crm", app: "hubspot", plugin: "com.hubspot",
        yaml: """
              hubspot-crm:
                connector: com.hubspot
                settings: {base_url: "{{hubspot}}"}
            """,
        credentials: { _ in .apiKey(.bearer(HubSpotDemoCredentials.privateAppToken)) })
}

extension FlowTemplate {
    /// Seed 003: NetSuite customers → HubSpot contacts, and their companies → HubSpot companies (created and
    /// updated; a customer deleted in NetSuite does nothing in HubSpot, as the seed's beta sets it); NetSuite
    /// opportunities → HubSpot deals; NetSuite invoices → HubSpot invoices associated to the contact, the company
    /// and the deal their customer and opportunity became (association type ids read from HubSpot's labels, never
    /// hard-coded). An invoice or opportunity whose customer is not synced waits for it; an invoice billed from an
    /// opportunity waits for its deal. Dates go through the HubSpot plugin's own `hs_date` mapping function.
    public static let netsuiteHubSpot = FlowTemplate(
        name: "netsuite-hubspot",
        summary: "NetSuite customers → HubSpot contacts and companies (delete: do nothing), opportunities → deals, invoices → HubSpot invoices associated to the contact, company and deal",
        connections: [.netsuite, .hubspotCRM],
        flowsYAML: """
              netsuite-customers-to-hubspot:
                description: NetSuite customers with an e-mail become HubSpot contacts, and their company a HubSpot company, created and updated; a deleted customer does nothing in HubSpot
                source: {connection: netsuite, object: customer}
                criteria: '!empty(email)'
                targets:
                  - name: company
                    connection: hubspot-crm
                    object: companies
                    mode: mirror
                    delete_policy: nothing
                    criteria: 'isPerson != true && !empty(companyName)'
                    match_keys: [name]
                    mapping: |
                      name    = trim(companyName)
                      phone   = phone ?? ""
                      website = url ?? ""
                  - name: contact
                    connection: hubspot-crm
                    object: contacts
                    mode: mirror
                    delete_policy: nothing
                    match_keys: [email]
                    links: [{step: company, type: contact_to_company}]
                    mapping: |
                      email     = lower(trim(email))
                      firstname = firstName ?? ""
                      lastname  = lastName ?? companyName ?? ""
                      company   = companyName ?? ""
                      phone     = phone ?? ""
              netsuite-opportunities-to-hubspot:
                description: NetSuite opportunities become HubSpot deals associated to their customer's contact and company
                source: {connection: netsuite, object: opportunity}
                dependencies:
                  - {field: entity, object: customer, target_object: contacts, required: true, when_missing: wait}
                targets:
                  - name: deal
                    connection: hubspot-crm
                    object: deals
                    mode: upsert
                    match_keys: [dealname]
                    links:
                      - {lookup: entity, source_object: customer, object: contacts, type: deal_to_contact}
                      - {lookup: entity, source_object: customer, object: companies, type: deal_to_company}
                    mapping: |
                      dealname  = tranId + " " + (title ?? "")
                      amount    = projectedTotal ?? 0
                      closedate = hs_date(expectedCloseDate ?? tranDate)
                      pipeline  = "default"
                      dealstage = {"A": "qualifiedtobuy", "B": "presentationscheduled", "C": "closedwon", "D": "closedlost"}[status] ?? "appointmentscheduled"
              netsuite-invoices-to-hubspot:
                description: NetSuite invoices become HubSpot invoices associated to the contact and company of their customer and to the deal of their opportunity
                source: {connection: netsuite, object: invoice}
                dependencies:
                  - {field: entity, object: customer, target_object: contacts, required: true, when_missing: wait}
                  - {field: opportunity, object: opportunity, target_object: deals, when_missing: wait}
                targets:
                  - name: invoice
                    connection: hubspot-crm
                    object: invoices
                    mode: upsert
                    match_keys: [{external_id: hs_external_invoice_id}]
                    links:
                      - {lookup: entity, source_object: customer, object: contacts, type: invoice_to_contact}
                      - {lookup: entity, source_object: customer, object: companies, type: invoice_to_company}
                      - {lookup: opportunity, source_object: opportunity, object: deals, type: invoice_to_deal}
                    mapping: |
                      hs_number              = tranId
                      hs_external_invoice_id = _id
                      hs_invoice_date        = hs_date(tranDate)
                      hs_due_date            = hs_date(dueDate ?? tranDate)
                      hs_amount_billed       = total
                      hs_balance_due         = amountRemaining
                      hs_invoice_status      = amountRemaining == 0 ? "paid" : "open"
            """,
        flows: ["netsuite-customers-to-hubspot", "netsuite-opportunities-to-hubspot", "netsuite-invoices-to-hubspot"])
}
