import CrosswalkCore
import Foundation

/// What an evaluation may know beyond the record: the run's timestamp (the only clock) and the
/// resolved ID-map lookups. Plugin functions come with the program (``CompileContext/functions``).
public struct EvaluationEnvironment: Sendable {
    /// The run's timestamp, read by `run_time()` and `today()`; `nil` makes them fail.
    public var runTime: Date?
    /// Resolved lookups for the records being evaluated.
    public var lookups: LookupTable

    public init(runTime: Date? = nil, lookups: LookupTable = .empty) {
        self.runTime = runTime
        self.lookups = lookups
    }

    /// No run time, no lookups.
    public static let empty = EvaluationEnvironment()
}

/// What one evaluation of a mapping produced.
public struct MappingOutput: Sendable, Hashable {
    /// Target fields; dotted targets (`address.city`) are nested objects.
    public var fields: [String: JSONValue]
    /// Lookups that had no answer in the table (each evaluated to null), in evaluation order.
    public var unresolvedLookups: [LookupKey]

    public init(fields: [String: JSONValue], unresolvedLookups: [LookupKey] = []) {
        self.fields = fields
        self.unresolvedLookups = unresolvedLookups
    }
}

/// The mutable state of one evaluation, passed `inout` down the closure tree (no allocation per
/// node).
struct Frame {
    let record: [String: JSONValue]
    let lookups: [LookupKey: String]
    /// Milliseconds since 1970 of the run, if the environment has one.
    let runTimeMillis: Int64?
    /// Values of list-macro variables, by slot.
    var locals: [JSONValue]
    /// Steps taken (macro iterations, elements built) against ``MappingLimits/maxSteps``.
    var steps = 0
    /// Collecting lookup keys instead of answering them (``MappingProgram/lookupKeys(for:)``).
    var collecting = false
    var requested: [LookupKey] = []
    var unresolved: [LookupKey] = []

    init(record: [String: JSONValue], environment: EvaluationEnvironment, slots: Int) {
        self.record = record
        lookups = environment.lookups.ids
        if let t = environment.runTime {
            let ms = (t.timeIntervalSince1970 * 1000).rounded(.down)
            runTimeMillis = ms.isFinite && abs(ms) < 9.0e15 ? Int64(ms) : nil
        } else {
            runTimeMillis = nil
        }
        locals = slots > 0 ? Array(repeating: .null, count: slots) : []
    }
}
