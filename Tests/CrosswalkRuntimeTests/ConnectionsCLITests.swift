import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `crosswalk sandbox`, `vault init`, `connections add|list|test|remove` and `connect`, run as
/// separate processes exactly as an operator would.
@Suite struct ConnectionsCLITests {
    /// A config with a vault key file and connections to the sandbox's HubSpot and Salesforce.
    func deployment(_ ready: [String: Any], redirectPort: Int) throws -> (config: String, dir: URL) {
        let apps = ready["apps"] as! [String: String]
        let dir = try TestFiles.temporaryFolder("cli-connections")
        let yaml = """
            version: 1
            plugins:
              enabled: [dev.crosswalk.httpprobe]
            store:
              sqlite: ./crosswalk.db
            vault:
              key_file: ./vault.key
            connections:
              hubspot:
                connector: dev.crosswalk.httpprobe
                settings: { base_url: "\(apps["hubspot"]!)", check_path: "/crm/v3/objects/contacts?limit=1" }
              sf:
                connector: dev.crosswalk.httpprobe
                settings: { base_url: "\(apps["salesforce"]!)", check_path: "/services/data/v60.0/limits" }
            """
        try Data(yaml.utf8).write(to: dir.appendingPathComponent("crosswalk.yaml"))
        return (dir.appendingPathComponent("crosswalk.yaml").path, dir)
    }

    @Test func operatorStoresTestsListsAndRemovesCredentials() async throws {
        let sandbox = try CrosswalkProcess.Background(["sandbox", "--port", "0", "--seed", "3", "--no-tls"])
        defer { sandbox.terminate() }
        let ready = try JSONSerialization.jsonObject(with: Data(try await sandbox.line(containing: "\"ready\":true").utf8)) as! [String: Any]
        let (config, _) = try deployment(ready, redirectPort: 0)
        let token = HubSpotDemoCredentials.privateAppToken

        #expect(try CrosswalkProcess.run(["vault", "init", "--config", config]).status == 0)
        let missing = try CrosswalkProcess.run(["connections", "test", "hubspot", "--config", config])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("GET /crm/v3/objects/contacts?limit=1 answered HTTP 401"))

        let bad = try CrosswalkProcess.run(["connections", "add", "hubspot", "--config", config], stdin: #"{"scheme":"api_key","parameters":{"key":"\#(token)"}}"#)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("the credentials JSON is not valid: parameters.headerName is missing"))
        #expect(!bad.stderr.contains(token))

        let add = try CrosswalkProcess.run(["connections", "add", "hubspot", "--config", config],
                                           stdin: #"{"scheme":"api_key","parameters":{"headerName":"Authorization","scheme":"Bearer","key":"\#(token)"}}"#)
        #expect(add.status == 0, "\(add.stderr)")
        let list = try CrosswalkProcess.run(["connections", "list", "--config", config])
        #expect(list.stdout.contains("hubspot"))
        #expect(list.stdout.split(separator: "\n").first { $0.hasPrefix("hubspot") }?.contains("api_key") == true)
        #expect(list.stdout.split(separator: "\n").first { $0.hasPrefix("sf") }?.contains("missing") == true)
        #expect(!list.stdout.contains(token))

        let test = try CrosswalkProcess.run(["connections", "test", "hubspot", "--config", config])
        #expect(test.status == 0)
        #expect(test.stdout.contains("hubspot: OK"))
        #expect(!(test.stdout + test.stderr).contains(token))

        #expect(try CrosswalkProcess.run(["connections", "remove", "hubspot", "--config", config]).status == 0)
        #expect(try CrosswalkProcess.run(["connections", "list", "--config", config]).stdout
            .split(separator: "\n").first { $0.hasPrefix("hubspot") }?.contains("missing") == true)
    }

    @Test func connectRunsTheAuthorizationCodeFlowWithALocalRedirectListener() async throws {
        let sandbox = try CrosswalkProcess.Background(["sandbox", "--port", "0", "--seed", "3", "--no-tls"])
        defer { sandbox.terminate() }
        let ready = try JSONSerialization.jsonObject(with: Data(try await sandbox.line(containing: "\"ready\":true").utf8)) as! [String: Any]
        let sfURL = (ready["apps"] as! [String: String])["salesforce"]!
        let port = try FreePort.find()
        let (config, _) = try deployment(ready, redirectPort: port)
        let sf = SalesforceApp.demoCredentials.dictionary
        #expect(try CrosswalkProcess.run(["vault", "init", "--config", config]).status == 0)
        let registration = """
            {"scheme":"oauth2","parameters":{"flow":"authorizationCode","clientID":"\(sf["client_id"]!)","clientSecret":"\(sf["client_secret"]!)",
             "clientAuthentication":"requestBody","tokenURL":"\(sfURL)/services/oauth2/token","authorizationURL":"\(sfURL)/services/oauth2/authorize",
             "redirectURI":"http://127.0.0.1:\(port)/callback","scopes":["api","refresh_token"]}}
            """
        #expect(try CrosswalkProcess.run(["connections", "add", "sf", "--config", config], stdin: registration).status == 0)

        let connect = try CrosswalkProcess.Background(["connect", "sf", "--config", config])
        let authorizeURL = try await connect.line(containing: "/services/oauth2/authorize").trimmingCharacters(in: .whitespaces)
        #expect(authorizeURL.contains("code_challenge_method=S256"))
        _ = try await connect.line(containing: "Waiting for the redirect")
        // The "browser": the sandbox approves at once and redirects to the listener, which we follow.
        let approval = try await TestHTTP.send("GET", URL(string: authorizeURL)!, followRedirects: false)
        #expect(approval.status == 302)
        let landing = try await TestHTTP.send("GET", URL(string: approval.headers["location"]!)!)
        #expect(landing.text.contains("You can close this window"))
        _ = try await connect.line(containing: "sf: connected")
        #expect(try await connect.wait() == 0)

        let test = try CrosswalkProcess.run(["connections", "test", "sf", "--config", config])
        #expect(test.stdout.contains("sf: OK"), "\(test.stdout) \(test.stderr)")
    }
}

/// A free loopback TCP port.
enum FreePort {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw TestKitError(description: "bind failed") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
