import CrosswalkAuth
import CrosswalkSandbox
import Foundation

extension TemplateConnection {
    /// Aritic PinPoint (`com.aritic`), HTTP basic auth as the API user. Named `pinpoint` so that it
    /// can sit beside the HubSpot → Aritic template's generic-HTTP `aritic` connection in one demo.
    public static let pinpoint = TemplateConnection(
        name: "pinpoint", app: "aritic", plugin: "com.aritic",
        yaml: """
              pinpoint:
                connector: com.aritic
                settings: {base_url: "{{aritic}}", segments: [salesforce-sync]}
            """,
        credentials: { _ in
            let a = AriticApp.demoCredentials.dictionary
            return .basic(BasicCredentials(username: a["username"] ?? "", password: a["password"] ?? ""))
        })
}

extension FlowTemplate {
    /// Seed 002: Aritic PinPoint ↔ Salesforce accounts. Contacts sync when they are on the Salesforce
    /// inclusion list — the Aritic segment `salesforce-sync` (the connection's `segments` setting gives
    /// contacts their `segments` field; drop the condition to sync everyone). An Aritic company becomes a Salesforce
    /// account only when a contact that syncs as a Salesforce contact needs it (the contacts flow
    /// brings its company along: `when_missing: sync`), or when a person asks (`crosswalk sync
    /// aritic-companies-to-salesforce --record ID`, the "Sync" card); a company without contacts, or
    /// whose contacts all sync as leads (no company), never becomes one on its own. Contacts with a
    /// company become contacts of its account; contacts without one become leads. Salesforce
    /// accounts become Aritic companies.
    public static let ariticSalesforce = FlowTemplate(
        name: "aritic-salesforce",
        summary: "Aritic PinPoint ↔ Salesforce: contacts to contacts (their company made an account first) or leads; accounts to companies",
        connections: [.pinpoint, .salesforce],
        flowsYAML: """
              aritic-companies-to-salesforce:
                description: Aritic companies become Salesforce accounts when one of their contacts syncs as a contact, or when asked (the Sync card)
                triggers: [manual]
                source: {connection: pinpoint, object: companies}
                targets:
                  - name: account
                    connection: salesforce
                    object: Account
                    mode: upsert
                    match_keys: [{external_id: Aritic_Id__c}]
                    mapping: |
                      Name         = companyname
                      Phone        = companyphone
                      Website      = companywebsite
                      BillingCity  = companycity
                      Aritic_Id__c = _id
              aritic-contacts-to-salesforce:
                description: Aritic contacts on the inclusion list (segment salesforce-sync) with a company become contacts of its Salesforce account (the account made first when missing); the others become leads
                triggers: [webhook, manual]
                source: {connection: pinpoint, object: contacts}
                criteria: 'contains(segments, "salesforce-sync") && !empty(email) && !empty(lastname)'
                dependencies:
                  - {link_type: company, object: companies, target_object: Account, when_missing: sync, flow: aritic-companies-to-salesforce}
                targets:
                  - name: contact
                    connection: salesforce
                    object: Contact
                    criteria: '!empty(company)'
                    mode: upsert
                    match_keys: [{external_id: Aritic_Id__c}]
                    links: [{lookup: company, source_object: companies, object: Account, field: AccountId}]
                    mapping: |
                      FirstName    = firstname
                      LastName     = lastname
                      Email        = email
                      Phone        = phone
                      Aritic_Id__c = _id
                  - name: lead
                    connection: salesforce
                    object: Lead
                    criteria: 'empty(company)'
                    mode: upsert
                    match_keys: [{external_id: Aritic_Id__c}]
                    mapping: |
                      FirstName    = firstname
                      LastName     = lastname
                      Email        = email
                      Company      = "[not provided]"
                      Aritic_Id__c = _id
              salesforce-accounts-to-aritic:
                description: Salesforce accounts become Aritic companies
                source: {connection: salesforce, object: Account}
                criteria: '!empty(Name)'
                targets:
                  - name: company
                    connection: pinpoint
                    object: companies
                    mode: upsert
                    match_keys: [companyname]
                    mapping: |
                      companyname    = Name
                      companyphone   = Phone
                      companywebsite = Website
                      companycity    = BillingCity
            """,
        flows: ["aritic-contacts-to-salesforce", "salesforce-accounts-to-aritic"],
        expectedFailures: "a Salesforce account named like an Aritic company already paired with another account is refused with the reason, never paired twice")
}
