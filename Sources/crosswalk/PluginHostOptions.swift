import ArgumentParser
import CrosswalkConfig
import CrosswalkCore
import CrosswalkPlugins

extension PluginHostConfiguration {
    /// The config's `plugins:` keys (isolation, deadlines, max_result_bytes), with the global
    /// `--isolation` flag over them.
    static func from(_ config: PluginsConfig, isolation flag: String?) throws -> PluginHostConfiguration {
        var host = PluginHostConfiguration()
        if let flag {
            guard let isolation = PluginIsolation(rawValue: flag) else {
                throw ValidationError("--isolation must be one of: \(PluginIsolation.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            host.isolation = isolation
        } else if let setting = config.isolation {
            host.isolation = setting == .none ? .none : .process
        }
        host.deadlines = try host.deadlines.overriding(config.deadlines)
        if let max = config.maxResultBytes { host.maxResultBytes = max }
        return host
    }
}

extension Deployment {
    /// How this deployment runs plugins.
    func pluginHost(_ options: GlobalOptions) throws -> PluginHostConfiguration {
        try PluginHostConfiguration.from(config.plugins, isolation: options.isolation)
    }

    /// A loader for this deployment's plugins.
    func pluginLoader(_ options: GlobalOptions) throws -> PluginLoader {
        PluginLoader(logger: options.makeLogger(), configuration: try pluginHost(options))
    }
}
