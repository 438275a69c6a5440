import CrosswalkCore
import CrosswalkPlugins
import CrosswalkTestKit
import Foundation
import Logging
import Testing

/// The mapping functions, called as the host calls them: the built `.so`'s C symbols through the
/// host's libffi function registry.
@Suite("Salesforce connector: mapping functions")
struct SalesforceFunctionTests {
    func registry() throws -> PluginFunctionRegistry {
        let plugin = try PluginLoader(logger: LogRecorder.logger().0).load(path: TestFiles.builtPlugin("CrosswalkSalesforce"))
        return PluginFunctionRegistry(plugins: [plugin])
    }

    @Test("sf_id18 computes the checksum of published test vectors and normalises any casing of an 18-character id; sf_id15 takes it off; bad input is the function's error")
    func idForms() throws {
        let functions = try registry()
        #expect(Set(functions.functions.map(\.qualifiedName)) == ["com.salesforce.sf_id15", "com.salesforce.sf_id18"])
        func call(_ name: String, _ argument: JSONValue) throws -> JSONValue { try functions.call("com.salesforce.\(name)", [argument]) }
        // Vectors from the vendor notes (the checksum algorithm reproduced against independent sources).
        let vectors = ["a0RE000000IJmcN": "a0RE000000IJmcNMAT", "001M000000qfPyS": "001M000000qfPySIAU", "a0D30000001n7Pi": "a0D30000001n7PiEAI",
                       "aaaaaaaaaaaaaaa": "aaaaaaaaaaaaaaaAAA", "AbCdEfGhIjKlMnO": "AbCdEfGhIjKlMnOVKV", "a01M00000062mPg": "a01M00000062mPgIAI",
                       "a0FE000000D6r3F": "a0FE000000D6r3FMAR", "0F9E000000092w2": "0F9E000000092w2KAA", "aBcDEfgHIJKLMNO": "aBcDEfgHIJKLMNO025"]
        for (short, long) in vectors {
            #expect(try call("sf_id18", .string(short)) == .string(long))
            #expect(try call("sf_id18", .string(long)) == .string(long))
            #expect(try call("sf_id15", .string(long)) == .string(short))
        }
        #expect(try call("sf_id18", .null) == .null)
        // An 18-character id is case-insensitive: its checksum gives the case back.
        #expect(try call("sf_id18", "A0RE000000IJMCNMAT") == "a0RE000000IJmcNMAT")
        #expect(try call("sf_id15", "001m000000QFpYsiau") == "001M000000qfPyS")
        #expect(throws: CrosswalkError.self) { try call("sf_id18", "not-an-id") }
        do {
            _ = try call("sf_id15", "001M000000qfPySZAU") // the checksum marks a digit as upper case
            Issue.record("an impossible checksum was accepted")
        } catch let e as CrosswalkError {
            #expect(e.message.contains("checksum"))
        }
        // The next call starts with no error.
        #expect(try call("sf_id18", "a0RE000000IJmcN") == "a0RE000000IJmcNMAT")
    }
}
