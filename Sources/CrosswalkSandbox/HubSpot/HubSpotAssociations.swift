import CrosswalkCore
import Foundation

/// One association type: a direction between two object types, optionally labelled.
struct HubSpotAssociationType: Codable, Sendable, Equatable {
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

    /// `{category, typeId, label?}` as v4 responses list it.
    var json: [String: Any] {
        var o: [String: Any] = ["category": category, "typeId": typeId]
        if let label { o["label"] = label }
        return o
    }

    /// HubSpot's defined types [doc: developers.hubspot.com/docs/api-reference/crm-associations-v4/guide,
    /// "Association type ID values"]: unlabeled defaults, Primary labels, and the engagement pairs.
    static let hubspotDefined: [HubSpotAssociationType] = {
        var list: [HubSpotAssociationType] = []
        func pair(_ a: Int, _ b: Int, _ from: HubSpotObjectType, _ to: HubSpotObjectType, label: String? = nil, exclusive: Bool = false,
                  suffix: String = "") {
            list.append(HubSpotAssociationType(typeId: a, category: "HUBSPOT_DEFINED", from: from, to: to, label: label, inverse: b,
                                               v3Name: "\(from.singular)_to_\(to.singular)\(suffix)", exclusive: exclusive))
            list.append(HubSpotAssociationType(typeId: b, category: "HUBSPOT_DEFINED", from: to, to: from, label: label, inverse: a,
                                               v3Name: "\(to.singular)_to_\(from.singular)\(suffix)"))
        }
        pair(279, 280, .contacts, .companies, suffix: "_unlabeled")
        pair(1, 2, .contacts, .companies, label: "Primary", exclusive: true)
        pair(4, 3, .contacts, .deals)
        pair(15, 16, .contacts, .tickets)
        pair(341, 342, .deals, .companies, suffix: "_unlabeled")
        pair(5, 6, .deals, .companies, label: "Primary", exclusive: true)
        pair(339, 340, .tickets, .companies, suffix: "_unlabeled")
        pair(26, 25, .tickets, .companies, label: "Primary", exclusive: true)
        pair(27, 28, .deals, .tickets)
        pair(19, 20, .deals, .lineItems)
        pair(63, 64, .deals, .quotes)
        pair(67, 68, .quotes, .lineItems)
        pair(69, 70, .quotes, .contacts)
        pair(177, 178, .invoices, .contacts)
        pair(179, 180, .invoices, .companies)
        pair(175, 176, .invoices, .deals)
        pair(409, 410, .invoices, .lineItems)
        // Engagements: company 181…, contact 193…, deal 205…, ticket 219… (call, email, meeting, note, task).
        for (owner, base) in [(HubSpotObjectType.companies, 181), (.contacts, 193), (.deals, 205), (.tickets, 219)] {
            for (offset, engagement) in [(0, HubSpotObjectType.calls), (4, .emails), (6, .meetings), (8, .notes), (10, .tasks)] {
                pair(base + offset, base + offset + 1, owner, engagement)
            }
        }
        return list
    }()
}

/// The association types of a portal: HubSpot's defined ones and the custom labels made through
/// `/crm/v4/associations/{from}/{to}/labels` (ids from 1,000 up; two seeded: 1001/1002 "Billing contact",
/// 1003/1004 "Decision maker").
struct HubSpotAssociationLabels: Codable, Sendable {
    var custom: [HubSpotAssociationType] = HubSpotAssociationLabels.seeded
    var nextTypeId = 1005

    static let seeded: [HubSpotAssociationType] = [
        HubSpotAssociationType(typeId: 1001, category: "USER_DEFINED", from: .contacts, to: .companies, label: "Billing contact", inverse: 1002,
                               v3Name: "contact_to_company_billing_contact"),
        HubSpotAssociationType(typeId: 1002, category: "USER_DEFINED", from: .companies, to: .contacts, label: "Billing contact", inverse: 1001,
                               v3Name: "company_to_contact_billing_contact"),
        HubSpotAssociationType(typeId: 1003, category: "USER_DEFINED", from: .deals, to: .contacts, label: "Decision maker", inverse: 1004,
                               v3Name: "deal_to_contact_decision_maker"),
        HubSpotAssociationType(typeId: 1004, category: "USER_DEFINED", from: .contacts, to: .deals, label: "Decision maker", inverse: 1003,
                               v3Name: "contact_to_deal_decision_maker"),
    ]

    private static let defined: [Int: HubSpotAssociationType] = Dictionary(HubSpotAssociationType.hubspotDefined.map { ($0.typeId, $0) },
                                                                           uniquingKeysWith: { a, _ in a })

    /// Every type from `from` to `to`, HubSpot's first.
    func types(from: HubSpotObjectType, to: HubSpotObjectType) -> [HubSpotAssociationType] {
        (HubSpotAssociationType.hubspotDefined + custom).filter { $0.from == from && $0.to == to }
    }

    /// The type `typeId` (any direction).
    func find(_ typeId: Int) -> HubSpotAssociationType? { Self.defined[typeId] ?? custom.first { $0.typeId == typeId } }

    /// The type `typeId` when it goes out of `from` and belongs to `category` (when one is given).
    func find(_ typeId: Int, from: HubSpotObjectType, category: String?) -> HubSpotAssociationType? {
        guard let type = find(typeId), type.from == from, category == nil || type.category == category else { return nil }
        return type
    }

    /// The type `typeId` from `from` to `to`.
    func type(_ typeId: Int, from: HubSpotObjectType, to: HubSpotObjectType) -> HubSpotAssociationType? {
        find(typeId).flatMap { $0.from == from && $0.to == to ? $0 : nil }
    }

    /// The unlabeled type from `from` to `to` (what "default" associations create).
    func defaultType(from: HubSpotObjectType, to: HubSpotObjectType) -> HubSpotAssociationType? {
        HubSpotAssociationType.hubspotDefined.first { $0.from == from && $0.to == to && $0.label == nil }
    }

    /// Adds a USER_DEFINED label pair; returns both directions (the inverse carries `inverseLabel` when given).
    mutating func create(from: HubSpotObjectType, to: HubSpotObjectType, name: String, label: String, inverseLabel: String?)
        -> [HubSpotAssociationType] {
        let a = nextTypeId, b = nextTypeId + 1
        nextTypeId += 2
        let slug = name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        var made = [HubSpotAssociationType(typeId: a, category: "USER_DEFINED", from: from, to: to, label: label, inverse: b,
                                           v3Name: "\(from.singular)_to_\(to.singular)_\(slug)")]
        if from != to || inverseLabel != nil {
            made.append(HubSpotAssociationType(typeId: b, category: "USER_DEFINED", from: to, to: from, label: inverseLabel ?? label, inverse: a,
                                               v3Name: "\(to.singular)_to_\(from.singular)_\(slug)"))
        } else {
            made[0].inverse = a
        }
        custom += made
        return made
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
    private(set) var edges: [HubSpotEdge: HubSpotTypeIds] = [:]
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
        edges = try decoder.container(keyedBy: CodingKeys.self).decode([HubSpotEdge: HubSpotTypeIds].self, forKey: .edges)
        for edge in edges.keys { neighbours[Origin(edge), default: []].insert(edge.toId) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(edges, forKey: .edges)
    }

    /// Makes room for `edges` more directed edges (seeding knows how many it adds).
    mutating func reserveCapacity(edges count: Int) {
        edges.reserveCapacity(edges.count + count)
        neighbours.reserveCapacity(neighbours.count + count)
    }

    /// Adds `typeIds` (each must go from `edge.from` to `edge.to`) and their inverses.
    mutating func add(_ edge: HubSpotEdge, typeIds: [Int], labels: HubSpotAssociationLabels) {
        for typeId in typeIds {
            guard let type = labels.find(typeId) else { continue }
            if type.exclusive {
                for otherId in neighbours[Origin(edge)] ?? [] where otherId != edge.toId {
                    remove(HubSpotEdge(from: edge.from, fromId: edge.fromId, to: edge.to, toId: otherId), typeIds: [typeId], labels: labels)
                }
            }
            edges[edge, default: []].insert(typeId)
            edges[edge.reversed, default: []].insert(type.inverse)
            neighbours[Origin(edge), default: []].insert(edge.toId)
            neighbours[Origin(edge.reversed), default: []].insert(edge.fromId)
        }
    }

    /// Removes the given types (and inverses); with `nil`, removes every type between the two records.
    mutating func remove(_ edge: HubSpotEdge, typeIds: [Int]? = nil, labels: HubSpotAssociationLabels) {
        let ids = typeIds ?? Array(edges[edge] ?? [])
        for typeId in ids {
            edges[edge]?.remove(typeId)
            if let inverse = labels.find(typeId)?.inverse { edges[edge.reversed]?.remove(inverse) }
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

    /// Removes one type (and its inverse) from every pair that holds it (a deleted label).
    mutating func removeType(_ typeId: Int, labels: HubSpotAssociationLabels) {
        for (edge, types) in edges where types.contains(typeId) { remove(edge, typeIds: [typeId], labels: labels) }
    }

    mutating func removeAll() {
        edges = [:]
        neighbours = [:]
    }
}

/// The association type ids between two records: up to two inline (most pairs hold one or two), more in an array,
/// so the million edges of a large portal cost no allocation each. Saved as a JSON array of ints.
struct HubSpotTypeIds: Codable, Sendable, Sequence, Equatable, ExpressibleByArrayLiteral {
    private var first: Int32 = 0, second: Int32 = 0  // 0 is an empty slot: type ids start at 1
    private var more: [Int32]?

    init() {}
    init(arrayLiteral elements: Int...) { for e in elements { insert(e) } }

    init(from decoder: any Decoder) throws {
        for id in try decoder.singleValueContainer().decode([Int].self) { insert(id) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Array(self))
    }

    var isEmpty: Bool { first == 0 && second == 0 && (more?.isEmpty ?? true) }

    func makeIterator() -> IndexingIterator<[Int]> {
        var all: [Int] = []
        if first != 0 { all.append(Int(first)) }
        if second != 0 { all.append(Int(second)) }
        all += (more ?? []).map(Int.init)
        return all.makeIterator()
    }

    func contains(_ id: Int) -> Bool {
        let v = Int32(truncatingIfNeeded: id)
        return v != 0 && (first == v || second == v || (more?.contains(v) ?? false))
    }

    @discardableResult
    mutating func insert(_ id: Int) -> Bool {
        guard id > 0, !contains(id) else { return false }
        let v = Int32(truncatingIfNeeded: id)
        if first == 0 { first = v } else if second == 0 { second = v } else { more = (more ?? []) + [v] }
        return true
    }

    mutating func remove(_ id: Int) {
        let v = Int32(truncatingIfNeeded: id)
        if first == v { first = 0 } else if second == v { second = 0 } else { more?.removeAll { $0 == v } }
        if more?.isEmpty == true { more = nil }
    }
}
