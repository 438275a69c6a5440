import CSQLite
import CrosswalkCore
import Foundation

extension CrosswalkError.Code {
    /// The sandbox state file could not be read or written.
    public static let sandboxState = CrosswalkError.Code("sandbox_state")
}

/// The `--state FILE` format: a SQLite file with every app's `exportState()` bytes under its name.
///
/// ```sql
/// CREATE TABLE sandbox_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);   -- format, version
/// CREATE TABLE app_state (app TEXT PRIMARY KEY, data BLOB NOT NULL, saved_at TEXT NOT NULL);
/// ```
/// `sqlite3 FILE "select app, length(data), saved_at from app_state"` shows what is kept; an app's
/// data is its own JSON export. Saving replaces every row in one transaction.
enum SandboxStateFile {
    static let format = "crosswalk-sandbox-state"
    static let version = 2

    /// Reads the file into per-app state blobs; `nil` when it does not exist.
    static func load(_ url: URL) throws -> [String: Data]? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let db = try Database(url, readOnly: true)
        let meta = (try? db.rows("SELECT key, value FROM sandbox_meta")) ?? []
        let values = Dictionary(meta.map { (String(decoding: $0[0], as: UTF8.self), String(decoding: $0[1], as: UTF8.self)) },
                                uniquingKeysWith: { $1 })
        guard values["format"] == format else {
            throw CrosswalkError(.sandboxState, "not a sandbox state file (a SQLite file made by `crosswalk sandbox --state`); move it away or pick another --state path",
                                 context: ["file": url.path])
        }
        guard values["version"] == String(version) else {
            throw CrosswalkError(.sandboxState, "sandbox state file version \(values["version"] ?? "?") is not supported (expected \(version))",
                                 context: ["file": url.path])
        }
        return Dictionary(try db.rows("SELECT app, data FROM app_state").map { (String(decoding: $0[0], as: UTF8.self), $0[1]) },
                          uniquingKeysWith: { $1 })
    }

    /// Writes every app's state in one transaction.
    static func save(_ states: [String: Data], to url: URL) throws {
        do { try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true) } catch {
            throw CrosswalkError(.sandboxState, "cannot create the state file's folder: \(error.localizedDescription)", context: ["file": url.path])
        }
        let db = try Database(url, readOnly: false)
        let savedAt = ISO8601DateFormatter().string(from: Date())
        try db.execute("BEGIN IMMEDIATE")
        do {
            try db.execute("CREATE TABLE IF NOT EXISTS sandbox_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            try db.execute("CREATE TABLE IF NOT EXISTS app_state (app TEXT PRIMARY KEY, data BLOB NOT NULL, saved_at TEXT NOT NULL)")
            try db.execute("INSERT OR REPLACE INTO sandbox_meta VALUES ('format', ?), ('version', ?)", [Data(format.utf8), Data(String(version).utf8)])
            try db.execute("DELETE FROM app_state")
            for (app, data) in states.sorted(by: { $0.key < $1.key }) {
                try db.execute("INSERT INTO app_state VALUES (?, ?, ?)", [Data(app.utf8), data, Data(savedAt.utf8)], blobAt: 1)
            }
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    /// The few SQLite calls the state file needs; every failure becomes a `sandboxState` error.
    private final class Database {
        private var handle: OpaquePointer?
        private let path: String

        init(_ url: URL, readOnly: Bool) throws {
            path = url.path
            let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK else { throw failure("cannot open") }
        }

        deinit { sqlite3_close_v2(handle) }

        private func failure(_ what: String) -> CrosswalkError {
            let detail = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            return CrosswalkError(.sandboxState, "\(what) the sandbox state file: \(detail)", context: ["file": path])
        }

        /// Runs one statement; `values` bind in order, as text except the one at `blobAt`.
        func execute(_ sql: String, _ values: [Data] = [], blobAt: Int? = nil) throws {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { throw failure("cannot use") }
            defer { sqlite3_finalize(statement) }
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            for (i, value) in values.enumerated() {
                _ = value.withUnsafeBytes { raw in
                    i == blobAt
                        ? sqlite3_bind_blob(statement, Int32(i + 1), raw.baseAddress, Int32(raw.count), transient)
                        : sqlite3_bind_text(statement, Int32(i + 1), raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count), transient)
                }
            }
            guard sqlite3_step(statement) == SQLITE_DONE else { throw failure("cannot write") }
        }

        /// Every row of a query, each column as bytes.
        func rows(_ sql: String) throws -> [[Data]] {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { throw failure("cannot read") }
            defer { sqlite3_finalize(statement) }
            var result: [[Data]] = []
            while true {
                let step = sqlite3_step(statement)
                if step == SQLITE_DONE { return result }
                guard step == SQLITE_ROW else { throw failure("cannot read") }
                result.append((0..<sqlite3_column_count(statement)).map { column in
                    let count = Int(sqlite3_column_bytes(statement, column))
                    guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return Data() }
                    return Data(bytes: bytes, count: count)
                })
            }
        }
    }
}
