/// One ID-map question: "the twin of record `id` of `object`, in `otherObject`" (any object of
/// the other side when `nil`). A record may have one twin per object on the other side: a SPOTIO
/// lead that became a Salesforce Account, Contact and Opportunity has three.
public struct TwinQuery: Sendable, Hashable, CustomStringConvertible {
    public var object: String
    public var id: String
    /// The twin's object, or `nil` for any.
    public var otherObject: String?

    public init(object: String, id: String, otherObject: String? = nil) {
        self.object = object
        self.id = id
        self.otherObject = otherObject
    }

    public var description: String { "\(object)/\(id) → \(otherObject ?? "any")" }
}

/// Links: the ID map keeps the records of two connections per link, named after both.
public enum LinkName {
    /// The link between two connections, the same whichever is named first: `"hubspot~netsuite"`.
    public static func between(_ x: String, _ y: String) -> String { x < y ? "\(x)~\(y)" : "\(y)~\(x)" }
    /// Which side of `between(x, y)` connection `x` is on.
    public static func side(of x: String, with y: String) -> LinkSide { x < y ? .a : .b }
}

extension LinkSide {
    /// The other side.
    public var other: LinkSide { self == .a ? .b : .a }
}
