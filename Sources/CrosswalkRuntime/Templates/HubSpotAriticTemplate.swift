import CrosswalkAuth
import CrosswalkSandbox
import Foundation

extension FlowTemplate {
    static let probe = "dev.crosswalk.httpprobe"

    /// HubSpot contacts → Aritic PinPoint contacts through the generic HTTP connector (until the
    /// HubSpot and Aritic plugins land): contacts without an e-mail skipped with the reason,
    /// matched on the external id `crm_id`, updates moved on the next run.
    public static let hubspotToAritic = FlowTemplate(
        name: "hubspot-contacts-to-aritic",
        summary: "HubSpot contacts → Aritic PinPoint contacts (one way, upsert by external id)",
        connections: [
            TemplateConnection(name: "hubspot", app: "hubspot", plugin: probe, yaml: """
                  hubspot:
                    connector: \(probe)
                    settings:
                      base_url: "{{hubspot}}"
                      check_path: /crm/v3/objects/contacts?limit=1
                      objects:
                        Contact:
                          read: /crm/v3/objects/contacts?limit=100&properties=email,firstname,lastname
                          records: results
                          fields: properties
                          next: paging.next.link
                          get: /crm/v3/objects/contacts/{id}?properties=email,firstname,lastname
                """, credentials: { _ in .apiKey(.bearer(HubSpotDemoCredentials.privateAppToken)) }),
            TemplateConnection(name: "aritic", app: "aritic", plugin: probe, yaml: """
                  aritic:
                    connector: \(probe)
                    settings:
                      base_url: "{{aritic}}"
                      check_path: /api/contacts?limit=1
                      objects:
                        Contact:
                          read: /api/contacts?minimal=1
                          records: contacts
                          fields: fields.all
                          offset: {start: start, limit: limit, size: 100}
                          write: /api/contacts/new
                          id: contact.id
                          get: /api/contacts/{id}
                          get_record: contact
                          update: /api/contacts/{id}/edit
                          search:
                            eq: /api/contacts?minimal=1&limit=0&where[0][col]={field}&where[0][expr]=eq&where[0][val]={value}
                            in: /api/contacts?minimal=1&limit=0&where[0][col]={field}&where[0][expr]=in
                            in_value: "&where[0][val][]={value}"
                """, credentials: { _ in
                    .basic(BasicCredentials(username: AriticApp.demoCredentials.dictionary["username"] ?? "",
                                            password: AriticApp.demoCredentials.dictionary["password"] ?? ""))
                }),
        ],
        flowsYAML: """
              hubspot-contacts-to-aritic:
                description: HubSpot contacts with an e-mail become Aritic contacts; edits follow on the next run
                source: {connection: hubspot, object: Contact}
                criteria: '!empty(email)'
                targets:
                  - name: contact
                    connection: aritic
                    object: Contact
                    mode: upsert
                    match_keys: [{external_id: crm_id}]
                    mapping: |
                      email     = lower(trim(email))
                      firstname = firstname ?? ""
                      lastname  = lastname ?? ""
                      crm_id    = _id
            """,
        flows: ["hubspot-contacts-to-aritic"])
}
