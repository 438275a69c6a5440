import CrosswalkRuntime
import CrosswalkTestKit
import Foundation
import Testing

@Suite(.serialized) struct InitCommandCLITests {
    @Test("crosswalk init --list names every template; --template writes a config and credentials files whose printed next steps run the flow against the sandbox")
    func initWritesAWorkingTemplate() async throws {
        let list = try CrosswalkProcess.run(["init", "--list"])
        #expect(list.status == 0)
        for t in FlowTemplate.all { #expect(list.stdout.contains(t.name) && list.stdout.contains(t.summary), "\(list.stdout)") }

        let port = try FreePort.find()
        let sandbox = try CrosswalkProcess.Background(["sandbox", "--port", String(port), "--seed", "10", "--no-tls"])
        defer { sandbox.terminate() }
        _ = try await sandbox.line(containing: "\"ready\":true", within: 60)
        let dir = try TestFiles.temporaryFolder("init")
        let made = try CrosswalkProcess.run(["init", "--template", "salesforce-contacts-to-netsuite", "--dir", dir.path, "--sandbox-port", String(port)])
        #expect(made.status == 0, "\(made.stderr)")
        let config = dir.appendingPathComponent("crosswalk.yaml").path
        #expect(made.stdout.contains("wrote \(config)"))
        let secret = dir.appendingPathComponent("credentials/netsuite.json").path
        #expect((try FileManager.default.attributesOfItem(atPath: secret)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try CrosswalkProcess.run(["config", "check", config]).status == 0)
        // A second init into the same folder refuses to overwrite.
        let again = try CrosswalkProcess.run(["init", "--template", "salesforce-contacts-to-netsuite", "--dir", dir.path])
        #expect(again.status != 0 && again.stderr.contains("--force"), "\(again.stderr)")

        // The printed next steps, as a user would paste them (the sandbox is already running).
        let steps = made.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("crosswalk ") && $0.contains("--config") }
        #expect(steps.count == 4, "vault init, two connections, one run: \(steps)")
        var last: CrosswalkProcess.Run?
        for step in steps {
            var words = step.split(separator: " ").map(String.init).dropFirst()
            var stdin: String?
            if let i = words.firstIndex(of: "<") {
                stdin = try String(contentsOfFile: words[i + 1], encoding: .utf8)
                words = words[..<i]
            }
            last = try CrosswalkProcess.run(Array(words), stdin: stdin)
            #expect(last?.status == 0, "\(step): \(last?.stderr ?? "")")
        }
        #expect(last?.stdout.contains("salesforce-contacts-to-netsuite: read") == true && last?.stdout.contains("created 0,") == false, "\(last?.stdout ?? "")")
    }
}
