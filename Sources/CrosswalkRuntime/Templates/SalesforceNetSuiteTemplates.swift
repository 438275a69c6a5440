import Foundation

extension FlowTemplate {
    /// Seed 001: Salesforce contacts → NetSuite contacts through a model of Email, FirstName and
    /// LastName; a contact with an empty LastName is filtered out (skipped with the reason). Matched
    /// by the Salesforce id kept in `custentity_sf_contact_id`.
    public static let salesforceContactsToNetSuite = FlowTemplate(
        name: "salesforce-contacts-to-netsuite",
        summary: "Salesforce contacts → NetSuite contacts (model sync of Email, FirstName, LastName; empty LastName filtered out)",
        connections: [.salesforce, .netsuite],
        flowsYAML: """
              salesforce-contacts-to-netsuite:
                description: Salesforce contacts through the model sf-contacts (Email, FirstName, LastName) into NetSuite contacts, empty LastName filtered out
                source:
                  connection: salesforce
                  object: Contact
                  model: {name: sf-contacts, fields: [Email, FirstName, LastName]}
                criteria: '!empty(LastName)'
                targets:
                  - name: contact
                    connection: netsuite
                    object: contact
                    mode: upsert
                    match_keys: [{external_id: custentity_sf_contact_id}]
                    mapping: |
                      email     = Email
                      firstName = FirstName
                      lastName  = LastName
                      custentity_sf_contact_id = _id
            """,
        flows: ["salesforce-contacts-to-netsuite"])

    /// Seed 000: NetSuite contacts → Salesforce contacts, in real time (webhook) or on demand. A
    /// contact syncs only when its company is a NetSuite customer already synced as a Salesforce
    /// account (whose NetSuite Company ID, `NetSuite_Id__c`, the account flow sets); otherwise it
    /// fails with the reason and is retried once the account is synced. User criteria: a company
    /// and a last name. The Salesforce id is written back to the NetSuite contact
    /// (`custentity_sf_contact_id`), as the account's is to the customer.
    public static let netsuiteContactsToSalesforce = FlowTemplate(
        name: "netsuite-contacts-to-salesforce",
        summary: "NetSuite contacts → Salesforce contacts (only of synced accounts; the Salesforce id written back)",
        connections: [.netsuite, .salesforce],
        flowsYAML: """
              netsuite-customers-to-salesforce:
                description: NetSuite customers with a credit limit of 50,000 or more become Salesforce accounts carrying their NetSuite Company ID; the account id is written back
                source: {connection: netsuite, object: customer}
                criteria: 'creditLimit >= 50000 && !empty(companyName)'
                targets:
                  - name: account
                    connection: salesforce
                    object: Account
                    mode: upsert
                    match_keys: [{external_id: NetSuite_Id__c}]
                    write_back: custentity_sf_account_id
                    mapping: |
                      Name           = companyName
                      Phone          = phone
                      Website        = url
                      NetSuite_Id__c = _id
              netsuite-contacts-to-salesforce:
                description: NetSuite contacts of customers synced as Salesforce accounts become Salesforce contacts; the contact id is written back
                triggers: [webhook, manual]
                source: {connection: netsuite, object: contact}
                criteria: '!empty(company) && !empty(lastName)'
                dependencies:
                  - {field: company, object: customer, target_object: Account, required: true, when_missing: fail}
                targets:
                  - name: contact
                    connection: salesforce
                    object: Contact
                    mode: upsert
                    match_keys: [{external_id: NetSuite_Id__c}]
                    write_back: custentity_sf_contact_id
                    mapping: |
                      FirstName      = firstName
                      LastName       = lastName
                      Email          = email
                      Phone          = phone
                      Title          = title
                      AccountId      = lookup(company, "Account", "customer")
                      NetSuite_Id__c = _id
            """,
        flows: ["netsuite-customers-to-salesforce", "netsuite-contacts-to-salesforce"],
        expectedFailures: "contacts whose company is not a synced Salesforce account fail with the reason and are retried once it is")
}
