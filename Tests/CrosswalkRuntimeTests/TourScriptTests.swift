import CrosswalkTestKit
import Foundation
import Testing

/// The README's tour (`scripts/tour.sh`), run as a user runs it: the built `crosswalk`, `crosswalk
/// sandbox` in the background, one connection per app with its credentials in the vault, then
/// `discover`, `read` and `write` through each of the five connector plugins.
@Suite struct TourScriptTests {
    @Test func theTourDiscoversReadsAndWritesThroughEveryConnector() throws {
        let dir = try TestFiles.temporaryFolder("tour")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CrosswalkProcess.run(["bash", TestFiles.repoRoot.appendingPathComponent("scripts/tour.sh").path, dir.path],
                                           environment: ["CROSSWALK_BIN": TestFiles.binFolder.path], tool: "/usr/bin/env")
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("Tour OK"))
        for (connection, object) in [("salesforce", "Contact"), ("netsuite", "contact"), ("hubspot", "contacts"), ("spotio", "Lead"),
                                   ("aritic", "contacts")] {
            let section = run.stdout.components(separatedBy: "== \(connection) \(object)\n").dropFirst().first ?? ""
            #expect(section.contains("FIELD"), "\(connection): discover printed no fields")
            #expect(section.contains("read 3 records"), "\(connection): read did not return 3 records")
            #expect(section.contains("\"outcome\":\"created\""), "\(connection): the write created nothing")
        }
        // Secrets stay in the vault: none is printed.
        #expect(!run.stdout.contains("crosswalk-sandbox-demo-consumer-secret") && !run.stderr.contains("aritic-demo-password"))
        #expect(!run.stdout.contains("pat-na1-") && !run.stderr.contains("pat-na1-"), "the HubSpot private-app token was printed")
    }
}
