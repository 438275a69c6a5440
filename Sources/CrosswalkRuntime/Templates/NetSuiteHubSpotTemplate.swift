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
    /// Seed 003: NetSuite customers → HubSpot contacts (created and updated; a customer deleted in
    /// NetSuite does nothing in HubSpot, as the seed's beta sets it), and NetSuite invoices → HubSpot
    /// invoices associated to the contact their customer became (the association's type id read
    /// from HubSpot's labels, never hard-coded); an invoice whose customer is not synced waits for it.
    /// Dates go through the HubSpot plugin's own `hs_date` mapping function.
    public static let netsuiteHubSpot = FlowTemplate(
        name: "netsuite-hubspot",
        summary: "NetSuite customers → HubSpot contacts (delete: do nothing), NetSuite invoices → HubSpot invoices associated to the contact",
        connections: [.netsuite, .hubspotCRM],
        flowsYAML: """
              netsuite-customers-to-hubspot:
                description: NetSuite customers with an e-mail become HubSpot contacts, created and updated; a deleted customer does nothing in HubSpot
                source: {connection: netsuite, object: customer}
                criteria: '!empty(email)'
                targets:
                  - name: contact
                    connection: hubspot-crm
                    object: contacts
                    mode: mirror
                    delete_policy: nothing
                    match_keys: [email]
                    mapping: |
                      email     = lower(trim(email))
                      firstname = firstName ?? ""
                      lastname  = lastName ?? companyName ?? ""
                      company   = companyName ?? ""
                      phone     = phone ?? ""
              netsuite-invoices-to-hubspot:
                description: NetSuite invoices become HubSpot invoices associated to the contact of their customer
                source: {connection: netsuite, object: invoice}
                dependencies:
                  - {field: entity, object: customer, target_object: contacts, required: true, when_missing: wait}
                targets:
                  - name: invoice
                    connection: hubspot-crm
                    object: invoices
                    mode: upsert
                    match_keys: [{external_id: hs_external_invoice_id}]
                    links: [{lookup: entity, source_object: customer, object: contacts, type: invoice_to_contact}]
                    mapping: |
                      hs_number              = tranId
                      hs_external_invoice_id = _id
                      hs_invoice_date        = hs_date(tranDate)
                      hs_due_date            = hs_date(dueDate ?? tranDate)
                      hs_amount_billed       = total
                      hs_balance_due         = amountRemaining
                      hs_invoice_status      = amountRemaining == 0 ? "paid" : "open"
            """,
        flows: ["netsuite-customers-to-hubspot", "netsuite-invoices-to-hubspot"])
}
