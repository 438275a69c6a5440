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

/// A WHERE condition.
indirect enum SOQLCondition: Sendable {
    case and([SOQLCondition])
    case or([SOQLCondition])
    case not(SOQLCondition)
    /// `field op literal` with op one of `= != < <= > >= LIKE`.
    case compare(SOQLFieldPath, String, SOQLLiteral)
    case within(SOQLFieldPath, [SOQLLiteral], negated: Bool)
}

/// An ORDER BY item.
struct SOQLOrder: Sendable {
    var path: SOQLFieldPath
    var descending: Bool
    var nullsLast: Bool
}

/// A parsed query over one object.
struct SOQLQuery: Sendable {
    enum Selection: Sendable {
        case fields([SOQLFieldPath])
        /// `SELECT COUNT() FROM …`: only `totalSize`.
        case count
        /// `SELECT COUNT(Id) FROM …`: one aggregate row with `expr0`.
        case countField
    }

    var object: SalesforceObject
    var selection: Selection
    var filter: SOQLCondition?
    var order: [SOQLOrder] = []
    var limit: Int?
    var offset: Int?
}
