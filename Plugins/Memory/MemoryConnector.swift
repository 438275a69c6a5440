import CrosswalkABI
import CrosswalkPluginKit
import Foundation

/// A connector whose "app" is memory: records live in the instance. Used by tests and demos to
/// exercise the whole ABI (read paging with cursors, batch writes, per-record failures) with no app.
///
/// Settings: `{"seed": 25}` creates 25 contacts up front (seeding is linear: benchmarks seed
/// 100,000).
///
/// Mapping functions (`crosswalk.functions/1`): `upper` string(string), an error for an empty
/// string and null for null; `plus` int64(int64,int64).
public final class MemoryConnector: Connector {
    public static let descriptor = ConnectorDescriptor(
        id: "dev.crosswalk.memory", name: "Memory (test connector)", version: "1.0.0", vendor: "Crosswalk",
        manifest: [
            "version": 1,
            "objects": [
                ["name": "Contact", "operations": ["read", "create", "update", "upsert", "delete"], "match_keys": ["Email"]],
            ],
            "auth": ["scheme": "none"],
            "capabilities": ["crosswalk.read/1", "crosswalk.write/1", "crosswalk.functions/1"],
            "batch_limits": ["read": 100, "write": 50],
            "settings": [["name": "seed", "type": "integer", "required": false]],
            "functions": [
                ["name": "upper", "symbol": "crosswalk_fn_memory_upper", "signature": "string(string)", "pure": true,
                 "description": "the string in upper case"],
                ["name": "plus", "symbol": "crosswalk_fn_memory_plus", "signature": "int64(int64,int64)", "pure": true],
            ],
            "function_support": MappingFunctions.manifestSupport,
        ])

    private var records: [String: Record] = [:]
    /// Change order: ids by sequence, so a cursor is a position in it.
    private var changes: [(seq: Int, id: String)] = []
    private var sequence = 0
    private let host: ConnectorHost
    private let clock = ISO8601DateFormatter()

    public init(host: ConnectorHost, settings: JSONValue) throws {
        self.host = host
        let seed = settings["seed"]?.intValue ?? 0
        guard seed >= 0 else { throw ConnectorError(.invalidArgument, "seed must be 0 or more, got \(seed)") }
        records.reserveCapacity(seed)
        changes.reserveCapacity(seed)
        let now = clock.string(from: Date())
        for i in 0..<seed {
            sequence += 1
            let id = "mem-\(sequence)"
            records[id] = Record(object: "Contact", id: id, fields: ["Email": .string("person\(i)@example.com"), "LastName": .string("Person \(i)")],
                                 modifiedAt: now)
            changes.append((sequence, id))
        }
        host.log(.debug, "memory connector ready with \(seed) contacts")
    }

    public func check() throws -> CheckResult { CheckResult(ok: true, message: "\(records.count) contacts in memory") }

    public func discover() throws -> DiscoverResult {
        DiscoverResult(objects: [ObjectInfo(name: "Contact", label: "Contact", fields: [
            FieldInfo(name: "Email", type: "string", unique: true),
            FieldInfo(name: "FirstName", type: "string"),
            FieldInfo(name: "LastName", type: "string", required: true),
        ])])
    }

    public func read(_ request: ReadRequest) throws -> ReadResult {
        guard request.object == "Contact" else { throw ConnectorError(.notFound, "unknown object '\(request.object)'") }
        if let ids = request.ids {
            return ReadResult(records: ids.compactMap { records[$0] }, nextCursor: request.cursor, hasMore: false)
        }
        let after = request.cursor?.intValue ?? 0
        let limit = min(max(request.limit ?? 100, 1), 100)
        // `changes` is ordered by sequence: find the first change after the cursor by bisection.
        var low = 0, high = changes.count
        while low < high {
            let mid = (low + high) / 2
            if changes[mid].seq > after { high = mid } else { low = mid + 1 }
        }
        let page = changes[low..<min(changes.count, low + limit)]
        let last = page.last?.seq ?? after
        return ReadResult(records: page.compactMap { records[$0.id] }, nextCursor: .number(JSONNumber(last)),
                          hasMore: changes.last.map { $0.seq > last } ?? false)
    }

    public func write(_ request: WriteRequest) throws -> WriteResult {
        guard request.object == "Contact" else { throw ConnectorError(.notFound, "unknown object '\(request.object)'") }
        guard request.records.count <= 50 else { throw ConnectorError(.invalidArgument, "at most 50 records per write") }
        return WriteResult(results: request.records.map { item in
            do { return try apply(request.operation, item, matchKey: request.matchKey) } catch let e as ConnectorError {
                return .failure(item.ref, e)
            } catch { return .failure(item.ref, ConnectorError(.internalError, "\(error)")) }
        })
    }

    private func apply(_ op: WriteOperation, _ item: WriteRequest.Item, matchKey: String?) throws -> WriteItemResult {
        switch op {
        case .create:
            guard case .string(let last)? = item.fields["LastName"], !last.isEmpty else {
                throw ConnectorError(.conflict, "REQUIRED_FIELD_MISSING: LastName")
            }
            return .success(item.ref, id: store(id: nil, fields: item.fields), created: true)
        case .update:
            guard let id = item.id, let existing = records[id] else { throw ConnectorError(.notFound, "no contact \(item.id ?? "(none)")") }
            return .success(item.ref, id: store(id: id, fields: existing.fields.merging(item.fields) { $1 }), created: false)
        case .upsert:
            let key = matchKey ?? "Email"
            let match = item.id.flatMap { records[$0] } ?? records.values.first { $0.fields[key] != nil && $0.fields[key] == item.fields[key] }
            if let match { return .success(item.ref, id: store(id: match.id, fields: match.fields.merging(item.fields) { $1 }), created: false) }
            return try apply(.create, item, matchKey: matchKey)
        case .delete:
            guard let id = item.id, records[id] != nil else { throw ConnectorError(.notFound, "no contact \(item.id ?? "(none)")") }
            sequence += 1
            records[id]?.deleted = true
            changes.append((sequence, id))
            return .success(item.ref, id: id, created: false)
        }
    }

    private func store(id: String?, fields: [String: JSONValue]) -> String {
        sequence += 1
        let id = id ?? "mem-\(sequence)"
        let now = clock.string(from: Date())
        let existed = records[id] != nil
        records[id] = Record(object: "Contact", id: id, fields: fields, modifiedAt: now)
        if existed { changes.removeAll { $0.id == id } }
        changes.append((sequence, id))
        return id
    }
}

/// `upper`: the string in upper case; an error for an empty string, null for null.
@_cdecl("crosswalk_fn_memory_upper")
public func memoryUpper(_ text: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    MappingFunctions.string {
        guard let text = MappingFunctions.argument(text) else { return nil }
        guard !text.isEmpty else { throw ConnectorError(.invalidArgument, "upper needs a non-empty string") }
        return text.uppercased()
    }
}

/// `plus`: the sum of two integers (wrapping).
@_cdecl("crosswalk_fn_memory_plus")
public func memoryPlus(_ a: Int64, _ b: Int64) -> Int64 {
    MappingFunctions.value(0) { a &+ b }
}

@_cdecl("crosswalk_plugin_entry")
public func crosswalkPluginEntry(_ host: UnsafePointer<crosswalk_host_v1>?) -> UnsafePointer<crosswalk_plugin_v1>? {
    ConnectorExport.entry(MemoryConnector.self, host: host)
}
