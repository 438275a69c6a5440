import CrosswalkTestKit
import Foundation
import Testing

/// The CLI parses arguments and prints; the host is CrosswalkRuntime's. These rules keep it so.
@Suite struct ModuleBoundaryTests {
    func imports(in folder: String) throws -> [(file: String, module: String)] {
        let root = TestFiles.repoRoot.appendingPathComponent(folder)
        let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(!files.isEmpty, "no Swift files in \(folder)")
        return try files.flatMap { file in
            try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8).split(separator: "\n").compactMap { line in
                let words = line.split(separator: " ")
                guard let i = words.firstIndex(of: "import"), i + 1 < words.count, words[..<i].allSatisfy({ $0.hasPrefix("@") }) else { return nil }
                return (file, String(words[i + 1]))
            }
        }
    }

    @Test func theRuntimeDoesNotUseTheArgumentParser() throws {
        let found = try imports(in: "Sources/CrosswalkRuntime").filter { $0.module == "ArgumentParser" }
        #expect(found.isEmpty, "\(found)")
        let manifest = try String(contentsOf: TestFiles.repoRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let runtime = try #require(manifest.range(of: #".target(name: "CrosswalkRuntime""#))
        let block = manifest[runtime.lowerBound...].prefix { $0 != "]" }
        #expect(!block.contains("swift-argument-parser"))
    }

    /// The CLI reaches the store, the vault, HTTP and the OAuth listener only through CrosswalkRuntime.
    @Test func theCLIImportsNoModuleThatDoesIOItself() throws {
        let forbidden: Set<String> = ["CrosswalkStore", "CrosswalkHTTP", "CrosswalkAuth", "CSQLite", "CCurl", "CrosswalkABI", "Hummingbird",
                                      "ServiceLifecycle"]
        let found = try imports(in: "Sources/crosswalk").filter { forbidden.contains($0.module) }
        #expect(found.isEmpty, "\(found)")
    }
}
