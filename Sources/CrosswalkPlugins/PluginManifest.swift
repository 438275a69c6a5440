import CrosswalkCore
import Foundation

/// A plugin's manifest (`crosswalk_plugin_v1.manifest_json`), decoded header first: the
/// `version` is read before anything else so a future format gets a clear message.
public struct PluginManifest: Sendable, Equatable {
    /// One object a connector offers.
    public struct Object: Codable, Sendable, Equatable {
        public var name: String
        public var operations: [String]
        public var matchKeys: [String]?
        enum CodingKeys: String, CodingKey {
            case name, operations
            case matchKeys = "match_keys"
        }
    }

    /// The authentication scheme the connector needs; the host's auth broker implements it.
    public struct Auth: Codable, Sendable, Equatable {
        public var scheme: String
        public var authorizeURL: String?
        public var tokenURL: String?
        public var scopes: [String]?
        public var grants: [String]?
        public var header: String?
        public var prefix: String?
        enum CodingKeys: String, CodingKey {
            case scheme, scopes, grants, header, prefix
            case authorizeURL = "authorize_url"
            case tokenURL = "token_url"
        }
        /// Schemes the host knows.
        public static let knownSchemes: Set<String> = ["oauth2", "netsuite_tba", "api_key", "basic", "none", "any"]
    }

    /// Limits the host applies to the connector's batches and requests.
    public struct Limits: Codable, Sendable, Equatable {
        public var read: Int?
        public var write: Int?
    }

    public struct RateLimits: Codable, Sendable, Equatable {
        public var requestsPerSecond: Double?
        public var burst: Int?
        public var maxConcurrency: Int?
        enum CodingKeys: String, CodingKey {
            case burst
            case requestsPerSecond = "requests_per_second"
            case maxConcurrency = "max_concurrency"
        }
    }

    /// A plain C function the plugin exports for mappings.
    public struct Function: Codable, Sendable, Equatable {
        public var name: String
        public var symbol: String
        public var signature: String
        public var pure: Bool?
    }

    public var version: Int
    public var objects: [Object]
    public var auth: Auth
    public var capabilities: [String]
    public var batchLimits: Limits?
    public var rateLimits: RateLimits?
    public var functions: [Function]
    /// The manifest as the plugin wrote it.
    public var json: String

    /// Decodes and validates a manifest.
    /// - Throws: `CrosswalkError(.pluginRefused)` with a message naming what is wrong.
    public static func parse(_ text: String) throws -> PluginManifest {
        let data = Data(text.utf8)
        guard let object = try? JSONSerialization.jsonObject(with: data) else {
            throw CrosswalkError(.pluginRefused, "manifest is not valid JSON")
        }
        guard let root = object as? [String: Any] else { throw CrosswalkError(.pluginRefused, "manifest is not a JSON object") }
        guard let version = root["version"] as? Int else { throw CrosswalkError(.pluginRefused, "manifest has no \"version\"") }
        guard version == 1 else { throw CrosswalkError(.pluginRefused, "manifest version \(version) is not supported (this host reads version 1)") }
        for key in ["objects", "auth", "capabilities"] where root[key] == nil {
            throw CrosswalkError(.pluginRefused, "manifest misses \"\(key)\"")
        }
        struct Body: Decodable {
            var objects: [Object]
            var auth: Auth
            var capabilities: [String]
            var batch_limits: Limits?
            var rate_limits: RateLimits?
            var functions: [Function]?
        }
        let body: Body
        do { body = try JSONDecoder().decode(Body.self, from: data) } catch let error as DecodingError {
            throw CrosswalkError(.pluginRefused, "manifest: \(error.crosswalkDescription)")
        }
        guard Auth.knownSchemes.contains(body.auth.scheme) else {
            throw CrosswalkError(.pluginRefused, "manifest: unknown auth scheme \"\(body.auth.scheme)\" (known: \(Auth.knownSchemes.sorted().joined(separator: ", ")))")
        }
        if let bad = body.capabilities.first(where: { !$0.contains("/") }) {
            throw CrosswalkError(.pluginRefused, "manifest: capability \"\(bad)\" has no version (expected e.g. \"crosswalk.read/1\")")
        }
        return PluginManifest(version: version, objects: body.objects, auth: body.auth, capabilities: body.capabilities,
                              batchLimits: body.batch_limits, rateLimits: body.rate_limits, functions: body.functions ?? [], json: text)
    }
}
