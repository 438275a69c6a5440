import Foundation

/// Writes JSON bytes directly: query pages and records are rendered straight from packed rows, in the
/// order Salesforce writes their keys (attributes first, then the fields as selected), without building
/// dictionaries first.
struct SalesforceJSONWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    @inline(__always)
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    @inline(__always)
    mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// `"name":`
    mutating func key(_ name: String) {
        bytes.append(0x22)
        bytes.append(contentsOf: name.utf8)
        bytes.append(0x22)
        bytes.append(0x3A)
    }

    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { string(utf8: $0) }
    }

    /// A JSON string of UTF-8 `utf8`, escaped as JSON requires (`/` is left as it is, as Salesforce does).
    mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        var start = 0
        for i in 0..<utf8.count {
            let c = utf8[i]
            guard c < 0x20 || c == 0x22 || c == 0x5C else { continue }
            if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
            switch c {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            default:
                raw("\\u00")
                bytes.append(Self.hex[Int(c >> 4)])
                bytes.append(Self.hex[Int(c & 0xF)])
            }
            start = i + 1
        }
        if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count])) }
        bytes.append(0x22)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    mutating func null() { raw("null") }

    mutating func bool(_ b: Bool) { b ? raw("true") : raw("false") }

    mutating func int(_ n: Int) {
        if n < 0 { bytes.append(0x2D) }
        var magnitude = n.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for k in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[k]) }
        }
    }

    /// A number as the emulator has always written it: whole values without a fraction.
    mutating func number(_ d: Double) {
        if d == d.rounded(), abs(d) < 1e15 { int(Int(d)) } else if d.isFinite { raw(String(d)) } else { null() }
    }

    /// A datetime of `seconds` since 1970: `"2024-05-01T09:30:00.000+0000"`.
    mutating func dateTime(seconds: Int64) {
        let secondsOfDay = Int((seconds % 86_400 + 86_400) % 86_400)
        let days = Int((seconds - Int64(secondsOfDay)) / 86_400)
        bytes.append(0x22)
        date(days: days)
        bytes.append(0x54) // T
        two(secondsOfDay / 3600)
        bytes.append(0x3A)
        two(secondsOfDay / 60 % 60)
        bytes.append(0x3A)
        two(secondsOfDay % 60)
        raw(".000+0000\"")
    }

    /// A date of `days` since 1970, quoted: `"2024-05-01"`.
    mutating func quotedDate(days: Int) {
        bytes.append(0x22)
        date(days: days)
        bytes.append(0x22)
    }

    private mutating func date(days: Int) {
        let (y, m, d) = SalesforceDates.civil(days)
        let year = max(0, min(9999, y))
        bytes.append(UInt8(year / 1000) + 0x30)
        bytes.append(UInt8(year / 100 % 10) + 0x30)
        bytes.append(UInt8(year / 10 % 10) + 0x30)
        bytes.append(UInt8(year % 10) + 0x30)
        bytes.append(0x2D)
        two(m)
        bytes.append(0x2D)
        two(d)
    }

    @inline(__always)
    private mutating func two(_ n: Int) {
        bytes.append(UInt8(n / 10) + 0x30)
        bytes.append(UInt8(n % 10) + 0x30)
    }

    /// Any value `JSONSerialization` would write (for the small, rarely used parts of a response).
    mutating func any(_ value: Any) {
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]) {
            bytes.append(contentsOf: data)
        } else {
            null()
        }
    }

    /// A `SalesforceValue` of a field of `type`.
    mutating func value(_ value: SalesforceValue, _ type: SalesforceFieldType) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let d): number(d)
        case .text(let s): string(s)
        }
    }

    /// A typed cell (aggregate results, group values).
    mutating func cell(_ cell: SalesforceCell) {
        switch cell {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let d): number(d)
        case .text(let s): string(s)
        case .seconds(let s): dateTime(seconds: s)
        case .days(let d): quotedDate(days: Int(d))
        }
    }

    var data: Data { Data(bytes) }
}
