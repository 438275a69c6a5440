import CrosswalkCore
import CrosswalkStore
import Foundation
import PostgresNIO

/// The ID map: the same scopes and rows as SQLite's (a scope names one (link, connection, object)),
/// read a whole batch per statement (`= ANY($n)`), since every statement is a round trip here.
extension PostgresStore {
    private static let columns = """
        sa.connection, sa.object, m.a_id, sb.connection, sb.object, m.b_id, m.a_fingerprint, m.b_fingerprint, m.created_at, m.updated_at
        FROM id_map m JOIN id_map_scopes sa ON sa.id = m.a_scope JOIN id_map_scopes sb ON sb.id = m.b_scope
        """

    static func mapping(link: String) -> (PGRow) throws -> IDMapping {
        { row in
            IDMapping(link: link,
                      a: RecordRef(connection: try row.text(0), object: try row.text(1), id: try row.text(2)),
                      b: RecordRef(connection: try row.text(3), object: try row.text(4), id: try row.text(5)),
                      aFingerprint: try row.optionalText(6), bFingerprint: try row.optionalText(7),
                      createdAt: try row.date(8), updatedAt: try row.date(9))
        }
    }

    /// The id of an existing scope, or `nil`.
    func scopeID(_ key: ScopeKey, on connection: PostgresConnection) async throws -> Int64? {
        if let id = scopeIDs.withLock({ $0[key] }) { return id }
        let id = try await connection.queryFirst("SELECT id FROM id_map_scopes WHERE link = $1 AND connection = $2 AND object = $3",
                                                 [.text(key.link), .text(key.connection), .text(key.object)], logger: logger) { try $0.int64(0) }
        if let id { scopeIDs.withLock { $0[key] = id } }
        return id
    }

    /// Creates the scopes `upserts` need, each committed at once (outside any batch transaction, so a
    /// rolled-back batch never leaves a cached id of a scope row that was rolled back with it).
    func createScopes(for upserts: [MappingUpsert]) async throws {
        var missing: [ScopeKey] = []
        for upsert in upserts {
            for record in [upsert.a, upsert.b] {
                let key = ScopeKey(link: upsert.link, connection: record.connection, object: record.object)
                if scopeIDs.withLock({ $0[key] }) == nil, !missing.contains(key) { missing.append(key) }
            }
        }
        guard !missing.isEmpty else { return }
        try await read("creating ID-map scopes") { connection in
            for key in missing {
                try await connection.run("INSERT INTO id_map_scopes (link, connection, object) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                         [.text(key.link), .text(key.connection), .text(key.object)], logger: logger)
                _ = try await scopeID(key, on: connection)
            }
        }
    }

    func upsert(_ upsert: MappingUpsert, now: Date, on connection: PostgresConnection) async throws {
        guard let a = try await scopeID(ScopeKey(link: upsert.link, connection: upsert.a.connection, object: upsert.a.object), on: connection),
              let b = try await scopeID(ScopeKey(link: upsert.link, connection: upsert.b.connection, object: upsert.b.object), on: connection)
        else { throw CrosswalkError(.internalError, "the ID-map scopes of a mapping were not created") }
        try await connection.run("""
            INSERT INTO id_map (a_scope, a_id, b_scope, b_id, a_fingerprint, b_fingerprint, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
            ON CONFLICT (a_scope, a_id, b_scope) DO UPDATE SET
                b_scope = excluded.b_scope,
                b_id = excluded.b_id,
                a_fingerprint = coalesce(excluded.a_fingerprint, id_map.a_fingerprint),
                b_fingerprint = coalesce(excluded.b_fingerprint, id_map.b_fingerprint),
                updated_at = excluded.updated_at
            """, [.int(a), .text(upsert.a.id), .int(b), .text(upsert.b.id),
                  .optionalText(upsert.aFingerprint), .optionalText(upsert.bFingerprint), .date(now)], logger: logger)
    }

    /// Many upserts in one statement (a batch's): the same as applying them one by one — an upsert
    /// of a row the batch already upserted replaces its `b` and keeps fingerprints it was not given.
    func upsertAll(_ upserts: [MappingUpsert], now: Date, on connection: PostgresConnection) async throws {
        guard upserts.count > 1 else {
            for single in upserts { try await upsert(single, now: now, on: connection) }
            return
        }
        struct Key: Hashable { var a: Int64; var aID: String; var b: Int64 }
        struct Row: Encodable { var a: Int64; var ai: String; var b: Int64; var bi: String; var fa: String?; var fb: String? }
        var order: [Key] = []
        var rows: [Key: Row] = [:]
        for u in upserts {
            guard let a = try await scopeID(ScopeKey(link: u.link, connection: u.a.connection, object: u.a.object), on: connection),
                  let b = try await scopeID(ScopeKey(link: u.link, connection: u.b.connection, object: u.b.object), on: connection)
            else { throw CrosswalkError(.internalError, "the ID-map scopes of a mapping were not created") }
            let key = Key(a: a, aID: u.a.id, b: b)
            if let earlier = rows[key] {
                rows[key] = Row(a: a, ai: u.a.id, b: b, bi: u.b.id, fa: u.aFingerprint ?? earlier.fa, fb: u.bFingerprint ?? earlier.fb)
            } else {
                order.append(key)
                rows[key] = Row(a: a, ai: u.a.id, b: b, bi: u.b.id, fa: u.aFingerprint, fb: u.bFingerprint)
            }
        }
        let json = String(decoding: try JSONEncoder().encode(order.map { rows[$0]! }), as: UTF8.self)
        try await connection.run("""
            INSERT INTO id_map (a_scope, a_id, b_scope, b_id, a_fingerprint, b_fingerprint, created_at, updated_at)
            SELECT r.a, r.ai, r.b, r.bi, r.fa, r.fb, $2, $2
            FROM json_to_recordset($1::json) AS r(a bigint, ai text, b bigint, bi text, fa text, fb text)
            ON CONFLICT (a_scope, a_id, b_scope) DO UPDATE SET
                b_id = excluded.b_id,
                a_fingerprint = coalesce(excluded.a_fingerprint, id_map.a_fingerprint),
                b_fingerprint = coalesce(excluded.b_fingerprint, id_map.b_fingerprint),
                updated_at = excluded.updated_at
            """, [.text(json), .date(now)], logger: logger)
    }

    func delete(_ key: MappingKey, on connection: PostgresConnection) async throws -> Bool {
        guard let scope = try await scopeID(ScopeKey(link: key.link, connection: key.record.connection, object: key.record.object), on: connection) else {
            return false
        }
        let (own, ownID, other) = key.side == .a ? ("a_scope", "a_id", "b_scope") : ("b_scope", "b_id", "a_scope")
        guard let otherObject = key.otherObject else {
            return try await connection.run("DELETE FROM id_map WHERE \(own) = $1 AND \(ownID) = $2 RETURNING 1",
                                            [.int(scope), .text(key.record.id)], logger: logger) > 0
        }
        return try await connection.run("""
            DELETE FROM id_map m USING id_map_scopes s
            WHERE m.\(own) = $1 AND m.\(ownID) = $2 AND s.id = m.\(other) AND s.object = $3 AND m.\(other) <> $1
            RETURNING 1
            """, [.int(scope), .text(key.record.id), .text(otherObject)], logger: logger) > 0
    }

    /// The mappings of `ids` of one scope on `side`; with `otherObject`, only twins in that object.
    private func lookup(link: String, side: LinkSide, scope: Int64, ids: [String], otherObject: String?,
                        on connection: PostgresConnection) async throws -> [String: IDMapping] {
        let (own, ownID, other, otherAlias) = side == .a ? ("a_scope", "a_id", "b_scope", "sb") : ("b_scope", "b_id", "a_scope", "sa")
        var sql = "SELECT DISTINCT ON (m.\(ownID)) \(Self.columns) WHERE m.\(own) = $1 AND m.\(ownID) = ANY($2)"
        var values: [PGValue] = [.int(scope), .texts(ids)]
        if let otherObject {
            sql += " AND \(otherAlias).object = $3 AND m.\(other) <> $1"
            values.append(.text(otherObject))
        }
        sql += " ORDER BY m.\(ownID), m.\(other)"
        let rows = try await connection.query(sql, values, logger: logger, Self.mapping(link: link))
        var found: [String: IDMapping] = [:]
        for mapping in rows { found[mapping.record(on: side).id] = mapping }
        return found
    }

    public func mapping(link: String, side: LinkSide, record: RecordRef) async throws -> IDMapping? {
        try await mappings(link: link, side: side, connection: record.connection, object: record.object, ids: [record.id])[record.id]
    }

    public func mappings(link: String, side: LinkSide, connection: String, object: String, ids: [String]) async throws -> [String: IDMapping] {
        try await read("reading mappings") { db in
            guard let scope = try await scopeID(ScopeKey(link: link, connection: connection, object: object), on: db) else { return [:] }
            return try await lookup(link: link, side: side, scope: scope, ids: ids, otherObject: nil, on: db)
        }
    }

    public func upsertMapping(_ upsert: MappingUpsert) async throws {
        try await createScopes(for: [upsert])
        try await read("saving a mapping") { try await self.upsert(upsert, now: Date(), on: $0) }
    }

    @discardableResult
    public func deleteMapping(_ key: MappingKey) async throws -> Bool {
        try await read("removing a mapping") { try await delete(key, on: $0) }
    }

    public func mappingCount(link: String) async throws -> Int {
        try await queryFirst("counting mappings", "SELECT count(*) FROM id_map WHERE a_scope IN (SELECT id FROM id_map_scopes WHERE link = $1)",
                             [.text(link)]) { try $0.int(0) } ?? 0
    }

    public func twins(link: String, side: LinkSide, connection: String, queries: [TwinQuery]) async throws -> [TwinQuery: IDMapping] {
        // One statement per (object, other object) of the queries, in one snapshot.
        struct Group: Hashable { var object: String; var otherObject: String? }
        var groups: [Group: [TwinQuery]] = [:]
        for query in queries { groups[Group(object: query.object, otherObject: query.otherObject), default: []].append(query) }
        return try await transaction("reading twins") { db in
            var found: [TwinQuery: IDMapping] = [:]
            found.reserveCapacity(queries.count)
            for (_, group) in groups {
                let first = group[0]
                guard let scope = try await scopeID(ScopeKey(link: link, connection: connection, object: first.object), on: db) else { continue }
                let rows = try await lookup(link: link, side: side, scope: scope, ids: group.map(\.id), otherObject: first.otherObject, on: db)
                for query in group { if let mapping = rows[query.id] { found[query] = mapping } }
            }
            return found
        }
    }

    public func mappings(link: String, side: LinkSide, connection: String, object: String, otherObject: String,
                         after afterID: String?, limit: Int) async throws -> [IDMapping] {
        try await read("paging through mappings") { db in
            guard let scope = try await scopeID(ScopeKey(link: link, connection: connection, object: object), on: db) else { return [] }
            let (own, ownID, other, otherAlias) = side == .a ? ("a_scope", "a_id", "b_scope", "sb") : ("b_scope", "b_id", "a_scope", "sa")
            return try await db.query("""
                SELECT \(Self.columns)
                WHERE m.\(own) = $1 AND \(otherAlias).object = $2 AND m.\(other) <> $1 AND m.\(ownID) > $3
                ORDER BY m.\(ownID), m.\(other) LIMIT $4
                """, [.int(scope), .text(otherObject), .text(afterID ?? ""), .int(limit)], logger: logger, Self.mapping(link: link))
        }
    }
}
