import CrosswalkCore
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// Kills the engine with SIGKILL at random points of a 10,000-record run, 20 times, restarting it
/// each time, with real parts: the child (`crosswalk-engine-crash-child`) loads the plugins with
/// the real loader and writes through the generic HTTP connector to the Aritic emulator, which runs
/// here and so survives the child. In the end every record is in the target exactly once, counted
/// by external id.
@Suite("Engine: crash safety (kill -9)", .serialized)
struct CrashTests {
    static let kills = 20

    @Test("one-way, 10,000 records: killed 20 times, every record synced exactly once")
    func oneWay() async throws {
        try await RunningSandbox.with({ [AriticApp(environment: $0.environment(for: "aritic"))] }) { sandbox in
            let folder = try TestFiles.temporaryFolder("engine-crash")
            defer { try? FileManager.default.removeItem(at: folder) }
            let url = sandbox.urls["aritic"]!.absoluteString
            let total = 10_000
            let arguments = ["one-way", folder.path, url, String(total), "200"]
            let lives = try await Self.killRepeatedly(arguments)
            #expect(lives.killed == Self.kills)
            let final = try await EngineChild(arguments).waitForDone()
            #expect(final.hasPrefix("done"))
            let counts = try await Self.crmIDs(url)
            #expect(counts.count == total, "distinct external ids in the target")
            #expect(counts.filter { $0.value > 1 }.isEmpty, "duplicates: \(counts.filter { $0.value > 1 }.prefix(5))")
            #expect((1...total).allSatisfy { counts["gen-\($0)"] == 1 })
            // A run after the end writes nothing.
            let quiet = try await EngineChild(arguments).waitForDone()
            #expect(quiet.contains("created=0 updated=0"))
        }
    }

    @Test("two-way, 5,000 records on each side: killed 20 times, every record on both sides exactly once")
    func twoWay() async throws {
        try await RunningSandbox.with({ [AriticApp(environment: $0.environment(for: "aritic"))] }) { a in
            try await RunningSandbox.with({ [AriticApp(environment: $0.environment(for: "aritic"))] }) { b in
                let folder = try TestFiles.temporaryFolder("engine-crash-2way")
                defer { try? FileManager.default.removeItem(at: folder) }
                let (urlA, urlB) = (a.urls["aritic"]!.absoluteString, b.urls["aritic"]!.absoluteString)
                let each = 5_000
                try await Self.seed(urlA, prefix: "A", count: each)
                try await Self.seed(urlB, prefix: "B", count: each)
                let arguments = ["two-way", folder.path, urlA, urlB, "200"]
                let lives = try await Self.killRepeatedly(arguments)
                #expect(lives.killed == Self.kills)
                let final = try await EngineChild(arguments).waitForDone()
                #expect(final.hasPrefix("done"))
                let markers = Set((1...each).map { "A-\($0)" } + (1...each).map { "B-\($0)" })
                for url in [urlA, urlB] {
                    let counts = try await Self.crmIDs(url)
                    #expect(Set(counts.keys) == markers, "every marker on \(url)")
                    #expect(counts.values.allSatisfy { $0 == 1 }, "duplicates on \(url): \(counts.filter { $0.value > 1 }.prefix(5))")
                }
                let quiet = try await EngineChild(arguments).waitForDone()
                #expect(quiet.contains("created=0 updated=0"))
            }
        }
    }

    /// Starts the child again and again, killing it at a random point each time (after a random
    /// number of committed batches, then a random moment into the next), until it was killed
    /// `kills` times or finished on its own.
    static func killRepeatedly(_ arguments: [String]) async throws -> (killed: Int, finished: Bool) {
        var random = SystemRandomNumberGenerator()
        for killed in 0..<kills {
            let child = try EngineChild(arguments)
            let batches = Int.random(in: 0...3, using: &random)
            if try await child.waitForChunks(batches) == nil { return (killed, true) }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...60, using: &random)))
            guard child.kill() else { return (killed, true) }
        }
        return (kills, false)
    }

    /// Adds `count` contacts whose `crm_id` is their origin marker (`A-1`…), 200 per batch.
    static func seed(_ url: String, prefix: String, count: Int) async throws {
        for start in stride(from: 1, through: count, by: 200) {
            let batch = (start..<min(start + 200, count + 1)).map { ["firstname": "\(prefix)first\($0)", "lastname": "\(prefix)last\($0)", "crm_id": "\(prefix)-\($0)"] }
            let r = try await TestHTTP.send("POST", URL(string: url + "/api/contacts/batch/new")!, json: batch, headers: auth)
            guard r.status == 201 || r.status == 200 else { throw TestKitError(description: "seeding failed: \(r.status) \(r.text.prefix(300))") }
        }
    }

    static let auth = ["Authorization": "Basic " + Data("admin:aritic-demo-password".utf8).base64EncodedString()]

    /// How many contacts of the Aritic app carry each `crm_id`.
    static func crmIDs(_ url: String) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        var start = 0
        while true {
            let r = try await TestHTTP.send("GET", URL(string: url + "/api/contacts?limit=1000&start=\(start)&minimal=1")!, headers: auth)
            let page = (r.object["contacts"] as? [String: Any] ?? [:]).values
            for contact in page {
                let all = ((contact as? [String: Any])?["fields"] as? [String: Any])?["all"] as? [String: Any]
                if let id = all?["crm_id"] as? String, !id.isEmpty { counts[id, default: 0] += 1 }
            }
            guard page.count == 1000 else { return counts }
            start += 1000
        }
    }
}

/// The crash child, with its standard output read line by line.
final class EngineChild: Sendable {
    let process: Process
    private let lines: LockedValue<AsyncStream<String>.Iterator>
    private let errors: Pipe

    init(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = TestFiles.binFolder.appendingPathComponent("crosswalk-engine-crash-child")
        process.arguments = arguments
        let out = Pipe()
        errors = Pipe()
        process.standardOutput = out
        process.standardError = errors
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
        lines = LockedValue(stream.makeAsyncIterator())
    }

    deinit {
        if process.isRunning { sigkill(process.processIdentifier) }
        process.waitUntilExit()
    }

    private func next(within seconds: Double) async throws -> String? {
        let lines = self.lines
        return try await withTimeout(seconds) {
            var iterator = lines.withLock { $0 }
            let line = await iterator.next()
            lines.withLock { $0 = iterator }
            return line
        }
    }

    /// Waits for `count` "chunk" lines; `nil` when the child finished first.
    func waitForChunks(_ count: Int) async throws -> Int? {
        var seen = 0
        while seen < count {
            guard let line = try await next(within: 60) else { return nil }
            if line.hasPrefix("done") { return nil }
            if line.hasPrefix("chunk") { seen += 1 }
        }
        return seen
    }

    /// Runs to the end; the "done …" line.
    func waitForDone() async throws -> String {
        while let line = try await next(within: 120) {
            if line.hasPrefix("done") { return line }
        }
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        throw TestKitError(description: "the crash child ended without finishing (status \(process.terminationStatus)): \(stderr.suffix(2000))")
    }

    /// SIGKILL; false when the child had already ended.
    func kill() -> Bool {
        guard process.isRunning else { return false }
        sigkill(process.processIdentifier)
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
    }
}

private func sigkill(_ pid: Int32) { _ = Foundation.kill(pid, SIGKILL) }
