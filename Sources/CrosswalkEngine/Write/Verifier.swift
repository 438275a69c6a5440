import Foundation
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkStore

/// What a look-up of an interrupted write found.
enum VerifyResult: Sendable {
    /// One target record has the intent's value: the write happened.
    case found(id: String, field: String)
    /// Several target records have it.
    case ambiguous(ids: [String], field: String)
    /// None has any of the values (these fields were searched).
    case notFound(fields: [String])
    /// The intent has nothing to search by, or the target cannot be searched.
    case cannotTell
}

/// Looks interrupted creates up in the target by their external id or match keys, in order.
struct Verifier {
    let state: RunState
    let step: Step

    func find(_ intents: [WriteIntent]) async throws -> [String: VerifyResult] {
        var results: [String: VerifyResult] = [:]
        let finder = TargetFinder(state: state, step: step)
        var open: [WriteIntent] = []
        for intent in intents {
            if intent.lookups.isEmpty || !finder.canSearch { results[intent.ref] = .cannotTell } else { open.append(intent) }
        }
        var round = 0
        while !open.isEmpty {
            var byField: [String: [(WriteIntent, JSONValue)]] = [:]
            var next: [WriteIntent] = []
            for intent in open {
                guard round < intent.lookups.count else {
                    results[intent.ref] = .notFound(fields: intent.lookups.map(\.field))
                    continue
                }
                let lookup = intent.lookups[round]
                guard let value = try? JSONValue(parsing: lookup.valueJSON) else {
                    next.append(intent)
                    continue
                }
                byField[lookup.field, default: []].append((intent, value))
            }
            for (field, wanted) in byField {
                let found = try await finder.find(field: field, values: wanted.map(\.1))
                for (intent, value) in wanted {
                    let records = value.matchText.flatMap { found[$0] } ?? []
                    switch records.count {
                    case 0: next.append(intent)
                    case 1: results[intent.ref] = .found(id: records[0].id, field: field)
                    default: results[intent.ref] = .ambiguous(ids: records.map(\.id), field: field)
                    }
                }
            }
            open = next
            round += 1
        }
        return results
    }
}
