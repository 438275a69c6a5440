import CrosswalkCore
import Foundation

/// The built `crosswalk` executable, run as a user runs it.
public enum CrosswalkProcess {
    public struct Run: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    static var executable: URL { TestFiles.binFolder.appendingPathComponent("crosswalk") }

    /// Runs `crosswalk arguments…` (or another built `tool` of the bin folder, or the program at an absolute
    /// path) to completion, feeding `stdin`.
    public static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], tool: String = "crosswalk") throws -> Run {
        let process = Process()
        process.executableURL = tool.hasPrefix("/") ? URL(fileURLWithPath: tool) : TestFiles.binFolder.appendingPathComponent(tool)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently so a full stderr pipe cannot block the child.
        let errors = LockedValue(Data())
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            errors.withLock { $0 = data }
            done.signal()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: errors.withLock { $0 }, as: UTF8.self))
    }

    /// ``run(_:stdin:environment:tool:)`` on a thread of its own: an async test waiting for a child this way
    /// holds none of the cooperative pool's threads (two on this machine), which other tests' servers need.
    public static func runDetached(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                                   tool: String = "crosswalk") async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try run(arguments, stdin: stdin, environment: environment, tool: tool) })
            }
        }
    }

    /// A `crosswalk` running in the background whose standard output is read line by line.
    public final class Background: Sendable {
        let process: Process
        private let lines: AsyncStream<String>.Iterator.Box

        /// Starts `crosswalk arguments…`.
        public init(_ arguments: [String], environment: [String: String] = [:]) throws {
            let process = Process()
            process.executableURL = CrosswalkProcess.executable
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            let (stream, continuation) = AsyncStream.makeStream(of: String.self)
            let handle = out.fileHandleForReading
            let pump = Thread {
                var buffer = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    buffer.append(chunk)
                    while let newline = buffer.firstIndex(of: 0x0A) {
                        continuation.yield(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                        buffer.removeSubrange(buffer.startIndex...newline)
                    }
                }
                continuation.finish()
            }
            try process.run()
            pump.start()
            self.process = process
            lines = .init(stream.makeAsyncIterator())
        }

        /// The first output line containing `text`, waiting at most `seconds`.
        public func line(containing text: String, within seconds: Double = 20) async throws -> String {
            let lines = self.lines
            return try await withTimeout(seconds) {
                while let line = await lines.next() {
                    if line.contains(text) { return line }
                }
                throw TestKitError(description: "crosswalk exited without printing \(text)")
            }
        }

        /// Every output line not read yet, until the process closes its output (at most `seconds`).
        public func remainingLines(within seconds: Double = 20) async throws -> [String] {
            let lines = self.lines
            return try await withTimeout(seconds) {
                var rest: [String] = []
                while let line = await lines.next() { rest.append(line) }
                return rest
            }
        }

        /// Waits for the process to exit and returns its status.
        public func wait(within seconds: Double = 20) async throws -> Int32 {
            let process = self.process
            return try await withTimeout(seconds) {
                await withCheckedContinuation { c in
                    DispatchQueue.global().async {
                        process.waitUntilExit()
                        c.resume(returning: process.terminationStatus)
                    }
                }
            }
        }

        /// Stops the process (SIGTERM) and waits for it.
        public func stop() async {
            terminate()
            _ = try? await wait()
        }

        /// SIGKILL (no chance to clean up) and waits; false when it had already ended.
        @discardableResult
        public func kill() -> Bool {
            guard process.isRunning else { return false }
            _ = Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return process.terminationReason == .uncaughtSignal
        }

        /// Sends `number` (SIGHUP…) if it still runs.
        public func signal(_ number: Int32) {
            if process.isRunning { _ = Foundation.kill(process.processIdentifier, number) }
        }

        /// Sends SIGTERM if it still runs; for `defer`, where nothing can be awaited.
        public func terminate() {
            if process.isRunning { process.terminate() }
        }

        deinit { terminate() }
    }
}

extension AsyncStream.Iterator {
    /// A shared, lock-guarded iterator (an `AsyncStream` iterator is a value type with state).
    final class Box: @unchecked Sendable {
        private var iterator: AsyncStream.Iterator
        private let lock = NSLock()
        init(_ iterator: AsyncStream.Iterator) { self.iterator = iterator }
        func next() async -> Element? {
            // Only one test task reads a process's output at a time.
            var copy = lock.withLock { iterator }
            let value = await copy.next()
            lock.withLock { iterator = copy }
            return value
        }
    }
}
