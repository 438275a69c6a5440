import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkFlows
import CrosswalkRuntime
import CrosswalkStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

// The API-first setup (seed 001): connections, their schemas, models and flows created over
// HTTP and kept in the store beside the config file's; the OAuth callback; reload.

struct NewConnectionRequest: Decodable {
    var name: String
    var plugin: String
    var settings: JSONValue?
    /// Where the browser goes once an OAuth authorisation is done.
    var redirect_url: String?
}

struct CreatedConnectionDTO: Codable, Sendable {
    var name: String
    var plugin: String
    var origin: String
    /// `connected`, `awaiting_authorization` (open `auth_url`), or `no_credentials`.
    var status: String
    var credentials_stored: Bool
    var scheme: String?
    var auth_url: String?
    var schema: SchemaStatusDTO?
}

struct SchemaStatusDTO: Codable, Sendable {
    var connection: String
    /// `pending`, `ready` or `failed`; `ready` is what a client polls for.
    var status: String
    var cache_status: Bool
    var reason: String?
    var objects: Int
    var started_at: Date?
    var finished_at: Date?
}

struct ObjectSummaryDTO: Codable, Sendable {
    var name: String
    var label: String?
    var custom: Bool?
    var operations: [String]?
    var fields: Int
}

struct FieldDTO: Codable, Sendable {
    var name: String
    var label: String?
    var type: String
    var required: Bool
    var createable: Bool?
    var updateable: Bool?
    var nillable: Bool?
    var unique: Bool
    var external_id: Bool?
    var custom: Bool?
    var length: Int?
    var reference_to: [String]
    var picklist: [String]?
    init(_ f: FieldSchema) {
        name = f.name; label = f.label; type = f.type.name; required = f.required; createable = f.createable; updateable = f.updateable
        nillable = f.nillable; unique = f.unique; external_id = f.externalID; custom = f.custom; length = f.length
        reference_to = f.referenceTo; picklist = f.picklist?.map(\.value)
    }
}

struct ObjectDTO: Codable, Sendable {
    var connection: String
    var name: String
    var label: String?
    var custom: Bool?
    var operations: [String]?
    var fields: [FieldDTO]
}

struct ModelDTO: Codable, Sendable {
    var name: String
    var connection: String
    var object: String
    var fields: [String]
    var description: String?
    init(_ m: APIModel) { name = m.name; connection = m.connection; object = m.object; fields = m.fields; description = m.description }
}

struct NewModelRequest: Decodable {
    var name: String
    var connection: String
    var object: String
    var fields: [String]
    var description: String?
}

struct DeletedDTO: Codable, Sendable {
    var name: String
    var deleted: Bool
}

struct ReloadDTO: Codable, Sendable {
    var reloaded: Bool
    var problems: [String]
    var connections_changed: [String]
    var flows: Int
}

extension AdminAPI {
    static let setupRoutes: [APIRoute] = [
        APIRoute(method: .post, path: "/api/v1/connections") { api, r, c in try await api.createConnection(r, c) },
        APIRoute(method: .get, path: "/api/v1/connections/{connection}") { api, _, c in try await api.showConnection(try c.parameter("connection")) },
        APIRoute(method: .delete, path: "/api/v1/connections/{connection}") { api, _, c in try await api.deleteConnection(try c.parameter("connection")) },
        APIRoute(method: .get, path: "/api/v1/connections/{connection}/schema") { api, _, c in try await api.schemaStatus(try c.parameter("connection")) },
        APIRoute(method: .post, path: "/api/v1/connections/{connection}/schema") { api, _, c in try await api.refreshSchema(try c.parameter("connection")) },
        APIRoute(method: .get, path: "/api/v1/connections/{connection}/objects") { api, _, c in try await api.objects(try c.parameter("connection")) },
        APIRoute(method: .get, path: "/api/v1/connections/{connection}/objects/{object}") { api, _, c in
            try await api.object(try c.parameter("connection"), try c.parameter("object"))
        },
        APIRoute(method: .get, path: "/api/v1/oauth/callback") { api, r, _ in try await api.oauthCallback(r) },
        APIRoute(method: .get, path: "/api/v1/models") { api, _, _ in try api.listModels() },
        APIRoute(method: .post, path: "/api/v1/models") { api, r, c in try await api.createModel(r, c) },
        APIRoute(method: .get, path: "/api/v1/models/{model}") { api, _, c in try api.showModel(try c.parameter("model")) },
        APIRoute(method: .delete, path: "/api/v1/models/{model}") { api, _, c in try await api.deleteModel(try c.parameter("model")) },
        APIRoute(method: .post, path: "/api/v1/flows") { api, r, _ in try await api.putFlow(r, name: nil) },
        APIRoute(method: .put, path: "/api/v1/flows/{flow}") { api, r, c in try await api.putFlow(r, name: try c.parameter("flow")) },
        APIRoute(method: .delete, path: "/api/v1/flows/{flow}") { api, _, c in try await api.deleteFlow(try c.parameter("flow")) },
        APIRoute(method: .post, path: "/api/v1/reload") { api, _, _ in
            let outcome = await api.reloader.reload()
            let dto = ReloadDTO(reloaded: outcome.problems.isEmpty, problems: outcome.problems, connections_changed: outcome.changedConnections, flows: outcome.flows)
            return try JSON.response(dto, status: outcome.problems.isEmpty ? .ok : .badRequest)
        },
    ]

    // MARK: Connections

    func knownConnection(_ name: String) throws {
        guard runtime.deployment.config.connections[name] != nil else {
            throw APIError(.notFound, "not_found", "no connection \"\(name)\"; known: \(runtime.deployment.config.connections.keys.sorted().joined(separator: ", "))",
                           field: "connection")
        }
    }

    /// `POST /api/v1/connections`: checked, credentials sealed at once (never echoed or logged),
    /// kept in the store; an OAuth authorization-code registration answers an `auth_url`, and
    /// the schema is discovered once credentials are complete.
    func createConnection(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let data = try await JSON.body(request)
        let body = try JSON.decode(NewConnectionRequest.self, from: data)
        // The credentials are taken out of the raw body (a Decodable type would keep them around in errors).
        let credentialsJSON: Data? = try {
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let c = object["credentials"], !(c is NSNull) else { return nil }
            guard c is [String: Any] else { throw APIError.badRequest("credentials: expected an object {\"scheme\": …, \"parameters\": {…}}", field: "credentials") }
            return try JSONSerialization.data(withJSONObject: c)
        }()
        if let url = body.redirect_url {
            guard let u = URL(string: url), ["http", "https"].contains(u.scheme ?? ""), u.host != nil else {
                throw APIError.badRequest("redirect_url: expected an absolute http(s) URL", field: "redirect_url")
            }
        }
        var (connection, credentials) = try runtime.checkNewConnection(name: body.name, plugin: body.plugin, settings: body.settings, credentials: credentialsJSON)
        var authURL: String?
        var session: OAuth2AuthorizationSession?
        if case .oauth2(var oauth)? = credentials, oauth.flow == .authorizationCode, oauth.token == nil {
            guard oauth.authorizationURL != nil else {
                throw APIError.badRequest("credentials.parameters.authorizationURL: an authorizationCode registration needs the app's authorisation URL",
                                          field: "credentials.parameters.authorizationURL")
            }
            let base = publicURL.withLock { $0 } ?? ""
            oauth.redirectURI = oauth.redirectURI ?? base + "/api/v1/oauth/callback"
            credentials = .oauth2(oauth)
            do { session = try OAuth2AuthorizationSession(credentials: oauth, usePKCE: true) } catch let e as CrosswalkError {
                throw APIError.badRequest("credentials: \(e.message)", field: "credentials")
            }
            authURL = session?.authorizationURL
        }
        connection = APIConnection(name: connection.name, plugin: connection.plugin, settings: connection.settings)
        try await runtime.createConnection(connection, credentials: credentials)
        logger.info("connection created through the API", metadata: ["connection": "\(connection.name)", "plugin": "\(connection.plugin)",
                                                                    "scheme": "\(credentials?.scheme ?? "none")"])
        if let session {
            await oauth.add(.init(connection: connection.name, session: session, redirectURL: body.redirect_url, expires: Date().addingTimeInterval(900)))
        } else {
            await discovery.start(connection.name)
        }
        var dto = try await connectionDTO(connection.name)
        dto.auth_url = authURL
        return try JSON.response(dto, status: .created)
    }

    func connectionDTO(_ name: String) async throws -> CreatedConnectionDTO {
        let c = try runtime.connection(name)
        let stored = try await runtime.vault.credentials(name: c.credentials)
        let waiting = await oauth.isWaiting(name)
        let status: String
        switch stored {
        case .oauth2(let o)? where o.flow == .authorizationCode && o.token == nil: status = "awaiting_authorization"
        case nil: status = waiting ? "awaiting_authorization" : "no_credentials"
        default: status = "connected"
        }
        return CreatedConnectionDTO(name: name, plugin: c.connector, origin: runtime.overlay.origin(ofConnection: name) ?? "config", status: status,
                                    credentials_stored: stored != nil, scheme: stored?.scheme, auth_url: nil,
                                    schema: try await schemaDTO(name))
    }

    func showConnection(_ name: String) async throws -> Response {
        try knownConnection(name)
        return try JSON.response(try await connectionDTO(name))
    }

    func deleteConnection(_ name: String) async throws -> Response {
        try knownConnection(name)
        let users = definitions.flows.values.filter { f in f.source.connection == name || f.targets.contains { $0.connection == name } }.map(\.name)
        let apiUsers = runtime.overlay.flows.keys.filter { flow in
            (try? JSONValue(parsing: runtime.overlay.flows[flow]!.json))?.text.contains("\"\(name)\"") == true && definitions.flows[flow] == nil
        }
        try await runtime.deleteConnection(name, usedBy: Array(Set(users + apiUsers)).sorted())
        await oauth.forget(name)
        logger.info("connection deleted through the API", metadata: ["connection": "\(name)"])
        return try JSON.response(DeletedDTO(name: name, deleted: true))
    }

    /// `GET /api/v1/oauth/callback?code=…&state=…`: the browser's return from the app's
    /// authorisation page (no bearer token: the one-time `state` is the proof). Exchanges the code,
    /// seals the tokens, starts the schema discovery, and sends the browser to the `redirect_url`
    /// given at creation (with `connection` and `status` added), else answers a short page.
    func oauthCallback(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        guard let state = query.get("state"), !state.isEmpty else { throw APIError.badRequest("state: the callback needs the state the app sent back", field: "state") }
        guard let pending = await oauth.take(state: state) else {
            throw APIError(.badRequest, "invalid_argument", "state: no authorisation waits for this state (it expired, was used, or the service restarted); create the connection again",
                           field: "state")
        }
        let base = publicURL.withLock { $0 } ?? ""
        let redirected = base + (request.head.path ?? request.uri.description)
        let outcome: String
        do {
            let updated = try await pending.session.complete(redirectURL: redirected, http: runtime.transport)
            try await runtime.vault.store(.oauth2(updated), name: try runtime.connection(pending.connection).credentials)
            await runtime.updateOverlay(changed: [pending.connection]) { _ in }
            await discovery.start(pending.connection)
            logger.info("connection authorised", metadata: ["connection": "\(pending.connection)"])
            outcome = "connected"
        } catch let e as CrosswalkError {
            logger.warning("connection authorisation failed", metadata: ["connection": "\(pending.connection)", "error": "\(e.code)", "message": "\(e.message)"])
            guard pending.redirectURL != nil else { throw APIError(.badRequest, e.code.rawValue, "\(pending.connection): authorisation failed — \(e.message)") }
            outcome = "failed"
        }
        if let target = pending.redirectURL, var parts = URLComponents(string: target) {
            parts.queryItems = (parts.queryItems ?? []) + [URLQueryItem(name: "connection", value: pending.connection), URLQueryItem(name: "status", value: outcome)]
            return Response(status: .found, headers: [.location: parts.string ?? target])
        }
        return JSON.text("<!doctype html><html><body><h1>Crosswalk</h1><p>\(pending.connection) is connected. You can close this window.</p></body></html>\n",
                         contentType: "text/html; charset=utf-8")
    }

    // MARK: Schemas

    func schemaDTO(_ name: String) async throws -> SchemaStatusDTO? {
        guard let s = try await runtime.schema(of: name) else { return nil }
        return SchemaStatusDTO(connection: name, status: s.status.rawValue, cache_status: s.status == .ready, reason: s.reason, objects: s.objects.count,
                               started_at: s.startedAt, finished_at: s.finishedAt)
    }

    /// `GET …/schema`: `pending`, `ready` or `failed`; a connection never discovered (one of the
    /// file's) is discovered now and answers `pending`.
    func schemaStatus(_ name: String) async throws -> Response {
        try knownConnection(name)
        if try await runtime.schema(of: name) == nil {
            guard await !oauth.isWaiting(name) else {
                throw APIError(.conflict, "conflict", "\(name) waits for its OAuth authorisation: open the auth_url its creation answered", field: "connection")
            }
            await discovery.start(name)
        }
        guard let dto = try await schemaDTO(name) else { throw APIError(.serviceUnavailable, "unavailable", "the schema of \(name) could not be recorded") }
        return try JSON.response(dto)
    }

    /// `POST …/schema`: discovers the connection again (the cached schema is replaced when done).
    func refreshSchema(_ name: String) async throws -> Response {
        try knownConnection(name)
        await discovery.start(name)
        guard let dto = try await schemaDTO(name) else { throw APIError(.serviceUnavailable, "unavailable", "the schema of \(name) could not be recorded") }
        return try JSON.response(dto, status: .accepted)
    }

    func readySchema(_ name: String) async throws -> SchemaDocument {
        try knownConnection(name)
        guard let s = try await runtime.schema(of: name), s.status == .ready else {
            let state = try await runtime.schema(of: name).map { $0.status == .failed ? "failed: \($0.reason ?? "no reason given")" : "pending" } ?? "not discovered yet"
            throw APIError(.conflict, "conflict", "the schema of \(name) is \(state); poll GET /api/v1/connections/\(name)/schema until its status is ready",
                           field: "connection")
        }
        return s
    }

    func objects(_ name: String) async throws -> Response {
        let s = try await readySchema(name)
        return try JSON.response(Items(items: s.objects.map {
            ObjectSummaryDTO(name: $0.name, label: $0.label, custom: $0.custom, operations: $0.operations, fields: $0.fields.count)
        }))
    }

    func object(_ name: String, _ object: String) async throws -> Response {
        let s = try await readySchema(name)
        guard let o = s.object(object) else {
            throw APIError(.notFound, "not_found", "\(name) has no object \"\(object)\"\(AdminAPI.hint(object, in: s.objects.map(\.name)))", field: "object")
        }
        return try JSON.response(ObjectDTO(connection: name, name: o.name, label: o.label, custom: o.custom, operations: o.operations, fields: o.fields.map(FieldDTO.init)))
    }

    static func hint(_ name: String, in names: [String]) -> String {
        names.first { $0.lowercased() == name.lowercased() }.map { " (did you mean \"\($0)\"?)" } ?? ""
    }

    // MARK: Models

    func listModels() throws -> Response {
        try JSON.response(Items(items: runtime.overlay.models.values.sorted { $0.name < $1.name }.map(ModelDTO.init)))
    }

    func showModel(_ name: String) throws -> Response {
        guard let m = runtime.overlay.models[name] else { throw APIError(.notFound, "not_found", "no model \"\(name)\"", field: "model") }
        return try JSON.response(ModelDTO(m))
    }

    func createModel(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try JSON.decode(NewModelRequest.self, from: try await JSON.body(request))
        let model = APIModel(name: body.name, connection: body.connection, object: body.object, fields: body.fields, description: body.description)
        try await runtime.createModel(model)
        logger.info("model created through the API", metadata: ["model": "\(model.name)", "connection": "\(model.connection)", "object": "\(model.object)"])
        return try JSON.response(ModelDTO(model), status: .created)
    }

    func deleteModel(_ name: String) async throws -> Response {
        try await runtime.deleteModel(name)
        return try JSON.response(DeletedDTO(name: name, deleted: true))
    }

    // MARK: Flows

    /// `POST /api/v1/flows` (`name: nil`, the name in the body) and `PUT /api/v1/flows/{flow}`:
    /// the flow in the flow model's JSON shape (the YAML's keys; `source.model` may name a model),
    /// checked as `config check` checks the file's — and its mappings and criteria against the
    /// connections' discovered schemas — then kept in the store and taken up by the scheduler.
    func putFlow(_ request: Request, name pathName: String?) async throws -> Response {
        let data = try await JSON.body(request)
        guard case .object(var fields) = try JSONValue(parsing: data) else { throw APIError.badRequest("body: expected a flow object") }
        let bodyName = fields["name"]?.stringValue
        if fields["name"] != nil, bodyName == nil { throw APIError.badRequest("name: expected a string", field: "name") }
        guard let name = pathName ?? bodyName else { throw APIError.badRequest("name is required", field: "name") }
        if let pathName, let bodyName, bodyName != pathName {
            throw APIError.badRequest("name: the body names \(bodyName) but the path \(pathName); a flow cannot be renamed", field: "name")
        }
        do { try HostRuntime.checkName(name, what: "flow") } catch let e as CrosswalkError { throw APIError.badRequest(e.message, field: "name") }
        fields["name"] = nil
        let overlay = runtime.overlay
        if overlay.file.config.flows[name] != nil {
            throw APIError(.conflict, "conflict", "flow \(name) is defined in \(overlay.file.name); edit it there and reload (SIGHUP)", field: "name")
        }
        if pathName == nil, overlay.flows[name] != nil {
            throw APIError(.conflict, "conflict", "a flow named \(name) already exists; PUT /api/v1/flows/\(name) edits it", field: "name")
        }
        if pathName != nil, overlay.flows[name] == nil {
            throw APIError(.notFound, "not_found", "no flow \"\(name)\" created through the API; POST /api/v1/flows creates one", field: "flow")
        }
        let json = JSONValue.object(fields).text
        let candidate = StoredFlow(name: name, json: json, createdAt: Date(), updatedAt: Date())
        // The schemas of the connections the flow names, where discovered.
        var schemas: [String: [String: ObjectSchema]] = [:]
        for c in Set(Self.connections(in: fields, models: overlay.models)) where runtime.deployment.config.connections[c] != nil {
            if let s = try await runtime.schema(of: c), s.status == .ready {
                schemas[c] = Dictionary(s.objects.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            }
        }
        let known = schemas
        let issues = flows.check(apiFlows: [name: candidate]) { connection, object in known[connection]?[object] }
        if let first = issues.first {
            let text = issues.map { ($0.path.isEmpty ? "" : "\($0.path): ") + $0.message }.joined(separator: "; ")
            throw APIError.badRequest(text, field: first.path.isEmpty ? nil : first.path)
        }
        try await runtime.putFlow(name: name, json: json)
        catalog.refresh()
        await scheduler.sync()
        logger.info("flow \(pathName == nil ? "created" : "edited") through the API", metadata: ["flow": "\(name)"])
        return try JSON.response(try await flowDTO(name, detail: true), status: pathName == nil ? .created : .ok)
    }

    /// The connections a flow's JSON names (its source's, its model's, its targets').
    static func connections(in fields: [String: JSONValue], models: [String: APIModel]) -> [String] {
        var out: [String] = []
        if let source = fields["source"]?.objectValue {
            if let c = source["connection"]?.stringValue { out.append(c) }
            if let m = source["model"]?.stringValue, let model = models[m] { out.append(model.connection) }
        }
        for t in fields["targets"]?.arrayValue ?? [] { if let c = t.objectValue?["connection"]?.stringValue { out.append(c) } }
        return out
    }

    func deleteFlow(_ name: String) async throws -> Response {
        let overlay = runtime.overlay
        if overlay.file.config.flows[name] != nil {
            throw APIError(.conflict, "conflict", "flow \(name) is defined in \(overlay.file.name); remove it there and reload (SIGHUP)", field: "flow")
        }
        guard overlay.flows[name] != nil else { throw APIError(.notFound, "not_found", "no flow \"\(name)\"", field: "flow") }
        guard await !coordinator.isRunning(name) else {
            throw APIError(.conflict, "conflict", "flow \(name) is running; delete it when its run has finished", field: "flow")
        }
        try await runtime.deleteFlow(name)
        catalog.refresh()
        await scheduler.sync()
        logger.info("flow deleted through the API", metadata: ["flow": "\(name)"])
        return try JSON.response(DeletedDTO(name: name, deleted: true))
    }
}

extension JSON {
    /// The request's body (up to `limit` bytes), checked to be JSON.
    static func body(_ request: Request, limit: Int = 1 << 20) async throws -> Data {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch {
            throw APIError(.contentTooLarge, "invalid_argument", "the request body is larger than \(limit) bytes")
        }
        let data = Data(buffer.readableBytesView)
        guard !data.isEmpty else { throw APIError.badRequest("a JSON body is required") }
        do { _ = try JSONValue(parsing: data) } catch {
            throw APIError.badRequest("malformed JSON: \(error)")
        }
        return data
    }

    /// Decodes an already collected body, every decoding problem a 400 naming the field.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: data) } catch let error as DecodingError {
            let (field, message) = describe(error)
            throw APIError.badRequest("\(field.isEmpty ? "body" : field): \(message)", field: field.isEmpty ? nil : field)
        }
    }
}
