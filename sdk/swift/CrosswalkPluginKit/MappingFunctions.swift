import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Helpers for mapping functions: plain C functions a Swift plugin exports for the host's mapping
/// language (crosswalk.h, "Mapping functions").
///
/// The kit exports the two support symbols every plugin needs; name them in the manifest with
/// ``manifestSupport`` and write each function as a `@_cdecl` top-level function:
/// ```swift
/// @_cdecl("crosswalk_fn_sf_id18")
/// public func sfID18(_ id: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
///     MappingFunctions.string {
///         guard let id = MappingFunctions.argument(id) else { return nil }
///         return try SalesforceID.eighteen(id)
///     }
/// }
/// // manifest: "functions":[{"name":"sf_id18","symbol":"crosswalk_fn_sf_id18","signature":"string(string)"}],
/// //           "function_support": MappingFunctions.manifestSupport
/// ```
public enum MappingFunctions {
    /// The manifest's `function_support` block for the kit's support symbols.
    public static let manifestSupport: JSONValue = ["release": "crosswalk_kit_fn_release", "last_error": "crosswalk_kit_fn_last_error"]

    /// A borrowed C string argument as a Swift string (`nil` for NULL).
    public static func argument(_ p: UnsafePointer<CChar>?) -> String? { p.map { String(cString: $0) } }

    /// Runs a string-returning function body: clears the thread's error, returns the result as a
    /// string the host releases with `crosswalk_kit_fn_release`, or records a thrown error and
    /// returns NULL.
    public static func string(_ body: () throws -> String?) -> UnsafeMutablePointer<CChar>? {
        LastError.clear()
        do { return try body().map { strdup($0) } ?? nil } catch {
            LastError.set(message(error))
            return nil
        }
    }

    /// Runs a function body returning a number or a boolean (`int64_t`, `double`, `int32_t`):
    /// on a thrown error records it and returns `fallback`.
    public static func value<T>(_ fallback: T, _ body: () throws -> T) -> T {
        LastError.clear()
        do { return try body() } catch {
            LastError.set(message(error))
            return fallback
        }
    }

    static func message(_ error: any Error) -> String {
        (error as? ConnectorError)?.message ?? String(describing: error)
    }
}

/// The calling thread's last mapping-function error, as `crosswalk_kit_fn_last_error` reports it.
enum LastError {
    nonisolated(unsafe) static var key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { free($0) }
        return k
    }()

    static func set(_ message: String) {
        clear()
        pthread_setspecific(key, strdup(message))
    }

    static func clear() {
        if let old = pthread_getspecific(key) {
            free(old)
            pthread_setspecific(key, nil)
        }
    }

    static func current() -> UnsafePointer<CChar>? {
        pthread_getspecific(key).map { UnsafePointer($0.assumingMemoryBound(to: CChar.self)) }
    }
}

/// Frees a string a mapping function returned (named in `function_support.release`).
@_cdecl("crosswalk_kit_fn_release")
public func crosswalkKitFunctionRelease(_ p: UnsafeMutablePointer<CChar>?) { free(p) }

/// The calling thread's last mapping-function error, or NULL (named in `function_support.last_error`).
@_cdecl("crosswalk_kit_fn_last_error")
public func crosswalkKitFunctionLastError() -> UnsafePointer<CChar>? { LastError.current() }
