import CrosswalkConnectors
import CrosswalkCore
import CrosswalkStore
import Crypto
import Foundation

/// One HTTP request an app made to the host's webhook endpoint (`/hooks/CONNECTION`), exactly as
/// received: what `crosswalk serve`'s route hands to ``WebhookService/receive(connection:request:)``.
public struct InboundWebhook: Sendable, Hashable {
    /// `POST`, as received.
    public var method: String
    /// The path (`/hooks/spotio`), without the query.
    public var path: String
    /// The query string without `?`, or `nil`.
    public var query: String?
    /// The public URL as the app called it (scheme, host, path and query): what apps that sign the
    /// URL (HubSpot v3) signed. Behind a proxy, the host's public base URL joined with path and query.
    public var url: String
    /// Header names in any case; a repeated header's values joined with ", ".
    public var headers: [String: String]
    /// The exact bytes received.
    public var body: Data
    public var receivedAt: Date

    public init(method: String, path: String, query: String? = nil, url: String, headers: [String: String], body: Data, receivedAt: Date = Date()) {
        self.method = method
        self.path = path
        self.query = query
        self.url = url
        self.headers = headers
        self.body = body
        self.receivedAt = receivedAt
    }
}

/// What to answer the app.
public struct WebhookAnswer: Sendable, Hashable {
    public var status: Int
    /// `nil` with an empty body.
    public var contentType: String?
    public var body: String

    public init(status: Int, contentType: String? = nil, body: String = "") {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    static func text(_ status: Int, _ message: String) -> WebhookAnswer {
        WebhookAnswer(status: status, contentType: "text/plain; charset=utf-8", body: message + "\n")
    }
}

/// How the inbox tells a repeated delivery apart: the app's own id when the manifest says where it
/// is (`webhooks.delivery_id`), else a SHA-256 of the connection and the exact body.
enum WebhookDedupe {
    static func key(connection: String, deliveryID: ConnectorManifest.Webhooks.DeliveryID?, headers: [String: String], body: Data) -> String {
        if let name = deliveryID?.header?.lowercased(), let value = headers[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
            return "id:" + value
        }
        if let pointer = deliveryID?.jsonPointer, let root = try? JSONParser.parse(body) {
            let ids = values(at: pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init), in: root)
            if !ids.isEmpty { return "id:" + ids.joined(separator: ",") }
        }
        var hasher = SHA256()
        hasher.update(data: Data(connection.utf8))
        hasher.update(data: Data([0]))
        hasher.update(data: body)
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The scalar values a JSON pointer (RFC 6901, plus `*` for every element of an array) reaches.
    static func values(at segments: [String], in value: JSONValue) -> [String] {
        guard let first = segments.first else {
            switch value {
            case .string(let s): return [s]
            case .number(let n): return [n.text]
            case .bool(let b): return [String(b)]
            default: return []
            }
        }
        let rest = Array(segments.dropFirst())
        let key = first.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        switch value {
        case .array(let items):
            if key == "*" { return items.flatMap { values(at: rest, in: $0) } }
            guard let index = Int(key), items.indices.contains(index) else { return [] }
            return values(at: rest, in: items[index])
        case .object(let members):
            return members[key].map { values(at: rest, in: $0) } ?? []
        default:
            return []
        }
    }
}
