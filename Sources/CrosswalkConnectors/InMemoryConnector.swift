import CrosswalkCore
import Foundation

/// A connector that keeps its app in memory: for tests of pure logic (the engine) and as the
/// reference for the ABI's read and write semantics.
///
/// Every change gets the next sequence number; reads page in sequence order with the cursor
/// `{"seq":N}` (exclusive), deletes show as `deleted:true` tombstones, `start:"now"` answers the
/// head cursor, filters are applied in full. Writes made through ``write(_:)`` are marked
/// `modified_by` ``integrationUser``; changes made with ``put(_:id:fields:by:)`` as another user.
public final class InMemoryConnector: ConnectorClient, @unchecked Sendable {
    public let connection: String
    public let pluginID: String
    public let manifest: ConnectorManifest
    /// The `modified_by` of writes made through the connector.
    public static let integrationUser = "crosswalk-integration"

    /// Counts of calls, for "n records cost m calls" assertions.
    public struct Counters: Sendable, Equatable {
        public var reads = 0
        public var writes = 0
        public var writtenRecords = 0
    }

    struct Stored {
        var record: ConnectorRecord
        var seq: Int
    }

    struct State {
        var objects: [String: [String: Stored]] = [:]
        var seq = 0
        var nextID = 1
        var counters = Counters()
        var closed = false
    }

    private let state = LockedValue(State())
    /// Called for each record of a write before it is applied; a non-nil result replaces the
    /// write (to inject failures and unknown outcomes).
    public let writeOverride: LockedValue<(@Sendable (String, WriteOperation, WriteItem) -> WriteItemResult?)?> = LockedValue(nil)

    /// A connector for `objects`, each readable and writable with every operation.
    public init(connection: String, pluginID: String = "dev.crosswalk.inmemory", objects: [String], matchKeys: [String: [String]] = [:],
                batchLimits: ConnectorManifest.Limits = .init(read: 500, write: 200)) {
        self.connection = connection
        self.pluginID = pluginID
        let manifestObjects = objects.map {
            ConnectorManifest.Object(name: $0, operations: ["read", "create", "update", "upsert", "delete"], matchKeys: matchKeys[$0],
                                     read: .init(incremental: true, orderKeys: ["seq"], boundary: .exclusive, deletes: .flag, byIDs: true,
                                                 filter: Filter.operatorNames))
        }
        manifest = ConnectorManifest(version: 1, objects: manifestObjects, auth: .init(scheme: "none"),
                                     capabilities: ["crosswalk.read/1", "crosswalk.write/1"], batchLimits: batchLimits, rateLimits: nil,
                                     settings: [], webhooks: nil, functions: [], functionSupport: nil, json: "{}")
    }

    public var counters: Counters { state.withLock { $0.counters } }

    // MARK: The app side (what a person does in the app)

    /// Creates or changes a record as a user of the app would (not through the connector).
    /// Returns the record's id.
    @discardableResult
    public func put(_ object: String, id: String? = nil, fields: [String: JSONValue], by user: String = "app-user") -> String {
        state.withLock { s in
            let id = id ?? Self.newID(&s)
            var merged = s.objects[object]?[id]?.record.fields ?? [:]
            merged.merge(fields) { _, new in new }
            Self.store(&s, object: object, id: id, fields: merged, deleted: false, by: user)
            return id
        }
    }

    /// Deletes a record as a user of the app would.
    public func remove(_ object: String, id: String, by user: String = "app-user") {
        state.withLock { s in
            guard s.objects[object]?[id] != nil else { return }
            Self.store(&s, object: object, id: id, fields: [:], deleted: true, by: user)
        }
    }

    /// The live (not deleted) records of `object`, by id.
    public func records(_ object: String) -> [String: ConnectorRecord] {
        state.withLock { s in (s.objects[object] ?? [:]).filter { !$0.value.record.deleted }.mapValues(\.record) }
    }

    private static func newID(_ s: inout State) -> String {
        defer { s.nextID += 1 }
        return "m\(s.nextID)"
    }

    private static func store(_ s: inout State, object: String, id: String, fields: [String: JSONValue], links: [RecordLink]? = nil,
                              deleted: Bool, by user: String) {
        s.seq += 1
        let stamp = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: 1_750_000_000 + Double(s.seq)))
        var record = ConnectorRecord(object: object, id: id, fields: fields, modifiedAt: stamp, deleted: deleted, modifiedBy: user)
        // A write's links replace the record's; a write without links keeps them.
        record.links = links ?? s.objects[object]?[id]?.record.links ?? []
        s.objects[object, default: [:]][id] = Stored(record: record, seq: s.seq)
    }

    // MARK: ConnectorClient

    public func check() async throws -> CheckResult { CheckResult(ok: true, message: "in-memory app \(connection)") }

    public func discover(_ request: DiscoverRequest) async throws -> DiscoverResult {
        let names = request.objects ?? manifest.objects.map(\.name)
        return DiscoverResult(objects: try names.map { name in
            guard manifest.object(name) != nil else { throw CrosswalkError(.notFound, "no object \(name)", context: ["connection": connection]) }
            let fields = Set(records(name).values.flatMap { $0.fields.keys }).sorted()
            return ObjectSchema(name: name, fields: fields.map { FieldSchema(name: $0, type: .string) })
        })
    }

    public func read(_ request: ReadRequest) async throws -> ReadResult {
        try state.withLock { s in
            guard !s.closed else { throw CrosswalkError(.invalidArgument, "read on a closed connector", context: ["connection": connection]) }
            guard manifest.object(request.object) != nil else {
                throw CrosswalkError(.notFound, "no object \(request.object)", context: ["connection": connection])
            }
            s.counters.reads += 1
            let all = s.objects[request.object] ?? [:]
            if request.start == "now" { return ReadResult(records: [], nextCursor: ["seq": .number(JSONNumber(s.seq))], hasMore: false) }
            if let ids = request.ids {
                let found = ids.compactMap { all[$0]?.record }
                return ReadResult(records: found, nextCursor: request.cursor, hasMore: false,
                                  missing: ids.filter { all[$0] == nil })
            }
            let after = request.cursor?["seq"]?.intValue ?? 0
            let limit = max(1, request.limit ?? 500)
            var page = all.values.filter { $0.seq > after }.sorted { $0.seq < $1.seq }
            let hasMore = page.count > limit
            page = Array(page.prefix(limit))
            let last = page.last?.seq ?? after
            var records = page.map(\.record)
            if let filter = request.filter { records = records.filter { $0.deleted || filter.matches($0.fields) } }
            return ReadResult(records: records, nextCursor: ["seq": .number(JSONNumber(last))], hasMore: hasMore,
                              filterApplied: request.filter == nil ? nil : .full)
        }
    }

    public func write(_ request: WriteRequest) async throws -> WriteResult {
        let override = writeOverride.withLock { $0 }
        return try state.withLock { s in
            guard !s.closed else { throw CrosswalkError(.invalidArgument, "write on a closed connector", context: ["connection": connection]) }
            guard request.records.count <= writeBatchLimit else {
                throw CrosswalkError(.invalidArgument, "batch of \(request.records.count) records is over the limit of \(writeBatchLimit)")
            }
            s.counters.writes += 1
            s.counters.writtenRecords += request.records.count
            return WriteResult(results: request.records.map { item in
                if let forced = override?(request.object, request.operation, item) { return forced }
                return Self.apply(&s, request: request, item: item)
            })
        }
    }

    private static func apply(_ s: inout State, request: WriteRequest, item: WriteItem) -> WriteItemResult {
        let object = request.object
        let live = (s.objects[object] ?? [:]).filter { !$0.value.record.deleted }
        func failure(_ code: String, _ message: String) -> WriteItemResult {
            .failure(item.ref, WriteError(code: code, message: message))
        }
        switch request.operation {
        case .create:
            let id = newID(&s)
            store(&s, object: object, id: id, fields: item.fields, links: item.links, deleted: false, by: integrationUser)
            return .success(item.ref, id: id, outcome: .created)
        case .update:
            guard let id = item.id, var fields = live[id]?.record.fields else { return failure("not_found", "no \(object) \(item.id ?? "(no id)")") }
            fields.merge(item.fields) { _, new in new }
            store(&s, object: object, id: id, fields: fields, links: item.links, deleted: false, by: integrationUser)
            return .success(item.ref, id: id, outcome: .updated)
        case .upsert:
            var target = item.id.flatMap { live[$0] != nil ? $0 : nil }
            if target == nil, let key = request.matchKey, let value = item.fields[key], !value.isNull {
                let matches = live.filter { $0.value.record.fields[key] == value }.map(\.key)
                if matches.count > 1 { return failure("conflict", "\(matches.count) \(object) records have \(key) = \(value.text)") }
                target = matches.first
            }
            if let id = target {
                var fields = live[id]!.record.fields
                fields.merge(item.fields) { _, new in new }
                store(&s, object: object, id: id, fields: fields, links: item.links, deleted: false, by: integrationUser)
                return .success(item.ref, id: id, outcome: .updated)
            }
            let id = newID(&s)
            store(&s, object: object, id: id, fields: item.fields, links: item.links, deleted: false, by: integrationUser)
            return .success(item.ref, id: id, outcome: .created)
        case .delete:
            guard let id = item.id, live[id] != nil else { return failure("not_found", "no \(object) \(item.id ?? "(no id)")") }
            store(&s, object: object, id: id, fields: [:], deleted: true, by: integrationUser)
            return .success(item.ref, id: id, outcome: .deleted)
        }
    }

    public func parseWebhook(_ request: WebhookRequest) async throws -> WebhookResult {
        throw CrosswalkError(.unsupported, "the in-memory connector has no webhooks", context: ["connection": connection])
    }

    public func close() async { state.withLock { $0.closed = true } }
}
