import CrosswalkPluginKit

/// `discover`: the global describe, then each object's describe mapped onto the ABI's field types.
/// Without a list: the connector's own objects and the org's custom objects (a real org has hundreds
/// of standard objects; ask for others by name with `crosswalk.discover/2`).
struct SalesforceDiscoverer {
    let schema: SalesforceSchemaCache

    func discover(_ names: [String]?) throws -> DiscoverResult {
        let global = try schema.globalList()
        let wanted: [String]
        if let names {
            wanted = try names.map { name in
                guard let entry = global.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                    throw ConnectorError(.notFound, "the org has no object \(name) (or the integration user cannot see it)")
                }
                return entry.name
            }
        } else {
            let own = Set(SalesforceManifest.objects.map { $0.name.lowercased() })
            wanted = global.filter { $0.queryable && (own.contains($0.name.lowercased()) || $0.custom) }.map(\.name)
        }
        return DiscoverResult(objects: try wanted.map { try schema.describe($0).info })
    }
}
