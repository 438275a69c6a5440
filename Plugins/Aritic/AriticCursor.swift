import CrosswalkPluginKit
import Foundation

/// A keyset position: the last record read in one stream (its time and id).
struct AriticMark: Sendable, Equatable {
    var at: Date
    var id: Int

    var json: JSONValue { ["at": .string(AriticTime.database(at)), "id": .number(JSONNumber(id))] }

    init(at: Date, id: Int) {
        self.at = at
        self.id = id
    }

    init?(_ value: JSONValue?) {
        guard let value, let text = value["at"]?.stringValue, let at = AriticTime.parse(text), let id = value["id"]?.intValue else { return nil }
        self.init(at: at, id: id)
    }
}

/// The read cursor. Two keyset streams, because Mautic leaves `dateModified` null until a record's first edit:
/// `added` over (date_added, id) for records never edited, `modified` over (date_modified, id) for the others.
/// During a run `upper` (the instance's clock at the run's start, less a second) bounds both, so records changed
/// while the run pages are read next run; `phase` says which stream the run is in.
struct AriticCursor: Sendable, Equatable {
    enum Phase: String, Sendable { case added, modified }

    var added: AriticMark?
    var modified: AriticMark?
    var upper: Date?
    var phase: Phase = .added

    static let version = 1

    init(added: AriticMark? = nil, modified: AriticMark? = nil, upper: Date? = nil, phase: Phase = .added) {
        self.added = added
        self.modified = modified
        self.upper = upper
        self.phase = phase
    }

    init(_ value: JSONValue?) throws {
        guard let value, !value.isNull else { return }
        guard value["v"]?.intValue == Self.version else {
            throw ConnectorError(.invalidArgument, "not an Aritic PinPoint cursor (version \(Self.version) expected): \(value.text)")
        }
        added = AriticMark(value["added"])
        modified = AriticMark(value["modified"])
        upper = value["upper"]?.stringValue.flatMap(AriticTime.parse)
        phase = value["phase"]?.stringValue.flatMap(Phase.init(rawValue:)) ?? .added
    }

    var json: JSONValue {
        var out: [String: JSONValue] = ["v": .number(JSONNumber(Self.version))]
        if let added { out["added"] = added.json }
        if let modified { out["modified"] = modified.json }
        if let upper {
            out["upper"] = .string(AriticTime.database(upper))
            out["phase"] = .string(phase.rawValue)
        }
        return .object(out)
    }
}
