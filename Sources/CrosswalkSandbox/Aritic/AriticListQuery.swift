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
    /// Parsed only when compared with a date cell (parsing every `in` value was most of a search's time).
    var date: Date? { number == nil ? AriticWire.parseDate(text) : nil }

    init(_ text: String) {
        self.text = text
        number = Double(text)
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

/// The list parameters Mautic's API reads: `search`, `start`, `limit`, `orderBy`, `orderByDir`, `where[]`,
/// `published` (`publishedOnly`), `minimal`.
struct AriticListQuery {
    struct Where {
        var column: String
        var expr: String
        var operand: AriticOperand
        /// The values of `in` / `notIn`.
        var options: [AriticOperand]
        /// The options lower-cased, for matching text cells in one look-up (a sync engine asks for hundreds).
        var optionTexts: Set<String> = []
    }

    var start = 0
    /// `nil` means no limit (`limit=0`).
    var limit: Int? = 30
    var searchTokens: [(command: String?, value: String, negate: Bool)] = []
    var orderBy: [String] = []
    var descending = false
    var minimal = false
    var publishedOnly = false
    var wheres: [Where] = []

    static let expressions: Set<String> = ["eq", "neq", "lt", "lte", "gt", "gte", "in", "notin", "like", "notlike",
                                           "isnull", "isnotnull", "isempty", "isnotempty"]

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
        for item in AriticWire.list(q["where"]) {
            guard let clause = item as? [String: Any], let column = AriticWire.text(clause["col"]),
                  let expr = AriticWire.text(clause["expr"]) else {
                return .failure(.init(field: "where", message: "Each where condition needs col, expr and val."))
            }
            guard expressions.contains(expr.lowercased()) else {
                return .failure(.init(field: "where", message: "The expression '\(expr)' is not supported."))
            }
            let bare = column.split(separator: ".").last.map(String.init) ?? column
            let options = AriticWire.list(clause["val"]).compactMap { AriticWire.text($0) }.map(AriticOperand.init)
            query.wheres.append(Where(column: bare, expr: expr.lowercased(), operand: AriticOperand(AriticWire.text(clause["val"]) ?? ""),
                                      options: options, optionTexts: Set(options.map { $0.text.lowercased() })))
        }
        return .success(query)
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

    /// Rows that pass the search and `where` filters, ordered, with the total before paging.
    /// `command` answers a search command for a row (`nil` = unknown command, matched as text).
    func run(_ rows: [AriticRow], command: (String, String, Int) -> Bool?) -> Result<(page: [Int], total: Int), AriticFormError> {
        for clause in wheres where rows.first.map({ $0.column(clause.column) == nil }) ?? false {
            return .failure(.init(field: "where", message: "Unknown column '\(clause.column)'."))
        }
        for column in orderBy where rows.first.map({ $0.column(column) == nil }) ?? false {
            return .failure(.init(field: "orderBy", message: "Unknown column '\(column)'."))
        }
        let matching = rows.filter { row in
            searchTokens.allSatisfy { token in
                let hit: Bool
                if let name = token.command, let answer = command(name, token.value, row.id) {
                    hit = answer
                } else {
                    let needle = (token.command.map { "\($0):" } ?? "") + token.value
                    hit = AriticListQuery.like(row.searchText, needle)
                }
                return hit != token.negate
            } && wheres.allSatisfy { passes($0, row) }
        }
        let sorted = matching.sorted { a, b in
            for column in orderBy {
                let (x, y) = (a.column(column) ?? .null, b.column(column) ?? .null)
                if x != y { return descending ? x > y : x < y }
            }
            return descending && orderBy.isEmpty ? a.id > b.id : a.id < b.id
        }
        let page = sorted.dropFirst(start).prefix(limit ?? Int.max).map(\.id)
        return .success((Array(page), matching.count))
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

    private func passes(_ clause: Where, _ row: AriticRow) -> Bool {
        let cell = row.column(clause.column) ?? .null
        switch clause.expr {
        case "isnull": return cell == .null
        case "isnotnull": return cell != .null
        case "isempty": return (cell.text ?? "").isEmpty
        case "isnotempty": return !(cell.text ?? "").isEmpty
        case "in", "notin":
            let found: Bool
            if case .text(let t) = cell { found = clause.optionTexts.contains(t.lowercased()) } else {
                found = clause.options.contains { cell.compare(to: $0) == .orderedSame }
            }
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
