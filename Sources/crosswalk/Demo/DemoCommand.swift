import ArgumentParser
import CrosswalkRuntime
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Sync real records between two sandbox apps through loaded plugins, on the embedded SQLite store.",
        discussion: """
            Starts the sandbox emulators in this process, stores demo credentials in an encrypted vault, loads \
            the connector plugins, and runs every flow template (`crosswalk init --list`: the seeds' Salesforce, \
            NetSuite and SPOTIO flows, HubSpot → Aritic) twice: skipped and failed records with their reasons, \
            each write recorded in the ID map with the sync log, and a second run that writes nothing (nothing is \
            ever duplicated). Everything it writes stays in --dir.
            """)
    @Option(help: "Folder for the demo's database and vault key.") var dir = "crosswalk-demo"
    @Option(help: "Companies to generate in each sandbox app (contacts scale with it).") var seed = 25
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let demo = DemoRun(folder: URL(fileURLWithPath: dir).standardizedFileURL, seed: seed, options: options.runtimeOptions)
        guard try await demo.run(logger: options.makeLogger(), say: { Console.line($0) }) else { throw ExitCode(1) }
    }
}
