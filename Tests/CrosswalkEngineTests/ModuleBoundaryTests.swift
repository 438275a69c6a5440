import CrosswalkTestKit
import Foundation
import Testing

/// The engine must be testable with in-memory connectors and stores: it depends only on the pure
/// modules, the connector client and the store's protocols — never on the plugin loader, libcurl,
/// auth, SQLite or Hummingbird (issue 15, "Where it lives").
@Suite("Engine: module boundaries")
struct ModuleBoundaryTests {
    static let allowed: [String: Set<String>] = [
        "CrosswalkFlows": ["CrosswalkCore", "CrosswalkConnectors", "Foundation"],
        "CrosswalkEngine": ["CrosswalkCore", "CrosswalkConnectors", "CrosswalkFlows", "CrosswalkStore", "CrosswalkMapping", "Foundation", "Logging"],
    ]

    @Test("CrosswalkFlows and CrosswalkEngine import only their allowed modules", arguments: ["CrosswalkFlows", "CrosswalkEngine"])
    func imports(module: String) throws {
        let folder = TestFiles.repoRoot.appendingPathComponent("Sources/\(module)")
        let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL])
            .filter { $0.pathExtension == "swift" }
        #expect(files.count >= 3)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(whereSeparator: \.isWhitespace)
                guard let at = words.firstIndex(where: { $0 == "import" }), words[..<at].allSatisfy({ $0.hasPrefix("@") || ["public", "internal", "private"].contains(String($0)) }),
                      at + 1 < words.count else { continue }
                var imported = String(words[at + 1])
                if ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"].contains(imported), at + 2 < words.count {
                    imported = String(words[at + 2]).split(separator: ".").first.map(String.init) ?? imported
                }
                #expect(Self.allowed[module]!.contains(imported), "\(file.lastPathComponent) imports \(imported)")
            }
        }
    }

    @Test("Package.swift gives them no other dependency", arguments: ["CrosswalkFlows", "CrosswalkEngine"])
    func manifest(module: String) throws {
        let text = try String(contentsOf: TestFiles.repoRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let start = try #require(text.range(of: ".target(name: \"\(module)\""))
        var depth = 0
        var end = start.upperBound
        for index in text[start.lowerBound...].indices {
            if text[index] == "(" { depth += 1 }
            if text[index] == ")" {
                depth -= 1
                if depth == 0 {
                    end = index
                    break
                }
            }
        }
        let declaration = String(text[start.lowerBound...end])
        let names = declaration.matches(of: /"([A-Za-z-]+)"/).map { String($0.output.1) }.filter { $0 != module }
        let products = Set(declaration.matches(of: /name: "([A-Za-z-]+)", package/).map { String($0.output.1) })
        for name in names where !products.contains(name) && name != "swift-log" {
            #expect(Self.allowed[module]!.contains(name), "Package.swift gives \(module) the dependency \(name)")
        }
        #expect(products.isSubset(of: ["Logging"]), "\(module) uses products \(products)")
    }
}
