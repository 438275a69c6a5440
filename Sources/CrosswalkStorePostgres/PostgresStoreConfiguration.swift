import CrosswalkCore
import CrosswalkStore
import Foundation

/// Where a ``PostgresStore`` connects: parsed from a `postgres://user@host:port/database` URL, with
/// the password given apart (from the environment), never inside the URL.
public struct PostgresStoreConfiguration: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    /// Never logged or shown; `description` leaves it out.
    public var password: String?
    public var database: String
    /// The most connections the store's pool opens.
    public var maximumConnections: Int
    /// How long opening a connection may take before the server counts as unreachable.
    public var connectTimeout: Duration
    /// When set, the server ends a session of this store that stays inside a transaction without a
    /// statement for longer (PostgreSQL's `idle_in_transaction_session_timeout`): a host paused in the
    /// middle of a commit then cannot hold its lease row's lock, and so another host's takeover, for ever.
    public var idleInTransactionTimeout: Duration?

    public init(host: String, port: Int = 5432, user: String, password: String?, database: String,
                maximumConnections: Int = 10, connectTimeout: Duration = .seconds(10)) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.maximumConnections = maximumConnections
        self.connectTimeout = connectTimeout
    }

    /// Reads `postgres://user@host:port/database` (or `postgresql://`). The user defaults to
    /// `crosswalk`, the port to 5432 and the database to the user's name.
    /// - Throws: `.config` for another scheme, a missing host, or a URL holding a password (the
    ///   error never repeats it).
    public init(url text: String, password: String?, maximumConnections: Int = 10) throws {
        guard let parts = URLComponents(string: text), let scheme = parts.scheme, ["postgres", "postgresql"].contains(scheme),
              let host = parts.host, !host.isEmpty else {
            throw CrosswalkError(.config, "expected a PostgreSQL URL like postgres://user@host:5432/crosswalk")
        }
        guard parts.password == nil else {
            throw CrosswalkError(.config, "the PostgreSQL URL holds a password; give it apart (an environment variable), never in the URL")
        }
        let user = parts.user.flatMap { $0.removingPercentEncoding } ?? "crosswalk"
        var database = parts.path
        if database.hasPrefix("/") { database.removeFirst() }
        if database.isEmpty { database = user }
        self.init(host: host, port: parts.port ?? 5432, user: user, password: password,
                  database: database.removingPercentEncoding ?? database, maximumConnections: maximumConnections)
    }

    /// `postgres://user@host:port/database`, never with the password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// The same server and credentials, another database.
    public func with(database: String) -> PostgresStoreConfiguration {
        var copy = self
        copy.database = database
        return copy
    }
}
