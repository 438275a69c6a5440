import CrosswalkCore
import CrosswalkHTTP
import Testing

@Suite("Redaction of secrets")
struct RedactionTests {
    @Test func secretHeadersAreReplaced() {
        let headers: HTTPFields = [
            "Authorization": "Bearer abc", "Cookie": "sid=1", "X-Api-Key": "k", "X-Refresh-Token": "t", "X-Signature": "s",
            "Client-Secret": "c", "Accept": "application/json", "X-Request-Id": "r-1",
        ]
        let redacted = Redaction.headers(headers)
        for name in ["Authorization", "Cookie", "X-Api-Key", "X-Refresh-Token", "X-Signature", "Client-Secret"] {
            #expect(redacted[name] == "[redacted]", "\(name)")
        }
        #expect(redacted["Accept"] == "application/json")
        #expect(redacted["X-Request-Id"] == "r-1")
    }

    @Test func secretQueryParametersAndUserInfoAreReplaced() {
        #expect(Redaction.url("https://u:p@api.example.com/v3/contacts?hapikey=abc&limit=10&access_token=xyz#top")
            == "https://[redacted]@api.example.com/v3/contacts?hapikey=[redacted]&limit=10&access_token=[redacted]#top")
        #expect(Redaction.url("https://h/x?client%5Fsecret=1&oauth_signature=2&password=3")
            == "https://h/x?client%5Fsecret=[redacted]&oauth_signature=[redacted]&password=[redacted]")
    }

    @Test func urlsWithoutSecretsAreUnchanged() {
        for url in ["https://h/a/b?page=2&q=a%20b", "http://127.0.0.1:8080/", "https://h/path@with-at?x=1", "relative/path"] {
            #expect(Redaction.url(url) == url)
        }
    }
}
