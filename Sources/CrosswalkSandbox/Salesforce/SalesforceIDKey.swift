/// An 18-character record id packed into three integers, compared in the ids' byte order (0-9 < A-Z < a-z),
/// which is the order Salesforce sorts ids in and compares them by in `WHERE Id > '…'`.
struct SalesforceIDKey: Hashable, Comparable, Sendable {
    /// Bytes 0-7, 8-15 and 16-17, big-endian, so integer order is byte order.
    var high: UInt64
    var middle: UInt64
    var low: UInt16

    /// The key of an 18-character ASCII id (as stored: already canonical), or `nil`.
    init?(_ id: String) {
        var id = id
        guard let key = id.withUTF8({ SalesforceIDKey(bytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = key
    }

    /// The key of 18 id bytes, or `nil` when `bytes` is not 18 long.
    init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 18 else { return nil }
        var h: UInt64 = 0, m: UInt64 = 0
        for i in 0..<8 { h = h << 8 | UInt64(bytes[i]) }
        for i in 8..<16 { m = m << 8 | UInt64(bytes[i]) }
        high = h
        middle = m
        low = UInt16(bytes[16]) << 8 | UInt16(bytes[17])
    }

    /// The smallest key whose id starts with `prefix` (the `001` of accounts).
    init(smallestWithPrefix prefix: String) {
        var bytes = Array(prefix.utf8.prefix(18))
        bytes += Array(repeating: 0, count: 18 - bytes.count)
        self = bytes.withUnsafeBytes { SalesforceIDKey(bytes: $0)! }
    }

    static func < (a: SalesforceIDKey, b: SalesforceIDKey) -> Bool {
        if a.high != b.high { return a.high < b.high }
        if a.middle != b.middle { return a.middle < b.middle }
        return a.low < b.low
    }

    /// The id's 18 bytes, written to `out`.
    func append(to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: middle >> UInt64(shift))) }
        out.append(UInt8(truncatingIfNeeded: low >> 8))
        out.append(UInt8(truncatingIfNeeded: low))
    }

    /// The id as text.
    var string: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(18)
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The id's 3-character key prefix (`001`).
    var keyPrefix: String {
        String(decoding: [UInt8(truncatingIfNeeded: high >> 56), UInt8(truncatingIfNeeded: high >> 48), UInt8(truncatingIfNeeded: high >> 40)],
               as: UTF8.self)
    }
}
