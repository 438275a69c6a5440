import CrosswalkCore
import Logging

/// Log lines a test captured, to assert what was (or was not) logged.
public final class LogRecorder: Sendable {
    public typealias Entry = (level: Logger.Level, message: String, metadata: Logger.Metadata)
    private let lines = LockedValue<[Entry]>([])

    public init() {}

    /// A trace-level logger writing into a new recorder.
    public static func logger(label: String = "test") -> (Logger, LogRecorder) {
        let recorder = LogRecorder()
        var logger = Logger(label: label) { _ in RecordingHandler(recorder: recorder) }
        logger.logLevel = .trace
        return (logger, recorder)
    }

    func append(_ entry: Entry) { lines.withLock { $0.append(entry) } }
    public var messages: [String] { lines.withLock { $0.map(\.message) } }
    public var entries: [Entry] { lines.withLock { $0 } }
    /// Every line as a log file would hold it: level, message, then `key=value` metadata sorted by key.
    public var text: String {
        lines.withLock {
            $0.map { entry in
                ([entry.level.rawValue, entry.message] + entry.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
                    .joined(separator: " ")
            }.joined(separator: "\n")
        }
    }
}

struct RecordingHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        recorder.append((event.level, event.message.description, metadata.merging(event.metadata ?? [:]) { $1 }))
    }
}
