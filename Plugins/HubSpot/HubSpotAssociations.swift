import CrosswalkPluginKit

/// One association type between two objects, as the labels endpoint lists it.
struct HubSpotAssociationType: Sendable, Equatable {
    var category: String
    var typeID: Int
    /// `nil` for the unlabeled (default) type.
    var label: String?
}

/// Associations v4: the labels of an object pair (`GET /crm/v4/associations/{from}/{to}/labels`; type ids are
/// read there, never hard-coded), batch reads of a page's associations, and batch creation for written links.
struct HubSpotAssociations {
    let api: HubSpotAPI

    /// `GET /crm/v4/associations/{from}/{to}/labels`.
    func labels(from: HubSpotKind, to: HubSpotKind) throws -> [HubSpotAssociationType] {
        let body = try api.json("GET", "/crm/v4/associations/\(from.rawValue)/\(to.rawValue)/labels")
        return (body["results"]?.arrayValue ?? []).compactMap { entry in
            guard let id = entry["typeId"]?.intValue else { return nil }
            return HubSpotAssociationType(category: entry["category"]?.stringValue ?? "HUBSPOT_DEFINED", typeID: id,
                                          label: entry["label"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
        }
    }

    /// The type a link names: its `type` as a label (case-insensitive) or a type id, else the unlabeled type.
    static func choose(_ types: [HubSpotAssociationType], for name: String?) -> HubSpotAssociationType? {
        if let name, !name.isEmpty {
            if let byLabel = types.first(where: { $0.label?.lowercased() == name.lowercased() }) { return byLabel }
            if let id = Int(name), let byID = types.first(where: { $0.typeID == id }) { return byID }
            if !name.contains("_to_") { return nil }
        }
        return types.first { $0.label == nil && $0.category == "HUBSPOT_DEFINED" } ?? types.first { $0.label == nil }
    }

    /// `POST /crm/v4/associations/{from}/{to}/batch/read`: the links of each id (label as the link's type, else
    /// `<from>_to_<to>`).
    func read(from: HubSpotKind, to: HubSpotKind, ids: [String], deadline: HubSpotDeadline) throws -> [String: [RecordLink]] {
        var out: [String: [RecordLink]] = [:]
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(start + 1000, ids.count)])
            start += chunk.count
            let body: JSONValue = ["inputs": .array(chunk.map { ["id": .string($0)] })]
            let answer = try api.json("POST", "/crm/v4/associations/\(from.rawValue)/\(to.rawValue)/batch/read", json: body, idempotent: true,
                                      deadline: deadline)
            for result in answer["results"]?.arrayValue ?? [] {
                guard let fromID = result["from"]?["id"]?.stringValue else { continue }
                for target in result["to"]?.arrayValue ?? [] {
                    guard let toID = target["toObjectId"]?.stringValue ?? target["toObjectId"]?.intValue.map(String.init) else { continue }
                    let label = (target["associationTypes"]?.arrayValue ?? []).compactMap { $0["label"]?.stringValue }.first
                    out[fromID, default: []].append(RecordLink(object: to.rawValue, id: toID, type: label ?? "\(from.singular)_to_\(to.singular)"))
                }
            }
        }
        return out
    }

    /// One link to make: from the record written to `to`'s record.
    struct Pending {
        var ref: String
        var fromID: String
        var link: RecordLink
    }

    /// Creates the links (`POST /crm/v4/associations/{from}/{to}/batch/create`, type ids from the labels endpoint),
    /// grouped by target object; the refs whose links failed, with the error.
    func create(from: HubSpotKind, _ pending: [Pending]) throws -> [String: ConnectorError] {
        var failures: [String: ConnectorError] = [:]
        let byTarget = Dictionary(grouping: pending) { $0.link.object }
        for (object, items) in byTarget.sorted(by: { $0.key < $1.key }) {
            guard let to = HubSpotKind(rawValue: object) else {
                for item in items { failures[item.ref] = ConnectorError(.invalidArgument, "HubSpot connector has no object \(object) to associate with") }
                continue
            }
            let types = try labels(from: from, to: to)
            var inputs: [JSONValue] = []
            var sent: [Pending] = []
            for item in items {
                guard let type = Self.choose(types, for: item.link.type) else {
                    let known = types.map { $0.label ?? "(unlabeled \($0.typeID))" }.joined(separator: ", ")
                    failures[item.ref] = ConnectorError(.invalidArgument, "no association label \"\(item.link.type ?? "")\" between \(from.rawValue) and \(object); the portal has \(known)",
                                                        fields: ["links"])
                    continue
                }
                inputs.append(["from": ["id": .string(item.fromID)], "to": ["id": .string(item.link.id)],
                               "types": [["associationCategory": .string(type.category), "associationTypeId": .number(JSONNumber(type.typeID))]]])
                sent.append(item)
            }
            var start = 0
            while start < inputs.count {
                let end = min(start + 100, inputs.count)
                let response = try api.send("POST", "/crm/v4/associations/\(from.rawValue)/\(object)/batch/create",
                                            json: ["inputs": .array(Array(inputs[start..<end]))], idempotent: true)
                if !(200..<300).contains(response.status) || response.status == 207 {
                    let error = HubSpotAPI.failure(response, "POST /crm/v4/associations/\(from.rawValue)/\(object)/batch/create")
                    for item in sent[start..<end] { failures[item.ref] = error }
                }
                start = end
            }
        }
        return failures
    }
}
