import Foundation

/// A field a query reads: one of the object's own, or one on a parent through a lookup (`Account.Name`, `Who.Name`).
struct SOQLFieldPath: Sendable {
    /// The lookup followed, for a parent field.
    var lookup: SalesforceField?
    /// The field read (on the queried object, or the parent's object when `lookup` is set).
    var field: SalesforceField
    /// The position of `field` (or of `lookup`, for a parent field) in the queried object's fields.
    var ordinal: Int

    init(lookup: SalesforceField?, field: SalesforceField, on object: SalesforceObject) {
        self.lookup = lookup
        self.field = field
        ordinal = object.ordinal((lookup ?? field).name) ?? -1
    }

    /// `Name` or `Account.Name`, lower-cased: two paths with the same key read the same value.
    var key: String { (((lookup?.relationshipName).map { $0 + "." } ?? "") + field.name).lowercased() }
}

/// A literal on the right of a comparison.
enum SOQLLiteral: Sendable {
    case null
    case string(String)
    case number(Double)
    case bool(Bool)
    /// A calendar day, midnight UTC.
    case date(Date)
    case dateTime(Date)
    /// A date keyword such as `TODAY` or `LAST_N_DAYS:7`: the half-open range `[start, end)`.
    case range(start: Date, end: Date)
}

/// An aggregate function of the SOQL reference (*SOQL and SOSL Reference › Aggregate Functions*).
enum SOQLFunction: String, Sendable {
    case count = "COUNT"
    case countDistinct = "COUNT_DISTINCT"
    case min = "MIN"
    case max = "MAX"
    case sum = "SUM"
    case avg = "AVG"
}

/// `COUNT(Id)`, `SUM(Amount)`…; `path` is `nil` only for `COUNT()`.
struct SOQLAggregate: Sendable {
    var function: SOQLFunction
    var path: SOQLFieldPath?
}

/// A WHERE (or HAVING) condition.
indirect enum SOQLCondition: Sendable {
    case and([SOQLCondition])
    case or([SOQLCondition])
    case not(SOQLCondition)
    /// `field op literal` with op one of `= != < <= > >= LIKE`.
    case compare(SOQLFieldPath, String, SOQLLiteral)
    case within(SOQLFieldPath, [SOQLLiteral], negated: Bool)
    /// `COUNT(Id) > 1` (HAVING only).
    case aggregate(SOQLAggregate, String, SOQLLiteral)
}

/// An ORDER BY item: a field, or (in an aggregate query) an aggregate.
struct SOQLOrder: Sendable {
    var path: SOQLFieldPath
    var descending: Bool
    var nullsLast: Bool
    var aggregate: SOQLAggregate?
}

/// One column of an aggregate query's result rows: a grouped field or an aggregate, under its key (the
/// alias, the field name, or `expr0`, `expr1`… for unaliased aggregates).
struct SOQLColumn: Sendable {
    enum Value: Sendable {
        case group(SOQLFieldPath)
        case aggregate(SOQLAggregate)
    }

    var key: String
    var value: Value
}

/// A parsed query over one object.
struct SOQLQuery: Sendable {
    enum Selection: Sendable {
        case fields([SOQLFieldPath])
        /// `SELECT COUNT() FROM …`: only `totalSize`.
        case count
        /// Aggregate functions and grouped fields: `AggregateResult` rows.
        case aggregate([SOQLColumn])
    }

    var object: SalesforceObject
    var selection: Selection
    var filter: SOQLCondition?
    var groupBy: [SOQLFieldPath] = []
    var having: SOQLCondition?
    var order: [SOQLOrder] = []
    var limit: Int?
    var offset: Int?
}
