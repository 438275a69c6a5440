import ArgumentParser
import CrosswalkPlugins

/// `crosswalk plugin-worker`: started by the host (never by a user) to probe plugin files or to
/// run one plugin's instances out of the host's process. Arguments only; the work is
/// `PluginWorker` in CrosswalkPlugins.
struct PluginWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin-worker",
        abstract: "Run plugin code for the host (internal).",
        shouldDisplay: false)

    @Flag(help: "Probe each PATH: call its entry and print its descriptor and manifest as JSON lines.")
    var probe = false

    @Option(help: "Serve the plugin at this path over the socket on standard input.")
    var serve: String?

    @Option(help: "The largest result a plugin may hand back, in bytes.")
    var maxResultBytes: Int = 64 << 20

    @Option(help: "The host's process id: the worker exits when it is gone.")
    var parent: Int32?

    @Argument(help: "Plugin files to probe.")
    var paths: [String] = []

    func validate() throws {
        guard probe != (serve != nil) else { throw ValidationError("give exactly one of --probe PATH… or --serve PATH") }
    }

    func run() throws {
        let status = serve.map { PluginWorker.serve(path: $0, maxResultBytes: maxResultBytes, parent: parent) }
            ?? PluginWorker.probe(paths: paths)
        throw ExitCode(status)
    }
}
