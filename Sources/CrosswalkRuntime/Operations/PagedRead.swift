import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins

/// `crosswalk read`: one page, or every page (`all`) following `has_more`, through a connector.
public struct PagedRead: Sendable {
    public var request: ReadRequest
    /// Follow `has_more` until caught up.
    public var all: Bool
    /// A bound on pages for `all`, against a plugin that never says it is caught up.
    public var maxPages: Int

    public init(request: ReadRequest, all: Bool, maxPages: Int = 100_000) {
        self.request = request
        self.all = all
        self.maxPages = maxPages
    }

    /// Where a read stopped.
    public struct Outcome: Sendable {
        public var pages = 0
        public var records = 0
        /// The last page's `next_cursor`: resume here.
        public var nextCursor: JSONValue?
        public var hasMore = false
        /// Ids a read by ids did not find.
        public var missing: [String] = []
    }

    /// Reads, handing each page to `page` as it arrives.
    /// - Throws: the connector's errors; `.internalError` when `has_more` comes without a cursor
    ///   (following it would read the first page forever).
    public func run(_ client: any ConnectorClient, page: (Int, ReadResult) async throws -> Void) async throws -> Outcome {
        var outcome = Outcome()
        var request = self.request
        if request.limit == nil { request.limit = client.readBatchLimit }
        while true {
            let result = try await client.read(request)
            outcome.pages += 1
            outcome.records += result.records.count
            outcome.nextCursor = result.nextCursor
            outcome.hasMore = result.hasMore
            outcome.missing += result.missing ?? []
            try await page(outcome.pages, result)
            guard all, result.hasMore, request.ids == nil, outcome.pages < maxPages else { break }
            guard let next = result.nextCursor, !next.isNull else {
                throw CrosswalkError(.internalError, "\(client.pluginID): read answered has_more:true without a next_cursor",
                                     context: ["plugin": client.pluginID, "connection": client.connection, "operation": "read"])
            }
            request.cursor = next
            request.start = nil
        }
        return outcome
    }
}
