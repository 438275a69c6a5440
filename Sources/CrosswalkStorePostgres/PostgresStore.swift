import CrosswalkCore
import CrosswalkStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The shared `Store`: a PostgreSQL database used through postgres-nio's pooled `PostgresClient`,
/// so several `crosswalk serve` hosts can share one deployment (issue 17).
///
/// Behind the same protocol, with the same tables and rules as `SQLiteStore`: every batch commit is
/// one transaction, unique rules surface as `.conflict`, values the schema refuses as
/// `.invalidArgument`, a server that cannot be reached as `.unavailable` naming host:port (never the
/// password). The schema is brought up to date by versioned migrations when the store opens (hosts
/// starting together take turns through an advisory lock), and a database written by a newer
/// Crosswalk is refused with `.storeSchemaTooNew`. Leases (``PostgresStore/acquireLease(name:holder:ttl:)``)
/// split work between hosts; a batch carrying a stale fencing token is refused inside its transaction.
///
/// ```swift
/// let configuration = try PostgresStoreConfiguration(url: "postgres://crosswalk@db:5432/crosswalk", password: password)
/// let store = try await PostgresStore.open(configuration, logger: logger)
/// ```
public final class PostgresStore: Store, Sendable {
    let client: PostgresClient
    let logger: Logger
    /// host:port, for errors and logs.
    let server: String
    public let configuration: PostgresStoreConfiguration
    private let runner: Task<Void, Never>
    private let closed = LockedValue(false)
    /// Scope ids by (link, connection, object): scopes are created once and never change.
    let scopeIDs = LockedValue<[ScopeKey: Int64]>([:])

    struct ScopeKey: Hashable, Sendable {
        var link: String
        var connection: String
        var object: String
    }

    private init(configuration: PostgresStoreConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.server = "\(configuration.host):\(configuration.port)"
        var options = PostgresClient.Configuration.Options()
        options.maximumConnections = max(1, configuration.maximumConnections)
        options.connectTimeout = configuration.connectTimeout
        options.keepAliveBehavior = nil
        if let idle = configuration.idleInTransactionTimeout {
            options.additionalStartupParameters = [("idle_in_transaction_session_timeout", String(max(1, idle.storeMilliseconds)))]
        }
        var clientConfiguration = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.user,
            password: configuration.password, database: configuration.database, tls: .disable)
        clientConfiguration.options = options
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        self.client = client
        self.runner = Task { await client.run() }
    }

    /// Connects, applies pending migrations, and starts the connection pool.
    /// - Throws: `.unavailable` when the server cannot be reached (naming host:port), `.auth` when it
    ///   refuses the login, `.storeSchemaTooNew` when a newer Crosswalk wrote the database.
    public static func open(_ configuration: PostgresStoreConfiguration, logger: Logger) async throws -> PostgresStore {
        try await open(configuration, migrations: PostgresMigration.all, logger: logger)
    }

    static func open(_ configuration: PostgresStoreConfiguration, migrations: [PostgresMigration], logger: Logger) async throws -> PostgresStore {
        let server = "\(configuration.host):\(configuration.port)"
        try await withDirectConnection(configuration, logger: logger) { connection in
            try await PostgresMigrator.migrate(connection, migrations, server: server, logger: logger)
        }
        return PostgresStore(configuration: configuration, logger: logger)
    }

    /// Runs `body` on one connection of its own (no pool), closed afterwards; errors mapped.
    static func withDirectConnection<T: Sendable>(_ configuration: PostgresStoreConfiguration, logger: Logger,
                                                  _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let server = "\(configuration.host):\(configuration.port)"
        var connectionConfiguration = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.user,
            password: configuration.password, database: configuration.database, tls: .disable)
        connectionConfiguration.options.connectTimeout = .init(configuration.connectTimeout)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: connectionConfiguration, id: 1, logger: logger)
        } catch {
            throw PostgresErrors.map(error, server: server, operation: "connecting")
        }
        do {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw PostgresErrors.map(error, server: server, operation: "opening the store")
        }
    }

    public func close() async throws {
        guard closed.withLock({ (value: inout Bool) -> Bool in defer { value = true }; return !value }) else { return }
        runner.cancel()
        await runner.value
    }

    /// The highest migration applied to the database.
    public func schemaVersion() async throws -> Int {
        try await read("reading the schema version") { try await PostgresMigrator.version(of: $0, logger: self.logger) }
    }

    // MARK: Running statements

    private func checkOpen() throws {
        if closed.withLock({ $0 }) { throw CrosswalkError(.store, "the store is closed", context: ["server": server]) }
    }

    /// Runs `body` on a pooled connection, outside any transaction; errors mapped.
    func read<T>(_ operation: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try checkOpen()
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw PostgresErrors.map(error, server: server, operation: operation)
        }
    }

    /// Runs `body` in one transaction on a pooled connection: committed when it returns, rolled
    /// back when it throws; errors mapped.
    func transaction<T>(_ operation: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try checkOpen()
        do {
            return try await client.withConnection { connection in
                try await connection.run("BEGIN", logger: logger)
                do {
                    let result = try await body(connection)
                    try await connection.run("COMMIT", logger: logger)
                    return result
                } catch {
                    try? await connection.run("ROLLBACK", logger: logger)
                    throw error
                }
            }
        } catch {
            throw PostgresErrors.map(error, server: server, operation: operation)
        }
    }

    /// Runs one statement on a pooled connection and maps its rows.
    func query<T>(_ operation: String, _ sql: String, _ values: [PGValue] = [], _ map: @escaping (PGRow) throws -> T) async throws -> [T] {
        try await read(operation) { try await $0.query(sql, values, logger: self.logger, map) }
    }

    /// Runs one statement on a pooled connection and maps its first row.
    func queryFirst<T>(_ operation: String, _ sql: String, _ values: [PGValue] = [], _ map: @escaping (PGRow) throws -> T) async throws -> T? {
        try await read(operation) { try await $0.queryFirst(sql, values, logger: self.logger, map) }
    }

    /// Runs one statement on a pooled connection; the count of rows it returned (`RETURNING 1`: changed).
    @discardableResult
    func run(_ operation: String, _ sql: String, _ values: [PGValue] = []) async throws -> Int {
        try await read(operation) { try await $0.run(sql, values, logger: self.logger) }
    }
}

extension PostgresStore {
    /// Creates an empty database `name` on the server `configuration` reaches (benchmarks and tools).
    public static func createDatabase(_ name: String, on configuration: PostgresStoreConfiguration, logger: Logger) async throws {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw CrosswalkError(.invalidArgument, "a database name is letters, digits and _", context: ["database": name])
        }
        try await withDirectConnection(configuration, logger: logger) { connection in
            try await connection.run("CREATE DATABASE \(name)", logger: logger)
        }
    }
}
