/// A field of a value as it may be shown: either visible or a secret shown only as set or unset.
public enum RedactedField: Sendable {
    case visible(String, String?)
    case secret(String, isSet: Bool)

    var label: String {
        switch self {
        case .visible(let label, _), .secret(let label, _): label
        }
    }

    var shown: String {
        switch self {
        case .visible(_, let value?): "\"\(value)\""
        case .visible(_, nil), .secret(_, isSet: false): "nil"
        case .secret(_, isSet: true): "<redacted>"
        }
    }
}

/// A type that holds secrets and describes itself with them replaced by `<redacted>`, in
/// `description`, `debugDescription` and its mirror (so `print`, `dump`, string interpolation and
/// debuggers never show a secret).
public protocol SecretRedacting: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The fields to show, secrets marked as such.
    var redactedFields: [RedactedField] { get }
}

extension SecretRedacting {
    public var description: String {
        "\(Self.self)(" + redactedFields.map { "\($0.label): \($0.shown)" }.joined(separator: ", ") + ")"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: redactedFields.map { (label: $0.label, value: $0.shown as Any) }, displayStyle: .struct)
    }
}
