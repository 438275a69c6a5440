import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import Foundation

/// `crosswalk write`: records in, batched by the connector's `batch_limits.write`, one result
/// per record out.
public struct BatchedWrite: Sendable {
    public var object: String
    public var operation: WriteOperation
    public var matchKey: String?
    public var items: [WriteItem]

    public init(object: String, operation: WriteOperation, matchKey: String? = nil, items: [WriteItem]) {
        self.object = object
        self.operation = operation
        self.matchKey = matchKey
        self.items = items
    }

    /// Records as JSON lines: a write item (`{"ref":…,"id":…,"fields":{…},"links":[…]}`) or a
    /// record as `crosswalk read` prints it (`object`, `id`, `fields`, …: extra members ignored).
    /// A line without `ref` gets `line-<n>`. Blank lines are skipped.
    /// - Throws: `.invalidArgument` naming the line that is not a JSON object with object `fields`.
    public static func items(jsonLines data: Data) throws -> [WriteItem] {
        var items: [WriteItem] = []
        var refs = Set<String>()
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            guard line.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
            let value: JSONValue
            do { value = try JSONParser.parse(Data(line)) } catch {
                throw CrosswalkError(.invalidArgument, "line \(number): not JSON (\(error))", context: ["line": String(number)])
            }
            guard case .object(var members) = value else {
                throw CrosswalkError(.invalidArgument, "line \(number): expected a JSON object with \"fields\"", context: ["line": String(number)])
            }
            if members["ref"] == nil { members["ref"] = .string("line-\(number)") }
            if members["fields"] == nil { members["fields"] = .object([:]) }
            if members["links"]?.arrayValue?.isEmpty == true { members["links"] = nil }
            let item: WriteItem
            do { item = try JSONValueDecoder().decode(WriteItem.self, from: .object(members)) } catch let e as DecodingError {
                throw CrosswalkError(.invalidArgument, "line \(number): \(e.crosswalkDescription)", context: ["line": String(number)])
            }
            guard refs.insert(item.ref).inserted else {
                throw CrosswalkError(.invalidArgument, "line \(number): ref \"\(item.ref)\" is used twice", context: ["line": String(number)])
            }
            items.append(item)
        }
        return items
    }

    /// What the whole write did.
    public struct Summary: Sendable {
        public var batches = 0
        public var outcomes: [WriteOutcome: Int] = [:]
        public var failed: Int { (outcomes[.failed] ?? 0) + (outcomes[.unknown] ?? 0) }
        public var total: Int { outcomes.values.reduce(0, +) }
    }

    /// Writes every item, handing each record's result to `result` in input order per batch. A
    /// record the connector answered nothing for gets a failed result saying so.
    public func run(_ client: any ConnectorClient, result: (WriteItemResult) async throws -> Void) async throws -> Summary {
        var summary = Summary()
        let size = client.writeBatchLimit
        for start in stride(from: 0, to: items.count, by: size) {
            let batch = Array(items[start..<min(start + size, items.count)])
            let answer = try await client.write(WriteRequest(object: object, operation: operation, matchKey: matchKey, records: batch))
            summary.batches += 1
            var byRef: [String: WriteItemResult] = [:]
            for r in answer.results where byRef[r.ref] == nil { byRef[r.ref] = r }
            for item in batch {
                let r = byRef[item.ref] ?? .failure(item.ref, WriteError(code: "internal", message: "the connector answered no result for this record"))
                summary.outcomes[r.effectiveOutcome, default: 0] += 1
                try await result(r)
            }
        }
        return summary
    }
}
