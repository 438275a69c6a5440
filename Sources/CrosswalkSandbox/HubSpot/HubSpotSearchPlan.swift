import CrosswalkCore
import Foundation

/// How one search walks the records: in id order (no sort, or `hs_object_id`), along a sorted index of the sort
/// property (numbers and dates), both narrowed by range filters on that property when there is one filter group;
/// or, for text sorts, by sorting every match. A page resumes from the cursor the previous page left, so deep
/// pages cost what the first costs; `total` is exact from the index range when the range filters are all there is.
struct HubSpotSearchPlan {
    private enum Source {
        /// Table positions in id order.
        case ids(Range<Int>)
        case index(HubSpotSortedIndex, Range<Int>)
        case matches([Int])
    }

    private let type: HubSpotObjectType
    private let groups: [[HubSpotFilter]]
    private let query: String
    private let source: Source
    private let descending: Bool
    private let exactTotal: Int?

    init(type: HubSpotObjectType, groups: [[HubSpotFilter]], query: String, sort: (property: String, ascending: Bool)?,
         state: inout HubSpotState) {
        self.type = type
        self.query = query
        descending = !(sort?.ascending ?? true)
        let table = state.tables[type] ?? HubSpotRecordTable()
        // Range filters narrow the walk only when every match must pass them (one group of ANDed filters).
        let narrowing: [HubSpotFilter] = groups.count == 1 ? groups[0] : []
        let sortProperty = sort?.property ?? "hs_object_id"
        let kind = state.properties[type]?[sortProperty]?.type ?? "string"
        if sortProperty == "hs_object_id" {
            var (lower, upper) = Self.bounds(narrowing, property: "hs_object_id", kind: "number")
            if let low = lower { lower = (low.0.rounded(low.inclusive ? .up : .down) + (low.inclusive ? 0 : 1), true) }
            let order = table.order
            let start = lower.map { HubSpotRecordTable.lowerBound(order, Int(Swift.max(Swift.min($0.0, 9e15), -9e15))) } ?? 0
            var end = order.count
            if let high = upper {
                let limit = high.0.rounded(.down) + (high.inclusive || high.0 != high.0.rounded(.down) ? 1 : 0)
                end = HubSpotRecordTable.lowerBound(order, Int(Swift.max(Swift.min(limit, 9e15), -9e15)))
            }
            source = .ids(start..<Swift.max(start, end))
            self.groups = Self.residual(groups, consumedBy: "hs_object_id", kind: "number")
            exactTotal = nil
        } else if ["number", "date", "datetime"].contains(kind) {
            let index = state.search.index(type, sortProperty, kind: kind, table: table)
            let (lower, upper) = Self.bounds(narrowing, property: sortProperty, kind: kind)
            let range = index.range(lower: lower, upper: upper)
            source = .index(index, range)
            self.groups = Self.residual(groups, consumedBy: sortProperty, kind: kind)
            exactTotal = query.isEmpty && self.groups.isEmpty ? range.count : nil
        } else {
            let definition = state.properties[type]?[sortProperty]
            var matched: [(id: Int, value: String?)] = []
            for (position, record) in table.records.enumerated() {
                guard !record.archived, let view = record.searchView, Self.matches(view, groups: groups, query: query, type: type) else { continue }
                matched.append((position, view[sortProperty]))
            }
            let ascending = sort?.ascending ?? true
            matched.sort { a, b in
                let order = HubSpotFilter.compare(a.value, b.value, definition: definition)
                if order == 0 { return a.id < b.id }
                return ascending ? order < 0 : order > 0
            }
            source = .matches(matched.map(\.id))
            self.groups = groups
            exactTotal = matched.count
        }
    }

    private static let rangeOperators: Set<String> = ["EQ", "GT", "GTE", "LT", "LTE", "BETWEEN"]

    /// With one group, the filters the walk's range already enforces need no check per record; the rest remain.
    /// An empty result means every record in the range matches.
    private static func residual(_ groups: [[HubSpotFilter]], consumedBy property: String, kind: String) -> [[HubSpotFilter]] {
        guard groups.count == 1 else { return groups }
        let rest = groups[0].filter { filter in
            guard filter.property == property, rangeOperators.contains(filter.op) else { return true }
            let low = HubSpotSortedIndex.key(filter.value, kind: kind)
            let high = filter.op == "BETWEEN" ? HubSpotSortedIndex.key(filter.highValue, kind: kind) : low
            return !(low.isFinite && high.isFinite)
        }
        return rest.isEmpty ? [] : [rest]
    }

    /// The tightest bounds the filters on `property` put on its key.
    private static func bounds(_ filters: [HubSpotFilter], property: String, kind: String)
        -> (lower: (Double, inclusive: Bool)?, upper: (Double, inclusive: Bool)?) {
        var lower: (Double, inclusive: Bool)?, upper: (Double, inclusive: Bool)?
        func raise(_ value: Double, _ inclusive: Bool) {
            if let l = lower, l.0 > value || (l.0 == value && !l.inclusive) { return }
            lower = (value, inclusive)
        }
        func cap(_ value: Double, _ inclusive: Bool) {
            if let u = upper, u.0 < value || (u.0 == value && !u.inclusive) { return }
            upper = (value, inclusive)
        }
        for filter in filters where filter.property == property {
            let key = HubSpotSortedIndex.key(filter.value, kind: kind)
            guard key.isFinite || !rangeOperators.contains(filter.op) || filter.op == "BETWEEN" else { continue }
            switch filter.op {
            case "EQ": raise(key, true); cap(key, true)
            case "GT": raise(key, false)
            case "GTE": raise(key, true)
            case "LT": cap(key, false)
            case "LTE": cap(key, true)
            case "BETWEEN":
                let high = HubSpotSortedIndex.key(filter.highValue, kind: kind)
                if key.isFinite { raise(key, true) }
                if high.isFinite { cap(high, true) }
            default: break
            }
        }
        // A range filter never matches a record without a value (those carry -infinity in the index).
        if lower == nil, upper != nil { lower = (-.infinity, false) }
        return (lower, upper)
    }

    static func matches(_ view: [String: String], groups: [[HubSpotFilter]], query: String, type: HubSpotObjectType) -> Bool {
        (groups.isEmpty || groups.contains { $0.allSatisfy { $0.matches(view) } }) && HubSpotSearch.matchesQuery(view, query, type)
    }

    private var count: Int {
        switch source {
        case let .ids(range), let .index(_, range): range.count
        case let .matches(ids): ids.count
        }
    }

    /// The table position of the `step`-th record of the walk.
    private func position(at step: Int) -> Int {
        switch source {
        case let .ids(range): descending ? range.upperBound - 1 - step : range.lowerBound + step
        case let .index(index, range): descending ? index.positions[range.upperBound - 1 - step] : index.positions[range.lowerBound + step]
        case let .matches(positions): positions[step]
        }
    }

    /// The page at `offset` and the total, resuming from (and leaving) a cursor under `signature`.
    func page(offset: Int, limit: Int, signature: String, state: inout HubSpotState) -> (records: [HubSpotRecord], total: Int) {
        guard let table = state.tables[type] else { return ([], 0) }
        if case let .matches(positions) = source {
            let page = offset < positions.count ? positions[offset..<Swift.min(positions.count, offset + limit)].map { Self.searched(table.records[$0]) } : []
            return (page, positions.count)
        }
        var step = 0, matched = 0
        var total = exactTotal
        if case .index = source, exactTotal != nil {
            // Every entry of the range matches: the offset is the step.
            step = offset
            matched = offset
        } else if let cursor = state.search.cursors[signature], cursor.version == table.searchVersion, cursor.offset <= offset {
            step = cursor.position
            matched = cursor.offset
            total = total ?? cursor.total
        }
        let end = count
        let groups = groups, query = query, type = type
        var results: [HubSpotRecord] = []
        results.reserveCapacity(limit)
        var resume: (offset: Int, position: Int)?
        table.records.withUnsafeBufferPointer { records in
            func visible(_ position: Int) -> Bool {
                guard !records[position].archived, let view = records[position].searchView else { return false }
                return groups.isEmpty && query.isEmpty ? true : Self.matches(view, groups: groups, query: query, type: type)
            }
            while step < end {
                let position = position(at: step)
                step += 1
                guard visible(position) else { continue }
                if matched >= offset { results.append(Self.searched(records[position])) }
                matched += 1
                if results.count == limit {
                    resume = (matched, step)
                    break
                }
            }
            if total == nil {
                var counted = matched
                var s = step
                while s < end {
                    if visible(position(at: s)) { counted += 1 }
                    s += 1
                }
                total = counted
            }
        }
        if let resume, exactTotal == nil {
            state.search.remember(signature, HubSpotSearchCursor(version: table.searchVersion, offset: resume.offset, position: resume.position,
                                                                 total: total))
        }
        return (results, total ?? matched)
    }

    /// The record as search returns it: the values the index holds.
    private static func searched(_ record: HubSpotRecord) -> HubSpotRecord {
        guard let view = record.searchView else { return record }
        var copy = record
        copy.properties = view
        if let stamp = view["hs_lastmodifieddate"].flatMap(HubSpotTime.parse) { copy.updatedAt = stamp }
        return copy
    }

    /// What identifies a search apart from its page: type, filters, sorts and query.
    static func signature(_ type: HubSpotObjectType, _ body: [String: Any]) -> String {
        var key = body
        for name in ["after", "limit", "properties"] { key[name] = nil }
        let data = (try? JSONSerialization.data(withJSONObject: key, options: [.sortedKeys, .fragmentsAllowed])) ?? Data()
        return type.rawValue + ":" + String(decoding: data, as: UTF8.self)
    }
}
