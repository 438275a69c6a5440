import CrosswalkPluginKit

/// The connection's settings (never secrets: the host holds the API user's password).
struct AriticSettings: Sendable {
    /// Records per list page (`limit`).
    var pageSize: Int

    /// Segment aliases whose membership contacts carry in their `segments` field (none by default: no extra calls).
    var segments: [String]

    static let defaultPageSize = 200

    init(_ value: JSONValue) throws {
        if let raw = value["page_size"], !raw.isNull {
            guard let number = raw.intValue ?? raw.stringValue.flatMap({ Int($0) }), (1...1000).contains(number) else {
                throw ConnectorError(.invalidArgument, "setting page_size must be an integer in 1...1000")
            }
            pageSize = number
        } else {
            pageSize = Self.defaultPageSize
        }
        segments = []
        guard let raw = value["segments"], !raw.isNull else { return }
        guard let list = raw.arrayValue else { throw ConnectorError(.invalidArgument, "setting segments must be a list of segment aliases") }
        for (index, item) in list.enumerated() {
            // Mautic's aliases are slugs; anything else could not be searched for (`segment:ALIAS`).
            guard let alias = item.stringValue, !alias.isEmpty,
                  alias.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) else {
                throw ConnectorError(.invalidArgument, "setting segments[\(index)] must be a segment alias (a-z, 0-9, - and _), as Aritic shows it under Segments")
            }
            if !segments.contains(alias) { segments.append(alias) }
        }
    }
}
