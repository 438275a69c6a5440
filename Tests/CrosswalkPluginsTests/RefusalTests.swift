import CrosswalkPlugins
import CrosswalkTestKit
import Foundation
import Testing

/// A broken plugin is refused with one line naming the file and the reason; the rest keep loading.
@Suite struct RefusalTests {
    let loader = PluginLoader(logger: PluginTestKit.recordingLogger().0)

    /// Builds `bad_plugin.c` with `defines` into a fresh folder and loads it.
    func refusal(_ name: String, _ defines: [String]) throws -> PluginRefusal {
        let dir = try PluginTestKit.temporaryFolder(name)
        let so = try PluginTestKit.compileC(PluginTestKit.badSource, to: dir.appendingPathComponent("lib\(name).so"), defines: defines)
        do {
            _ = try loader.load(path: so.path)
        } catch let refusal as PluginRefusal {
            #expect(refusal.path == so.path)
            #expect(refusal.description.hasPrefix("refused \(so.path): "))
            return refusal
        }
        Issue.record("\(name) was loaded but should have been refused")
        return PluginRefusal(path: so.path, reason: "")
    }

    @Test func notASharedObject() throws {
        let dir = try PluginTestKit.temporaryFolder("notelf")
        let file = dir.appendingPathComponent("libtext.so")
        try Data("this is not an ELF file\n".utf8).write(to: file)
        #expect(throws: PluginRefusal.self) { try loader.load(path: file.path) }
        do { _ = try loader.load(path: file.path) } catch let r as PluginRefusal {
            #expect(r.reason.hasPrefix("not a loadable shared object ("))
            #expect(r.reason.contains("file too short") || r.reason.contains("invalid ELF header"))
        }
    }

    @Test func missingEntry() throws {
        let r = try refusal("noentry", ["NO_ENTRY"])
        #expect(r.reason == "no crosswalk_plugin_entry symbol: not a Crosswalk plugin, or the entry is not exported (CROSSWALK_EXPORT / @_cdecl)")
    }

    @Test func otherABIMajor() throws {
        let r = try refusal("major2", ["ABI_MAJOR=2"])
        #expect(r.reason == "built for Crosswalk ABI 2.0, this host speaks ABI 1.1; rebuild it against this host's sdk/include/crosswalk.h")
    }

    @Test func structTooSmall() throws {
        let r = try refusal("small", ["STRUCT_SIZE=8"])
        #expect(r.reason.hasPrefix("descriptor is 8 bytes, smaller than the "))
        #expect(r.reason.hasSuffix(" bytes ABI 1.0 requires (struct_size not set?)"))
    }

    @Test func manifestNotJSON() throws {
        let r = try refusal("badjson", [#"MANIFEST="{not json""#])
        #expect(r.reason.hasPrefix("manifest is not valid JSON (invalid JSON at byte"))
    }

    @Test func manifestMissesAuth() throws {
        let r = try refusal("noauth", [#"MANIFEST="{\"version\":1,\"objects\":[],\"capabilities\":[]}""#])
        #expect(r.reason == #"manifest misses "auth""#)
    }

    @Test func manifestUnknownScheme() throws {
        let r = try refusal("scheme", [#"MANIFEST="{\"version\":1,\"objects\":[],\"auth\":{\"scheme\":\"magic\"},\"capabilities\":[]}""#])
        #expect(r.reason.hasPrefix(#"manifest: unknown auth scheme "magic" (known: "#))
    }

    @Test func swiftToolchainMismatch() throws {
        let r = try refusal("oldswift", ["SWIFT_VERSION=50900"])
        #expect(r.reason.hasPrefix("built with Swift 5.9.0, this host with Swift "))
        #expect(r.reason.hasSuffix("; Swift has no stable ABI on Linux: rebuild the plugin with the host's toolchain"))
    }

    @Test func entryReturnsNull() throws {
        let (logger, recorder) = PluginTestKit.recordingLogger()
        let dir = try PluginTestKit.temporaryFolder("null")
        let so = try PluginTestKit.compileC(PluginTestKit.badSource, to: dir.appendingPathComponent("libnull.so"), defines: ["LOG_AND_REFUSE"])
        #expect(throws: PluginRefusal.self) { try PluginLoader(logger: logger).load(path: so.path) }
        // The plugin's own reason reached the host's log through host->log.
        #expect(recorder.messages.contains("needs a newer host"))
    }

    @Test func missingOperation() throws {
        let r = try refusal("noread", ["NO_READ"])
        #expect(r.reason == "descriptor lacks read")
    }

    @Test func invalidID() throws {
        let r = try refusal("badid", [#"PLUGIN_ID="Not Valid""#])
        #expect(r.reason.hasPrefix(#"id "Not Valid" is not reverse-DNS"#))
    }

    @Test func scanKeepsGoingAndRefusesDuplicateIDs() throws {
        let a = try PluginTestKit.temporaryFolder("scan-a"), b = try PluginTestKit.temporaryFolder("scan-b")
        let first = try PluginTestKit.compileC(PluginTestKit.exampleSource, to: a.appendingPathComponent("libexample.so"), libraries: ["cjson"])
        let dup = try PluginTestKit.compileC(PluginTestKit.exampleSource, to: b.appendingPathComponent("libexample-copy.so"), libraries: ["cjson"])
        try PluginTestKit.compileC(PluginTestKit.badSource, to: a.appendingPathComponent("libbroken.so"), defines: ["ABI_MAJOR=3"])
        try Data("junk".utf8).write(to: a.appendingPathComponent("libjunk.so"))
        try Data("not a plugin".utf8).write(to: a.appendingPathComponent("README.txt"))

        let scan = loader.scan(folders: [a.path, b.path, "/nonexistent/crosswalk-plugins"])
        #expect(scan.loaded.map(\.id) == ["dev.crosswalk.example.c"])
        #expect(scan.loaded.first?.path == first.path)
        #expect(scan.refused.count == 3)
        #expect(scan.refused.contains { $0.path == dup.path && $0.reason == "plugin id dev.crosswalk.example.c is already provided by \(first.path)" })
        #expect(scan.refused.contains { $0.path.hasSuffix("libbroken.so") && $0.reason.hasPrefix("built for Crosswalk ABI 3.0") })
        #expect(scan.refused.contains { $0.path.hasSuffix("libjunk.so") && $0.reason.hasPrefix("not a loadable shared object") })
    }
}
