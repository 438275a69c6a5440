import CrosswalkAuth
import CrosswalkCore
import Foundation
import Testing

// Expected signatures below were computed independently with Python 3.11 and oauthlib 3.2.2
// (`oauthlib.oauth1.Client(..., signature_method=SIGNATURE_HMAC_SHA256, realm=..., nonce=..., timestamp=...)
// .sign(url, method)`), and cross-checked with the standard library:
//   base64.b64encode(hmac.new(b"cs-9a8b7c6d&ts-5e6f7a8b", base.encode(), hashlib.sha256).digest())
// The RFC 5849 base string is copied from RFC 5849 §3.4.1.1.

@Suite("OAuth 1.0a signature maths (RFC 5849, NetSuite TBA)")
struct OAuth1SignatureTests {
    @Test("reproduces the RFC 5849 §3.4.1.1 base string exactly (query, form body, repeated names, realm left out)")
    func rfcBaseString() {
        let base = NetSuiteTBASigner.signatureBaseString(
            method: "post",
            url: "http://EXAMPLE.COM:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
            oauthParameters: [
                "realm": "Example",
                "oauth_consumer_key": "9djdj82h48djs9d2", "oauth_token": "kkk9d7dh3k39sjv7",
                "oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "137131201", "oauth_nonce": "7d8f3e4a",
                "oauth_signature": "bYT5CMsGcbgUdFHObYMEfcx6bsw=",
            ],
            formParameters: NetSuiteTBASigner.formDecode("c2&a3=2+q"))
        #expect(base == "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7")
    }

    @Test("HMAC-SHA1 over the RFC 5849 §1.2 photos request matches oauthlib")
    func photosSHA1() {
        let parameters = ["oauth_consumer_key": "dpf43f3p2l4k3l03", "oauth_token": "nnch734d00sl2jdk",
                          "oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "137131202",
                          "oauth_nonce": "chapoH", "oauth_version": "1.0"]
        let base = NetSuiteTBASigner.signatureBaseString(
            method: "GET", url: "http://photos.example.net/photos?file=vacation.jpg&size=original", oauthParameters: parameters)!
        let signature = NetSuiteTBASigner.signature(baseString: base, consumerSecret: "kd94hf93k423kf44",
                                                    tokenSecret: "pfkkdhi9sl3r4s00", method: .hmacSHA1)
        #expect(signature == "1IAE9RzK+DqSqVTdQ/0zWANXVzs=")
    }

    @Test("a signed NetSuite request carries exactly the header oauthlib computes (HMAC-SHA256, realm, encoded query)")
    func netsuiteHeader() throws {
        let credentials = NetSuiteTBACredentials(accountID: "1234567-sb1", consumerKey: "ck-4f1b2c", consumerSecret: "cs-9a8b7c6d",
                                                 tokenID: "tk-1a2b3c", tokenSecret: "ts-5e6f7a8b")
        let signer = NetSuiteTBAAuthenticator(credentials: credentials, now: { Date(timeIntervalSince1970: 1_700_000_000) },
                                              nonce: { "Xy7Qp2Lm9Rt4" })
        let url = "https://1234567-SB1.suitetalk.api.netsuite.com/services/rest/record/v1/contact?q=email%20START_WITH%20%22a%2Bb%22&limit=5"
        let header = try signer.authorizationHeader(for: HTTPRequest(method: "GET", url: url))

        #expect(header.hasPrefix(#"OAuth realm="1234567_SB1", oauth_consumer_key="ck-4f1b2c", "#))
        let fields = try #require(NetSuiteTBASigner.parseAuthorizationHeader(header))
        #expect(fields == [
            "realm": "1234567_SB1", "oauth_consumer_key": "ck-4f1b2c", "oauth_token": "tk-1a2b3c",
            "oauth_signature_method": "HMAC-SHA256", "oauth_timestamp": "1700000000", "oauth_nonce": "Xy7Qp2Lm9Rt4",
            "oauth_version": "1.0", "oauth_signature": "RlrJojZuZXtRzSBjzJVZ9YHy1f/yamVkGABQ0L55fJI=",
        ])
        #expect(header.contains(#"oauth_signature="RlrJojZuZXtRzSBjzJVZ9YHy1f%2FyamVkGABQ0L55fJI%3D""#))
        #expect(NetSuiteTBASigner.signatureBaseString(method: "GET", url: url, oauthParameters: fields)
            == "GET&https%3A%2F%2F1234567-sb1.suitetalk.api.netsuite.com%2Fservices%2Frest%2Frecord%2Fv1%2Fcontact&limit%3D5%26oauth_consumer_key%3Dck-4f1b2c%26oauth_nonce%3DXy7Qp2Lm9Rt4%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000%26oauth_token%3Dtk-1a2b3c%26oauth_version%3D1.0%26q%3Demail%2520START_WITH%2520%2522a%252Bb%2522")
    }

    @Test("a verifier rebuilding the base string from received params accepts authlib's oauth_body_hash header")
    func bodyHashFromReceivedParameters() throws {
        let received = #"OAuth realm="1234567_SB1", oauth_nonce="n0nce123", oauth_timestamp="1700000100", oauth_version="1.0", oauth_signature_method="HMAC-SHA256", oauth_consumer_key="ck-4f1b2c", oauth_token="tk-1a2b3c", oauth_body_hash="fUuwvl40uOmB0EjMQSEGifxRd9w%3D""#
        let fields = try #require(NetSuiteTBASigner.parseAuthorizationHeader(received))
        #expect(fields["oauth_body_hash"] == "fUuwvl40uOmB0EjMQSEGifxRd9w=")
        let base = try #require(NetSuiteTBASigner.signatureBaseString(
            method: "POST", url: "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/contact",
            oauthParameters: fields))
        #expect(NetSuiteTBASigner.signature(baseString: base, consumerSecret: "cs-9a8b7c6d", tokenSecret: "ts-5e6f7a8b")
            == "xUnHmErQQoh9s+m2JmJ/dRO/t6PMYkrD3CgR8dj4lMA=")
    }

    @Test("base string URI: lower-case scheme and host, default port dropped, other port kept, no query or fragment",
          arguments: [
              ("HTTP://EXAMPLE.COM:80/r%20v/X?id=123", "http://example.com/r%20v/X"),
              ("https://EXAMPLE.net:8080/?q=1#frag", "https://example.net:8080/"),
              ("https://Example.net:443", "https://example.net/"),
              ("http://user@[::1]:8080/p", "http://[::1]:8080/p"),
          ])
    func baseStringURI(input: String, expected: String) {
        #expect(NetSuiteTBASigner.baseStringURI(input) == expected)
    }

    @Test("relative or non-http URLs cannot be signed")
    func unsignableURLs() async {
        #expect(NetSuiteTBASigner.baseStringURI("/services/rest") == nil)
        #expect(NetSuiteTBASigner.baseStringURI("ftp://example.com/x") == nil)
        let signer = NetSuiteTBAAuthenticator(credentials: NetSuiteTBACredentials(
            accountID: "1", consumerKey: "k", consumerSecret: "s", tokenID: "t", tokenSecret: "u"))
        await #expect(throws: CrosswalkError.self) { try await signer.authorize(HTTPRequest(url: "/relative")) }
    }

    @Test("percent-encoding keeps only unreserved characters and encodes UTF-8 bytes in upper-case hex")
    func percentEncoding() {
        #expect(NetSuiteTBASigner.percentEncode("Ab9-._~ +/=%é") == "Ab9-._~%20%2B%2F%3D%25%C3%A9")
    }

    @Test("nonces are 24 alphanumerics and differ; timestamps are whole seconds")
    func nonceAndTimestamp() {
        let nonces = (0..<50).map { _ in NetSuiteTBASigner.makeNonce() }
        #expect(nonces.allSatisfy { $0.count == 24 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
        #expect(Set(nonces).count == nonces.count)
        #expect(NetSuiteTBASigner.timestamp(Date(timeIntervalSince1970: 1_700_000_000.9)) == "1700000000")
    }

    @Test("two requests signed by the authenticator get fresh nonces and both verify")
    func liveSigningVerifies() async throws {
        let credentials = NetSuiteTBACredentials(accountID: "7654321", consumerKey: "ck", consumerSecret: "c&s",
                                                 tokenID: "tk", tokenSecret: "t s")
        let signer = NetSuiteTBAAuthenticator(credentials: credentials)
        var nonces: Set<String> = []
        for url in ["https://7654321.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql?limit=10",
                    "https://7654321.suitetalk.api.netsuite.com/services/rest/record/v1/customer/42"] {
            let signed = try await signer.authorize(HTTPRequest(method: "PATCH", url: url))
            let header = try #require(signed.headers["Authorization"])
            let fields = try #require(NetSuiteTBASigner.parseAuthorizationHeader(header))
            #expect(fields["realm"] == "7654321")
            let base = try #require(NetSuiteTBASigner.signatureBaseString(method: "PATCH", url: url, oauthParameters: fields))
            #expect(fields["oauth_signature"] == NetSuiteTBASigner.signature(baseString: base, consumerSecret: "c&s", tokenSecret: "t s"))
            nonces.insert(try #require(fields["oauth_nonce"]))
        }
        #expect(nonces.count == 2)
    }

    @Test("form bodies are signed; JSON bodies are not")
    func formBodiesAreSigned() throws {
        let credentials = NetSuiteTBACredentials(accountID: "1", consumerKey: "k", consumerSecret: "s", tokenID: "t", tokenSecret: "u")
        let signer = NetSuiteTBAAuthenticator(credentials: credentials, now: { Date(timeIntervalSince1970: 1) }, nonce: { "abcdef" })
        let url = "https://1.suitetalk.api.netsuite.com/x"
        let form = HTTPRequest(method: "POST", url: url, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data("a=1".utf8))
        let json = HTTPRequest(method: "POST", url: url, headers: ["Content-Type": "application/json"], body: Data("a=1".utf8))
        let bare = HTTPRequest(method: "POST", url: url)
        #expect(try signer.authorizationHeader(for: form) != signer.authorizationHeader(for: bare))
        #expect(try signer.authorizationHeader(for: json) == signer.authorizationHeader(for: bare))
    }

    @Test("realm is the account id upper-cased with underscores; the host form is lower-case with dashes")
    func realmAndHost() {
        let c = NetSuiteTBACredentials(accountID: "1234567-sb1", consumerKey: "", consumerSecret: "", tokenID: "", tokenSecret: "")
        #expect(c.realm == "1234567_SB1")
        #expect(c.hostAccountID == "1234567-sb1")
    }
}
