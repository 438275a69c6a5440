import CrosswalkCore
import Foundation

/// A column value for filtering and ordering.
enum AriticCell: Comparable {
    case null
    case number(Double)
    case date(Date)
    case text(String)

    /// Compares with a filter value, typed like this cell.
    func compare(to operand: AriticOperand) -> ComparisonResult? {
        switch self {
        case .null: return nil
        case let .number(n):
            guard let other = operand.number else { return nil }
            return n < other ? .orderedAscending : (n > other ? .orderedDescending : .orderedSame)
        case let .date(d):
            guard let other = operand.date else { return nil }
            return d < other ? .orderedAscending : (d > other ? .orderedDescending : .orderedSame)
        case let .text(t):
            return t.lowercased().compare(operand.text.lowercased())
        }
    }

    var text: String? {
        switch self {
        case .null: return nil
        case let .number(n): return n == n.rounded() ? String(Int(n)) : String(n)
        case let .date(d): return AriticWire.databaseDate(d)
        case let .text(t): return t
        }
    }
}

/// A `where` value read once as text, number and date.
struct AriticOperand {
    var text: String
    var number: Double?
    var date: Date?

    init(_ text: String) {
        self.text = text
        number = Double(text)
        date = number == nil ? AriticWire.parseDate(text) : nil
    }
}

/// One listable entity as the query engine sees it.
struct AriticRow {
    var id: Int
    /// A column by its snake_case name (`date_modified`, `email`, …); `nil` for an unknown column.
    var column: (String) -> AriticCell?
    /// Values plain search text is matched against.
    var searchText: [String]
}

/// What the list engine reads: ids in ascending order, a column of a row, the text plain search matches.
protocol AriticListSource {
    var ids: [Int] { get }
    /// A column by its snake_case name; `nil` for an unknown column.
    func cell(_ id: Int, _ column: String) -> AriticCell?
    func searchText(_ id: Int) -> [String]
}

/// A few rows (segments, hooks) as a list source.
struct AriticRowSource: AriticListSource {
    let rows: [Int: AriticRow]
    let ids: [Int]

    init(_ rows: [AriticRow]) {
        self.rows = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        ids = self.rows.keys.sorted()
    }

    func cell(_ id: Int, _ column: String) -> AriticCell? { rows[id]?.column(column) }
    func searchText(_ id: Int) -> [String] { rows[id]?.searchText ?? [] }
}

/// The list parameters Mautic's API reads: `search`, `start`, `limit`, `orderBy`, `orderByDir`, `where[]`,
/// `published` (`publishedOnly`), `minimal`.
struct AriticListQuery {
    struct Where {
        var column: String
        var expr: String
        var operand: AriticOperand
        /// The values of `in` / `notIn`.
        var options: [AriticOperand]
        /// The conditions of an `andX` / `orX` group.
        var children: [Where] = []
    }

    var start = 0
    /// `nil` means no limit (`limit=0`).
    var limit: Int? = 30
    var searchTokens: [(command: String?, value: String, negate: Bool)] = []
    var orderBy: [String] = []
    var descending = false
    /// `order[n][col|dir]` entries, applied after `orderBy`, each with its own direction.
    var order: [(column: String, descending: Bool)] = []
    var minimal = false
    var publishedOnly = false
    var wheres: [Where] = []

    static let expressions: Set<String> = ["eq", "neq", "lt", "lte", "gt", "gte", "in", "notin", "like", "notlike",
                                           "isnull", "isnotnull", "isempty", "isnotempty", "andx", "orx"]

    static func parse(_ q: [String: Any]) -> Result<AriticListQuery, AriticFormError> {
        var query = AriticListQuery()
        if let raw = AriticWire.text(q["start"]), !raw.isEmpty {
            guard let start = Int(raw), start >= 0 else { return .failure(.init(field: "start", message: "This value is not valid.")) }
            query.start = start
        }
        if let raw = AriticWire.text(q["limit"]), !raw.isEmpty {
            guard let limit = Int(raw), limit >= 0 else { return .failure(.init(field: "limit", message: "This value is not valid.")) }
            query.limit = limit == 0 ? nil : limit
        }
        query.searchTokens = tokens(AriticWire.text(q["search"]) ?? "")
        query.orderBy = (AriticWire.text(q["orderBy"]) ?? "").split(separator: ",").map {
            let column = $0.trimmingCharacters(in: .whitespaces)
            return column.split(separator: ".").last.map(String.init) ?? column
        }.filter { !$0.isEmpty }
        query.descending = (AriticWire.text(q["orderByDir"]) ?? "ASC").uppercased() == "DESC"
        query.minimal = AriticWire.truthy(q["minimal"])
        query.publishedOnly = AriticWire.truthy(q["published"]) || AriticWire.truthy(q["publishedOnly"])
        for item in AriticWire.list(q["order"]) {
            guard let entry = item as? [String: Any], let column = AriticWire.text(entry["col"]), !column.isEmpty else {
                return .failure(.init(field: "order", message: "Each order entry needs col (and dir)."))
            }
            let bare = column.split(separator: ".").last.map(String.init) ?? column
            query.order.append((bare, (AriticWire.text(entry["dir"]) ?? "ASC").uppercased() == "DESC"))
        }
        switch parseWheres(AriticWire.list(q["where"])) {
        case let .success(wheres): query.wheres = wheres
        case let .failure(error): return .failure(error)
        }
        return .success(query)
    }

    /// `where[n][col|expr|val]` conditions; `andX` / `orX` take a list of conditions in `val` (Mautic's
    /// `CommonRepository::buildWhereClauseFromArray`).
    static func parseWheres(_ items: [Any]) -> Result<[Where], AriticFormError> {
        var out: [Where] = []
        for item in items {
            guard let clause = item as? [String: Any], let expr = AriticWire.text(clause["expr"]) else {
                return .failure(.init(field: "where", message: "Each where condition needs col, expr and val."))
            }
            guard expressions.contains(expr.lowercased()) else {
                return .failure(.init(field: "where", message: "The expression '\(expr)' is not supported."))
            }
            if ["andx", "orx"].contains(expr.lowercased()) {
                switch parseWheres(AriticWire.list(clause["val"])) {
                case let .success(children) where !children.isEmpty:
                    out.append(Where(column: "", expr: expr.lowercased(), operand: AriticOperand(""), options: [], children: children))
                    continue
                case .success:
                    return .failure(.init(field: "where", message: "\(expr) needs a list of conditions in val."))
                case let .failure(error):
                    return .failure(error)
                }
            }
            guard let column = AriticWire.text(clause["col"]) else {
                return .failure(.init(field: "where", message: "Each where condition needs col, expr and val."))
            }
            let bare = column.split(separator: ".").last.map(String.init) ?? column
            let options = AriticWire.list(clause["val"]).compactMap { AriticWire.text($0) }.map(AriticOperand.init)
            out.append(Where(column: bare, expr: expr.lowercased(), operand: AriticOperand(AriticWire.text(clause["val"]) ?? ""), options: options))
        }
        return .success(out)
    }

    /// Every plain column the conditions name, groups included.
    private static func columns(_ wheres: [Where]) -> [String] {
        wheres.flatMap { $0.children.isEmpty ? [$0.column] : columns($0.children) }
    }

    /// Splits a search string into `command:value` and text tokens; quotes group words, `!` negates.
    static func tokens(_ search: String) -> [(command: String?, value: String, negate: Bool)] {
        var words: [String] = []
        var current = "", quoted = false
        for ch in search {
            if ch == "\"" { quoted.toggle(); continue }
            if ch == " " && !quoted {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.map { word in
            let negate = word.hasPrefix("!")
            let body = negate ? String(word.dropFirst()) : word
            if let colon = body.firstIndex(of: ":"), colon != body.startIndex {
                return (String(body[..<colon]).lowercased(), String(body[body.index(after: colon)...]), negate)
            }
            return (nil, body, negate)
        }
    }

    /// Ids that pass the search and `where` filters, ordered (`orderBy` columns, then id), with the total before
    /// paging. Without filters and with the default order a page costs the same at any `start`.
    /// `command` answers a search command for a row (`nil` = unknown command, matched as text).
    func run(_ source: some AriticListSource, command: (String, String, Int) -> Bool?) -> Result<(page: [Int], total: Int), AriticFormError> {
        let ids = source.ids
        if let first = ids.first {
            for column in Self.columns(wheres) where source.cell(first, column) == nil {
                return .failure(.init(field: "where", message: "Unknown column '\(column)'."))
            }
            for column in orderBy + order.map(\.column) where source.cell(first, column) == nil {
                return .failure(.init(field: "orderBy", message: "Unknown column '\(column)'."))
            }
        }
        let matching: [Int]
        if searchTokens.isEmpty && wheres.isEmpty {
            matching = ids
        } else {
            matching = ids.filter { id in
                wheres.allSatisfy { passes($0, id: id, source) } && searchTokens.allSatisfy { token in
                    let hit: Bool
                    if let name = token.command, let answer = command(name, token.value, id) {
                        hit = answer
                    } else {
                        let needle = (token.command.map { "\($0):" } ?? "") + token.value
                        hit = AriticListQuery.like(source.searchText(id), needle)
                    }
                    return hit != token.negate
                }
            }
        }
        let total = matching.count
        let first = min(start, total), count = min(limit ?? Int.max, total - first)
        let sortKeys = orderBy.map { (column: $0, descending: descending) } + order
        if sortKeys.isEmpty || (sortKeys.count == 1 && sortKeys[0].column == "id") {
            let backwards = sortKeys.first?.descending ?? descending
            // Ids are already ascending: slice from the front, or from the back when descending.
            let page = backwards ? Array(matching[(total - first - count)..<(total - first)].reversed()) : Array(matching[first..<(first + count)])
            return .success((page, total))
        }
        let keyed = matching.map { id in (id: id, keys: sortKeys.map { source.cell(id, $0.column) ?? .null }) }
        let sorted = keyed.sorted { a, b in
            for (index, (x, y)) in zip(a.keys, b.keys).enumerated() where x != y { return sortKeys[index].descending ? x > y : x < y }
            return a.id < b.id
        }
        return .success((sorted[first..<(first + count)].map(\.id), total))
    }

    /// SQL `LIKE` on any of `values` (case-insensitive, `%` wildcards). A pattern without `%` is a contains match
    /// for search text (Mautic wraps it in `%…%`) and an equality for `where` clauses.
    static func like(_ values: [String], _ pattern: String, plainMeansContains: Bool = true) -> Bool {
        let needle = pattern.lowercased()
        guard needle.contains("%") else {
            return values.contains { plainMeansContains ? $0.lowercased().contains(needle) : $0.lowercased() == needle }
        }
        let parts = needle.split(separator: "%", omittingEmptySubsequences: false).map(String.init)
        return values.contains { value in
            var rest = Substring(value.lowercased())
            for (index, part) in parts.enumerated() where !part.isEmpty {
                if index == 0 {
                    guard rest.hasPrefix(part) else { return false }
                    rest = rest.dropFirst(part.count)
                } else if let range = rest.range(of: part) {
                    rest = rest[range.upperBound...]
                } else {
                    return false
                }
            }
            return parts.last?.isEmpty == true || rest.isEmpty
        }
    }

    private func passes(_ clause: Where, id: Int, _ source: some AriticListSource) -> Bool {
        switch clause.expr {
        case "andx": return clause.children.allSatisfy { passes($0, id: id, source) }
        case "orx": return clause.children.contains { passes($0, id: id, source) }
        default: return passes(clause, source.cell(id, clause.column) ?? .null)
        }
    }

    private func passes(_ clause: Where, _ cell: AriticCell) -> Bool {
        switch clause.expr {
        case "isnull": return cell == .null
        case "isnotnull": return cell != .null
        case "isempty": return (cell.text ?? "").isEmpty
        case "isnotempty": return !(cell.text ?? "").isEmpty
        case "in", "notin":
            let found = clause.options.contains { cell.compare(to: $0) == .orderedSame }
            return clause.expr == "in" ? found : !found
        case "like", "notlike":
            let found = AriticListQuery.like([cell.text ?? ""], clause.operand.text, plainMeansContains: false)
            return clause.expr == "like" ? found : !found
        default:
            guard let order = cell.compare(to: clause.operand) else { return clause.expr == "neq" }
            switch clause.expr {
            case "eq": return order == .orderedSame
            case "neq": return order != .orderedSame
            case "lt": return order == .orderedAscending
            case "lte": return order != .orderedDescending
            case "gt": return order == .orderedDescending
            default: return order != .orderedAscending
            }
        }
    }
}
