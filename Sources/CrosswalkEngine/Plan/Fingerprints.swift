import Foundation
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkStore

/// The fingerprints the engine compares: of what it writes, and of a record's content over the
/// fields a mapping writes (so a record read back can be compared with what was written).
enum Fingerprints {
    /// The fingerprint of `fields` over `names` (a missing field counts as null), with `links`.
    static func of(_ fields: [String: JSONValue], over names: [String], links: [RecordLink]? = nil) -> String {
        var object: [String: JSONValue] = Dictionary(minimumCapacity: names.count + 1)
        for name in names { object[name] = fields[name] ?? .null }
        if let links, !links.isEmpty {
            object["$links"] = .array(links.map { .object(["object": .string($0.object), "id": .string($0.id), "type": $0.type.map(JSONValue.string) ?? .null]) })
        }
        return Fingerprint.of(.object(object))
    }
}

extension IDMapping {
    /// The fingerprint stored for the record on `side`.
    func fingerprint(on side: LinkSide) -> String? { side == .a ? aFingerprint : bFingerprint }
}

extension JSONValue {
    /// An id or a match value as text: a string as it is, a number by its digits.
    var matchText: String? {
        switch self {
        case .string(let s): s.isEmpty ? nil : s
        case .number(let n): n.text
        case .bool(let b): b ? "true" : "false"
        case .null: nil
        default: text
        }
    }
}

/// Stable, attempt-independent idempotency keys (`ref`) per flow, step and source record.
enum IdempotencyKey {
    static func of(flow: String, step: String, source: RecordRef) -> String {
        let text = "\(flow)\u{0}\(step)\u{0}\(source.connection)\u{0}\(source.object)\u{0}\(source.id)"
        return "cw-" + Fingerprint.of(.string(text)).prefix(32)
    }
}
