import CrosswalkConfig
import CrosswalkCore
import CrosswalkRuntime
import Testing

/// Credentials go only to the connection's origin, checked on the URL as libcurl parses it.
@Suite struct OriginPolicyTests {
    let policy = OriginPolicy(connection: ConnectionConfig(name: "c", connector: "x.y", settings: [
        "base_url": "https://api.example.com/ma/", "allowed_origins": ["https://files.example.com:8443"],
    ]))

    func refused(_ url: String, instanceURL: String? = nil, credentialed: Bool = true, in policy: OriginPolicy? = nil) -> String? {
        do {
            _ = try (policy ?? self.policy).resolve(url, instanceURL: instanceURL, credentialed: credentialed)
            return nil
        } catch let e as CrosswalkError {
            return e.message
        } catch { return "\(error)" }
    }

    @Test func pathsResolveAgainstBaseURLKeepingItsPath() throws {
        #expect(try policy.resolve("/api/contacts?limit=1", credentialed: true) == "https://api.example.com/ma/api/contacts?limit=1")
        #expect(try policy.resolve("api/contacts", credentialed: true) == "https://api.example.com/ma/api/contacts")
        // A "//host" path stays a path: it cannot become a network-path reference to another host.
        #expect(try policy.resolve("//evil.example/x", credentialed: true) == "https://api.example.com/ma//evil.example/x")
        // Dot segments are removed as libcurl removes them; they cannot leave the origin.
        #expect(try policy.resolve("/../../admin", credentialed: true) == "https://api.example.com/admin")
    }

    @Test func spellingsOfTheSameOriginAreAccepted() throws {
        for url in ["HTTPS://API.Example.COM/x", "https://api.example.com:443/x", "https://api.ex%61mple.com/x", "https://api.example.com:0443/x",
                    "https://files.example.com:8443/f", "https://api.example.com/a/../b"] {
            #expect(refused(url) == nil, "\(url)")
        }
        // What is sent is libcurl's own form of the URL.
        #expect(try policy.resolve("https://api.ex%61mple.com:0443/x", credentialed: true) == "https://api.example.com:443/x")
    }

    @Test func otherOriginsAndTricksAreRefused() {
        let cases: [(String, String)] = [
            ("https://evil.example/x", "which is neither this connection's base_url"),
            ("http://api.example.com/x", "which is neither"),                       // another scheme is another origin
            ("https://api.example.com:444/x", "which is neither"),                  // another port
            ("https://api.example.com@evil.example/", "user info"),                 // the host is evil.example
            ("https://user:pass@api.example.com/", "user info"),
            ("https://evil.example%2f@api.example.com/", "user info"),
            ("https://evil.example\\@api.example.com/", "user info"),
            ("https://api.example.com./x", "which is neither"),                     // a trailing dot is another name
            ("https://api.example.com.evil.example/x", "which is neither"),
            ("https://files.example.com/f", "which is neither"),                    // allowed only on its port 8443
            ("ftp://api.example.com/x", "only http and https"),
            ("file:///etc/passwd", "only http and https"),
            ("https://exa mple.com/", "not a URL libcurl accepts"),
        ]
        for (url, reason) in cases {
            let message = refused(url)
            #expect(message?.contains(reason) == true, "\(url): \(message ?? "accepted")")
        }
    }

    @Test func plainHTTPCarriesCredentialsOnlyOnLoopback() throws {
        func policy(_ base: String) -> OriginPolicy { OriginPolicy(connection: ConnectionConfig(name: "c", connector: "x.y", settings: ["base_url": .string(base)])) }
        for base in ["http://127.0.0.1:8404", "http://127.1:8404", "http://2130706433:8404", "http://0x7f.0.0.1:8404", "http://127.200.3.4:8404",
                     "http://localhost:8404", "http://LOCALHOST:8404", "http://[::1]:8404", "http://[0:0:0:0:0:0:0:1]:8404"] {
            #expect(refused("/api", in: policy(base)) == nil, "\(base)")
        }
        for base in ["http://203.0.113.5", "http://api.example.com", "http://128.0.0.1", "http://[::ffff:127.0.0.1]", "http://localhost.",
                     "http://127.0.0.1.example.com", "http://[::2]"] {
            #expect(refused("/api", in: policy(base))?.contains("plain http to") == true, "\(base)")
            // Without credentials the same request may go.
            #expect(refused("/api", credentialed: false, in: policy(base)) == nil, "\(base)")
        }
    }

    @Test func pathsFollowTheTokensInstanceURL() throws {
        let login = OriginPolicy(connection: ConnectionConfig(name: "sf", connector: "com.salesforce", settings: ["base_url": "https://login.salesforce.com"]))
        #expect(try login.resolve("/services/data/v60.0/limits", instanceURL: "https://na1.my.salesforce.com", credentialed: true)
            == "https://na1.my.salesforce.com/services/data/v60.0/limits")
        // Absolute URLs on the instance are the connection's too; the login host stays allowed.
        #expect(refused("https://na1.my.salesforce.com/x", instanceURL: "https://na1.my.salesforce.com", in: login) == nil)
        #expect(refused("https://login.salesforce.com/x", instanceURL: "https://na1.my.salesforce.com", in: login) == nil)
        #expect(refused("https://na2.my.salesforce.com/x", instanceURL: "https://na1.my.salesforce.com", in: login)?.contains("which is neither") == true)
    }

    @Test func aPathWithoutBaseURLIsRefused() {
        let bare = OriginPolicy(connection: ConnectionConfig(name: "c", connector: "x.y"))
        #expect(refused("/x", in: bare)?.contains("has no base_url setting") == true)
    }
}
