import Foundation

/// Aggregate queries (*SOQL and SOSL Reference › Aggregate Functions, GROUP BY, HAVING*): the matching rows are
/// grouped by the GROUP BY fields (text case-insensitively, nulls as a group of their own), each group gets
/// its aggregates, HAVING keeps some groups, ORDER BY / OFFSET / LIMIT apply to the groups, and each group
/// is an `AggregateResult` row keyed by alias, field name or `expr0`, `expr1`….
extension SOQLQuery {
    /// One result row: the value of each column, in column order.
    typealias AggregateRow = [SalesforceCell]

    func aggregateRows(_ store: inout SalesforceStore, includeDeleted: Bool) -> [AggregateRow] {
        guard case .aggregate(let columns) = selection else { return [] }
        var matching = self
        matching.order = []
        matching.limit = nil
        matching.offset = nil
        let positions = matching.run(&store, includeDeleted: includeDeleted)
        let reader = SOQLRowReader(store: store)
        let table = store.table(object.name)

        // Group rows; without GROUP BY every row is in one group (which exists even when empty).
        var groups: [[SalesforceCell]: Group] = [:]
        var order: [[SalesforceCell]] = []
        let aggregates = Self.aggregates(columns: columns, having: having, order: self.order)
        for position in positions {
            guard let row = table?[Int(position)] else { break }
            let values = groupBy.map { reader.cell($0, row) }
            let key = values.map(Self.groupKey)
            if groups[key] == nil {
                groups[key] = Group(values: values, accumulators: Array(repeating: Accumulator(), count: aggregates.count))
                order.append(key)
            }
            for (k, aggregate) in aggregates.enumerated() {
                groups[key]!.accumulators[k].add(aggregate.path.map { reader.cell($0, row) } ?? .bool(true), distinct: aggregate.function == .countDistinct)
            }
        }
        if groupBy.isEmpty, groups.isEmpty {
            groups[[]] = Group(values: [], accumulators: Array(repeating: Accumulator(), count: aggregates.count))
            order.append([])
        }
        var rows: [(row: AggregateRow, group: Group)] = []
        for key in order {
            var group = groups[key]!
            group.aggregates = aggregates
            guard group.passes(having, groupBy: groupBy) else { continue }
            rows.append((columns.map { group.value($0, groupBy: groupBy) }, group))
        }
        // Groups come back ordered by the grouped fields unless ORDER BY says otherwise.
        let sortItems: [(SOQLOrder, (Group) -> SalesforceCell)] = self.order.isEmpty
            ? groupBy.enumerated().map { k, path in
                (SOQLOrder(path: path, descending: false, nullsLast: false), { $0.values[k] })
            }
            : self.order.map { item in
                if let aggregate = item.aggregate { return (item, { $0.value(of: aggregate) }) }
                let k = groupBy.firstIndex { $0.key == item.path.key } ?? 0
                return (item, { $0.values.isEmpty ? .null : $0.values[k] })
            }
        rows.sort { a, b in
            for (item, value) in sortItems {
                let result = SOQLRowReader.compareForSort(Self.sortKey(value(a.group)), Self.sortKey(value(b.group)), item)
                if result != .orderedSame { return result == .orderedAscending }
            }
            return false
        }
        var result = rows.map(\.row)
        if let offset { result = Array(result.dropFirst(offset)) }
        if let limit, result.count > limit { result = Array(result.prefix(limit)) }
        return result
    }

    /// Every aggregate the columns, HAVING and ORDER BY need, once each.
    private static func aggregates(columns: [SOQLColumn], having: SOQLCondition?, order: [SOQLOrder]) -> [SOQLAggregate] {
        var all: [SOQLAggregate] = []
        func add(_ a: SOQLAggregate) {
            if !all.contains(where: { $0.function == a.function && $0.path?.key == a.path?.key }) { all.append(a) }
        }
        for column in columns { if case .aggregate(let a) = column.value { add(a) } }
        func walk(_ c: SOQLCondition?) {
            switch c {
            case .and(let terms)?, .or(let terms)?: terms.forEach(walk)
            case .not(let inner)?: walk(inner)
            case .aggregate(let a, _, _)?: add(a)
            default: break
            }
        }
        walk(having)
        for item in order { if let a = item.aggregate { add(a) } }
        return all
    }

    /// Equal keys group together: text compares ignoring case.
    private static func groupKey(_ cell: SalesforceCell) -> SalesforceCell {
        if case .text(let s) = cell { return .text(s.lowercased()) }
        return cell
    }

    private static func sortKey(_ cell: SalesforceCell) -> SalesforceCell { groupKey(cell) }

    /// Running totals of one aggregate over one group.
    struct Accumulator: Sendable {
        var count = 0
        var sum = 0.0
        var numbers = 0
        var minimum: SalesforceCell = .null
        var maximum: SalesforceCell = .null
        var distinct: Set<SalesforceCell> = []

        mutating func add(_ value: SalesforceCell, distinct isDistinct: Bool) {
            guard value != .null else { return }
            count += 1
            if isDistinct { distinct.insert(SOQLQuery.groupKey(value)) }
            if case .number(let d) = value {
                sum += d
                numbers += 1
            }
            let key = SOQLQuery.groupKey(value)
            let ascending = SOQLOrder(path: Self.dummyPath, descending: false, nullsLast: false)
            if minimum == .null || SOQLRowReader.compareForSort(key, SOQLQuery.groupKey(minimum), ascending) == .orderedAscending { minimum = value }
            if maximum == .null || SOQLRowReader.compareForSort(key, SOQLQuery.groupKey(maximum), ascending) == .orderedDescending { maximum = value }
        }

        static let dummyPath = SOQLFieldPath(lookup: nil, field: SalesforceCatalog.account.fields[0], on: SalesforceCatalog.account)

        func value(_ function: SOQLFunction) -> SalesforceCell {
            switch function {
            case .count: .number(Double(count))
            case .countDistinct: .number(Double(distinct.count))
            case .sum: numbers == 0 ? .null : .number(sum)
            case .avg: numbers == 0 ? .null : .number(sum / Double(numbers))
            case .min: minimum
            case .max: maximum
            }
        }
    }

    /// One group: its grouped values and the accumulators of the query's aggregates.
    struct Group: Sendable {
        var values: [SalesforceCell] = []
        var accumulators: [Accumulator] = []
        var aggregates: [SOQLAggregate] = []

        func value(of aggregate: SOQLAggregate) -> SalesforceCell {
            guard let k = aggregates.firstIndex(where: { $0.function == aggregate.function && $0.path?.key == aggregate.path?.key }) else { return .null }
            return accumulators[k].value(aggregate.function)
        }

        func value(_ column: SOQLColumn, groupBy: [SOQLFieldPath]) -> SalesforceCell {
            switch column.value {
            case .aggregate(let a): return value(of: a)
            case .group(let path): return groupBy.firstIndex { $0.key == path.key }.map { values[$0] } ?? .null
            }
        }

        func passes(_ condition: SOQLCondition?, groupBy: [SOQLFieldPath]) -> Bool {
            func grouped(_ path: SOQLFieldPath) -> SalesforceCell {
                groupBy.firstIndex { $0.key == path.key }.map { values[$0] } ?? .null
            }
            switch condition {
            case nil: return true
            case .and(let terms)?: return terms.allSatisfy { passes($0, groupBy: groupBy) }
            case .or(let terms)?: return terms.contains { passes($0, groupBy: groupBy) }
            case .not(let inner)?: return !passes(inner, groupBy: groupBy)
            case .aggregate(let a, let op, let literal)?:
                return SOQLRowReader.compare(value(of: a), op, literal, a.path.map { a.function == .min || a.function == .max ? $0.field.type : .double } ?? .double)
            case .compare(let path, let op, let literal)?:
                return SOQLRowReader.compare(grouped(path), op, literal, path.field.type)
            case .within(let path, let literals, let negated)?:
                let v = grouped(path)
                let found = literals.contains { SOQLRowReader.compare(v, "=", $0, path.field.type) }
                return negated ? !found : found
            }
        }
    }
}
