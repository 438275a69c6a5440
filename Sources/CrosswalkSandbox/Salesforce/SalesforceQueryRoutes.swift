import CrosswalkCore
import Foundation
import Synchronization

/// Open query results that `nextRecordsUrl` pages through; they live 2 days, as Salesforce's locators do.
struct SalesforceCursors: Sendable {
    struct Cursor: Sendable {
        var rows: [SalesforceRecord]
        var paths: [SOQLFieldPath]
        var batchSize: Int
        var expiresAt: Date
    }

    static let lifetime: TimeInterval = 2 * 86_400
    /// Oldest cursors are dropped past this many, to bound memory.
    static let capacity = 500

    private var open: [String: Cursor] = [:]
    private var order: [String] = []
    private var sequence = 0

    /// Keeps `cursor` and returns its locator id (`0r8…`).
    mutating func add(_ cursor: Cursor, now: Date) -> String {
        sequence += 1
        let locator = SalesforceID.make(prefix: "0r8", sequence: sequence)
        open[locator] = cursor
        order.append(locator)
        order.removeAll { id in
            guard let c = open[id], c.expiresAt > now else { open[id] = nil; return true }
            return false
        }
        while order.count > Self.capacity { open[order.removeFirst()] = nil }
        return locator
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
            let rows = parsed.run(state.store, includeDeleted: includeDeleted)
            switch parsed.selection {
            case .count:
                return .json(200, ["totalSize": rows.count, "done": true, "records": [Any]()])
            case .countField:
                return .json(200, ["totalSize": 1, "done": true,
                                   "records": [["attributes": ["type": "AggregateResult"], "expr0": rows.count]]])
            case .fields(let paths):
                let cursor = SalesforceCursors.Cursor(rows: rows, paths: paths, batchSize: batchSize,
                                                      expiresAt: call.now.addingTimeInterval(SalesforceCursors.lifetime))
                let locator = rows.count > batchSize ? state.cursors.add(cursor, now: call.now) : nil
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
            guard let cursor = state.cursors.cursor(locator, now: call.now), offset < cursor.rows.count else { throw invalid }
            return Self.page(cursor, locator: locator, offset: offset, resource: resource, call: call, store: state.store)
        }
    }

    private static func page(_ cursor: SalesforceCursors.Cursor, locator: String?, offset: Int, resource: String,
                             call: SalesforceCall, store: SalesforceStore) -> SandboxResponse {
        let end = min(cursor.rows.count, offset + cursor.batchSize)
        let records = cursor.rows[offset..<end].map { SalesforceRender.row($0, paths: cursor.paths, store: store, version: call.version) }
        var body: [String: Any] = ["totalSize": cursor.rows.count, "done": end >= cursor.rows.count, "records": records]
        if end < cursor.rows.count, let locator {
            body["nextRecordsUrl"] = "/services/data/\(call.version)/\(resource)/\(locator)-\(end)"
        }
        return .json(200, body)
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
