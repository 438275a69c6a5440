import CrosswalkCore
import Foundation

/// Drives the `crosswalk-store-crash-child` executable, built beside the test binary.
enum CrashChild {
    /// Starts the child on `database`, and once it says it begins batch `killAt`, kills it with
    /// SIGKILL after some writes to the write-ahead log, so the kill lands while a batch is being
    /// committed (a batch writes dozens of pages). Returns the last batch the child reported
    /// committed. Gives up after 60 s.
    ///
    /// Blocks its thread: call it through `onOwnThread`.
    /// On PostgreSQL (`database` a URL, `password` its password) the kill follows the "begin" line
    /// at once: a batch is hundreds of statements in one transaction, so it lands inside it.
    static func commitUntilKilled(database: String, password: String? = nil, perBatch: Int, killAt: Int) throws -> Int {
        let isPostgres = database.hasPrefix("postgres://")
        let walWrites = isPostgres ? nil : try FileModificationWatcher(folder: URL(fileURLWithPath: database).deletingLastPathComponent().path)
        let process = Process()
        process.executableURL = try executable()
        process.arguments = [database, String(perBatch)]
        if let password {
            var environment = ProcessInfo.processInfo.environment
            environment["CROSSWALK_STORE_PASSWORD"] = password
            process.environment = environment
        }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }

        var lines = LineReader(fileDescriptor: output.fileHandleForReading.fileDescriptor)
        var committed = -1
        func read(_ line: String) {
            if line.hasPrefix("committed "), let batch = Int(line.dropFirst("committed ".count)) { committed = batch }
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            guard let line = try lines.next(deadline: deadline) else {
                process.waitUntilExit()
                let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                throw CrosswalkError(.internalError, "the crash child ended before it was killed: \(stderr)")
            }
            read(line)
            if line == "begin \(killAt)" { break }
        }
        try walWrites?.discardPending()
        try walWrites?.waitForWrites(to: URL(fileURLWithPath: database).lastPathComponent + "-wal", times: 10, deadline: deadline)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        guard process.terminationReason == .uncaughtSignal, process.terminationStatus == SIGKILL else {
            throw CrosswalkError(.internalError, "the crash child was expected to die of SIGKILL but ended with status \(process.terminationStatus)")
        }
        while let line = try lines.next(deadline: deadline) { read(line) }
        return committed
    }

    /// The child executable: beside the test binary, or a few folders up when the test binary
    /// sits inside a bundle.
    private static func executable() throws -> URL {
        var folder = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("crosswalk-store-crash-child")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        throw CrosswalkError(.notFound, "crosswalk-store-crash-child was not found near the test binary; build the package's products first")
    }
}
