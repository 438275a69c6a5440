import CrosswalkABI
import CrosswalkPluginKit
import Foundation

/// A connector for any JSON REST API, configured by settings and working only through the host's
/// HTTP service: it never sees a credential, so tests and the demo use it to prove that the host
/// authenticates on a plugin's behalf. The five real connectors are their own plugins.
///
/// Settings:
/// ```json
/// {"base_url": "http://127.0.0.1:8402", "check_path": "/", "headers": {"X-Extra": "1"},
///  "objects": {"Item": "/items",
///              "Contact": {"read": "/crm/v3/objects/contacts?limit=50", "records": "results", "fields": "properties",
///                          "next": "paging.next.link", "write": "/api/contacts/new", "id": "contact.id"}}}
/// ```
/// An object given as a string reads and writes that path. `records` is the dotted path of the
/// rows in a read answer (a top-level array, `results` or `records` when absent; an object's
/// values are rows too, as Mautic keys them by id); `fields` the path of a row's fields (the row
/// itself when absent); `next` the path of the next page's URL, which becomes the cursor; `id` the
/// path of the new id in a write answer (`id` when absent).
///
/// Optional, for APIs that need them:
/// - `"offset": {"start": "start", "limit": "limit", "size": 100}` pages by offset instead of a
///   next link (the cursor is the offset);
/// - `"get": "/api/contacts/{id}"` with `"get_record": "contact"` reads records by id;
/// - `"search": {"eq": "/api/contacts?where[0][col]={field}&where[0][expr]=eq&where[0][val]={value}",
///   "in": "/api/contacts?where[0][col]={field}&where[0][expr]=in", "in_value": "&where[0][val][]={value}"}`
///   pushes an `eq` or `in` filter on one field down (values URL-encoded);
/// - `"update": "/api/contacts/{id}/edit"` (method `update_method`, `PATCH` when absent) for updates;
/// - `"wrap": "properties"` sends a record's fields inside that member (HubSpot);
/// - `"batch": {"create": "/api/contacts/batch/new", "records": "contacts", "errors": "errors", "id": "id"}`
///   creates a whole batch in one POST of an array; the answer holds the created records and the
///   errors at those paths, each a list in input order or an object keyed by input position.
public final class HTTPProbeConnector: Connector {
    public static let descriptor = ConnectorDescriptor(
        id: "dev.crosswalk.httpprobe", name: "HTTP probe (test connector)", version: "1.1.0", vendor: "Crosswalk",
        manifest: [
            "version": 1,
            "objects": [],
            "auth": ["scheme": "any"],
            "capabilities": ["crosswalk.read/1", "crosswalk.write/1"],
            "batch_limits": ["read": 100, "write": 200],
            "settings": [["name": "base_url", "type": "string", "required": true],
                         ["name": "check_path", "type": "string", "required": false],
                         ["name": "objects", "type": "object", "required": false],
                         ["name": "headers", "type": "object", "required": false]],
        ])

    /// How one object is read and written.
    struct ObjectRoute {
        var read: String
        var write: String
        var records: String?
        var fields: String?
        var next: String?
        var id: String
        var offset: (start: String, limit: String, size: Int)?
        var get: String?
        var getRecord: String?
        var search: (eq: String?, in: String?, inValue: String?)?
        var update: String?
        var updateMethod = "PATCH"
        var wrap: String?
        var batch: (create: String, records: String?, errors: String?, id: String)?

        init(_ value: JSONValue) throws {
            if let path = value.stringValue {
                self.init(read: path, write: path)
                return
            }
            guard let read = value["read"]?.stringValue ?? value["write"]?.stringValue else {
                throw ConnectorError(.invalidArgument, "an object needs a path, or a \"read\" or \"write\" path")
            }
            self.init(read: read, write: value["write"]?.stringValue ?? read, records: value["records"]?.stringValue,
                      fields: value["fields"]?.stringValue, next: value["next"]?.stringValue, id: value["id"]?.stringValue ?? "id")
            if let o = value["offset"] {
                offset = (o["start"]?.stringValue ?? "start", o["limit"]?.stringValue ?? "limit", max(1, o["size"]?.intValue ?? 100))
            }
            get = value["get"]?.stringValue
            getRecord = value["get_record"]?.stringValue
            if let s = value["search"] { search = (s["eq"]?.stringValue, s["in"]?.stringValue, s["in_value"]?.stringValue) }
            update = value["update"]?.stringValue
            updateMethod = value["update_method"]?.stringValue ?? "PATCH"
            wrap = value["wrap"]?.stringValue
            if let b = value["batch"], let create = b["create"]?.stringValue {
                batch = (create, b["records"]?.stringValue, b["errors"]?.stringValue, b["id"]?.stringValue ?? "id")
            }
        }

        init(read: String, write: String, records: String? = nil, fields: String? = nil, next: String? = nil, id: String = "id") {
            self.read = read
            self.write = write
            self.records = records
            self.fields = fields
            self.next = next
            self.id = id
        }
    }

    private let host: ConnectorHost
    private let checkPath: String
    private let routes: [String: ObjectRoute]
    private let headers: [String: String]

    public init(host: ConnectorHost, settings: JSONValue) throws {
        self.host = host
        checkPath = settings["check_path"]?.stringValue ?? "/"
        routes = try (settings["objects"]?.objectValue ?? [:]).mapValues(ObjectRoute.init)
        headers = (settings["headers"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    public func check() throws -> CheckResult {
        let r = try host.http("GET", checkPath, headers: headers)
        return CheckResult(ok: (200..<300).contains(r.status), message: "GET \(checkPath) answered HTTP \(r.status)")
    }

    public func discover() throws -> DiscoverResult {
        DiscoverResult(objects: routes.keys.sorted().map { ObjectInfo(name: $0, fields: [FieldInfo(name: "id", type: "string", unique: true)]) })
    }

    public func read(_ request: ReadRequest) throws -> ReadResult {
        let route = try route(request.object)
        if let ids = request.ids {
            // Without a `get:` route it cannot read records by id: say so rather than answer a first page that
            // does not hold them (the host would take the ids as gone).
            guard let get = route.get else {
                throw ConnectorError(.unsupported, "object \(request.object) has no get: route, so records cannot be read by id; add get: \"/path/{id}\" to its route")
            }
            return try read(ids: ids, get: get, route: route, object: request.object)
        }
        if let filter = request.filter, let url = searchURL(filter, route) {
            let (records, _) = try page(url, route: route, object: request.object)
            return ReadResult(records: records, nextCursor: request.cursor, hasMore: false, filterApplied: .full)
        }
        if let offset = route.offset {
            let start = request.cursor?.intValue ?? 0
            let separator = route.read.contains("?") ? "&" : "?"
            let url = "\(route.read)\(separator)\(offset.start)=\(start)&\(offset.limit)=\(offset.size)"
            let (records, _) = try page(url, route: route, object: request.object)
            return ReadResult(records: records, nextCursor: .number(JSONNumber(start + records.count)), hasMore: records.count == offset.size)
        }
        let url = request.cursor?.stringValue ?? route.read
        let (records, answer) = try page(url, route: route, object: request.object)
        let next = route.next.flatMap { Self.value(at: $0, in: answer)?.stringValue }
        return ReadResult(records: records, nextCursor: next.map(JSONValue.string) ?? .null, hasMore: next != nil)
    }

    /// One GET of rows.
    private func page(_ url: String, route: ObjectRoute, object: String) throws -> ([Record], JSONValue) {
        let r = try host.http("GET", url, headers: headers)
        guard (200..<300).contains(r.status) else { throw failure(r, "GET \(url)") }
        guard let answer = r.jsonValue else { throw ConnectorError(.internalError, "GET \(url) did not answer JSON") }
        let rows: [JSONValue]
        switch route.records.map({ Self.value(at: $0, in: answer) }) ?? answer["results"] ?? answer["records"] ?? answer {
        case .array(let a)?: rows = a
        case .object(let o)?:
            // Rows keyed by id (Mautic), in id order.
            rows = o.sorted { a, b in (Int(a.key) ?? Int.max, a.key) < (Int(b.key) ?? Int.max, b.key) }.map(\.value)
        default: throw ConnectorError(.internalError, "GET \(url) did not answer a list of records")
        }
        return (rows.compactMap { record(from: $0, route: route, object: object) }, answer)
    }

    private func record(from row: JSONValue, route: ObjectRoute, object: String) -> Record? {
        let fields = route.fields.flatMap { Self.value(at: $0, in: row) } ?? row
        guard let fields = fields.objectValue else { return nil }
        return Record(object: object, id: Self.idString(row["id"] ?? row["Id"]) ?? "", fields: fields)
    }

    /// Records by id, one GET each.
    private func read(ids: [String], get: String, route: ObjectRoute, object: String) throws -> ReadResult {
        var records: [Record] = []
        var missing: [String] = []
        for id in ids {
            let url = get.replacingOccurrences(of: "{id}", with: Self.encode(id))
            let r = try host.http("GET", url, headers: headers)
            if r.status == 404 {
                missing.append(id)
                continue
            }
            guard (200..<300).contains(r.status), let answer = r.jsonValue else { throw failure(r, "GET \(url)") }
            let row = route.getRecord.flatMap { Self.value(at: $0, in: answer) } ?? answer
            if let record = record(from: row, route: route, object: object) { records.append(record) } else { missing.append(id) }
        }
        return ReadResult(records: records, nextCursor: nil, hasMore: false, missing: missing)
    }

    /// The search URL for a filter on one field (`eq`, `in`, or an `or` of `eq`s), if the route has one.
    private func searchURL(_ filter: Filter, _ route: ObjectRoute) -> String? {
        guard let search = route.search else { return nil }
        var field: String?
        var values: [JSONValue] = []
        switch filter {
        case .compare(op: "eq", let f, let v): (field, values) = (f, [v])
        case .oneOf(let f, let vs): (field, values) = (f, vs)
        case .or(let parts):
            for part in parts {
                guard case .compare(op: "eq", let f, let v) = part, field == nil || field == f else { return nil }
                field = f
                values.append(v)
            }
        default: return nil
        }
        guard let field, !values.isEmpty else { return nil }
        let texts = values.map { $0.stringValue ?? $0.intValue.map(String.init) ?? "\($0)" }
        if texts.count == 1, let eq = search.eq {
            return eq.replacingOccurrences(of: "{field}", with: Self.encode(field)).replacingOccurrences(of: "{value}", with: Self.encode(texts[0]))
        }
        guard let list = search.in, let each = search.inValue else { return nil }
        return list.replacingOccurrences(of: "{field}", with: Self.encode(field))
            + texts.map { each.replacingOccurrences(of: "{value}", with: Self.encode($0)) }.joined()
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~@"))) ?? text
    }

    public func write(_ request: WriteRequest) throws -> WriteResult {
        let route = try route(request.object)
        if request.operation == .create, let batch = route.batch { return try createBatch(request, route: route, batch: batch) }
        return WriteResult(results: try request.records.map { item in
            let body = (route.wrap.map { JSONValue.object([$0: .object(item.fields)]) } ?? JSONValue.object(item.fields)).data()
            let json = headers.merging(["Content-Type": "application/json"]) { $1 }
            if request.operation == .update, let update = route.update, let id = item.id {
                let url = update.replacingOccurrences(of: "{id}", with: Self.encode(id))
                let r = try host.http(route.updateMethod, url, headers: json, body: body)
                guard (200..<300).contains(r.status) else { return .failure(item.ref, failure(r, "\(route.updateMethod) \(url)")) }
                return .success(item.ref, id: id, created: false)
            }
            let r = try host.http("POST", route.write, headers: json, body: body)
            guard (200..<300).contains(r.status) else { return .failure(item.ref, failure(r, "POST \(route.write)")) }
            let id = r.jsonValue.flatMap { Self.idString(Self.value(at: route.id, in: $0)) } ?? ""
            return .success(item.ref, id: id, created: r.status == 201 || r.status == 200)
        })
    }

    /// One POST of every record; results matched by input position.
    private func createBatch(_ request: WriteRequest, route: ObjectRoute,
                             batch: (create: String, records: String?, errors: String?, id: String)) throws -> WriteResult {
        let bodies = request.records.map { item in route.wrap.map { JSONValue.object([$0: .object(item.fields)]) } ?? JSONValue.object(item.fields) }
        let r = try host.http("POST", batch.create, headers: headers.merging(["Content-Type": "application/json"]) { $1 }, body: JSONValue.array(bodies).data())
        guard (200..<300).contains(r.status), let answer = r.jsonValue else { throw failure(r, "POST \(batch.create)") }
        func byPosition(_ path: String?) -> [Int: JSONValue] {
            switch path.flatMap({ Self.value(at: $0, in: answer) }) {
            case .array(let a)?: return Dictionary(uniqueKeysWithValues: a.enumerated().map { ($0.offset, $0.element) })
            case .object(let o)?: return Dictionary(o.compactMap { k, v in Int(k).map { ($0, v) } }, uniquingKeysWith: { a, _ in a })
            default: return [:]
            }
        }
        let created = byPosition(batch.records), errors = byPosition(batch.errors)
        return WriteResult(results: request.records.enumerated().map { index, item in
            if let error = errors[index] {
                let message = error["message"]?.stringValue ?? "\(error)"
                return .failure(item.ref, ConnectorError(.conflict, message))
            }
            guard let record = created[index], let id = Self.idString(Self.value(at: batch.id, in: record)) else {
                return .failure(item.ref, ConnectorError(.internalError, "POST \(batch.create) answered no record at position \(index)"))
            }
            return .success(item.ref, id: id, created: true)
        })
    }

    private func route(_ object: String) throws -> ObjectRoute {
        guard let route = routes[object] else { throw ConnectorError(.notFound, "unknown object '\(object)'") }
        return route
    }

    /// The value at a dotted path: `paging.next.link`.
    static func value(at path: String, in json: JSONValue) -> JSONValue? {
        path.split(separator: ".").reduce(Optional(json)) { $0?[String($1)] }
    }

    static func idString(_ value: JSONValue?) -> String? {
        value.flatMap { $0.stringValue ?? $0.intValue.map(String.init) }
    }

    private func failure(_ r: ConnectorHost.Response, _ what: String) -> ConnectorError {
        switch r.status {
        case 401, 403: ConnectorError(.auth, "\(what) was refused (HTTP \(r.status))")
        case 404: ConnectorError(.notFound, "\(what): not found")
        case 429: ConnectorError(.rateLimited, "\(what) was throttled", retryAfterMilliseconds: r.headers["retry-after"].flatMap(Int.init).map { $0 * 1000 })
        case 500...: ConnectorError(.unavailable, "\(what) failed with HTTP \(r.status)")
        default: ConnectorError(.conflict, "\(what) failed with HTTP \(r.status): \(String(decoding: r.body.prefix(200), as: UTF8.self))")
        }
    }
}

@_cdecl("crosswalk_plugin_entry")
public func crosswalkPluginEntry(_ host: UnsafePointer<crosswalk_host_v1>?) -> UnsafePointer<crosswalk_plugin_v1>? {
    ConnectorExport.entry(HTTPProbeConnector.self, host: host)
}
