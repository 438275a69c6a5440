import CrosswalkCore
import Foundation
import Synchronization

/// Open query results that `nextRecordsUrl` pages through; they live 2 days, as Salesforce's locators do.
///
/// A cursor keeps the positions of its rows as they were when the query ran (4 bytes a row), so every
/// page costs the same whatever its offset. To bound memory the oldest cursors are dropped past 500 open
/// cursors or 20 million rows held (Salesforce itself has no open-cursor limit since API 56.0).
struct SalesforceCursors: Sendable {
    struct Cursor: Sendable {
        var object: String
        var positions: [Int32]
        var paths: [SOQLFieldPath]
        var batchSize: Int
        var expiresAt: Date
        /// The table layout the positions belong to.
        var layout: Int
    }

    static let lifetime: TimeInterval = 2 * 86_400
    static let capacity = 500
    static let rowCapacity = 20_000_000

    private var open: [String: Cursor] = [:]
    private var order: [String] = []
    private var sequence = 0
    private var rowsHeld = 0

    /// Keeps `cursor` and returns its locator id (`0r8…`).
    mutating func add(_ cursor: Cursor, now: Date) -> String {
        sequence += 1
        let locator = SalesforceID.make(prefix: "0r8", sequence: sequence)
        open[locator] = cursor
        order.append(locator)
        rowsHeld += cursor.positions.count
        let expired = order.filter { (open[$0]?.expiresAt ?? now) <= now }
        for id in expired { drop(id) }
        if !expired.isEmpty { order.removeAll { open[$0] == nil } }
        while order.count > Self.capacity || (rowsHeld > Self.rowCapacity && order.count > 1) { drop(order.removeFirst()) }
        return locator
    }

    private mutating func drop(_ id: String) {
        if let c = open.removeValue(forKey: id) { rowsHeld -= c.positions.count }
    }

    func cursor(_ locator: String, now: Date) -> Cursor? {
        guard let cursor = open[locator], cursor.expiresAt > now else { return nil }
        return cursor
    }
}

/// `query/` and `queryAll/`: SOQL with `nextRecordsUrl` paging.
extension SalesforceApp {
    func query(_ call: SalesforceCall, includeDeleted: Bool) throws(SalesforceError) -> SandboxResponse {
        try Self.allow(call, ["GET", "HEAD"])
        let resource = call.segments[0]
        if call.segments.count == 2 { return try nextPage(call, resource: resource, locatorWithOffset: call.segments[1]) }
        guard call.segments.count == 1 else { throw SalesforceError.notFound }
        guard let soql = call.request.queryValue("q"), !soql.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SalesforceError(status: 400, code: "MALFORMED_QUERY", message: "A query string has to be specified")
        }
        let parsed = try SOQLParser.parse(soql, now: call.now)
        let batchSize = Self.batchSize(call.request.headers["Sforce-Query-Options"])
        return state.withLock { state in
            switch parsed.selection {
            case .count:
                let positions = parsed.run(&state.store, includeDeleted: includeDeleted)
                return .json(200, ["totalSize": positions.count, "done": true, "records": [Any]()])
            case .aggregate(let columns):
                return Self.aggregatePage(parsed.aggregateRows(&state.store, includeDeleted: includeDeleted), columns)
            case .fields(let paths):
                let positions = parsed.run(&state.store, includeDeleted: includeDeleted)
                let layout = state.store.table(parsed.object.name)?.layout ?? 0
                let cursor = SalesforceCursors.Cursor(object: parsed.object.name, positions: positions, paths: paths, batchSize: batchSize,
                                                      expiresAt: call.now.addingTimeInterval(SalesforceCursors.lifetime), layout: layout)
                let locator = positions.count > batchSize ? state.cursors.add(cursor, now: call.now) : nil
                return Self.page(cursor, locator: locator, offset: 0, resource: resource, call: call, store: state.store)
            }
        }
    }

    private func nextPage(_ call: SalesforceCall, resource: String, locatorWithOffset: String) throws(SalesforceError) -> SandboxResponse {
        let invalid = SalesforceError(status: 400, code: "INVALID_QUERY_LOCATOR", message: "invalid query locator")
        let parts = locatorWithOffset.split(separator: "-")
        guard parts.count == 2, let offset = Int(parts[1]), offset >= 0 else { throw invalid }
        let locator = String(parts[0])
        return try state.withLock { state throws(SalesforceError) in
            guard let cursor = state.cursors.cursor(locator, now: call.now), offset < cursor.positions.count,
                  state.store.table(cursor.object)?.layout == cursor.layout else { throw invalid }
            return Self.page(cursor, locator: locator, offset: offset, resource: resource, call: call, store: state.store)
        }
    }

    /// `AggregateResult` rows, all in one response: Salesforce does not page aggregate results with queryMore.
    private static func aggregatePage(_ rows: [SOQLQuery.AggregateRow], _ columns: [SOQLColumn]) -> SandboxResponse {
        var w = SalesforceJSONWriter(capacity: 64 + rows.count * 96)
        w.raw("{\"totalSize\":")
        w.int(rows.count)
        w.raw(",\"done\":true,\"records\":[")
        for (k, row) in rows.enumerated() {
            if k > 0 { w.byte(0x2C) }
            w.raw("{\"attributes\":{\"type\":\"AggregateResult\"}")
            for (column, value) in zip(columns, row) {
                w.byte(0x2C)
                w.key(column.key)
                w.cell(value)
            }
            w.byte(0x7D)
        }
        w.raw("]}")
        return SandboxResponse(status: 200, headers: ["Content-Type": "application/json;charset=UTF-8"], body: w.data)
    }

    /// One page of a cursor: `{"totalSize","done","nextRecordsUrl","records"}`, written straight from the rows.
    private static func page(_ cursor: SalesforceCursors.Cursor, locator: String?, offset: Int, resource: String,
                             call: SalesforceCall, store: SalesforceStore) -> SandboxResponse {
        let total = cursor.positions.count
        let end = min(total, offset + cursor.batchSize)
        var w = SalesforceJSONWriter(capacity: 64 + (end - offset) * 1024)
        w.raw("{\"totalSize\":")
        w.int(total)
        w.raw(",\"done\":")
        w.bool(end >= total)
        if end < total, let locator {
            w.raw(",\"nextRecordsUrl\":")
            w.string("/services/data/\(call.version)/\(resource)/\(locator)-\(end)")
        }
        w.raw(",\"records\":[")
        if let table = store.table(cursor.object), offset < end {
            let plan = SalesforceRender.Plan(table.object, paths: cursor.paths)
            var scratch = SalesforceRender.Scratch()
            for k in offset..<end {
                if k > offset { w.byte(0x2C) }
                SalesforceRender.row(&w, table[Int(cursor.positions[k])], plan, store: store, version: call.version, scratch: &scratch)
            }
        }
        w.raw("]}")
        return SandboxResponse(status: 200, headers: ["Content-Type": "application/json;charset=UTF-8"], body: w.data)
    }

    /// `Sforce-Query-Options: batchSize=N`: a hint between 200 and 2,000 (default 2,000).
    static func batchSize(_ header: String?) -> Int {
        guard let header else { return 2000 }
        for option in header.split(separator: ",") {
            let pair = option.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "batchsize", let n = Int(pair[1]) { return min(2000, max(200, n)) }
        }
        return 2000
    }
}
