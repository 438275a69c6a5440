import CrosswalkAuth
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// `crosswalk plugins check` on the built libCrosswalkNetSuite.so, through the built `crosswalk` against
/// `crosswalk sandbox` (both processes), with token-based auth stored by `crosswalk connections add`.
@Suite("NetSuite connector: crosswalk plugins check", .serialized)
struct NetSuitePluginsCheckTests {
    typealias NS = NetSuiteDemoCredentials

    @Test func everyConformanceRulePassesAgainstTheSandbox() async throws {
        let sandbox = try CrosswalkProcess.Background(["sandbox", "--port", "0", "--seed", "3", "--no-tls"])
        defer { sandbox.terminate() }
        let ready = try JSONSerialization.jsonObject(with: Data(try await sandbox.line(containing: "\"ready\":true").utf8)) as? [String: Any]
        let netsuite = try #require((ready?["apps"] as? [String: String])?["netsuite"])
        let dir = try TestFiles.temporaryFolder("netsuite-plugins-check")
        let config = dir.appendingPathComponent("crosswalk.yaml").path
        try Data("""
            version: 1
            plugins:
              enabled: [com.netsuite]
            store:
              sqlite: \(dir.appendingPathComponent("crosswalk.db").path)
            vault:
              key_file: \(dir.appendingPathComponent("vault.key").path)
            connections:
              netsuite:
                connector: com.netsuite
                settings:
                  base_url: "\(netsuite)"
                  account_id: "\(NS.accountId)"
            """.utf8).write(to: URL(fileURLWithPath: config))
        func crosswalk(_ arguments: [String], stdin: String? = nil) throws -> CrosswalkProcess.Run {
            try CrosswalkProcess.run(arguments + ["--config", config], stdin: stdin)
        }
        #expect(try crosswalk(["vault", "init"]).status == 0)
        let credentials = Credentials.netsuiteTBA(NetSuiteTBACredentials(accountID: NS.accountId, consumerKey: NS.consumerKey, consumerSecret: NS.consumerSecret,
                                                                        tokenID: NS.tokenId, tokenSecret: NS.tokenSecret))
        let add = try crosswalk(["connections", "add", "netsuite"], stdin: String(decoding: try JSONEncoder().encode(credentials), as: UTF8.self))
        #expect(add.status == 0, "\(add.stderr)")

        let plugin = TestFiles.builtPlugin("CrosswalkNetSuite")
        let run = try crosswalk(["plugins", "check", plugin, "--connection", "netsuite", "--write-object", "contact", "--limit", "2"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let verdicts = Dictionary(run.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard parts.count >= 2, ["PASS", "FAIL", "SKIP"].contains(String(parts[0])) else { return nil }
            return (String(parts[1].dropLast()), String(parts[0]))
        }, uniquingKeysWith: { a, _ in a })
        for rule in ["descriptor", "manifest", "manifest.objects", "manifest.capabilities", "manifest.read", "manifest.settings", "create", "check",
                     "discover", "discover.objects", "discover.types", "read.full", "read.limit", "read.next_cursor", "read.object", "read.ids",
                     "read.modified_at", "read.incremental", "read.start_now", "read.by_ids", "write.refs", "write.results", "write.readback"] {
            #expect(verdicts[rule] == "PASS", "\(rule): \(verdicts[rule] ?? "absent")\n\(run.stdout)")
        }
        #expect(run.stdout.contains("PASS  check: Connected to NetSuite account 1234567_SB1"))
        #expect(run.stdout.contains(" PASS, 0 FAIL, 0 SKIP"), "\(run.stdout)")
        #expect(!run.stdout.contains(NS.tokenSecret) && !run.stderr.contains(NS.tokenSecret), "no secret in the output")
    }
}
