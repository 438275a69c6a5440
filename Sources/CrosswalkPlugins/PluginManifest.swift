import CrosswalkConnectors

/// A plugin's manifest: the connector's declaration, parsed and validated when the plugin loads.
public typealias PluginManifest = ConnectorManifest
