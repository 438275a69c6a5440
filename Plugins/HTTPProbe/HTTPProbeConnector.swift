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
/// rows in a read answer (a top-level array, `results` or `records` when absent); `fields` the
/// path of a row's fields (the row itself when absent); `next` the path of the next page's URL,
/// which becomes the cursor; `id` the path of the new id in a write answer (`id` when absent).
public final class HTTPProbeConnector: Connector {
    public static let descriptor = ConnectorDescriptor(
        id: "dev.crosswalk.httpprobe", name: "HTTP probe (test connector)", version: "1.1.0", vendor: "Crosswalk",
        manifest: [
            "version": 1,
            "objects": [],
            "auth": ["scheme": "any"],
            "capabilities": ["crosswalk.read/1", "crosswalk.write/1"],
            "batch_limits": ["read": 100, "write": 10],
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
        let url = request.cursor?.stringValue ?? route.read
        let r = try host.http("GET", url, headers: headers)
        guard (200..<300).contains(r.status) else { throw failure(r, "GET \(url)") }
        guard let answer = r.jsonValue else { throw ConnectorError(.internalError, "GET \(url) did not answer JSON") }
        let rows: [JSONValue]
        switch route.records.map({ Self.value(at: $0, in: answer) }) ?? answer["results"] ?? answer["records"] ?? answer {
        case .array(let a)?: rows = a
        default: throw ConnectorError(.internalError, "GET \(url) did not answer a list of records")
        }
        let records = rows.compactMap { row -> Record? in
            let fields = route.fields.flatMap { Self.value(at: $0, in: row) } ?? row
            guard let fields = fields.objectValue else { return nil }
            return Record(object: request.object, id: Self.idString(row["id"] ?? row["Id"]) ?? "", fields: fields)
        }
        let next = route.next.flatMap { Self.value(at: $0, in: answer)?.stringValue }
        return ReadResult(records: records, nextCursor: next.map(JSONValue.string) ?? .null, hasMore: next != nil)
    }

    public func write(_ request: WriteRequest) throws -> WriteResult {
        let route = try route(request.object)
        return WriteResult(results: try request.records.map { item in
            let body = JSONValue.object(item.fields).data()
            let r = try host.http("POST", route.write, headers: headers.merging(["Content-Type": "application/json"]) { $1 }, body: body)
            guard (200..<300).contains(r.status) else { return .failure(item.ref, failure(r, "POST \(route.write)")) }
            let id = r.jsonValue.flatMap { Self.idString(Self.value(at: route.id, in: $0)) } ?? ""
            return .success(item.ref, id: id, created: r.status == 201 || r.status == 200)
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
