import CrosswalkConnectors
import CrosswalkCore
import CrosswalkMapping
import Foundation

// The mapping language's fuzz target. One input is:
//   byte 0      flags: bit 0 criteria (else mapping), bit 1 compile against a schema, bit 2 plugin functions
//   bytes 1…    program text, then optionally a NUL byte and a JSON object used as the record
// Everything the engine would do with a program runs: compile, evaluate, lookup keys, pushdown,
// reasons. Any trap is a bug; thrown MappingErrors are fine.
//
// Built with `-sanitize=fuzzer -DFUZZING` it runs libFuzzer; built normally it replays files:
// `mapping-fuzz FILE…` (what the regression tests' inputs came from).

enum Fuzz {
    static let schema = ObjectSchema(name: "Contact", fields: [
        FieldSchema(name: "Id", type: .id), FieldSchema(name: "Name", type: .string), FieldSchema(name: "LastName", type: .string),
        FieldSchema(name: "Amount", type: .currency), FieldSchema(name: "IsActive", type: .boolean),
        FieldSchema(name: "AccountId", type: .reference, referenceTo: ["Account"]), FieldSchema(name: "Items", type: .json),
        FieldSchema(name: "CloseDate", type: .date), FieldSchema(name: "Address", type: .address),
    ])

    static let provider: InMemoryFunctionProvider = {
        var p = InMemoryFunctionProvider()
        try? p.add(pluginID: "dev.crosswalk.salesforce", name: "sf_id18", signature: "string(string)") { args in
            .string((args.first?.stringValue ?? "") + "AAA")
        }
        try? p.add(pluginID: "test", name: "twice", signature: "int64(int64)") { args in
            .number(JSONNumber((args.first?.int64Value ?? 0) &* 2))
        }
        try? p.add(pluginID: "test", name: "fails", signature: "bool(double,bool)") { _ in
            throw CrosswalkError(.invalidArgument, "always fails")
        }
        return p
    }()

    static let defaultRecord: [String: JSONValue] = [
        "Id": "003A", "Name": "Ada Lovelace", "LastName": "Lovelace", "Amount": .number(try! JSONNumber(text: "1234567890123.45")),
        "IsActive": true, "AccountId": "001B", "Items": [["Sku": "A", "Qty": 2], ["Sku": "B", "Qty": 0]],
        "CloseDate": "2026-11-30", "Address": ["city": "Paris", "zip": "75001"], "Empty": "",
    ]

    static let environment = EvaluationEnvironment(
        runTime: Date(timeIntervalSince1970: 1_790_000_000),
        lookups: LookupTable([LookupKey(sourceObject: "Account", id: "001B"): "42", LookupKey(id: "001B"): "43"]))

    /// Whether the record's values have the types the schema gives its fields.
    static func conforms(_ record: [String: JSONValue]) -> Bool {
        for field in schema.fields {
            guard let v = record[field.name], !v.isNull else { continue }
            switch field.type {
            case .currency: if v.numberValue == nil { return false }
            case .boolean: if v.boolValue == nil { return false }
            case .address: if v.objectValue == nil { return false }
            case .json: break
            default: if v.stringValue == nil { return false }
            }
        }
        return true
    }

    static func run(_ bytes: [UInt8]) {
        guard let flags = bytes.first else { return }
        let rest = bytes.dropFirst()
        let split = rest.firstIndex(of: 0)
        let text = String(decoding: rest[..<(split ?? rest.endIndex)], as: UTF8.self)
        var record = defaultRecord
        if let split, case .object(let o)? = try? JSONParser.parse(Data(rest[(split + 1)...])) { record = o }
        let context = CompileContext(sourceSchema: flags & 2 != 0 ? schema : nil, functions: flags & 4 != 0 ? provider : nil,
                                     limits: MappingLimits(maxStringBytes: 1 << 16, maxListCount: 1000, maxSteps: 20_000))
        if flags & 1 != 0 {
            guard let criteria = try? CriteriaProgram.compile(text, context: context) else { return }
            _ = criteria.lookupKeys(for: record)
            _ = try? criteria.evaluate(record: record, environment: environment)
            _ = try? criteria.matches(record: record, environment: .empty)
            _ = criteria.pushdown(allowing: ["eq", "ne", "in", "and"])
            // Exactness is promised for records whose values have the schema's types.
            if let filter = criteria.pushdown.filter, flags & 2 == 0 || conforms(record) {
                let pushed = filter.matches(record)
                // An exact pushdown agrees with the criteria wherever the criteria evaluate.
                if criteria.pushdown.exact, let local = try? criteria.matches(record: record, environment: environment), local != pushed {
                    fatalError("exact pushdown disagrees: \(text) on \(JSONValue.object(record).text)")
                }
                // The pushdown is implied by the criteria.
                if let local = try? criteria.matches(record: record, environment: environment), local, !pushed {
                    fatalError("pushdown rejects a qualifying record: \(text) on \(JSONValue.object(record).text)")
                }
            }
        } else {
            guard let program = try? MappingProgram.compile(text, context: context) else { return }
            _ = program.lookupKeys(for: record)
            _ = try? program.evaluate(record: record, environment: environment)
            _ = try? program.evaluate(record: [:], environment: .empty)
        }
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@main
struct MappingFuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            Fuzz.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
            return 0
        }
        exit(status)
    }
}
#else
@main
struct MappingFuzz {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("cannot read \(path)")
                exit(1)
            }
            Fuzz.run(Array(data))
            print("ok \(path)")
        }
    }
}
#endif
