import CrosswalkAuth
import Foundation

/// A ready flow against the sandbox: the connections it needs, its flows (YAML with `{{app}}` for
/// each sandbox app's URL) and the order to run them in. `crosswalk demo` runs every template,
/// `crosswalk init --template NAME` writes one as a crosswalk.yaml; a new connector's seed flow
/// joins both by adding a template to ``all``.
public struct FlowTemplate: Sendable {
    public var name: String
    public var summary: String
    public var connections: [TemplateConnection]
    /// The `flows:` entries, indented two spaces.
    public var flowsYAML: String
    /// The flows' names in the order they run (a dependency's flow first).
    public var flows: [String]
    /// Why some records fail by design (a contact whose company is not synced), or `nil` when a
    /// first run must fail none.
    public var expectedFailures: String?
    /// Why a first run on fresh data writes nothing by design (a flow that syncs only changes made
    /// after setup), or `nil` when it must write.
    public var goingForward: String?

    public init(name: String, summary: String, connections: [TemplateConnection], flowsYAML: String, flows: [String],
                expectedFailures: String? = nil, goingForward: String? = nil) {
        self.name = name
        self.summary = summary
        self.connections = connections
        self.flowsYAML = flowsYAML
        self.flows = flows
        self.expectedFailures = expectedFailures
        self.goingForward = goingForward
    }

    /// Sandbox apps it talks to (`hubspot`, `aritic`, …).
    public var apps: [String] { Array(Set(connections.map(\.app))).sorted() }
    /// Plugin ids it needs enabled.
    public var plugins: [String] { Array(Set(connections.map(\.plugin))).sorted() }

    /// The sandbox credentials to store for each connection.
    public func credentials(urls: [String: URL]) -> [String: Credentials] {
        var out: [String: Credentials] = [:]
        for c in connections {
            if let url = urls[c.app] { out[c.name] = c.credentials(url) }
        }
        return out
    }

    /// A whole deployment config: the templates' connections (each once) and flows, SQLite and a
    /// vault key file in the config's folder, the plugins they need enabled.
    public static func deployment(_ templates: [FlowTemplate], urls: [String: URL]) -> String {
        let plugins = Array(Set(templates.flatMap(\.plugins))).sorted()
        var seen = Set<String>()
        let connections = templates.flatMap(\.connections).filter { seen.insert($0.name).inserted }
        return """
            version: 1
            plugins:
              enabled: [\(plugins.joined(separator: ", "))]
            store:
              sqlite: ./crosswalk.db
            vault:
              key_file: ./vault.key
            connections:
            \(connections.map { substitute($0.yaml, urls) }.joined(separator: "\n"))
            flows:
            \(templates.map { substitute($0.flowsYAML, urls) }.joined(separator: "\n"))

            """
    }

    static func substitute(_ text: String, _ urls: [String: URL]) -> String {
        var text = text
        for (app, url) in urls { text = text.replacingOccurrences(of: "{{\(app)}}", with: url.absoluteString) }
        return text
    }

    /// Every template, in the order the demo runs them.
    public static let all: [FlowTemplate] = [salesforceContactsToNetSuite, netsuiteContactsToSalesforce, ariticSalesforce, netsuiteHubSpot, spotioSalesforce, hubspotToAritic]

    /// The template named `name`.
    public static func named(_ name: String) -> FlowTemplate? { all.first { $0.name == name } }
}

/// One connection of a template: its YAML entry and the sandbox credentials it is given.
public struct TemplateConnection: Sendable {
    /// The connection's name in the config.
    public var name: String
    /// The sandbox app it talks to.
    public var app: String
    public var plugin: String
    /// The `connections:` entry, indented two spaces, with `{{app}}` for the app's URL.
    public var yaml: String
    /// The sandbox's demo credentials, given the app's base URL.
    public var credentials: @Sendable (URL) -> Credentials

    public init(name: String, app: String, plugin: String, yaml: String, credentials: @escaping @Sendable (URL) -> Credentials) {
        self.name = name
        self.app = app
        self.plugin = plugin
        self.yaml = yaml
        self.credentials = credentials
    }
}
