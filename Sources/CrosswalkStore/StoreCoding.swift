import CrosswalkCore
import Foundation

extension Date {
    /// Every store keeps dates as whole milliseconds since 1970 (so a copy between stores is exact).
    public init(storeMilliseconds: Int64) { self.init(timeIntervalSince1970: Double(storeMilliseconds) / 1000) }

    /// This date in whole milliseconds since 1970, rounded.
    public var storeMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}

/// Intent batches are kept as one JSON document per batch: one row per write batch, not per record.
/// Every store uses this encoding, so a stored batch reads the same from any of them.
public enum IntentCoding {
    /// The batch as JSON text (sorted keys, dates in milliseconds).
    public static func encode(_ batch: IntentBatch) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(batch), as: UTF8.self)
    }

    /// A stored batch; `.store` when it cannot be read.
    public static func decode(_ text: String) throws -> IntentBatch {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        do { return try decoder.decode(IntentBatch.self, from: Data(text.utf8)) } catch {
            throw CrosswalkError(.store, "a stored write intent cannot be read (\(error)); was it written by another version?")
        }
    }
}
