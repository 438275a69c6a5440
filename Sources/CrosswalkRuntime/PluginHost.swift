import CrosswalkConfig
import CrosswalkCore
import CrosswalkPlugins
import Logging

extension PluginHostConfiguration {
    /// The config's `plugins:` keys (isolation, deadlines, max_result_bytes), with `isolation`
    /// (the CLI's `--isolation`) over the config's when given.
    public init(_ config: PluginsConfig, isolation: PluginIsolation? = nil) {
        self.init()
        if let isolation {
            self.isolation = isolation
        } else if let setting = config.isolation {
            self.isolation = setting == .none ? .none : .process
        }
        // The config reader accepts only the operations `plugins.deadlines` knows.
        for (name, value) in config.deadlines {
            if let operation = PluginOperation(rawValue: name) { deadlines[operation] = value }
        }
        if let max = config.maxResultBytes { maxResultBytes = max }
    }
}

extension Deployment {
    /// How this deployment runs plugins: isolation, deadlines, limits.
    public var pluginHost: PluginHostConfiguration { PluginHostConfiguration(config.plugins, isolation: options.isolation) }

    /// A loader for this deployment's plugins.
    public func pluginLoader(logger: Logger) -> PluginLoader { PluginLoader(logger: logger, configuration: pluginHost) }
}
