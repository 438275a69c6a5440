import CrosswalkCore
import CrosswalkHTTP
import Foundation
import Testing

/// The Python loopback server in `Fixtures/test_server.py`, started once per suite by the
/// ``Trait/localServer`` trait and reached in tests through ``TestServer/current``.
final class TestServer: Sendable {
    @TaskLocal static var current: TestServer?

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// The certificate the https listener serves; trusting it as a CA makes verification pass.
    static let certificatePath = fixtures.appendingPathComponent("test_server_cert.pem").path

    let httpPort: Int
    let httpsPort: Int
    private let process: Process
    private let stdin: Pipe
    /// A transport of its own for reading the server's counters.
    private let probe: CurlTransport

    private init(httpPort: Int, httpsPort: Int, process: Process, stdin: Pipe) throws {
        self.httpPort = httpPort
        self.httpsPort = httpsPort
        self.process = process
        self.stdin = stdin
        probe = try CurlTransport()
    }

    /// `http://127.0.0.1:PORT` + `path`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(httpPort)\(path)" }
    /// `https://127.0.0.1:PORT` + `path`.
    func tlsURL(_ path: String) -> String { "https://127.0.0.1:\(httpsPort)\(path)" }

    /// Starts the server and waits (at most `timeout`) for the line that gives its ports.
    static func start(timeout: Duration = .seconds(15)) async throws -> TestServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", fixtures.appendingPathComponent("test_server.py").path,
                             "--cert", certificatePath, "--key", fixtures.appendingPathComponent("test_server_key.pem").path]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        do {
            let line = try await readLine(from: stdout.fileHandleForReading.fileDescriptor, timeout: timeout)
            let ports = try JSONDecoder().decode([String: Int].self, from: Data(line.utf8))
            guard let http = ports["http"], let https = ports["https"] else { throw Failure("no ports in \(line)") }
            return try TestServer(httpPort: http, httpsPort: https, process: process, stdin: stdin)
        } catch {
            process.terminate()
            throw error
        }
    }

    /// Closes the server's stdin (it exits on EOF) and waits for it to end.
    func stop() {
        probe.shutdown()
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The number `/count?key=K` or `/concurrency/max?key=K` answers.
    func number(_ path: String) async throws -> Int {
        let body = try await probe.send(HTTPRequest(url: url(path))).bodyText
        guard let n = Int(body) else { throw Failure("not a number from \(path): \(body)") }
        return n
    }

    /// How many requests the server got with `?key=key`.
    func hits(_ key: String) async throws -> Int { try await number("/count?key=\(key)") }

    /// Returns once the server has seen `count` requests with `?key=key`; throws after `timeout`.
    func waitForHits(_ key: String, count: Int, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await hits(key) < count {
            guard ContinuousClock.now < deadline else { throw Failure("the server never saw \(count) request(s) for \(key)") }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Reads one line on a thread of its own (poll with a deadline), never on the cooperative pool.
    private static func readLine(from fd: Int32, timeout: Duration) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try blockingReadLine(fd, deadline: ContinuousClock.now + timeout) })
            }.start()
        }
    }

    private static func blockingReadLine(_ fd: Int32, deadline: ContinuousClock.Instant) throws -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let left = deadline - ContinuousClock.now
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard left > .zero, poll(&poller, 1, Int32(left.components.seconds * 1000 + 1)) > 0 else {
                throw Failure("test_server.py printed no port line in time")
            }
            guard read(fd, &byte, 1) == 1 else { throw Failure("test_server.py exited before printing its ports") }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}

/// Runs a suite with one ``TestServer`` for all its tests.
struct LocalServerTrait: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        try await TestServer.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == LocalServerTrait {
    /// Starts the Python loopback server before the suite and stops it after.
    static var localServer: Self { LocalServerTrait() }
}

/// The running suite's server; fails the test when the suite lacks the `.localServer` trait.
var server: TestServer {
    get throws { try #require(TestServer.current, "the suite needs the .localServer trait") }
}
