import CrosswalkCore
import CrosswalkStore
import Foundation
import PostgresNIO

/// Raw rows in and out, for `crosswalk store migrate` (an embedded deployment moving to the shared store).
extension PostgresStore {
    /// How many rows a table holds.
    public func rowCount(_ table: StoreTable) async throws -> Int {
        try await queryFirst("counting rows", "SELECT count(*) FROM \(table.name)") { try $0.int(0) } ?? 0
    }

    /// Copies rows into tables, all in one transaction: `pages` is called for each table in turn
    /// until it returns an empty page (so a large table streams through in pages). With `replace`,
    /// every table is emptied first; otherwise a table that holds rows is refused (`.conflict`).
    /// Sequences follow the copied ids. Returns the rows copied per table.
    public func importTables(_ tables: [StoreTable], replace: Bool,
                             pages: @Sendable (StoreTable, Int) async throws -> [[StoreValue]]) async throws -> [String: Int] {
        try await transaction("copying rows in") { db in
            if replace {
                try await db.run("TRUNCATE \(tables.map(\.name).joined(separator: ", ")) RESTART IDENTITY CASCADE", logger: logger)
            } else {
                for table in tables {
                    let count = try await db.queryFirst("SELECT count(*) FROM \(table.name)", logger: logger) { try $0.int(0) } ?? 0
                    guard count == 0 else {
                        throw CrosswalkError(.conflict, "the target's table \(table.name) holds \(count) rows; copy into an empty database, or replace what is there (--replace)",
                                             context: ["table": table.name])
                    }
                }
            }
            var copied: [String: Int] = [:]
            for table in tables {
                var offset = 0
                while true {
                    let rows = try await pages(table, offset)
                    if rows.isEmpty { break }
                    try await insert(rows, into: table, on: db)
                    offset += rows.count
                }
                copied[table.name] = offset
                if let serial = table.serial {
                    try await db.run("SELECT setval(pg_get_serial_sequence('\(table.name)', '\(serial)'), coalesce(max(\(serial)), 0) + 1, false) FROM \(table.name)",
                                     logger: logger)
                }
            }
            return copied
        }
    }

    private func insert(_ rows: [[StoreValue]], into table: StoreTable, on db: PostgresConnection) async throws {
        let width = table.columns.count
        // At most 65,535 parameters a statement.
        let perStatement = max(1, 60_000 / width)
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            var values: [PGValue] = []
            var tuples: [String] = []
            for row in chunk {
                var placeholders: [String] = []
                for (column, value) in zip(table.columns, row) {
                    values.append(value.pg)
                    placeholders.append(table.booleans.contains(column) ? "($\(values.count)::bigint <> 0)" : "$\(values.count)")
                }
                tuples.append("(" + placeholders.joined(separator: ", ") + ")")
            }
            try await db.run("INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))",
                             values, logger: logger)
            start += chunk.count
        }
    }
}

extension StoreValue {
    var pg: PGValue {
        switch self {
        case .null: .null
        case .int(let v): .int(v)
        case .text(let v): .text(v)
        case .bytes(let v): .bytes(v)
        }
    }
}
