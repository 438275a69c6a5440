import CrosswalkStore
import CrosswalkCore
import Foundation

/// The ID map's rows and statements. A row's key on each side is a scope, the small integer
/// naming one (link, connection, object), and the app's id; scopes are created once, never
/// changed or deleted, and cached both ways.
final class IDMapTable {
    private struct Scope: Hashable {
        var link: String
        var connection: String
        var object: String
    }

    private let connection: SQLiteConnection
    private var ids: [Scope: Int64] = [:]
    private var scopes: [Int64: Scope] = [:]

    init(connection: SQLiteConnection) { self.connection = connection }

    /// Creates the scopes `upserts` need that do not exist yet, each committed at once.
    ///
    /// Called before, never inside, a batch's transaction: a rolled-back batch must not leave
    /// cached ids of scope rows that were rolled back with it.
    func createScopes(for upserts: [MappingUpsert]) throws {
        precondition(!connection.isInTransaction, "scopes are created outside transactions")
        for upsert in upserts {
            for record in [upsert.a, upsert.b] {
                let scope = Scope(link: upsert.link, connection: record.connection, object: record.object)
                guard try id(of: scope) == nil else { continue }
                try connection.run("INSERT OR IGNORE INTO id_map_scopes (link, connection, object) VALUES (?, ?, ?)",
                                   [.text(scope.link), .text(scope.connection), .text(scope.object)])
                _ = try id(of: scope)
            }
        }
    }

    /// Inserts the mapping or re-points the one of `upsert.a`; its scopes must exist
    /// (`createScopes(for:)`). A nil fingerprint keeps the stored one. A `b` already mapped to
    /// another record breaks `id_map_by_b`, which surfaces as `.conflict`.
    func upsert(_ upsert: MappingUpsert, now: Date) throws {
        guard let a = try id(of: Scope(link: upsert.link, connection: upsert.a.connection, object: upsert.a.object)),
              let b = try id(of: Scope(link: upsert.link, connection: upsert.b.connection, object: upsert.b.object))
        else { preconditionFailure("createScopes(for:) must run before upsert") }
        try connection.run("""
            INSERT INTO id_map (a_scope, a_id, b_scope, b_id, a_fingerprint, b_fingerprint, created_at, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
            ON CONFLICT (a_scope, a_id) DO UPDATE SET
                b_scope = excluded.b_scope,
                b_id = excluded.b_id,
                a_fingerprint = coalesce(excluded.a_fingerprint, id_map.a_fingerprint),
                b_fingerprint = coalesce(excluded.b_fingerprint, id_map.b_fingerprint),
                updated_at = excluded.updated_at
            """, [.integer(a), .text(upsert.a.id), .integer(b), .text(upsert.b.id),
                  .optionalText(upsert.aFingerprint), .optionalText(upsert.bFingerprint), .date(now)])
    }

    /// Removes the mapping of `key.record`; returns whether there was one.
    func delete(_ key: MappingKey) throws -> Bool {
        guard let scope = try id(of: Scope(link: key.link, connection: key.record.connection, object: key.record.object)) else { return false }
        return try connection.run(key.side == .a ? Self.deleteByA : Self.deleteByB, [.integer(scope), .text(key.record.id)]) > 0
    }

    /// The mappings of `ids`, all in one scope on `side`, keyed by id.
    func mappings(link: String, side: LinkSide, connection recordConnection: String, object: String, ids: [String]) throws -> [String: IDMapping] {
        guard let scope = try id(of: Scope(link: link, connection: recordConnection, object: object)) else { return [:] }
        let sql = side == .a ? Self.selectByA : Self.selectByB
        var found: [String: IDMapping] = [:]
        found.reserveCapacity(ids.count)
        for id in ids {
            if let mapping = try connection.queryFirst(sql, [.integer(scope), .text(id)], { try self.mapping(link: link, $0) }) {
                found[id] = mapping
            }
        }
        return found
    }

    /// How many mappings `link` holds.
    func count(link: String) throws -> Int {
        try connection.queryFirst("SELECT count(*) FROM id_map WHERE a_scope IN (SELECT id FROM id_map_scopes WHERE link = ?)", [.text(link)]) { $0.int(0) } ?? 0
    }

    // MARK: Rows

    private static let columns = "a_scope, a_id, b_scope, b_id, a_fingerprint, b_fingerprint, created_at, updated_at"
    private static let selectByA = "SELECT \(columns) FROM id_map WHERE a_scope = ? AND a_id = ?"
    private static let selectByB = "SELECT \(columns) FROM id_map WHERE b_scope = ? AND b_id = ?"
    private static let deleteByA = "DELETE FROM id_map WHERE a_scope = ? AND a_id = ?"
    private static let deleteByB = "DELETE FROM id_map WHERE b_scope = ? AND b_id = ?"

    private func mapping(link: String, _ row: Row) throws -> IDMapping {
        let a = try scope(row.int64(0))
        let b = try scope(row.int64(2))
        return IDMapping(
            link: link,
            a: RecordRef(connection: a.connection, object: a.object, id: row.text(1)),
            b: RecordRef(connection: b.connection, object: b.object, id: row.text(3)),
            aFingerprint: row.optionalText(4),
            bFingerprint: row.optionalText(5),
            createdAt: row.date(6),
            updatedAt: row.date(7))
    }

    // MARK: Scopes

    /// The id of an existing scope, or `nil`.
    private func id(of scope: Scope) throws -> Int64? {
        if let id = ids[scope] { return id }
        let id = try connection.queryFirst("SELECT id FROM id_map_scopes WHERE link = ? AND connection = ? AND object = ?",
                                           [.text(scope.link), .text(scope.connection), .text(scope.object)]) { $0.int64(0) }
        if let id { remember(scope, id) }
        return id
    }

    private func scope(_ id: Int64) throws -> Scope {
        if let scope = scopes[id] { return scope }
        guard let scope = try connection.queryFirst("SELECT link, connection, object FROM id_map_scopes WHERE id = ?", [.integer(id)], {
            Scope(link: $0.text(0), connection: $0.text(1), object: $0.text(2))
        }) else { throw CrosswalkError(.store, "the ID map refers to scope \(id), which does not exist", context: ["database": connection.path]) }
        remember(scope, id)
        return scope
    }

    private func remember(_ scope: Scope, _ id: Int64) {
        ids[scope] = id
        scopes[id] = scope
    }
}
