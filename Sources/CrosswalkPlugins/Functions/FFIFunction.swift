@preconcurrency import CFFI
import CrosswalkConnectors
import CrosswalkCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension CrosswalkError.Code {
    /// A mapping function reported an error through its plugin's `last_error`.
    public static let functionFailed = CrosswalkError.Code("function_failed")
}

/// The support symbols of a plugin's mapping functions (`function_support` in its manifest).
struct FunctionSupportSymbols: @unchecked Sendable {
    /// `void release(char *)`: frees a string result.
    let release: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void
    /// `const char *last_error(void)`: the calling thread's error, or NULL.
    let lastError: (@convention(c) () -> UnsafePointer<CChar>?)?
}

/// One mapping function of a plugin, resolved with `dlsym` and prepared for libffi
/// (`ffi_prep_cif` once; `ffi_call` per call). Thread-safe: the prepared call interface is only read.
final class FFIFunction: @unchecked Sendable {
    let plugin: String
    let name: String
    let signature: FunctionSignature
    private let address: UnsafeMutableRawPointer
    private let support: FunctionSupportSymbols
    private let cif: UnsafeMutablePointer<ffi_cif>
    private let argumentTypes: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>

    /// Prepares `address` as a function of `signature`.
    /// - Throws: `CrosswalkError` when libffi refuses the signature.
    init(plugin: String, name: String, signature: FunctionSignature, address: UnsafeMutableRawPointer, support: FunctionSupportSymbols) throws {
        self.plugin = plugin
        self.name = name
        self.signature = signature
        self.address = address
        self.support = support
        cif = .allocate(capacity: 1)
        let count = signature.parameters.count
        argumentTypes = .allocate(capacity: max(count, 1))
        for (i, t) in signature.parameters.enumerated() { argumentTypes[i] = Self.ffiType(t) }
        let status = ffi_prep_cif(cif, cffi_default_abi(), UInt32(count), Self.ffiType(signature.returns), count == 0 ? nil : argumentTypes)
        guard status == FFI_OK else {
            cif.deallocate()
            argumentTypes.deallocate()
            throw CrosswalkError(.pluginRefused, "function \(name): libffi cannot prepare \(signature) (ffi_prep_cif status \(status.rawValue))")
        }
    }

    deinit {
        cif.deallocate()
        argumentTypes.deallocate()
    }

    private static func ffiType(_ t: FunctionSignature.ValueType) -> UnsafeMutablePointer<ffi_type> {
        switch t {
        case .int64: cffi_type_sint64()
        case .double: cffi_type_double()
        case .bool: cffi_type_sint32()
        case .string: cffi_type_pointer()
        }
    }

    /// `plugin.name`.
    var qualifiedName: String { "\(plugin).\(name)" }

    /// Checks the arguments against the signature (arity and types).
    func check(_ arguments: [JSONValue]) throws {
        let p = signature.parameters
        guard arguments.count == p.count else {
            throw CrosswalkError(.invalidArgument, "\(qualifiedName) takes \(p.count) argument\(p.count == 1 ? "" : "s") (\(signature)), got \(arguments.count)",
                                 context: ["plugin": plugin, "function": name])
        }
        for (i, (type, value)) in zip(p, arguments).enumerated() where !Self.accepts(type, value) {
            throw CrosswalkError(.invalidArgument, "\(qualifiedName): argument \(i + 1) must be \(Self.describe(type)), got \(value.typeName)",
                                 context: ["plugin": plugin, "function": name])
        }
    }

    private static func accepts(_ type: FunctionSignature.ValueType, _ value: JSONValue) -> Bool {
        switch (type, value) {
        case (.int64, .number(let n)): return n.int64Value != nil
        case (.double, .number): return true
        case (.bool, .bool): return true
        case (.string, .string), (.string, .null): return true
        default: return false
        }
    }

    private static func describe(_ type: FunctionSignature.ValueType) -> String {
        switch type {
        case .int64: "an integer (int64)"
        case .double: "a number (double)"
        case .bool: "a boolean"
        case .string: "a string or null"
        }
    }

    /// Calls the function through libffi on the calling thread, then reads the plugin's error
    /// channel on the same thread, and releases a string result with the plugin's release.
    /// - Throws: `.invalidArgument` for bad arguments, `.functionFailed` with the plugin's message.
    func call(_ arguments: [JSONValue]) throws -> JSONValue {
        try check(arguments)
        let count = arguments.count
        // One 8-byte slot per argument (int64, double, int32 and pointers all fit).
        let slots = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 8, alignment: 8)
        let pointers = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: max(count, 1))
        var strings: [UnsafeMutablePointer<CChar>] = []
        defer {
            strings.forEach { free($0) }
            slots.deallocate()
            pointers.deallocate()
        }
        for (i, (type, value)) in zip(signature.parameters, arguments).enumerated() {
            let slot = slots + i * 8
            pointers[i] = slot
            switch (type, value) {
            case (.int64, .number(let n)): slot.storeBytes(of: n.int64Value!, as: Int64.self)
            case (.double, .number(let n)): slot.storeBytes(of: n.doubleValue, as: Double.self)
            case (.bool, .bool(let b)): slot.storeBytes(of: Int32(b ? 1 : 0), as: Int32.self)
            case (.string, .string(let s)):
                let c = strdup(s)!
                strings.append(c)
                slot.storeBytes(of: UnsafeRawPointer(c), as: UnsafeRawPointer.self)
            default: slot.storeBytes(of: nil, as: UnsafeRawPointer?.self)
            }
        }
        // libffi writes at least sizeof(ffi_arg) bytes, whatever the result type.
        let result = UnsafeMutableRawPointer.allocate(byteCount: max(16, cffi_arg_size()), alignment: 16)
        defer { result.deallocate() }
        result.initializeMemory(as: UInt8.self, repeating: 0, count: 16)
        let function = unsafeBitCast(address, to: (@convention(c) () -> Void).self)
        ffi_call(cif, function, result, pointers)
        let error = support.lastError?().map { String(cString: $0) }

        var value: JSONValue
        switch signature.returns {
        case .int64: value = .number(JSONNumber(result.load(as: Int64.self)))
        case .double:
            let d = result.load(as: Double.self)
            value = JSONNumber(d).map(JSONValue.number) ?? .null
            if error == nil, !d.isFinite {
                throw CrosswalkError(.functionFailed, "\(qualifiedName) returned \(d), which is not a JSON number",
                                     context: ["plugin": plugin, "function": name])
            }
        case .bool: value = .bool(Int32(truncatingIfNeeded: result.load(as: Int64.self)) != 0)
        case .string:
            if let p = result.load(as: UnsafeMutablePointer<CChar>?.self) {
                let text = String(validatingCString: p)
                support.release(p)
                guard let text else {
                    throw CrosswalkError(.functionFailed, "\(qualifiedName) returned a string that is not valid UTF-8",
                                         context: ["plugin": plugin, "function": name])
                }
                value = .string(text)
            } else {
                value = .null
            }
        }
        if let error {
            throw CrosswalkError(.functionFailed, "\(qualifiedName): \(error)", context: ["plugin": plugin, "function": name])
        }
        return value
    }
}
