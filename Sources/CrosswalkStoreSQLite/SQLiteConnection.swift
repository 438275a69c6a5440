import CrosswalkStore
import CSQLite
import CrosswalkCore
import Foundation

/// A value bound to a statement parameter.
enum SQLValue {
    case null
    case integer(Int64)
    case text(String)
    case blob(Data)
}

/// One open SQLite database with a cache of prepared statements.
///
/// Not thread-safe: it is used only from `SQLiteStore`'s own thread. This is the one place in the
/// store that touches SQLite's C API.
final class SQLiteConnection {
    let path: String
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    /// Opens (creating if needed) the database at `path`.
    init(path: String, busyTimeoutMilliseconds: Int32) throws {
        self.path = path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        db = handle
        guard code == SQLITE_OK else {
            let error = makeError(code, "opening the database")
            close()
            throw error
        }
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
    }

    deinit { close() }

    /// Finalizes every cached statement and closes the database. Safe to call twice.
    func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        if let db { sqlite3_close_v2(db) }
        db = nil
    }

    /// Runs one or more statements that take no parameters (schema, pragmas, BEGIN/COMMIT).
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(try handle(), sql, nil, nil, &message)
        sqlite3_free(message)
        guard code == SQLITE_OK else { throw makeError(code, "running \(Self.summary(of: sql))") }
    }

    /// Runs one statement to completion and returns how many rows it changed.
    @discardableResult
    func run(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
        try withStatement(sql, values) { statement in
            while try step(statement, sql) {}
        }
        return Int(sqlite3_changes(db))
    }

    /// Whether a transaction is open.
    var isInTransaction: Bool { db.map { sqlite3_get_autocommit($0) == 0 } ?? false }

    /// The rowid of the last row inserted on this connection.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(db) }

    /// Runs one query and maps every row.
    func query<T>(_ sql: String, _ values: [SQLValue] = [], _ map: (Row) throws -> T) throws -> [T] {
        try withStatement(sql, values) { statement in
            var rows: [T] = []
            while try step(statement, sql) { rows.append(try map(Row(statement: statement))) }
            return rows
        }
    }

    /// Runs one query and maps its first row, or returns `nil` when there is none.
    func queryFirst<T>(_ sql: String, _ values: [SQLValue] = [], _ map: (Row) throws -> T) throws -> T? {
        try withStatement(sql, values) { statement in
            try step(statement, sql) ? try map(Row(statement: statement)) : nil
        }
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    ///
    /// - Parameter write: take the write lock at once (`BEGIN IMMEDIATE`), so a writer never has
    ///   to upgrade a read lock, which SQLite cannot wait for.
    func transaction<T>(write: Bool = true, _ body: () throws -> T) throws -> T {
        try execute(write ? "BEGIN IMMEDIATE" : "BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    // MARK: Statements

    private func withStatement<T>(_ sql: String, _ values: [SQLValue], _ body: (OpaquePointer) throws -> T) throws -> T {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1), in: statement, sql)
        }
        return try body(statement)
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(try handle(), sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw makeError(code, "preparing \(Self.summary(of: sql))") }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLValue, at index: Int32, in statement: OpaquePointer, _ sql: String) throws {
        let code: Int32
        switch value {
        case .null:
            code = sqlite3_bind_null(statement, index)
        case .integer(let int):
            code = sqlite3_bind_int64(statement, index, int)
        case .text(let text):
            code = sqlite3_bind_text(statement, index, text, -1, transient)
        case .blob(let data) where data.isEmpty:
            code = sqlite3_bind_zeroblob(statement, index, 0)
        case .blob(let data):
            code = data.withUnsafeBytes { bytes in
                sqlite3_bind_blob64(statement, index, bytes.baseAddress, sqlite3_uint64(bytes.count), transient)
            }
        }
        guard code == SQLITE_OK else { throw makeError(code, "binding parameter \(index) of \(Self.summary(of: sql))") }
    }

    /// Advances the statement; `true` when a row is ready.
    private func step(_ statement: OpaquePointer, _ sql: String) throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw makeError(code, "running \(Self.summary(of: sql))")
        }
    }

    private func handle() throws -> OpaquePointer {
        guard let db else { throw CrosswalkError(.store, "the store is closed", context: ["database": path]) }
        return db
    }

    // MARK: Errors

    private func makeError(_ code: Int32, _ operation: String) -> CrosswalkError {
        let detail = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        let context = ["database": path, "sqlite_code": String(code)]
        switch code & 0xFF {
        case SQLITE_CONSTRAINT where code == CSQLITE_CONSTRAINT_CHECK:
            return CrosswalkError(.invalidArgument, "\(operation) stored a value the database does not accept: \(detail)", context: context)
        case SQLITE_CONSTRAINT where code == CSQLITE_CONSTRAINT_FOREIGNKEY:
            return CrosswalkError(.notFound, "\(operation) refers to a row that does not exist: \(detail)", context: context)
        case SQLITE_CONSTRAINT:
            return CrosswalkError(.conflict, "\(operation) broke a rule of the database: \(detail)", context: context)
        case SQLITE_BUSY, SQLITE_LOCKED:
            return CrosswalkError(.unavailable, "\(operation): the database stayed locked by another process past the busy timeout", context: context)
        default:
            return CrosswalkError(.store, "\(operation) failed: \(detail)", context: context)
        }
    }

    /// The first words of a statement, enough to tell which one failed.
    private static func summary(of sql: String) -> String {
        let words = sql.split(whereSeparator: \.isWhitespace).prefix(4).joined(separator: " ")
        return "\"\(words)…\""
    }
}

/// SQLite copies the bound bytes before the bind call returns (`SQLITE_TRANSIENT`).
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// The current row of a statement; valid only inside the mapping closure.
struct Row {
    let statement: OpaquePointer

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    /// A column as stored, whatever its type (for copying rows to another store).
    func value(_ column: Int32) -> StoreValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .int(int64(column))
        case SQLITE_BLOB: return .bytes(blob(column))
        case SQLITE_FLOAT: return .int(Int64(sqlite3_column_double(statement, column)))
        default: return .text(text(column))
        }
    }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    func blob(_ column: Int32) -> Data {
        guard let bytes = sqlite3_column_blob(statement, column) else { return Data() }
        return Data(bytes: bytes, count: Int(sqlite3_column_bytes(statement, column)))
    }

    func date(_ column: Int32) -> Date { Date(storeMilliseconds: int64(column)) }

    func optionalDate(_ column: Int32) -> Date? { isNull(column) ? nil : date(column) }

    /// A column holding an enum's raw value; a value this binary does not know is a store error.
    func value<T: RawRepresentable>(_ column: Int32, as _: T.Type) throws -> T where T.RawValue == String {
        let raw = text(column)
        guard let value = T(rawValue: raw) else {
            throw CrosswalkError(.store, "the database holds \(T.self) \"\(raw)\", which this version of Crosswalk does not know")
        }
        return value
    }
}

extension SQLValue {
    static func date(_ date: Date) -> SQLValue { .integer(date.storeMilliseconds) }
    static func optionalText(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
    static func int(_ int: Int) -> SQLValue { .integer(Int64(int)) }
}
