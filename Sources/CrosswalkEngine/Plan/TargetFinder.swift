import Foundation
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkStore

/// Finds target records by the value of one field, with reads that push the filter down to the
/// app (the engine filters again unless the app applied it in full).
struct TargetFinder {
    let state: RunState
    let step: Step

    /// Whether the target can be searched by field: the object reads with an `in` or `eq`
    /// filter, or does not declare its read behaviour (a generic connector: try).
    var canSearch: Bool {
        guard let object = step.object else { return true }
        guard let operators = object.read?.filter else { return false }
        return operators.contains("in") || operators.contains("eq")
    }

    /// The live target records whose `field` equals each value, keyed by the value's match text.
    func find(field: String, values: [JSONValue]) async throws -> [String: [ConnectorRecord]] {
        var wanted: [String: String] = [:]
        var unique: [JSONValue] = []
        for value in values {
            guard let key = value.matchText, wanted[key] == nil else { continue }
            wanted[key] = key
            unique.append(value)
        }
        let folded = Dictionary(wanted.keys.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let client = step.connector.client
        let supportsIn = step.object?.read?.filter?.contains("in") ?? true
        var found: [String: [ConnectorRecord]] = [:]
        let batch = supportsIn ? state.configuration.lookupBatch : 1
        for start in stride(from: 0, to: unique.count, by: batch) {
            let values = Array(unique[start..<min(start + batch, unique.count)])
            let filter: Filter = values.count == 1 ? .compare(.eq, field: field, value: values[0]) : .oneOf(field: field, values: values)
            var cursor: JSONValue?
            var seen = Set<String>()
            for _ in 0..<100_000 {
                let page = try await client.read(ReadRequest(object: step.to.object, cursor: cursor, limit: client.readBatchLimit, filter: filter))
                state.count(step.to.connection, step.to.object, "read", records: page.records.count)
                for record in page.records where !record.deleted && seen.insert(record.id).inserted {
                    guard let text = (record.fields[field] ?? .null).matchText else { continue }
                    if let key = wanted[text] {
                        found[key, default: []].append(record)
                    } else if page.filterApplied == .full, let key = folded[text.lowercased()] {
                        // The app matched (emails compare without case in most apps).
                        found[key, default: []].append(record)
                    }
                }
                guard page.hasMore else { break }
                cursor = page.nextCursor
            }
        }
        return found
    }
}
