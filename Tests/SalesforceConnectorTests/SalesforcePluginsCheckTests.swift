import CrosswalkTestKit
import Foundation
import Testing

/// `crosswalk plugins check` on the built `libCrosswalkSalesforce.so`, as a connector author runs it:
/// the built binary, `crosswalk sandbox` in the background, a config with a Salesforce connection whose
/// client-credentials OAuth is stored with `connections add`, the plugin in a worker process.
@Suite("Salesforce connector: crosswalk plugins check")
struct SalesforcePluginsCheckTests {
    @Test("every conformance rule passes against the sandbox's Salesforce: manifest, check, discover, reads, by ids, a write read back")
    func pluginsCheckPasses() async throws {
        let sandbox = try CrosswalkProcess.Background(["sandbox", "--port", "0", "--seed", "3", "--no-tls"])
        defer { sandbox.terminate() }
        let ready = try #require(try JSONSerialization.jsonObject(with: Data(try await sandbox.line(containing: "\"ready\":true").utf8)) as? [String: Any])
        let base = try #require((ready["apps"] as? [String: String])?["salesforce"])
        let demo = try #require((ready["credentials"] as? [String: Any])?["salesforce"] as? [String: String])
        let dir = try TestFiles.temporaryFolder("salesforce-plugins-check")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("crosswalk.yaml").path
        try Data("""
            version: 1
            plugins:
              enabled: [com.salesforce]
            store:
              sqlite: \(dir.appendingPathComponent("crosswalk.db").path)
            vault:
              key_file: \(dir.appendingPathComponent("vault.key").path)
            connections:
              sf:
                connector: com.salesforce
                settings:
                  base_url: "\(base)"
            """.utf8).write(to: URL(fileURLWithPath: config))
        func crosswalk(_ arguments: [String], stdin: String? = nil) throws -> CrosswalkProcess.Run {
            try CrosswalkProcess.run(arguments + ["--config", config], stdin: stdin)
        }
        #expect(try crosswalk(["vault", "init"]).status == 0)
        let credentials: [String: Any] = ["scheme": "oauth2", "parameters": [
            "flow": "clientCredentials", "clientID": demo["client_id"] ?? "", "clientSecret": demo["client_secret"] ?? "",
            "clientAuthentication": "basic", "scopes": [String](), "tokenURL": base + (demo["token_path"] ?? "/services/oauth2/token")]]
        let add = try crosswalk(["connections", "add", "sf"],
                                stdin: String(decoding: try JSONSerialization.data(withJSONObject: credentials), as: UTF8.self))
        #expect(add.status == 0, "\(add.stderr)")

        let plugin = TestFiles.builtPlugin("CrosswalkSalesforce")
        let run = try crosswalk(["plugins", "check", plugin, "--connection", "sf", "--object", "Contact", "--write-object", "Contact", "--limit", "3"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let verdicts = Dictionary(run.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard parts.count >= 2, ["PASS", "FAIL", "SKIP"].contains(String(parts[0])) else { return nil }
            return (String(parts[1].dropLast()), String(parts[0]))
        }, uniquingKeysWith: { $1 })
        for rule in ["descriptor", "manifest", "manifest.objects", "manifest.capabilities", "manifest.read", "manifest.settings", "manifest.batch_limits",
                     "create", "check", "discover", "discover.objects", "discover.types", "read.full", "read.limit", "read.next_cursor",
                     "read.object", "read.ids", "read.modified_at", "read.incremental", "read.start_now", "read.by_ids",
                     "write.refs", "write.results", "write.readback"] {
            #expect(verdicts[rule] == "PASS", "\(rule): \(verdicts[rule] ?? "absent")\n\(run.stdout)")
        }
        #expect(run.stdout.contains("PASS  check: Connected to Salesforce org "))
        #expect(run.stdout.contains("PASS  manifest.read: Account incremental by SystemModstamp+Id, exclusive"))
        #expect(run.stdout.contains(" PASS, 0 FAIL, 0 SKIP"))
        // Static rules by id from the plugin folder, without a connection.
        let byID = try crosswalk(["plugins", "check", "com.salesforce", "--plugin-path", TestFiles.binFolder.path])
        #expect(byID.status == 0, "\(byID.stdout)\n\(byID.stderr)")
        #expect(byID.stdout.contains("SKIP  operations: "))
    }
}
