import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// A deployment as a connector author sets one up: `crosswalk sandbox` in the background, the C
/// example built with `cc` in a plugin folder, a config with an Aritic connection, a vault key,
/// the sandbox's basic-auth credentials stored with `connections add`.
struct AuthorDeployment: Sendable {
    let sandbox: CrosswalkProcess.Background
    let aritic: String
    let dir: URL
    let config: String
    let plugin: URL

    static func start(extraConnections: String = "", extraEnabled: [String] = []) async throws -> AuthorDeployment {
        let sandbox = try CrosswalkProcess.Background(["sandbox", "--port", "0", "--seed", "3", "--no-tls"])
        let ready = try JSONSerialization.jsonObject(with: Data(try await sandbox.line(containing: "\"ready\":true").utf8)) as! [String: Any]
        let aritic = (ready["apps"] as! [String: String])["aritic"]!
        let dir = try TestFiles.temporaryFolder("author")
        let plugins = dir.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        let plugin = try CCompiler.exampleConnector(in: plugins)
        let yaml = """
            version: 1
            plugins:
              paths: [./plugins]
              enabled: [\((["dev.crosswalk.example.c"] + extraEnabled).joined(separator: ", "))]
            store:
              sqlite: ./crosswalk.db
            vault:
              key_file: ./vault.key
            connections:
              aritic:
                connector: dev.crosswalk.example.c
                settings:
                  base_url: "\(aritic)"
                  page_size: 5
            \(extraConnections)
            """
        let config = dir.appendingPathComponent("crosswalk.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: config))
        let d = AuthorDeployment(sandbox: sandbox, aritic: aritic, dir: dir, config: config, plugin: plugin)
        #expect(try d.run(["vault", "init"]).status == 0)
        let a = AriticApp.demoCredentials.dictionary
        let add = try d.run(["connections", "add", "aritic"], stdin: #"{"scheme":"basic","parameters":{"username":"\#(a["username"]!)","password":"\#(a["password"]!)"}}"#)
        #expect(add.status == 0, "\(add.stderr)")
        return d
    }

    func run(_ arguments: [String], stdin: String? = nil) throws -> CrosswalkProcess.Run {
        try CrosswalkProcess.run(arguments + ["--config", config], stdin: stdin)
    }

    /// The JSON objects of standard output, one per line.
    static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// The cursor `crosswalk read` printed on standard error.
    static func cursor(_ stderr: String) throws -> String {
        let line = try #require(stderr.split(separator: "\n").last { $0.contains("next cursor: ") })
        return String(line[line.range(of: "next cursor: ")!.upperBound...])
    }

    /// Contacts the sandbox holds, asked directly.
    func contactCount() async throws -> Int {
        let a = AriticApp.demoCredentials.dictionary
        let auth = "Basic " + Data("\(a["username"]!):\(a["password"]!)".utf8).base64EncodedString()
        let r = try await TestHTTP.send("GET", URL(string: aritic + "/api/contacts?limit=1")!, headers: ["Authorization": auth])
        return Int(r.object["total"] as? String ?? "") ?? -1
    }
}

/// `discover`, `read` and `write` through the built binary, the C example and the real host.
@Suite(.serialized) struct RecordCommandsCLITests {
    @Test func discoverListsTheContactFields() async throws {
        let d = try await AuthorDeployment.start()
        defer { d.sandbox.terminate() }
        let table = try d.run(["discover", "aritic"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.hasPrefix("Contact (Contact): read, create, update, upsert, delete"))
        #expect(table.stdout.split(separator: "\n").contains { $0.hasPrefix("  email") && $0.contains("email") && $0.contains("unique") })
        let json = try d.run(["discover", "aritic", "Contact", "--json"])
        let objects = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["objects"] as? [[String: Any]])
        let fields = try #require(objects.first?["fields"] as? [[String: Any]])
        #expect(fields.first { $0["name"] as? String == "mobile" }?["type"] as? String == "phone")
        let missing = try d.run(["discover", "aritic", "Invoice"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("aritic: no object Invoice; the connector offers: Contact"))
    }

    @Test func readFollowsPagesAndResumesFromItsCursor() async throws {
        let d = try await AuthorDeployment.start()
        defer { d.sandbox.terminate() }
        let total = try await d.contactCount()
        let one = try d.run(["read", "aritic", "Contact", "--limit", "2"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(try AuthorDeployment.lines(one.stdout).count == 2)
        #expect(one.stderr.contains("more to read"))

        let all = try d.run(["read", "aritic", "Contact", "--all", "--limit", "4"])
        #expect(all.status == 0, "\(all.stderr)")
        let records = try AuthorDeployment.lines(all.stdout)
        #expect(records.count == total)
        #expect(Set(records.compactMap { $0["id"] as? String }).count == total)
        #expect(records.allSatisfy { $0["object"] as? String == "Contact" && ($0["fields"] as? [String: Any])?["email"] != nil })
        #expect(all.stderr.contains("caught up"))
        let cursor = try AuthorDeployment.cursor(all.stderr)

        // Caught up: nothing new until something changes.
        let again = try d.run(["read", "aritic", "Contact", "--all", "--cursor", cursor])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.isEmpty)

        // By ids, with the ids that do not exist.
        let ids = records.prefix(2).compactMap { $0["id"] as? String }
        let byIDs = try d.run(["read", "aritic", "Contact", "--ids", (ids + ["999999"]).joined(separator: ",")])
        #expect(Set(try AuthorDeployment.lines(byIDs.stdout).compactMap { $0["id"] as? String }) == Set(ids))
        #expect(byIDs.stderr.contains("missing: 999999"))

        let bad = try d.run(["read", "aritic", "Contact", "--cursor", "{not json"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--cursor is not JSON"))
    }

    @Test func writeReportsEachRecordAndIncrementalReadsSeeTheChanges() async throws {
        let d = try await AuthorDeployment.start()
        defer { d.sandbox.terminate() }
        let start = try d.run(["read", "aritic", "Contact", "--now"])
        #expect(start.status == 0, "\(start.stderr)")
        #expect(start.stdout.isEmpty)
        let head = try AuthorDeployment.cursor(start.stderr)

        let input = """
            {"ref":"a","fields":{"email":"ada@example.com","firstname":"Ada","lastname":"Lovelace \\"the first\\""}}
            {"ref":"b","fields":{"email":"not-an-email","firstname":"Bad"}}

            {"fields":{"email":"grace@example.com","firstname":"Grace"}}
            """
        let write = try d.run(["write", "aritic", "Contact", "--operation", "create"], stdin: input)
        #expect(write.status == 1, "a failed record makes the exit status non-zero")
        let results = try AuthorDeployment.lines(write.stdout)
        #expect(results.map { $0["ref"] as? String } == ["a", "b", "line-4"])
        #expect(results[0]["outcome"] as? String == "created")
        #expect(results[1]["ok"] as? Bool == false)
        let error = try #require(results[1]["error"] as? [String: Any])
        #expect(error["code"] as? String == "conflict")
        #expect(error["fields"] as? [String] == ["email"])
        #expect((error["message"] as? String)?.contains("email: A valid email is required.") == true)
        #expect(write.stderr.contains("wrote 3 records in 1 batches: 2 created, 1 failed"))
        let ada = try #require(results[0]["id"] as? String)

        // The creates are read from the head cursor, escaped as the app stored them.
        let created = try d.run(["read", "aritic", "Contact", "--all", "--cursor", head])
        let after = try AuthorDeployment.lines(created.stdout)
        #expect(after.compactMap { $0["id"] as? String }.sorted() == [ada, results[2]["id"] as! String].sorted())
        #expect((after.first { $0["id"] as? String == ada }?["fields"] as? [String: Any])?["lastname"] as? String == "Lovelace \"the first\"")
        let caughtUp = try AuthorDeployment.cursor(created.stderr)

        // An update shows up from the caught-up cursor once the second it happened in has passed (the read's upper bound).
        let update = try d.run(["write", "aritic", "Contact", "--operation", "update"], stdin: #"{"ref":"u","id":"\#(ada)","fields":{"firstname":"Augusta"}}"#)
        #expect(update.status == 0, "\(update.stdout) \(update.stderr)")
        #expect(try AuthorDeployment.lines(update.stdout).first?["outcome"] as? String == "updated")
        try await eventually("the update is read from the caught-up cursor", within: 10) {
            let read = try d.run(["read", "aritic", "Contact", "--all", "--cursor", caughtUp])
            let ids = try AuthorDeployment.lines(read.stdout).compactMap { $0["id"] as? String }
            return ids == [ada]
        }

        // Upsert on email updates the same contact; delete removes it.
        let upsert = try d.run(["write", "aritic", "Contact", "--operation", "upsert", "--match-key", "email"],
                               stdin: #"{"ref":"x","fields":{"email":"ada@example.com","lastname":"Byron"}}"#)
        #expect(try AuthorDeployment.lines(upsert.stdout).first?["id"] as? String == ada)
        let delete = try d.run(["write", "aritic", "Contact", "--operation", "delete"], stdin: #"{"ref":"d","id":"\#(ada)"}"#)
        #expect(try AuthorDeployment.lines(delete.stdout).first?["outcome"] as? String == "deleted")
        let gone = try d.run(["read", "aritic", "Contact", "--ids", ada])
        #expect(gone.stderr.contains("missing: \(ada)"))

        let wrongKey = try d.run(["write", "aritic", "Contact", "--operation", "upsert", "--match-key", "crm_id"], stdin: #"{"fields":{}}"#)
        #expect(wrongKey.status == 1)
        #expect(wrongKey.stderr.contains("an upsert matches on email only"))
        let badLine = try d.run(["write", "aritic", "Contact", "--operation", "create"], stdin: "{\"fields\":{}}\n[1,2]\n")
        #expect(badLine.status == 2)
        #expect(badLine.stderr.contains("line 2: expected a JSON object"))
    }
}
