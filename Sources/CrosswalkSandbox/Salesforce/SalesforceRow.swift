import Foundation

/// One stored record, packed: its id key, flags and timestamps for the indexes, and every non-null field
/// value in `packed`, in the object's field order.
///
/// `packed` holds entries `[ordinal: UInt8][tag: UInt8][payload]`: text (`tag 1`, varint length, UTF-8),
/// number (`2`, 8-byte IEEE double), false (`3`), true (`4`), datetime (`5`, 8-byte seconds since 1970),
/// date (`6`, 4-byte days since 1970). Packing keeps a seeded org of 700,000 records of 40–67 fields in a
/// few hundred megabytes, and lets pages be rendered straight from the bytes.
struct SalesforceRow: Sendable {
    var key: SalesforceIDKey
    var packed: [UInt8]
    var isDeleted: Bool
    /// Seconds since 1970 when deleted, or 0.
    var deletedAt: Int64
    /// SystemModstamp (and LastModifiedDate, which the emulator keeps equal to it), whole seconds.
    var modstamp: Int64
    /// CreatedDate, whole seconds.
    var created: Int64

    enum Tag: UInt8 {
        case text = 1, number = 2, falseValue = 3, trueValue = 4, dateTime = 5, date = 6
    }

    // MARK: reading

    /// The position of `ordinal`'s entry (its ordinal byte), or `nil` when the field is null.
    func find(_ ordinal: Int) -> Int? {
        packed.withUnsafeBufferPointer { Self.find(ordinal, in: $0) }
    }

    static func find(_ ordinal: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        while i < bytes.count {
            let o = Int(bytes[i])
            if o == ordinal { return i }
            if o > ordinal { return nil }
            i = next(after: i, in: bytes)
        }
        return nil
    }

    /// The position just past the entry at `i`.
    @inline(__always)
    static func next(after i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        switch bytes[i + 1] {
        case Tag.text.rawValue:
            let (length, start) = varint(bytes, i + 2)
            return start + length
        case Tag.number.rawValue, Tag.dateTime.rawValue: return i + 10
        case Tag.date.rawValue: return i + 6
        default: return i + 2
        }
    }

    /// Fills `offsets[ordinal]` with each present field's entry position (others −1).
    static func offsets(_ bytes: UnsafeBufferPointer<UInt8>, into offsets: inout [Int32]) {
        for k in offsets.indices { offsets[k] = -1 }
        var i = 0
        while i < bytes.count {
            offsets[Int(bytes[i])] = Int32(i)
            i = next(after: i, in: bytes)
        }
    }

    @inline(__always)
    static func varint(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> (value: Int, end: Int) {
        var value = 0, shift = 0, i = at
        while true {
            let b = bytes[i]
            value |= Int(b & 0x7F) << shift
            i += 1
            if b < 0x80 { return (value, i) }
            shift += 7
        }
    }

    @inline(__always)
    static func int64(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[at + k]) << UInt64(8 * k) }
        return Int64(bitPattern: v)
    }

    @inline(__always)
    static func int32(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int32 {
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[at + k]) << UInt32(8 * k) }
        return Int32(bitPattern: v)
    }

    /// The UTF-8 bytes of a text entry at `i`.
    @inline(__always)
    static func textRange(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Range<Int> {
        let (length, start) = varint(bytes, i + 2)
        return start..<(start + length)
    }

    /// The entry at `i` as a typed cell (for filters and sorting).
    static func cell(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> SalesforceCell {
        switch bytes[i + 1] {
        case Tag.text.rawValue:
            let range = textRange(bytes, i)
            return .text(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
        case Tag.number.rawValue: return .number(Double(bitPattern: UInt64(bitPattern: int64(bytes, i + 2))))
        case Tag.falseValue.rawValue: return .bool(false)
        case Tag.trueValue.rawValue: return .bool(true)
        case Tag.dateTime.rawValue: return .seconds(int64(bytes, i + 2))
        case Tag.date.rawValue: return .days(int32(bytes, i + 2))
        default: return .null
        }
    }

    /// The typed value of field `ordinal`.
    func cell(_ ordinal: Int) -> SalesforceCell {
        packed.withUnsafeBufferPointer { bytes in
            guard let i = Self.find(ordinal, in: bytes) else { return .null }
            return Self.cell(bytes, i)
        }
    }

    /// The value of field `ordinal` as the rest of the emulator handles values (datetimes as text).
    func value(_ ordinal: Int) -> SalesforceValue { cell(ordinal).value }

    /// Every field as a dictionary by name.
    func fields(_ object: SalesforceObject) -> [String: SalesforceValue] {
        var fields: [String: SalesforceValue] = [:]
        fields.reserveCapacity(object.fields.count)
        packed.withUnsafeBufferPointer { bytes in
            var i = 0
            while i < bytes.count {
                let ordinal = Int(bytes[i])
                if ordinal < object.fields.count { fields[object.fields[ordinal].name] = Self.cell(bytes, i).value }
                i = Self.next(after: i, in: bytes)
            }
        }
        return fields
    }

    // MARK: writing

    /// Packs `fields` (by name) for `object`; unknown names and nulls are left out.
    static func pack(_ fields: [String: SalesforceValue], _ object: SalesforceObject) -> [UInt8] {
        // Slot each value by ordinal, then write them in field order (no sort).
        var slots = [SalesforceValue?](repeating: nil, count: object.fields.count)
        var count = 0
        for (name, value) in fields where value != .null {
            if let ordinal = object.ordinal(name) {
                slots[ordinal] = value
                count += 1
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(count * 16)
        for (ordinal, value) in slots.enumerated() {
            if let value { append(ordinal, value, object.fields[ordinal].type, to: &out) }
        }
        return out
    }

    static func append(_ ordinal: Int, _ value: SalesforceValue, _ type: SalesforceFieldType, to out: inout [UInt8]) {
        out.append(UInt8(ordinal))
        switch value {
        case .null:
            out.removeLast()
        case .bool(let b):
            out.append(b ? Tag.trueValue.rawValue : Tag.falseValue.rawValue)
        case .number(let d):
            out.append(Tag.number.rawValue)
            appendInt64(Int64(bitPattern: d.bitPattern), to: &out)
        case .text(let s):
            if type == .datetime, let date = SalesforceDates.parseDateTime(s) {
                out.append(Tag.dateTime.rawValue)
                appendInt64(Int64(date.timeIntervalSince1970.rounded(.down)), to: &out)
            } else if type == .date, let date = SalesforceDates.parseDate(s) {
                out.append(Tag.date.rawValue)
                let days = Int32((date.timeIntervalSince1970 / 86_400).rounded(.down))
                for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: UInt32(bitPattern: days) >> UInt32(8 * k))) }
            } else {
                out.append(Tag.text.rawValue)
                var count = s.utf8.count
                repeat {
                    out.append(UInt8(count & 0x7F) | (count >= 0x80 ? 0x80 : 0))
                    count >>= 7
                } while count > 0
                out.append(contentsOf: s.utf8)
            }
        }
    }

    private static func appendInt64(_ v: Int64, to out: inout [UInt8]) {
        let u = UInt64(bitPattern: v)
        for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: u >> UInt64(8 * k))) }
    }
}

/// A field value as filters and sorts see it: datetimes and dates as numbers, not text.
enum SalesforceCell: Sendable, Hashable {
    case null
    case text(String)
    case number(Double)
    case bool(Bool)
    /// A datetime: whole seconds since 1970 (UTC).
    case seconds(Int64)
    /// A date: days since 1970.
    case days(Int32)

    var value: SalesforceValue {
        switch self {
        case .null: .null
        case .text(let s): .text(s)
        case .number(let d): .number(d)
        case .bool(let b): .bool(b)
        case .seconds(let s): .text(SalesforceDates.dateTime(Date(timeIntervalSince1970: Double(s))))
        case .days(let d): .text(SalesforceDates.date(Date(timeIntervalSince1970: Double(d) * 86_400)))
        }
    }

    var text: String? { if case .text(let s) = self { s } else { nil } }
}
