import Foundation

/// One record in one app, as a connection sees it: `("sf-prod", "Contact", "003…")`.
public struct RecordRef: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The connection (an app account) the record lives in.
    public var connection: String
    /// The app's object name, e.g. `"Contact"`.
    public var object: String
    /// The app's id of the record.
    public var id: String

    public init(connection: String, object: String, id: String) {
        self.connection = connection
        self.object = object
        self.id = id
    }

    public var description: String { "\(connection)/\(object)/\(id)" }
}

/// Which side of a link (a pair of connections) a record is on.
public enum LinkSide: String, Sendable, Hashable, Codable {
    case a, b
}

/// What to write into the ID map: the pair of records, and the fingerprint of what was last
/// written each way (so an echo of Crosswalk's own write can be recognised and not synced back).
public struct MappingUpsert: Sendable, Hashable {
    /// The link (pair of connections) the mapping belongs to.
    public var link: String
    public var a: RecordRef
    public var b: RecordRef
    /// Hash of what Crosswalk last wrote to `a`; `nil` keeps the stored one.
    public var aFingerprint: String?
    /// Hash of what Crosswalk last wrote to `b`; `nil` keeps the stored one.
    public var bFingerprint: String?

    public init(link: String, a: RecordRef, b: RecordRef, aFingerprint: String? = nil, bFingerprint: String? = nil) {
        self.link = link
        self.a = a
        self.b = b
        self.aFingerprint = aFingerprint
        self.bFingerprint = bFingerprint
    }
}

/// A stored ID-map row: record `a` in one app is record `b` in the other.
public struct IDMapping: Sendable, Hashable {
    public var link: String
    public var a: RecordRef
    public var b: RecordRef
    public var aFingerprint: String?
    public var bFingerprint: String?
    /// When the mapping was first written (millisecond precision).
    public var createdAt: Date
    /// When the mapping was last written (millisecond precision).
    public var updatedAt: Date

    public init(link: String, a: RecordRef, b: RecordRef, aFingerprint: String?, bFingerprint: String?, createdAt: Date, updatedAt: Date) {
        self.link = link
        self.a = a
        self.b = b
        self.aFingerprint = aFingerprint
        self.bFingerprint = bFingerprint
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The record on `side`.
    public func record(on side: LinkSide) -> RecordRef { side == .a ? a : b }
}

/// Names the ID-map rows of a record on one of its sides: its twin in `otherObject`, or all its
/// twins when `nil`.
public struct MappingKey: Sendable, Hashable {
    public var link: String
    public var side: LinkSide
    public var record: RecordRef
    /// The twin's object on the other side; `nil` for every twin of the record.
    public var otherObject: String?

    public init(link: String, side: LinkSide, record: RecordRef, otherObject: String? = nil) {
        self.link = link
        self.side = side
        self.record = record
        self.otherObject = otherObject
    }
}
