import CrosswalkConnectors
import Crypto
import Foundation

/// What a signature check found.
public enum WebhookVerification: Sendable, Hashable {
    /// The signature matched the secret and the timestamp was within the allowed skew.
    case verified
    /// The manifest declares `"scheme":"none"`: the app does not sign, the plugin checks what it can
    /// (Salesforce outbound messages carry the org id).
    case unsigned
    /// Refused, with a reason a person can act on. The reason never holds the signature or the secret.
    case rejected(String)

    /// Whether the delivery may be stored and processed.
    public var isAccepted: Bool { if case .rejected = self { false } else { true } }
}

/// Checks a webhook delivery against a manifest's `webhooks.signature` block and the secret the host
/// holds: HMAC-SHA256 or HMAC-SHA1 over the declared parts (`method`, `url`, `body`, `timestamp`, in
/// the manifest's order, joined by its `separator`), the header's value after stripping `prefix`,
/// decoded as `base64` or `hex`, compared in constant time; the timestamp header must be within
/// `max_skew_s` of the clock (unit `ms` or `s`).
///
/// Pure logic: no I/O, no clock but the `now` given.
///
/// ```swift
/// let verifier = WebhookSignatureVerifier(signature: manifest.webhooks?.signature)
/// switch verifier.verify(method: "POST", url: url, headers: headers, body: body, secret: secret, now: Date()) {
/// case .verified, .unsigned: …store it…
/// case .rejected(let why): …answer 401 and log why…
/// }
/// ```
public struct WebhookSignatureVerifier: Sendable {
    /// The manifest's block; `nil` means the connector declares no signature (treated as `none`).
    public let signature: ConnectorManifest.Webhooks.Signature?

    public init(signature: ConnectorManifest.Webhooks.Signature?) {
        self.signature = signature
    }

    /// Whether a secret is needed to verify deliveries.
    public var needsSecret: Bool { scheme != "none" }

    private var scheme: String { signature?.scheme ?? "none" }

    /// Lower-case names of the headers that carry the signature (dropped before a delivery is stored).
    public var signatureHeaders: Set<String> {
        guard let header = signature?.header, needsSecret else { return [] }
        return [header.lowercased()]
    }

    /// Verifies one delivery.
    /// - Parameters:
    ///   - method: the request method as received (`POST`).
    ///   - url: the public URL as the app called it (scheme, host, path and query).
    ///   - headers: the request's headers, names in any case.
    ///   - body: the exact bytes received.
    ///   - secret: the connection's webhook secret (`nil` when none is stored).
    ///   - now: the clock, for the timestamp's skew.
    /// `url` with each of `escapes` (`%3A`…) decoded, case-insensitively, and every other byte as it is.
    static func unescaping(_ escapes: [String], in url: String) -> String {
        guard !escapes.isEmpty else { return url }
        var plain: [String: String] = [:]
        for e in escapes where e.count == 3 && e.hasPrefix("%") {
            if let byte = UInt8(e.dropFirst(), radix: 16) { plain[e.uppercased()] = String(decoding: [byte], as: UTF8.self) }
        }
        var out = ""
        var i = url.startIndex
        while i < url.endIndex {
            if url[i] == "%", let end = url.index(i, offsetBy: 3, limitedBy: url.endIndex), let p = plain[url[i..<end].uppercased()] {
                out += p
                i = end
            } else {
                out.append(url[i])
                i = url.index(after: i)
            }
        }
        return out
    }

    public func verify(method: String, url: String, headers: [String: String], body: Data, secret: Data?, now: Date) -> WebhookVerification {
        guard let signature, needsSecret else { return .unsigned }
        guard let secret, !secret.isEmpty else {
            return .rejected("no webhook secret is stored for this connection (set one with `crosswalk connections webhook-secret NAME`)")
        }
        let lowered = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let headerName = signature.header, var given = lowered[headerName.lowercased()]?.trimmingCharacters(in: .whitespaces), !given.isEmpty else {
            return .rejected("the \(signature.header ?? "signature") header is missing")
        }
        if let prefix = signature.prefix, !prefix.isEmpty {
            guard given.hasPrefix(prefix) else { return .rejected("the \(headerName) header does not start with \"\(prefix)\"") }
            given.removeFirst(prefix.count)
        }
        let encoding = signature.encoding ?? "hex"
        guard let expected = Self.decode(given, encoding: encoding) else {
            return .rejected("the \(headerName) header is not \(encoding)")
        }
        var timestamp: String?
        if let name = signature.timestampHeader {
            guard let value = lowered[name.lowercased()]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                return .rejected("the \(name) header is missing")
            }
            timestamp = value
            if let maxSkew = signature.maxSkewSeconds {
                guard let number = Double(value) else { return .rejected("the \(name) header is not a number") }
                let seconds = signature.timestampUnit == "ms" ? number / 1000 : number
                let skew = abs(now.timeIntervalSince1970 - seconds)
                guard skew <= Double(maxSkew) else {
                    return .rejected("the \(name) header is \(Int(skew)) s from this host's clock (at most \(maxSkew) s allowed)")
                }
            }
        }
        var message = Data()
        let separator = Data((signature.separator ?? "").utf8)
        for (index, part) in (signature.signed ?? ["body"]).enumerated() {
            if index > 0 { message += separator }
            switch part {
            case "method": message += Data(method.uppercased().utf8)
            case "url": message += Data(Self.unescaping(signature.urlUnescape ?? [], in: url).utf8)
            case "body": message += body
            case "timestamp": message += Data((timestamp ?? "").utf8)
            default: return .rejected("the manifest signs an unknown part \"\(part)\"")
            }
        }
        let key = SymmetricKey(data: secret)
        let computed: Data
        switch scheme {
        case "hmac-sha256": computed = Data(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case "hmac-sha1": computed = Data(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        default: return .rejected("the manifest's signature scheme \"\(scheme)\" is not one this host verifies")
        }
        return Self.constantTimeEqual(computed, expected) ? .verified : .rejected("the signature does not match")
    }

    /// Compares every byte whatever the first difference (the time taken depends only on the lengths).
    static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    /// The bytes of a `hex` (either case) or `base64` (standard or URL alphabet, padding optional) text.
    static func decode(_ text: String, encoding: String) -> Data? {
        switch encoding {
        case "base64":
            var normalized = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while normalized.count % 4 != 0 { normalized += "=" }
            return Data(base64Encoded: normalized)
        case "hex":
            let bytes = Array(text.utf8)
            guard bytes.count % 2 == 0 else { return nil }
            var out = Data(capacity: bytes.count / 2)
            var index = 0
            while index < bytes.count {
                guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else { return nil }
                out.append(high << 4 | low)
                index += 2
            }
            return out
        default:
            return nil
        }
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
