import CrosswalkTestKit
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The exported mapping functions, called as the host calls them: C symbols of the built `.so`.
@Suite("NetSuite connector: mapping functions")
struct NetSuiteFunctionTests {
    typealias Two = @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>?
    typealias Three = @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>?
    typealias Release = @convention(c) (UnsafeMutablePointer<CChar>?) -> Void
    typealias LastError = @convention(c) () -> UnsafePointer<CChar>?

    private static func symbol<T>(_ name: String, _ type: T.Type) throws -> T {
        guard let handle = dlopen(TestFiles.builtPlugin("CrosswalkNetSuite"), RTLD_NOW | RTLD_LOCAL),
              let pointer = dlsym(handle, name) else { throw TestKitError(description: "no symbol \(name)") }
        return unsafeBitCast(pointer, to: type)
    }

    private static func call(_ f: Two, _ a: String?, _ b: String?) throws -> String? {
        let release = try symbol("crosswalk_kit_fn_release", Release.self)
        let lastError = try symbol("crosswalk_kit_fn_last_error", LastError.self)
        let result = a.withCStringOrNil { pa in b.withCStringOrNil { pb in f(pa, pb) } }
        #expect(lastError() == nil)
        defer { release(result) }
        return result.map { String(cString: $0) }
    }

    @Test func entityNamesAreLastCommaFirstAndCustomersTheirCompany() throws {
        let entity = try Self.symbol("crosswalk_fn_ns_entity_name", Two.self)
        #expect(try Self.call(entity, "Ada", "Lovelace") == "Lovelace, Ada")
        #expect(try Self.call(entity, "  Ada ", "") == "Ada")
        #expect(try Self.call(entity, nil, "Lovelace") == "Lovelace")
        #expect(try Self.call(entity, "", nil) == nil)
        let customer = try Self.symbol("crosswalk_fn_ns_customer_name", Three.self)
        let release = try Self.symbol("crosswalk_kit_fn_release", Release.self)
        let company = customer("Analytical Engines Ltd", "Ada", "Lovelace")
        #expect(company.map { String(cString: $0) } == "Analytical Engines Ltd")
        release(company)
        let person = customer("", "Ada", "Lovelace")
        #expect(person.map { String(cString: $0) } == "Lovelace, Ada")
        release(person)
    }
}

extension Optional where Wrapped == String {
    func withCStringOrNil<R>(_ body: (UnsafePointer<CChar>?) -> R) -> R {
        switch self {
        case .some(let s): s.withCString { body($0) }
        case .none: body(nil)
        }
    }
}
