import ArgumentParser
import CrosswalkRuntime
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a ready flow template's crosswalk.yaml (against the sandbox) into a folder.",
        discussion: "`crosswalk init --list` names the templates (the five flows of the seeds and the generic one).")
    @Option(help: "The template to write (see --list).") var template: String?
    @Option(help: "Folder for crosswalk.yaml, the credentials files, the database and vault key.") var dir = "."
    @Option(help: "The sandbox's first port (`crosswalk sandbox --port P --no-tls`).") var sandboxPort = 8400
    @Flag(help: "Replace an existing crosswalk.yaml.") var force = false
    @Flag(help: "List the templates.") var list = false

    func run() throws {
        if list {
            TemplateInit.list().forEach { Console.line($0) }
            return
        }
        guard let template else { throw ValidationError("give --template NAME, or --list for the names") }
        let result = try TemplateInit.write(template: template, into: URL(fileURLWithPath: dir).standardizedFileURL,
                                            sandboxPort: sandboxPort, overwrite: force)
        Console.line("wrote \(result.config.path)")
        for (connection, file) in result.credentials { Console.line("wrote \(file.path) (sandbox credentials of \(connection), mode 0600)") }
        Console.line("next:")
        result.nextSteps.forEach { Console.line("  " + $0) }
    }
}
