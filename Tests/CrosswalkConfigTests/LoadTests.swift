import CrosswalkConfig
import CrosswalkCore
import Foundation
import Testing

@Suite("Loading a config file and the plugin search path")
struct LoadTests {
    @Test("load resolves relative paths against the file's folder")
    func resolvesAgainstFileFolder() throws {
        try withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir + "/etc", withIntermediateDirectories: true)
            let yaml = "version: 1\nplugins: { paths: [./plugins, ../lib] }\nstore: { sqlite: state.db }\n"
            try yaml.write(toFile: dir + "/etc/crosswalk.yaml", atomically: true, encoding: .utf8)
            let config = try DeploymentConfig.load(path: dir + "/etc/crosswalk.yaml")
            #expect(config.plugins.paths == [dir + "/etc/plugins", dir + "/lib"])
            #expect(config.store == .sqlite(path: dir + "/etc/state.db"))
        }
    }

    @Test("load names the file as given in every problem")
    func namesFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/bad.yaml"
            try "version: 1\nvault: { key_env: 7 }\n".write(toFile: path, atomically: true, encoding: .utf8)
            let error = #expect(throws: CrosswalkError.self) { try DeploymentConfig.load(path: path) }
            #expect(error?.code == .config)
            #expect(error?.message == "\(path):2: vault.key_env: expected a string, found an integer")
        }
    }

    @Test("a missing file is a config error naming it")
    func missingFile() throws {
        try withTemporaryDirectory { dir in
            let error = #expect(throws: CrosswalkError.self) { try DeploymentConfig.load(path: dir + "/nope.yaml") }
            #expect(error?.code == .config)
            #expect(error?.message == "config file \(dir)/nope.yaml does not exist")
        }
    }

    @Test("CROSSWALK_PLUGIN_PATH folders are appended after plugins.paths, without repeats")
    func pluginPathFromEnvironment() throws {
        let config = try parse("version: 1\nplugins: { paths: [./plugins, /opt/cw] }\n")
        let cwd = FileManager.default.currentDirectoryPath
        #expect(config.pluginSearchPaths(environment: ["CROSSWALK_PLUGIN_PATH": "/usr/lib/cw::/opt/cw:build/plugins"])
            == ["/srv/crosswalk/plugins", "/opt/cw", "/usr/lib/cw", URL(fileURLWithPath: cwd + "/build/plugins").standardized.path])
        #expect(config.pluginSearchPaths(environment: [:]) == ["/srv/crosswalk/plugins", "/opt/cw"])
    }
}
