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
    /// Scope ids by (link, object), any connection; cleared when a scope is created.
    private var byObject: [String: [Int64]] = [:]

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
                byObject.removeAll()
                _ = try id(of: scope)
            }
        }
    }

    /// Inserts the mapping or re-points the one of `upsert.a` in `upsert.b`'s object; its scopes
    /// must exist (`createScopes(for:)`). A nil fingerprint keeps the stored one. A `b` already
    /// mapped to another record of `a`'s object breaks `id_map_by_b`, which surfaces as `.conflict`.
    func upsert(_ upsert: MappingUpsert, now: Date) throws {
        guard let a = try id(of: Scope(link: upsert.link, connection: upsert.a.connection, object: upsert.a.object)),
              let b = try id(of: Scope(link: upsert.link, connection: upsert.b.connection, object: upsert.b.object))
        else { preconditionFailure("createScopes(for:) must run before upsert") }
        try connection.run("""
            INSERT INTO id_map (a_scope, a_id, b_scope, b_id, a_fingerprint, b_fingerprint, created_at, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
            ON CONFLICT (a_scope, a_id, b_scope) DO UPDATE SET
                b_scope = excluded.b_scope,
                b_id = excluded.b_id,
                a_fingerprint = coalesce(excluded.a_fingerprint, id_map.a_fingerprint),
                b_fingerprint = coalesce(excluded.b_fingerprint, id_map.b_fingerprint),
                updated_at = excluded.updated_at
            """, [.integer(a), .text(upsert.a.id), .integer(b), .text(upsert.b.id),
                  .optionalText(upsert.aFingerprint), .optionalText(upsert.bFingerprint), .date(now)])
    }

    /// Removes the mappings of `key.record` (only its twin in `key.otherObject` when given);
    /// returns whether there was one.
    func delete(_ key: MappingKey) throws -> Bool {
        guard let scope = try id(of: Scope(link: key.link, connection: key.record.connection, object: key.record.object)) else { return false }
        guard let otherObject = key.otherObject else {
            return try connection.run(key.side == .a ? Self.deleteByA : Self.deleteByB, [.integer(scope), .text(key.record.id)]) > 0
        }
        var removed = false
        for other in try otherScopes(link: key.link, object: otherObject, excluding: scope) {
            let sql = key.side == .a ? Self.deleteByAInScope : Self.deleteByBInScope
            removed = try connection.run(sql, [.integer(scope), .text(key.record.id), .integer(other)]) > 0 || removed
        }
        return removed
    }

    /// The answers to twin queries of records of `recordConnection` on `side`.
    func twins(link: String, side: LinkSide, connection recordConnection: String, queries: [TwinQuery]) throws -> [TwinQuery: IDMapping] {
        var found: [TwinQuery: IDMapping] = [:]
        found.reserveCapacity(queries.count)
        var ownScopes: [String: Int64?] = [:]
        var others: [String: [Int64]] = [:]
        for query in queries {
            let scope: Int64?
            if let cached = ownScopes[query.object] { scope = cached } else {
                scope = try id(of: Scope(link: link, connection: recordConnection, object: query.object))
                ownScopes[query.object] = scope
            }
            guard let scope else { continue }
            guard let otherObject = query.otherObject else {
                let sql = side == .a ? Self.selectByA : Self.selectByB
                if let mapping = try connection.queryFirst(sql, [.integer(scope), .text(query.id)], { try self.mapping(link: link, $0) }) {
                    found[query] = mapping
                }
                continue
            }
            let key = "\(scope)/\(otherObject)"
            let candidates: [Int64]
            if let cached = others[key] { candidates = cached } else {
                candidates = try otherScopes(link: link, object: otherObject, excluding: scope)
                others[key] = candidates
            }
            let sql = side == .a ? Self.selectByAInScope : Self.selectByBInScope
            for other in candidates {
                if let mapping = try connection.queryFirst(sql, [.integer(scope), .text(query.id), .integer(other)], { try self.mapping(link: link, $0) }) {
                    found[query] = mapping
                    break
                }
            }
        }
        return found
    }

    /// A page of the mappings between one object on `side` and `otherObject`, ordered by the id on `side`.
    func page(link: String, side: LinkSide, connection recordConnection: String, object: String, otherObject: String,
              after afterID: String?, limit: Int) throws -> [IDMapping] {
        guard let scope = try id(of: Scope(link: link, connection: recordConnection, object: object)) else { return [] }
        var rows: [IDMapping] = []
        for other in try otherScopes(link: link, object: otherObject, excluding: scope) {
            let sql = side == .a ? Self.pageByA : Self.pageByB
            rows += try connection.query(sql, [.integer(scope), .integer(other), .text(afterID ?? ""), .int(limit)]) { try self.mapping(link: link, $0) }
        }
        rows.sort { $0.record(on: side).id.utf8.lexicographicallyPrecedes($1.record(on: side).id.utf8) }
        return Array(rows.prefix(limit))
    }

    /// The scopes of `object` in `link` (any connection) other than `own`.
    private func otherScopes(link: String, object: String, excluding own: Int64) throws -> [Int64] {
        let key = "\(link)\u{0}\(object)"
        let all: [Int64]
        if let cached = byObject[key] { all = cached } else {
            all = try connection.query("SELECT id FROM id_map_scopes WHERE link = ? AND object = ? ORDER BY id", [.text(link), .text(object)]) { $0.int64(0) }
            byObject[key] = all
        }
        return all.filter { $0 != own }
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
    private static let selectByA = "SELECT \(columns) FROM id_map WHERE a_scope = ? AND a_id = ? LIMIT 1"
    private static let selectByB = "SELECT \(columns) FROM id_map WHERE b_scope = ? AND b_id = ? LIMIT 1"
    private static let selectByAInScope = "SELECT \(columns) FROM id_map WHERE a_scope = ? AND a_id = ? AND b_scope = ?"
    private static let selectByBInScope = "SELECT \(columns) FROM id_map WHERE b_scope = ? AND b_id = ? AND a_scope = ?"
    private static let deleteByA = "DELETE FROM id_map WHERE a_scope = ? AND a_id = ?"
    private static let deleteByB = "DELETE FROM id_map WHERE b_scope = ? AND b_id = ?"
    private static let deleteByAInScope = "DELETE FROM id_map WHERE a_scope = ? AND a_id = ? AND b_scope = ?"
    private static let deleteByBInScope = "DELETE FROM id_map WHERE b_scope = ? AND b_id = ? AND a_scope = ?"
    private static let pageByA = "SELECT \(columns) FROM id_map WHERE a_scope = ? AND b_scope = ? AND a_id > ? ORDER BY a_id LIMIT ?"
    private static let pageByB = "SELECT \(columns) FROM id_map WHERE b_scope = ? AND a_scope = ? AND b_id > ? ORDER BY b_id LIMIT ?"

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
