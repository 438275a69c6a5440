import CrosswalkCore
import Foundation

/// One association type: a direction between two object types, optionally labelled.
struct HubSpotAssociationType: Sendable {
    var typeId: Int
    var category: String
    var from: HubSpotObjectType
    var to: HubSpotObjectType
    /// `nil` for the unlabeled default type.
    var label: String?
    /// The type id of the other direction.
    var inverse: Int
    /// The v3 name shown in `associations` of object responses (`contact_to_company`).
    var v3Name: String
    /// A record may hold this type towards one record only (the primary company).
    var exclusive = false

    /// The type table: HubSpot-defined ids [doc: "Association type ID values"] plus two seeded user labels.
    static let all: [HubSpotAssociationType] = {
        var list: [HubSpotAssociationType] = []
        func pair(_ a: Int, _ b: Int, _ from: HubSpotObjectType, _ to: HubSpotObjectType, label: String? = nil,
                  category: String = "HUBSPOT_DEFINED", exclusiveForward: Bool = false, suffix: String = "") {
            list.append(HubSpotAssociationType(typeId: a, category: category, from: from, to: to, label: label, inverse: b,
                                               v3Name: "\(from.singular)_to_\(to.singular)\(suffix)", exclusive: exclusiveForward))
            list.append(HubSpotAssociationType(typeId: b, category: category, from: to, to: from, label: label, inverse: a,
                                               v3Name: "\(to.singular)_to_\(from.singular)\(suffix)"))
        }
        pair(279, 280, .contacts, .companies, suffix: "_unlabeled")
        pair(1, 2, .contacts, .companies, label: "Primary", exclusiveForward: true)
        pair(4, 3, .contacts, .deals)
        pair(341, 342, .deals, .companies, suffix: "_unlabeled")
        pair(5, 6, .deals, .companies, label: "Primary", exclusiveForward: true)
        pair(177, 178, .invoices, .contacts)
        pair(179, 180, .invoices, .companies)
        pair(175, 176, .invoices, .deals)
        pair(1001, 1002, .contacts, .companies, label: "Billing contact", category: "USER_DEFINED", suffix: "_billing_contact")
        pair(1003, 1004, .deals, .contacts, label: "Decision maker", category: "USER_DEFINED", suffix: "_decision_maker")
        return list
    }()

    static func find(_ typeId: Int) -> HubSpotAssociationType? { all.first { $0.typeId == typeId } }

    /// The unlabeled type from `from` to `to` (what "default" associations create).
    static func defaultType(from: HubSpotObjectType, to: HubSpotObjectType) -> HubSpotAssociationType? {
        all.first { $0.from == from && $0.to == to && $0.label == nil }
    }

    /// `{category, typeId, label?}` as v4 responses list it.
    var json: [String: Any] {
        var o: [String: Any] = ["category": category, "typeId": typeId]
        if let label { o["label"] = label }
        return o
    }
}

/// One directed association between two records.
struct HubSpotEdge: Hashable, Codable, Sendable {
    var from: HubSpotObjectType
    var fromId: String
    var to: HubSpotObjectType
    var toId: String

    var reversed: HubSpotEdge { HubSpotEdge(from: to, fromId: toId, to: from, toId: fromId) }
}

/// Associations between records, stored in both directions, with an index from each record to its
/// neighbours of one type (derived, not saved) so that no operation scans every edge.
struct HubSpotAssociationStore: Codable, Sendable {
    private(set) var edges: [HubSpotEdge: Set<Int>] = [:]
    private var neighbours: [Origin: Set<String>] = [:]

    /// A record and the object type of its neighbours.
    private struct Origin: Hashable, Sendable {
        var from: HubSpotObjectType
        var fromId: String
        var to: HubSpotObjectType
        init(_ edge: HubSpotEdge) { self.init(from: edge.from, fromId: edge.fromId, to: edge.to) }
        init(from: HubSpotObjectType, fromId: String, to: HubSpotObjectType) {
            self.from = from
            self.fromId = fromId
            self.to = to
        }
    }

    private enum CodingKeys: String, CodingKey { case edges }

    init() {}

    init(from decoder: any Decoder) throws {
        edges = try decoder.container(keyedBy: CodingKeys.self).decode([HubSpotEdge: Set<Int>].self, forKey: .edges)
        for edge in edges.keys { neighbours[Origin(edge), default: []].insert(edge.toId) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(edges, forKey: .edges)
    }

    /// Adds `typeIds` (each must go from `edge.from` to `edge.to`) and their inverses.
    mutating func add(_ edge: HubSpotEdge, typeIds: [Int]) {
        for typeId in typeIds {
            guard let type = HubSpotAssociationType.find(typeId) else { continue }
            if type.exclusive {
                for otherId in neighbours[Origin(edge)] ?? [] where otherId != edge.toId {
                    remove(HubSpotEdge(from: edge.from, fromId: edge.fromId, to: edge.to, toId: otherId), typeIds: [typeId])
                }
            }
            edges[edge, default: []].insert(typeId)
            edges[edge.reversed, default: []].insert(type.inverse)
            neighbours[Origin(edge), default: []].insert(edge.toId)
            neighbours[Origin(edge.reversed), default: []].insert(edge.fromId)
        }
    }

    /// Removes the given types (and inverses); with `nil`, removes every type between the two records.
    mutating func remove(_ edge: HubSpotEdge, typeIds: [Int]? = nil) {
        let ids = typeIds ?? Array(edges[edge] ?? [])
        for typeId in ids {
            edges[edge]?.remove(typeId)
            if let inverse = HubSpotAssociationType.find(typeId)?.inverse { edges[edge.reversed]?.remove(inverse) }
        }
        for e in [edge, edge.reversed] where edges[e]?.isEmpty == true {
            edges[e] = nil
            neighbours[Origin(e)]?.remove(e.toId)
        }
    }

    /// Types from one record to another, sorted.
    func types(_ edge: HubSpotEdge) -> [Int] { (edges[edge] ?? []).sorted() }

    /// The records of type `to` associated with (`from`, `fromId`), oldest id first, with their type ids.
    func targets(from: HubSpotObjectType, fromId: String, to: HubSpotObjectType) -> [(id: String, typeIds: [Int])] {
        (neighbours[Origin(from: from, fromId: fromId, to: to)] ?? [])
            .compactMap { id in edges[HubSpotEdge(from: from, fromId: fromId, to: to, toId: id)].map { (id: id, typeIds: $0.sorted()) } }
            .sorted { (Int($0.id) ?? 0, $0.id) < (Int($1.id) ?? 0, $1.id) }
    }

    mutating func removeAll() {
        edges = [:]
        neighbours = [:]
    }
}
