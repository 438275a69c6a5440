import CrosswalkCore
import Foundation

/// The PostgreSQL server the tests use: the one `scripts/test.sh` started (its URL in
/// `CROSSWALK_TEST_POSTGRES_URL`, the password in `CROSSWALK_TEST_POSTGRES_PASSWORD`), or, when
/// those are not set (`swift test` alone), one this process starts once with the same script
/// (`scripts/pg-test-server.sh`), stopped by the script's watcher when this process ends.
/// Each test gets a database of its own (`makeDatabase()`), so tests never see each other's rows.
public enum TestPostgres {
    /// The server's URL (no password) and password.
    public struct Server: Sendable {
        public let url: String
        public let password: String

        /// The URL with another database name.
        public func url(database: String) -> String {
            guard var parts = URLComponents(string: url) else { return url }
            parts.path = "/" + database
            return parts.string ?? url
        }
    }

    private static let shared = LockedValue<Result<Server, CrosswalkError>?>(nil)

    /// The server, started on first use when the environment names none.
    public static func server() throws -> Server {
        try shared.withLock { cached in
            if let cached { return try cached.get() }
            let result: Result<Server, CrosswalkError>
            do { result = .success(try findOrStart()) } catch let error as CrosswalkError { result = .failure(error) } catch {
                result = .failure(CrosswalkError(.internalError, "\(error)"))
            }
            cached = result
            return try result.get()
        }
    }

    /// A new, empty database on the server; returns its URL (no password).
    public static func makeDatabase(prefix: String = "cw") throws -> String {
        let server = try server()
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20))"
        try psql(server, "CREATE DATABASE \(name)")
        return server.url(database: name)
    }

    /// Runs SQL through `psql` against `url` (of the test server); returns its unaligned output.
    @discardableResult
    public static func psql(url: String, _ sql: String) throws -> String {
        try psql(try server(), sql, url: url)
    }

    @discardableResult
    private static func psql(_ server: Server, _ sql: String, url: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url ?? server.url, "-c", sql]
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = server.password
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CrosswalkError(.store, "psql failed: \(String(decoding: errorData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func findOrStart() throws -> Server {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["CROSSWALK_TEST_POSTGRES_URL"], !url.isEmpty {
            return Server(url: url, password: environment["CROSSWALK_TEST_POSTGRES_PASSWORD"] ?? "")
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/pg-test-server.sh").path
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crosswalk-test-pg-\(UUID().uuidString)").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, "start", folder, "--watch", String(getpid())]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CrosswalkError(.unavailable, "the test PostgreSQL server did not start (\(script)): \(String(decoding: errorData, as: UTF8.self))")
        }
        let url = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let password = try String(contentsOfFile: folder + "/password", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return Server(url: url, password: password)
    }
}
