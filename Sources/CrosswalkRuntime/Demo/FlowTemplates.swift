import CrosswalkAuth
import CrosswalkSandbox
import Foundation

/// A ready flow against the sandbox: the connections it needs (YAML with `{{app}}` for each
/// sandbox app's URL), the flows, and the sandbox credentials to store for each connection.
/// `crosswalk demo` runs every template; a new connector's flow joins the demo by adding one here.
public struct FlowTemplate: Sendable {
    public var name: String
    public var summary: String
    /// Sandbox apps it talks to (`hubspot`, `aritic`, …).
    public var apps: [String]
    /// Plugin ids it needs enabled.
    public var plugins: [String]
    /// The `connections:` entries, indented two spaces.
    public var connectionsYAML: String
    /// The `flows:` entries, indented two spaces.
    public var flowsYAML: String
    /// Credentials per connection name.
    public var credentials: [String: Credentials]

    /// The connections and flows with `{{app}}` replaced by each app's URL.
    public func yaml(urls: [String: URL]) -> (connections: String, flows: String) {
        var c = connectionsYAML, f = flowsYAML
        for (app, url) in urls {
            c = c.replacingOccurrences(of: "{{\(app)}}", with: url.absoluteString)
            f = f.replacingOccurrences(of: "{{\(app)}}", with: url.absoluteString)
        }
        return (c, f)
    }

    /// A whole deployment config: the templates' connections and flows, SQLite and a vault key file
    /// in the config's folder, the plugins they need enabled.
    public static func deployment(_ templates: [FlowTemplate], urls: [String: URL]) -> String {
        let plugins = Array(Set(templates.flatMap(\.plugins))).sorted()
        let parts = templates.map { $0.yaml(urls: urls) }
        return """
            version: 1
            plugins:
              enabled: [\(plugins.joined(separator: ", "))]
            store:
              sqlite: ./crosswalk.db
            vault:
              key_file: ./vault.key
            connections:
            \(parts.map(\.connections).joined(separator: "\n"))
            flows:
            \(parts.map(\.flows).joined(separator: "\n"))

            """
    }

    /// Every template, in the order the demo runs them.
    public static let all: [FlowTemplate] = [hubspotToAritic]

    static let probe = "dev.crosswalk.httpprobe"

    /// HubSpot contacts → Aritic PinPoint contacts through the generic HTTP connector (until the
    /// HubSpot and Aritic plugins land): contacts without an e-mail skipped with the reason,
    /// matched on the external id `crm_id`, updates moved on the next run.
    public static let hubspotToAritic = FlowTemplate(
        name: "hubspot-contacts-to-aritic",
        summary: "HubSpot contacts → Aritic PinPoint contacts (one way, upsert by external id)",
        apps: ["hubspot", "aritic"], plugins: [probe],
        connectionsYAML: """
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
            """,
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
        credentials: [
            "hubspot": .apiKey(.bearer(HubSpotDemoCredentials.privateAppToken)),
            "aritic": .basic(BasicCredentials(username: AriticApp.demoCredentials.dictionary["username"] ?? "",
                                              password: AriticApp.demoCredentials.dictionary["password"] ?? "")),
        ])
}
