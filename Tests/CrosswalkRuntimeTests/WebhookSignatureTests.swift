import CrosswalkConnectors
import CrosswalkCore
import Crypto
@testable import CrosswalkRuntime
import Foundation
import Testing

/// The host's webhook signature check against published vectors and each rule of the manifest block.
@Suite("Webhook signatures")
struct WebhookSignatureTests {
    typealias Signature = ConnectorManifest.Webhooks.Signature
    let now = Date(timeIntervalSince1970: 1_764_500_000)

    func verify(_ s: Signature, method: String = "POST", url: String = "https://crosswalk.example.com/hooks/x", headers: [String: String],
                body: String, secret: String?, now: Date? = nil) -> WebhookVerification {
        WebhookSignatureVerifier(signature: s).verify(method: method, url: url, headers: headers, body: Data(body.utf8),
                                                       secret: secret.map { Data($0.utf8) }, now: now ?? self.now)
    }

    @Test("RFC 4231 (HMAC-SHA256) and RFC 2202 (HMAC-SHA1) test case 2, hex and base64")
    func rfcVectors() {
        let body = "what do ya want for nothing?"
        let sha256 = Signature(scheme: "hmac-sha256", header: "X-Sig", encoding: "hex", signed: ["body"])
        #expect(verify(sha256, headers: ["x-sig": "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"], body: body, secret: "Jefe") == .verified)
        #expect(verify(sha256, headers: ["X-SIG": "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843"], body: body, secret: "Jefe") == .verified,
                "header names and hex digits in any case")
        let sha1 = Signature(scheme: "hmac-sha1", header: "X-Sig", encoding: "hex", signed: ["body"])
        #expect(verify(sha1, headers: ["x-sig": "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"], body: body, secret: "Jefe") == .verified)
        let b64 = Signature(scheme: "hmac-sha256", header: "X-Sig", encoding: "base64", signed: ["body"])
        let mac = Data([0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
                        0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43]).base64EncodedString()
        #expect(verify(b64, headers: ["x-sig": mac], body: body, secret: "Jefe") == .verified)
        #expect(verify(b64, headers: ["x-sig": mac], body: body + " ", secret: "Jefe") == .rejected("the signature does not match"))
        #expect(verify(b64, headers: ["x-sig": mac], body: body, secret: "jefe") == .rejected("the signature does not match"))
    }

    @Test("GitHub's documented X-Hub-Signature-256 example: prefix sha256=, hex")
    func prefixed() {
        let s = Signature(scheme: "hmac-sha256", header: "X-Hub-Signature-256", encoding: "hex", prefix: "sha256=", signed: ["body"])
        let header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        #expect(verify(s, headers: ["X-Hub-Signature-256": header], body: "Hello, World!", secret: "It's a Secret to Everybody") == .verified)
        #expect(verify(s, headers: ["X-Hub-Signature-256": String(header.dropFirst(7))], body: "Hello, World!", secret: "It's a Secret to Everybody")
                == .rejected("the X-Hub-Signature-256 header does not start with \"sha256=\""))
    }

    @Test("parts in the declared order with the separator; the timestamp within the skew, in seconds or milliseconds")
    func partsAndTimestamp() {
        // NetSuite's block: hex HMAC-SHA256 of timestamp + "." + body, "sha256=" prefix, 300 s.
        let ns = Signature(scheme: "hmac-sha256", header: "X-NetSuite-Signature", encoding: "hex", prefix: "sha256=", signed: ["timestamp", "body"],
                           separator: ".", timestampHeader: "X-NetSuite-Event-Timestamp", timestampUnit: "s", maxSkewSeconds: 300)
        let body = #"{"eventType":"create","recordId":"42"}"#
        let ts = String(Int(now.timeIntervalSince1970))
        let hex = Self.hmacHex(ts + "." + body, "ns-secret")
        let headers = ["x-netsuite-signature": "sha256=" + hex, "x-netsuite-event-timestamp": ts]
        #expect(verify(ns, headers: headers, body: body, secret: "ns-secret") == .verified)
        #expect(verify(ns, headers: headers, body: body, secret: "ns-secret", now: now.addingTimeInterval(299)) == .verified)
        #expect(verify(ns, headers: headers, body: body, secret: "ns-secret", now: now.addingTimeInterval(301))
                == .rejected("the X-NetSuite-Event-Timestamp header is 301 s from this host's clock (at most 300 s allowed)"))
        #expect(verify(ns, headers: headers, body: body, secret: "ns-secret", now: now.addingTimeInterval(-301)).isAccepted == false, "from the future too")
        var noTime = headers
        noTime["x-netsuite-event-timestamp"] = nil
        #expect(verify(ns, headers: noTime, body: body, secret: "ns-secret") == .rejected("the X-NetSuite-Event-Timestamp header is missing"))
        var otherTime = headers
        otherTime["x-netsuite-event-timestamp"] = String(Int(now.timeIntervalSince1970) + 1)
        #expect(verify(ns, headers: otherTime, body: body, secret: "ns-secret") == .rejected("the signature does not match"), "the timestamp is signed")

        // HubSpot v3's order: method + URL + body + timestamp (ms), no separator, base64.
        let hs = Signature(scheme: "hmac-sha256", header: "X-HubSpot-Signature-v3", encoding: "base64", signed: ["method", "url", "body", "timestamp"],
                           timestampHeader: "X-HubSpot-Request-Timestamp", timestampUnit: "ms", maxSkewSeconds: 300)
        let millis = String(Int(now.timeIntervalSince1970 * 1000))
        let url = "https://crosswalk.example.com/hooks/hubspot?portal=62515"
        let v3 = Self.hmac("POST" + url + "[]" + millis, "hs-secret").base64EncodedString()
        let hsHeaders = ["X-HubSpot-Signature-v3": v3, "X-HubSpot-Request-Timestamp": millis]
        #expect(verify(hs, url: url, headers: hsHeaders, body: "[]", secret: "hs-secret") == .verified)
        #expect(verify(hs, method: "post", url: url, headers: hsHeaders, body: "[]", secret: "hs-secret") == .verified, "the method as sent, upper case")
        #expect(verify(hs, url: url + "&x=1", headers: hsHeaders, body: "[]", secret: "hs-secret") == .rejected("the signature does not match"))
        #expect(verify(hs, url: url, headers: hsHeaders, body: "[]", secret: "hs-secret", now: now.addingTimeInterval(301)).isAccepted == false)

        // HubSpot signs the URI with 12 escapes decoded (`%3A`, `%2F`…), others (`%20`) kept: the manifest's url_unescape.
        var decoding = hs
        decoding.urlUnescape = ["%3A", "%2F", "%3F", "%40", "%21", "%24", "%27", "%28", "%29", "%2A", "%2C", "%3B"]
        let escaped = "https://crosswalk.example.com/hooks/hubspot?next=https%3a%2F%2Fx.example%2Fa%20b%40c"
        let signedAs = "https://crosswalk.example.com/hooks/hubspot?next=https://x.example/a%20b@c"
        let v3d = Self.hmac("POST" + signedAs + "[]" + millis, "hs-secret").base64EncodedString()
        let decodedHeaders = ["X-HubSpot-Signature-v3": v3d, "X-HubSpot-Request-Timestamp": millis]
        #expect(verify(decoding, url: escaped, headers: decodedHeaders, body: "[]", secret: "hs-secret") == .verified, "lower-case escapes too")
        #expect(verify(hs, url: escaped, headers: decodedHeaders, body: "[]", secret: "hs-secret") == .rejected("the signature does not match"),
                "without url_unescape the URL is signed as called")
        #expect(WebhookSignatureVerifier.unescaping(["%3A"], in: "a%3Ab%3") == "a:b%3", "a cut escape at the end stays")
    }

    @Test("refusals name what is wrong without repeating the secret or the signature; scheme none is unsigned")
    func refusals() {
        let s = Signature(scheme: "hmac-sha256", header: "X-Signature", encoding: "hex", signed: ["body"])
        #expect(verify(s, headers: [:], body: "{}", secret: "k") == .rejected("the X-Signature header is missing"))
        #expect(verify(s, headers: ["x-signature": "zz"], body: "{}", secret: "k") == .rejected("the X-Signature header is not hex"))
        #expect(verify(s, headers: ["x-signature": "abc"], body: "{}", secret: "k") == .rejected("the X-Signature header is not hex"))
        #expect(verify(s, headers: ["x-signature": "abcd"], body: "{}", secret: "k") == .rejected("the signature does not match"), "a short MAC")
        guard case .rejected(let why) = verify(s, headers: ["x-signature": "00"], body: "{}", secret: nil) else {
            Issue.record("a missing secret must refuse")
            return
        }
        #expect(why.contains("crosswalk connections webhook-secret"))
        #expect(verify(Signature(scheme: "none"), headers: [:], body: "<soap/>", secret: nil) == .unsigned)
        #expect(WebhookSignatureVerifier(signature: nil).verify(method: "POST", url: "", headers: [:], body: Data(), secret: nil, now: now) == .unsigned)
        #expect(WebhookSignatureVerifier(signature: s).signatureHeaders == ["x-signature"])
    }

    @Test("constant-time comparison and the decoders")
    func primitives() {
        #expect(WebhookSignatureVerifier.constantTimeEqual(Data([1, 2, 3]), Data([1, 2, 3])))
        #expect(!WebhookSignatureVerifier.constantTimeEqual(Data([1, 2, 3]), Data([1, 2, 4])))
        #expect(!WebhookSignatureVerifier.constantTimeEqual(Data([1, 2, 3]), Data([1, 2])))
        #expect(WebhookSignatureVerifier.decode("AAEC", encoding: "base64") == Data([0, 1, 2]))
        #expect(WebhookSignatureVerifier.decode("-_8", encoding: "base64") == Data([0xfb, 0xff]), "URL alphabet, no padding")
        #expect(WebhookSignatureVerifier.decode("0aFf", encoding: "hex") == Data([0x0a, 0xff]))
        #expect(WebhookSignatureVerifier.decode("0aF", encoding: "hex") == nil)
        #expect(WebhookSignatureVerifier.decode("00", encoding: "rot13") == nil)
    }

    @Test("dedupe keys: the app's delivery id by header or JSON pointer (with * over a batch), else a hash of connection and body")
    func dedupeKeys() {
        typealias ID = ConnectorManifest.Webhooks.DeliveryID
        let batch = Data(#"[{"eventId":11,"attemptNumber":0},{"eventId":12,"attemptNumber":0}]"#.utf8)
        let retry = Data(#"[{"eventId":11,"attemptNumber":1},{"eventId":12,"attemptNumber":1}]"#.utf8)
        let pointer = ID(jsonPointer: "/*/eventId")
        #expect(WebhookDedupe.key(connection: "hs", deliveryID: pointer, headers: [:], body: batch) == "id:11,12")
        #expect(WebhookDedupe.key(connection: "hs", deliveryID: pointer, headers: [:], body: retry) == "id:11,12", "a retry is the same delivery")
        #expect(WebhookDedupe.key(connection: "x", deliveryID: ID(header: "X-Request-Id"), headers: ["x-request-id": "r-1"], body: batch) == "id:r-1")
        let hashed = WebhookDedupe.key(connection: "hs", deliveryID: nil, headers: [:], body: batch)
        #expect(hashed.hasPrefix("sha256:") && hashed.count == 7 + 64)
        #expect(hashed != WebhookDedupe.key(connection: "hs", deliveryID: nil, headers: [:], body: retry))
        #expect(hashed != WebhookDedupe.key(connection: "other", deliveryID: nil, headers: [:], body: batch))
        #expect(WebhookDedupe.key(connection: "hs", deliveryID: ID(jsonPointer: "/nothing"), headers: [:], body: batch) == hashed,
                "a pointer that finds nothing falls back to the hash")
    }

    static func hmac(_ message: String, _ secret: String) -> Data {
        WebhookTestSigning.hmac(Data(message.utf8), secret: secret)
    }

    static func hmacHex(_ message: String, _ secret: String) -> String {
        hmac(message, secret).map { String(format: "%02x", $0) }.joined()
    }
}

/// Signing as the tests' independent reference (swift-crypto directly, not the host's verifier).
enum WebhookTestSigning {
    static func hmac(_ message: Data, secret: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8))))
    }
}
