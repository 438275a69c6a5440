import CrosswalkCore
import Foundation

/// Builds C plugins with `cc -shared -fPIC`, as sdk/README.md tells connector authors.
public enum CCompiler {
    /// Compiles `sources` (paths relative to the repository root, or absolute) into `output`.
    /// - Throws: `.internalError` with the compiler's messages.
    @discardableResult
    public static func sharedObject(_ sources: [String], to output: URL, defines: [String] = [], libraries: [String] = []) throws -> URL {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let paths = sources.map { $0.hasPrefix("/") ? $0 : TestFiles.repoRoot.appendingPathComponent($0).path }
        process.arguments = ["cc", "-shared", "-fPIC", "-fvisibility=hidden", "-I", TestFiles.repoRoot.appendingPathComponent("sdk/include").path]
            + defines.map { "-D\($0)" } + paths + libraries.map { "-l\($0)" } + ["-o", output.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CrosswalkError(.internalError, "cc failed for \(sources.joined(separator: " ")): \(text)")
        }
        return output
    }

    /// The C example connector (`sdk/examples/c-connector`), built with cJSON into `folder`.
    public static func exampleConnector(in folder: URL) throws -> URL {
        try sharedObject(["sdk/examples/c-connector/example_connector.c"], to: folder.appendingPathComponent("libexample-aritic.so"),
                         libraries: ["cjson"])
    }
}
