import CrosswalkPluginKit

/// The connection's settings (never secrets: the host holds the API user's password).
struct AriticSettings: Sendable {
    /// Records per list page (`limit`).
    var pageSize: Int

    static let defaultPageSize = 200

    init(_ value: JSONValue) throws {
        guard let raw = value["page_size"], !raw.isNull else {
            pageSize = Self.defaultPageSize
            return
        }
        guard let number = raw.intValue ?? raw.stringValue.flatMap({ Int($0) }), (1...1000).contains(number) else {
            throw ConnectorError(.invalidArgument, "setting page_size must be an integer in 1...1000")
        }
        pageSize = number
    }
}
