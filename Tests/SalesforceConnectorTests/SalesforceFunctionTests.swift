import CrosswalkTestKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The mapping functions, called as the host calls them: C symbols of the built `.so`.
@Suite("Salesforce connector: mapping functions")
struct SalesforceFunctionTests {
    typealias StringFunction = @convention(c) (UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>?
    typealias Release = @convention(c) (UnsafeMutablePointer<CChar>?) -> Void
    typealias LastError = @convention(c) () -> UnsafePointer<CChar>?

    /// The plugin's exported functions, by the symbols its manifest names.
    struct Library {
        let handle: UnsafeMutableRawPointer

        init() throws {
            guard let h = dlopen(TestFiles.builtPlugin("CrosswalkSalesforce"), RTLD_NOW | RTLD_LOCAL) else {
                throw TestKitError(description: "dlopen: \(String(cString: dlerror()))")
            }
            handle = h
        }

        func symbol<T>(_ name: String, as: T.Type) throws -> T {
            guard let p = dlsym(handle, name) else { throw TestKitError(description: "no symbol \(name)") }
            return unsafeBitCast(p, to: T.self)
        }

        /// Calls `function` as the host does: then last_error, then release.
        func call(_ function: String, _ argument: String?) throws -> (value: String?, error: String?) {
            let f = try symbol(function, as: StringFunction.self)
            let release = try symbol("crosswalk_kit_fn_release", as: Release.self)
            let lastError = try symbol("crosswalk_kit_fn_last_error", as: LastError.self)
            let result = argument.map { a in a.withCString { f($0) } } ?? f(nil)
            let error = lastError().map { String(cString: $0) }
            defer { release(result) }
            return (result.map { String(cString: $0) }, error)
        }
    }

    @Test("sf_id18 computes the checksum of published test vectors and normalises any casing of an 18-character id; sf_id15 takes it off; bad input sets the error")
    func idForms() throws {
        let lib = try Library()
        // Vectors from the vendor notes (checksum algorithm reproduced against independent sources).
        let vectors = ["a0RE000000IJmcN": "a0RE000000IJmcNMAT", "001M000000qfPyS": "001M000000qfPySIAU", "a0D30000001n7Pi": "a0D30000001n7PiEAI",
                       "aaaaaaaaaaaaaaa": "aaaaaaaaaaaaaaaAAA", "AbCdEfGhIjKlMnO": "AbCdEfGhIjKlMnOVKV", "a01M00000062mPg": "a01M00000062mPgIAI",
                       "a0FE000000D6r3F": "a0FE000000D6r3FMAR", "0F9E000000092w2": "0F9E000000092w2KAA", "aBcDEfgHIJKLMNO": "aBcDEfgHIJKLMNO025"]
        for (short, long) in vectors {
            #expect(try lib.call("crosswalk_fn_sf_id18", short) == (long, nil))
            #expect(try lib.call("crosswalk_fn_sf_id18", long) == (long, nil))
            #expect(try lib.call("crosswalk_fn_sf_id15", long) == (short, nil))
        }
        #expect(try lib.call("crosswalk_fn_sf_id18", nil) == (nil, nil))
        let bad = try lib.call("crosswalk_fn_sf_id18", "not-an-id")
        #expect(bad.value == nil && bad.error?.contains("is not a Salesforce id") == true)
        // An 18-character id is case-insensitive: its checksum gives the case back.
        #expect(try lib.call("crosswalk_fn_sf_id18", "A0RE000000IJMCNMAT") == ("a0RE000000IJmcNMAT", nil))
        #expect(try lib.call("crosswalk_fn_sf_id15", "001m000000QFpYsiau") == ("001M000000qfPyS", nil))
        // A checksum that marks a digit as upper case belongs to no id.
        let changed = try lib.call("crosswalk_fn_sf_id15", "001M000000qfPySZAU")
        #expect(changed.value == nil && changed.error?.contains("checksum") == true)
        // The next call starts with no error.
        #expect(try lib.call("crosswalk_fn_sf_id18", "a0RE000000IJmcN").error == nil)
    }
}
