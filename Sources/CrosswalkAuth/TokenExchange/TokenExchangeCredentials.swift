import CrosswalkCore
import Foundation

/// Credentials traded for a bearer token by posting a JSON body to a vendor endpoint, e.g.
/// SPOTIO's `POST /api/users/apitoken {"clientId":…,"secret":…}` → `{"accessToken":…}`.
///
/// ```swift
/// TokenExchangeCredentials(
///     url: "https://api.spotio2.com/api/users/apitoken",
///     bodyTemplate: #"{"clientId":"{{clientId}}","secret":"{{secret}}"}"#,
///     values: ["clientId": id, "secret": secret], tokenField: "accessToken")
/// ```
public struct TokenExchangeCredentials: Sendable, Hashable, Codable, SecretRedacting {
    public var url: String
    /// The JSON body with `{{name}}` placeholders, filled from `values` (JSON-escaped).
    public var bodyTemplate: String
    /// The placeholder values; all treated as secret.
    public var values: [String: String]
    /// Dotted path of the token in the JSON answer, e.g. `accessToken` or `data.token`.
    public var tokenField: String
    /// Dotted path of a lifetime in seconds in the answer, if the vendor sends one.
    public var expiresInField: String?
    /// The last token obtained; `nil` before the first.
    public var token: OAuth2Token?

    public init(url: String, bodyTemplate: String, values: [String: String], tokenField: String = "accessToken",
                expiresInField: String? = nil, token: OAuth2Token? = nil) {
        self.url = url
        self.bodyTemplate = bodyTemplate
        self.values = values
        self.tokenField = tokenField
        self.expiresInField = expiresInField
        self.token = token
    }

    /// The request body: the template with every `{{name}}` replaced.
    /// - Throws: `CrosswalkError` `.config` when a placeholder has no value.
    public func body() throws -> String {
        // One pass over the template: a value is inserted once and never scanned again, so a secret
        // that happens to contain "{{x}}" is neither expanded nor echoed in an error.
        var body = ""
        var rest = Substring(bodyTemplate)
        while let open = rest.range(of: "{{") {
            body += rest[..<open.lowerBound]
            guard let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) else {
                throw CrosswalkError(.config, "the token exchange body template has an unclosed {{", context: ["url": url])
            }
            let name = String(rest[open.upperBound..<close.lowerBound])
            guard let value = values[name] else {
                throw CrosswalkError(.config, "the token exchange body template uses {{\(name)}} but no value of that name is configured",
                                     context: ["url": url])
            }
            body += Self.jsonEscaped(value)
            rest = rest[close.upperBound...]
        }
        return body + rest
    }

    /// Posts the body and reads the token from the answer.
    public func fetchToken(http: any HTTPClient, now: @escaping @Sendable () -> Date = Date.init) async throws -> OAuth2Token {
        let request = HTTPRequest(method: "POST", url: url,
                                  headers: ["Content-Type": "application/json", "Accept": "application/json"],
                                  body: Data(try body().utf8))
        let sentAt = now()
        let response = try await http.send(request)
        guard (200..<300).contains(response.status) else {
            throw TokenEndpointRefusal(response: response, url: url).error(hiding: Array(values.values))
        }
        let object = try? JSONSerialization.jsonObject(with: response.body)
        guard let access = Self.value(at: tokenField, in: object) as? String, !access.isEmpty else {
            throw CrosswalkError(.auth, "the token exchange answer has no string at \(tokenField)", context: ["url": url])
        }
        let lifetime = expiresInField.flatMap { OAuth2Token.number(Self.value(at: $0, in: object)) }
        return OAuth2Token(accessToken: access, expiresAt: lifetime.map { sentAt.addingTimeInterval($0) })
    }

    public var redactedFields: [RedactedField] {
        [.visible("url", url), .visible("values", values.keys.sorted().joined(separator: ",")),
         .secret("secrets", isSet: !values.isEmpty), .visible("tokenField", tokenField),
         .visible("token", token.map { String(describing: $0) })]
    }

    static func value(at path: String, in object: Any?) -> Any? {
        path.split(separator: ".").reduce(object) { ($0 as? [String: Any])?[String($1)] }
    }

    static func jsonEscaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
