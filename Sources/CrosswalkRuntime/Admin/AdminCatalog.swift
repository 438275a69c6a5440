import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkStore
import Foundation

/// Creating and removing what the admin API keeps (connections, models, flows): every check that
/// can be made before anything is written, then the vault, then the store, then the host's
/// overlay. Errors are `CrosswalkError`s whose `field` context names the member at fault:
/// `.invalidArgument` for bad input, `.conflict` for a name taken (by the config file or the API)
/// or a thing still in use, `.notFound` for a name that does not exist.
extension HostRuntime {
    /// `[a-z0-9][a-z0-9_-]*`, at most 64 characters: the config's rule for connection names, used for models and flows too.
    public static func checkName(_ name: String, field: String = "name", what: String) throws {
        func alphanumeric(_ c: Character) -> Bool { ("a"..."z").contains(c) || ("0"..."9").contains(c) }
        let ok = name.count <= 64 && name.first.map(alphanumeric) == true && name.allSatisfy { alphanumeric($0) || $0 == "-" || $0 == "_" }
        guard ok else {
            throw CrosswalkError(.invalidArgument, "\(field): a \(what) name is 1 to 64 of a-z, 0-9, - and _, starting with a letter or digit; found \"\(name)\"",
                                 context: ["field": field])
        }
    }

    // MARK: Connections

    /// Checks a connection the API is asked to create: its name is free (in the file and the API,
    /// and as a vault entry of a file's connection), its plugin is loaded and enabled, its settings
    /// meet the plugin's manifest and its credentials' scheme is one the plugin takes.
    /// - Returns: the connection and its decoded credentials (`nil`: none given).
    public func checkNewConnection(name: String, plugin id: String, settings: JSONValue?, credentials json: Data?) throws -> (APIConnection, Credentials?) {
        try Self.checkName(name, what: "connection")
        let overlay = overlay
        if overlay.file.config.connections[name] != nil {
            throw CrosswalkError(.conflict, "a connection named \(name) is defined in \(overlay.file.name); the file's connection wins — choose another name",
                                 context: ["field": "name"])
        }
        if overlay.connections[name] != nil {
            throw CrosswalkError(.conflict, "a connection named \(name) already exists; DELETE /api/v1/connections/\(name) first to replace it", context: ["field": "name"])
        }
        if let user = overlay.file.config.connections.values.first(where: { $0.credentials == name }) {
            throw CrosswalkError(.conflict, "the vault entry \(name) holds the credentials of \(user.name) (from \(overlay.file.name)); choose another name",
                                 context: ["field": "name"])
        }
        guard let plugin = scan.plugin(id) else {
            let known = scan.loaded.map(\.id).sorted().joined(separator: ", ")
            throw CrosswalkError(.invalidArgument, "plugin: no loaded plugin with id \"\(id)\"" + (known.isEmpty ? "" : "; loaded: \(known)"), context: ["field": "plugin"])
        }
        guard deployment.enabled.contains(id) else {
            throw CrosswalkError(.invalidArgument, "plugin: \(id) is not enabled in this deployment (plugins.enabled in \(overlay.file.name): \(deployment.config.plugins.enabled.joined(separator: ", ")))",
                                 context: ["field": "plugin"])
        }
        let settings = settings ?? .object([:])
        guard case .object = settings else { throw CrosswalkError(.invalidArgument, "settings: expected an object", context: ["field": "settings"]) }
        let connection = APIConnection(name: name, plugin: id, settings: settings)
        let rules = plugin.manifest.settings.map {
            SettingRule(name: $0.name, type: $0.type, required: $0.required ?? false, hasDefault: $0.default.map { !$0.isNull } ?? false)
        }
        let issues = connection.config.settingIssues(against: rules, plugin: id, file: "api", lines: ConfigSourceMap(yaml: ""))
        if let first = issues.first {
            let prefix = "connections.\(name)."
            func inner(_ path: String) -> String { path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : "settings" }
            throw CrosswalkError(.invalidArgument, issues.map { "\(inner($0.path)): \($0.message)" }.joined(separator: "; "), context: ["field": inner(first.path)])
        }
        guard let json else { return (connection, nil) }
        let credentials: Credentials
        do { credentials = try JSONDecoder().decode(Credentials.self, from: json) } catch {
            // Never repeat the JSON: it holds secrets.
            let why = (error as? DecodingError)?.crosswalkDescription ?? "not JSON"
            throw CrosswalkError(.invalidArgument, "credentials: not valid credentials (\(why)); expected {\"scheme\": …, \"parameters\": {…}}",
                                 context: ["field": "credentials"])
        }
        let schemes = plugin.manifest.auth.allSchemes
        if !schemes.contains("any"), !schemes.contains(credentials.scheme) {
            throw CrosswalkError(.invalidArgument, "credentials.scheme: \(id) takes \(schemes.joined(separator: " or ")), not \(credentials.scheme)",
                                 context: ["field": "credentials.scheme"])
        }
        return (connection, credentials)
    }

    /// Seals the credentials (if any) in the vault entry of the connection's name, keeps the
    /// connection in the store and adds it to the host's connections.
    public func createConnection(_ connection: APIConnection, credentials: Credentials?) async throws {
        if let credentials { try await vault.store(credentials, name: connection.name) }
        do {
            try await store.putDocument(kind: .connection, name: connection.name, json: try Self.encode(connection))
        } catch {
            if credentials != nil { try? await vault.delete(name: connection.name) }
            throw error
        }
        await updateOverlay(changed: [connection.name]) { $0.connections[connection.name] = connection }
    }

    /// Removes a connection created through the API: its credentials, webhook secret and cached
    /// schema with it.
    /// - Throws: `.conflict` for a connection of the config file or one a model or flow uses, `.notFound` for none.
    public func deleteConnection(_ name: String, usedBy flows: [String]) async throws {
        let overlay = overlay
        if overlay.file.config.connections[name] != nil {
            throw CrosswalkError(.conflict, "connection \(name) is defined in \(overlay.file.name); remove it there and reload (SIGHUP)", context: ["field": "connection"])
        }
        guard overlay.connections[name] != nil else { throw CrosswalkError(.notFound, "no connection \"\(name)\"", context: ["field": "connection"]) }
        let models = overlay.models.values.filter { $0.connection == name }.map(\.name).sorted()
        guard models.isEmpty, flows.isEmpty else {
            throw CrosswalkError(.conflict, "connection \(name) is in use by " + (models.map { "model \($0)" } + flows.map { "flow \($0)" }).joined(separator: ", ") + "; delete those first",
                                 context: ["field": "connection"])
        }
        try await store.deleteDocument(kind: .connection, name: name)
        try await store.deleteDocument(kind: .schema, name: name)
        let names = Set(try await vault.names())
        for entry in [name, Self.webhookSecretEntry(for: name)] where names.contains(entry) { try await vault.delete(name: entry) }
        await updateOverlay(changed: [name]) { $0.connections[name] = nil }
    }

    // MARK: Schemas

    /// The connection's cached schema, or `nil` when discovery never started.
    public func schema(of connection: String) async throws -> SchemaDocument? {
        guard let d = try await store.document(kind: .schema, name: connection) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(SchemaDocument.self, from: Data(d.json.utf8))
    }

    /// Caches a connection's schema document.
    public func putSchema(_ schema: SchemaDocument, of connection: String) async throws {
        try await store.putDocument(kind: .schema, name: connection, json: try Self.encode(schema))
    }

    // MARK: Models

    /// Checks and keeps a model: a free name, a known connection, and — against the
    /// connection's discovered schema, which must be ready — a known object and known fields.
    public func createModel(_ model: APIModel) async throws {
        try Self.checkName(model.name, what: "model")
        if overlay.models[model.name] != nil {
            throw CrosswalkError(.conflict, "a model named \(model.name) already exists; DELETE /api/v1/models/\(model.name) first to replace it", context: ["field": "name"])
        }
        guard deployment.config.connections[model.connection] != nil else {
            throw CrosswalkError(.invalidArgument, "connection: no connection \"\(model.connection)\"; known: \(deployment.config.connections.keys.sorted().joined(separator: ", "))",
                                 context: ["field": "connection"])
        }
        guard !model.fields.isEmpty else { throw CrosswalkError(.invalidArgument, "fields: choose at least one field", context: ["field": "fields"]) }
        if let i = model.fields.indices.first(where: { model.fields[..<$0].contains(model.fields[$0]) }) {
            throw CrosswalkError(.invalidArgument, "fields[\(i)]: \(model.fields[i]) is chosen twice", context: ["field": "fields[\(i)]"])
        }
        let schema = try await schema(of: model.connection)
        guard let schema, schema.status == .ready else {
            let state = schema.map { $0.status == .failed ? "failed (\($0.reason ?? "no reason given"))" : "pending" } ?? "not discovered"
            throw CrosswalkError(.conflict, "the schema of \(model.connection) is \(state); poll GET /api/v1/connections/\(model.connection)/schema until it is ready",
                                 context: ["field": "connection"])
        }
        guard let object = schema.object(model.object) else {
            throw CrosswalkError(.invalidArgument, "object: \(model.connection) has no object \"\(model.object)\"\(Self.hint(model.object, in: schema.objects.map(\.name)))",
                                 context: ["field": "object"])
        }
        let names = object.fields.map(\.name)
        for (i, field) in model.fields.enumerated() where !names.contains(field) {
            throw CrosswalkError(.invalidArgument, "fields[\(i)]: \(model.object) has no field \"\(field)\"\(Self.hint(field, in: names))", context: ["field": "fields[\(i)]"])
        }
        try await store.putDocument(kind: .model, name: model.name, json: try Self.encode(model))
        await updateOverlay { $0.models[model.name] = model }
    }

    /// Removes a model.
    /// - Throws: `.conflict` while an API flow reads it, `.notFound` for none.
    public func deleteModel(_ name: String) async throws {
        let overlay = overlay
        guard overlay.models[name] != nil else { throw CrosswalkError(.notFound, "no model \"\(name)\"", context: ["field": "model"]) }
        let users = overlay.flows.values.filter { flow in
            guard let value = try? JSONValue(parsing: flow.json) else { return false }
            return value.objectValue?["source"]?.objectValue?["model"]?.stringValue == name
        }.map(\.name).sorted()
        guard users.isEmpty else {
            throw CrosswalkError(.conflict, "model \(name) is the source of flow \(users.joined(separator: ", ")); delete or edit those first", context: ["field": "model"])
        }
        try await store.deleteDocument(kind: .model, name: name)
        await updateOverlay { $0.models[name] = nil }
    }

    // MARK: Flows

    /// Keeps a flow given through the API (already checked) and adds it to the host's flows.
    public func putFlow(name: String, json: String) async throws {
        try await store.putFlow(name: name, json: json)
        guard let stored = try await store.flow(name: name) else { return }
        await updateOverlay { $0.flows[name] = stored }
    }

    /// Removes a flow created through the API (its runs, cursor and ID map stay).
    public func deleteFlow(_ name: String) async throws {
        try await store.deleteFlow(name: name)
        await updateOverlay { $0.flows[name] = nil }
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// " (did you mean "X"?)" for the closest of `names`, when close.
    static func hint(_ name: String, in names: [String]) -> String {
        let lower = name.lowercased()
        if let same = names.first(where: { $0.lowercased() == lower }) { return " (did you mean \"\(same)\"?)" }
        guard let near = names.min(by: { FlowDefinitions.editDistance($0, name) < FlowDefinitions.editDistance($1, name) }),
              FlowDefinitions.editDistance(near, name) <= 2 else { return "" }
        return " (did you mean \"\(near)\"?)"
    }
}
