import CrosswalkABI
import CrosswalkPluginKit
import Foundation

/// A connector for any JSON REST endpoint, through the host's HTTP service: it never sees a
/// credential, so tests use it to prove the host authenticates on a plugin's behalf.
///
/// Settings: `{"base_url": "http://127.0.0.1:8402", "check_path": "/", "objects": {"Item": "/items"},
/// "headers": {"X-Extra": "1"}}` (`headers` are sent with every request).
/// `read` GETs the object's path and expects a JSON array of objects with an `id`, or an object
/// with a `results` (HubSpot) or `records` (Salesforce) array; `write` POSTs each record's fields to the same path.
public final class HTTPProbeConnector: Connector {
    public static let descriptor = ConnectorDescriptor(
        id: "dev.crosswalk.httpprobe", name: "HTTP probe (test connector)", version: "1.0.0", vendor: "Crosswalk",
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

    private let host: ConnectorHost
    private let checkPath: String
    private let paths: [String: String]
    private let headers: [String: String]

    public init(host: ConnectorHost, settings: JSONValue) throws {
        self.host = host
        checkPath = settings["check_path"]?.stringValue ?? "/"
        paths = (settings["objects"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        headers = (settings["headers"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    public func check() throws -> CheckResult {
        let r = try host.http("GET", checkPath, headers: headers)
        return CheckResult(ok: (200..<300).contains(r.status), message: "GET \(checkPath) answered HTTP \(r.status)")
    }

    public func discover() throws -> DiscoverResult {
        DiscoverResult(objects: paths.keys.sorted().map { ObjectInfo(name: $0, fields: [FieldInfo(name: "id", type: "string", unique: true)]) })
    }

    public func read(_ request: ReadRequest) throws -> ReadResult {
        guard let path = paths[request.object] else { throw ConnectorError(.notFound, "unknown object '\(request.object)'") }
        let r = try host.http("GET", path, headers: headers)
        guard (200..<300).contains(r.status) else { throw failure(r, "GET \(path)") }
        let rows: [JSONValue]
        switch r.jsonValue {
        case .array(let a)?: rows = a
        case .object(let o)?:
            if case .array(let a)? = o["results"] ?? o["records"] { rows = a } else { rows = [] }
        default: throw ConnectorError(.internalError, "GET \(path) did not answer a JSON array")
        }
        let records = rows.compactMap { row -> Record? in
            guard let fields = row.objectValue else { return nil }
            let id = (fields["id"] ?? fields["Id"]).flatMap { $0.stringValue ?? $0.intValue.map(String.init) } ?? ""
            return Record(object: request.object, id: id, fields: fields)
        }
        return ReadResult(records: records, nextCursor: nil, hasMore: false)
    }

    public func write(_ request: WriteRequest) throws -> WriteResult {
        guard let path = paths[request.object] else { throw ConnectorError(.notFound, "unknown object '\(request.object)'") }
        return WriteResult(results: try request.records.map { item in
            let body = try JSONEncoder().encode(JSONValue.object(item.fields))
            let r = try host.http("POST", path, headers: headers.merging(["Content-Type": "application/json"]) { $1 }, body: body)
            guard (200..<300).contains(r.status) else { return .failure(item.ref, failure(r, "POST \(path)")) }
            let id = r.jsonValue?["id"].flatMap { $0.stringValue ?? $0.intValue.map(String.init) } ?? ""
            return .success(item.ref, id: id, created: r.status == 201)
        })
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
