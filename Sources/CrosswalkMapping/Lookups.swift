/// One ID-map question a mapping asks: "the id of this record's twin in the target app".
///
/// `lookup(AccountId)` asks for the twin of the record whose id is in `AccountId`;
/// `lookup(AccountId, "customer")` names the target object (a SPOTIO lead may have twins in
/// several Salesforce objects); `lookup(AccountId, "customer", "Account")` also names the source
/// object, which otherwise comes from the source schema's `reference_to` when it names exactly one
/// object (NetSuite ids are unique only per record type).
public struct LookupKey: Sendable, Hashable, CustomStringConvertible {
    /// The source object of the referenced record, when known.
    public var sourceObject: String?
    /// The referenced record's id in the source app (numbers as their canonical text).
    public var id: String
    /// The target object whose twin is wanted, when the mapping names it.
    public var targetObject: String?

    public init(sourceObject: String? = nil, id: String, targetObject: String? = nil) {
        self.sourceObject = sourceObject
        self.id = id
        self.targetObject = targetObject
    }

    /// `Account/001A… → customer`, for logs.
    public var description: String {
        "\(sourceObject.map { "\($0)/" } ?? "")\(id)\(targetObject.map { " → \($0)" } ?? "")"
    }
}

/// The answers to a page's ``LookupKey``s, fetched from the ID map in one batch before evaluation.
/// A key without an answer is unresolved: `lookup` evaluates to null and the key is reported.
public struct LookupTable: Sendable, Hashable {
    public var ids: [LookupKey: String]

    public init(_ ids: [LookupKey: String] = [:]) { self.ids = ids }

    public subscript(key: LookupKey) -> String? {
        get { ids[key] }
        set { ids[key] = newValue }
    }

    public static let empty = LookupTable()
}
