import CrosswalkCore
import CrosswalkStore
import Foundation
import Logging
import PostgresNIO

/// A value bound to a statement's `$n` parameter.
enum PGValue: Sendable {
    case text(String)
    case int(Int64)
    case bytes(Data)
    case bool(Bool)
    case texts([String])
    case ints([Int64])
    case null

    static func date(_ date: Date) -> PGValue { .int(date.storeMilliseconds) }
    static func optionalText(_ text: String?) -> PGValue { text.map(PGValue.text) ?? .null }
    static func int(_ int: Int) -> PGValue { .int(Int64(int)) }
}

/// One result row, read by column position.
struct PGRow {
    let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) { cells = row.makeRandomAccess() }

    func text(_ column: Int) throws -> String { try cells[column].decode(String.self) }
    func optionalText(_ column: Int) throws -> String? { try cells[column].decode(String?.self) }
    func int64(_ column: Int) throws -> Int64 { try cells[column].decode(Int64.self) }
    func int(_ column: Int) throws -> Int { Int(try cells[column].decode(Int64.self)) }
    func bool(_ column: Int) throws -> Bool { try cells[column].decode(Bool.self) }
    func bytes(_ column: Int) throws -> Data { try cells[column].decode(Data.self) }
    func date(_ column: Int) throws -> Date { Date(storeMilliseconds: try int64(column)) }
    func optionalDate(_ column: Int) throws -> Date? { try cells[column].decode(Int64?.self).map(Date.init(storeMilliseconds:)) }
    func isNull(_ column: Int) -> Bool { cells[column].bytes == nil }

    /// A column holding an enum's raw value; a value this binary does not know is a store error.
    func value<T: RawRepresentable>(_ column: Int, as _: T.Type) throws -> T where T.RawValue == String {
        let raw = try text(column)
        guard let value = T(rawValue: raw) else {
            throw CrosswalkError(.store, "the database holds \(T.self) \"\(raw)\", which this version of Crosswalk does not know")
        }
        return value
    }
}

extension PostgresConnection {
    /// Runs one statement and returns its rows.
    func rows(_ sql: String, _ values: [PGValue] = [], logger: Logger) async throws -> [PGRow] {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .text(let v): binds.append(v)
            case .int(let v): binds.append(v)
            case .bytes(let v): binds.append(ByteBuffer(bytes: v))
            case .bool(let v): binds.append(v)
            case .texts(let v): binds.append(v)
            case .ints(let v): binds.append(v)
            case .null: binds.appendNull()
            }
        }
        let sequence = try await query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        return try await sequence.collect().map(PGRow.init)
    }

    /// Runs one statement and maps its rows.
    func query<T>(_ sql: String, _ values: [PGValue] = [], logger: Logger, _ map: (PGRow) throws -> T) async throws -> [T] {
        try await rows(sql, values, logger: logger).map(map)
    }

    /// Runs one statement and maps its first row, if any.
    func queryFirst<T>(_ sql: String, _ values: [PGValue] = [], logger: Logger, _ map: (PGRow) throws -> T) async throws -> T? {
        try await rows(sql, values, logger: logger).first.map(map)
    }

    /// Runs a statement for its effect; with `RETURNING 1` the count is the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ values: [PGValue] = [], logger: Logger) async throws -> Int {
        try await rows(sql, values, logger: logger).count
    }
}

/// PostgreSQL's errors as `CrosswalkError`s with the same codes the SQLite store uses.
enum PostgresErrors {
    /// `error` as a `CrosswalkError`: a unique rule broken is `.conflict`, a value the schema refuses
    /// `.invalidArgument`, a lock or serialisation wait `.unavailable`, a lost or refused connection
    /// `.unavailable` naming `server` (host:port, never a password), anything else `.store`.
    static func map(_ error: any Error, server: String, operation: String) -> any Error {
        if error is CrosswalkError || error is CancellationError { return error }
        if let transaction = error as? PostgresTransactionError {
            if let inner = transaction.closureError ?? transaction.beginError ?? transaction.commitError ?? transaction.rollbackError {
                return map(inner, server: server, operation: operation)
            }
        }
        guard let psql = error as? PSQLError else {
            return CrosswalkError(.store, "\(operation) failed: \(error)", context: ["server": server])
        }
        let context = ["server": server]
        if let info = psql.serverInfo, let state = info[.sqlState] {
            let message = info[.message] ?? "error \(state)"
            let detail = info[.detail].map { "\(message) (\($0))" } ?? message
            switch state {
            case "23505": return CrosswalkError(.conflict, "\(operation) broke a rule of the database: \(detail)", context: context)
            case "23514", "22P02", "23502", "22001": return CrosswalkError(.invalidArgument, "\(operation) stored a value the database does not accept: \(detail)", context: context)
            case "23503": return CrosswalkError(.notFound, "\(operation) refers to a row that does not exist: \(detail)", context: context)
            case "40001", "40P01", "55P03", "57014": return CrosswalkError(.unavailable, "\(operation) could not finish, the database is busy: \(detail)", context: context)
            case "28P01", "28000": return CrosswalkError(.auth, "PostgreSQL at \(server) refused the login: \(message)", context: context)
            case "3D000": return CrosswalkError(.config, "PostgreSQL at \(server): \(message)", context: context)
            default:
                if state.hasPrefix("08") || state.hasPrefix("57P") {
                    return CrosswalkError(.unavailable, "PostgreSQL at \(server) is unavailable: \(message)", context: context)
                }
                return CrosswalkError(.store, "\(operation) failed: \(detail)", context: context.merging(["sqlstate": state]) { a, _ in a })
            }
        }
        switch psql.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
            let cause = psql.underlying.map { " (\($0))" } ?? ""
            return CrosswalkError(.unavailable, "PostgreSQL at \(server) cannot be reached\(cause)", context: context)
        case .authMechanismRequiresPassword:
            return CrosswalkError(.auth, "PostgreSQL at \(server) asks for a password and none was given (set store.postgres.password: {env: VARIABLE})", context: context)
        case .queryCancelled:
            return CancellationError()
        default:
            let cause = psql.underlying.map { ": \($0)" } ?? ""
            return CrosswalkError(.store, "\(operation) failed (\(psql.code))\(cause)", context: context)
        }
    }
}
