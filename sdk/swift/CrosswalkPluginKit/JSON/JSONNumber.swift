import Foundation

/// A JSON number kept exactly as its decimal value: no `Double` rounding of big integers, ids or
/// money.
///
/// The value is held as canonical decimal text, so equal numbers compare and hash equal whatever
/// their spelling (`1.50`, `1.5` and `15e-1` are one number; `1.0` is `1`). Read it back with
/// ``int64Value``, ``decimalValue`` or ``doubleValue``.
///
/// ```swift
/// let n = try JSONNumber(text: "12345678901234567890.10")
/// n.text          // "12345678901234567890.1"
/// n.int64Value    // nil (too big, and not whole)
/// ```
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// Canonical text: `-`? digits, optional `.` fraction without trailing zeros, or scientific
    /// `d.ddde±x` when plain notation would be very long. Never `-0`.
    public let text: String

    /// The number written in `text`, which must be a JSON number (RFC 8259 §6).
    /// - Throws: `JSONParseError` when `text` is not a JSON number.
    public init(text: String) throws {
        let utf8 = Array(text.utf8)
        guard let canonical = utf8.withUnsafeBufferPointer({ JSONNumber.canonicalize($0) }) else {
            throw JSONParseError(message: "\"\(text.prefix(40))\" is not a JSON number", offset: 0)
        }
        self.text = canonical
    }

    /// Text already checked and canonical (the parser's fast path).
    init(canonical: String) { text = canonical }

    public init(_ value: Int) { text = String(value) }
    public init(_ value: Int64) { text = String(value) }
    public init(_ value: UInt64) { text = String(value) }

    /// A finite `Double`, written with the shortest digits that read back the same value.
    /// Returns `nil` for NaN and infinities, which JSON cannot carry.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 9.007_199_254_740_992e15 {
            text = String(Int64(value))
            return
        }
        let written = Array("\(value)".utf8)
        guard let canonical = written.withUnsafeBufferPointer({ JSONNumber.canonicalize($0) }) else { return nil }
        text = canonical
    }

    /// An exact `Decimal` (money).
    public init(_ value: Decimal) {
        // Decimal's description is plain decimal notation, which canonicalize accepts.
        let written = Array(value.description.utf8)
        text = written.withUnsafeBufferPointer({ JSONNumber.canonicalize($0) }) ?? "0"
    }

    /// Whether the number has no fractional part.
    public var isInteger: Bool { !text.utf8.contains(UInt8(ascii: ".")) && !text.utf8.contains(UInt8(ascii: "e")) }

    /// The value as `Int64` when it is a whole number in range; `nil` otherwise.
    public var int64Value: Int64? { isInteger ? Int64(text) : nil }

    /// The value as `Int` when it is a whole number in range.
    public var intValue: Int? { isInteger ? Int(text) : nil }

    /// The nearest `Double` (may round: use it for arithmetic, not for ids or money).
    public var doubleValue: Double { Double(text) ?? .nan }

    /// The value as `Decimal` (38 significant digits).
    public var decimalValue: Decimal? { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) }

    public var description: String { text }

    /// Numeric order (exact for integers that fit `Int64`, `Decimal` otherwise).
    public static func < (a: JSONNumber, b: JSONNumber) -> Bool {
        if let x = a.int64Value, let y = b.int64Value { return x < y }
        if let x = a.decimalValue, let y = b.decimalValue { return x < y }
        return a.doubleValue < b.doubleValue
    }

    /// Checks a JSON number token and returns its canonical text, or `nil` when it is not one.
    ///
    /// A plain integer without a leading zero is returned as it is (the common case costs one
    /// pass); anything else is reduced to digits and an exponent and written out again.
    static func canonicalize(_ s: UnsafeBufferPointer<UInt8>) -> String? {
        let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
        var i = 0
        let n = s.count
        var negative = false
        if i < n, s[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        let intStart = i
        while i < n, s[i] >= zero, s[i] <= nine { i += 1 }
        let intEnd = i
        guard intEnd > intStart else { return nil }
        if s[intStart] == zero, intEnd - intStart > 1 { return nil } // leading zero
        var fracStart = i, fracEnd = i
        if i < n, s[i] == UInt8(ascii: ".") {
            i += 1
            fracStart = i
            while i < n, s[i] >= zero, s[i] <= nine { i += 1 }
            fracEnd = i
            guard fracEnd > fracStart else { return nil }
        }
        var exponent = 0
        var hasExponent = false
        if i < n, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            hasExponent = true
            i += 1
            var expNegative = false
            if i < n, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { expNegative = s[i] == UInt8(ascii: "-"); i += 1 }
            let expStart = i
            while i < n, s[i] >= zero, s[i] <= nine {
                if exponent < 100_000_000 { exponent = exponent * 10 + Int(s[i] - zero) }
                i += 1
            }
            guard i > expStart else { return nil }
            if expNegative { exponent = -exponent }
        }
        guard i == n else { return nil }

        // Fast path: a plain integer.
        if !hasExponent, fracStart == fracEnd, intEnd - intStart <= maxPlainDigits {
            if intEnd - intStart == 1, s[intStart] == zero { return "0" } // also "-0"
            return String(decoding: UnsafeBufferPointer(rebasing: s[(negative ? 0 : intStart)..<intEnd]), as: UTF8.self)
        }
        // Digits of integer and fraction, then strip leading and trailing zeros.
        var digits: [UInt8] = []
        digits.reserveCapacity(intEnd - intStart + fracEnd - fracStart)
        digits.append(contentsOf: UnsafeBufferPointer(rebasing: s[intStart..<intEnd]))
        digits.append(contentsOf: UnsafeBufferPointer(rebasing: s[fracStart..<fracEnd]))
        exponent -= fracEnd - fracStart
        var lead = 0
        while lead < digits.count, digits[lead] == zero { lead += 1 }
        if lead == digits.count { return "0" }
        var trail = digits.count
        while trail > lead, digits[trail - 1] == zero { trail -= 1; exponent += 1 }
        let d = Array(digits[lead..<trail])
        return write(negative: negative, digits: d, exponent: exponent)
    }

    /// Integers of up to this many digits are written out in full; longer ones in scientific form.
    static let maxPlainDigits = 40

    /// Writes `digits × 10^exponent` (digits without leading or trailing zeros).
    private static func write(negative: Bool, digits d: [UInt8], exponent e: Int) -> String {
        var out: [UInt8] = []
        if negative { out.append(UInt8(ascii: "-")) }
        let pointPosition = d.count + e // digits before the decimal point
        if e >= 0, pointPosition <= maxPlainDigits {
            out += d
            out += [UInt8](repeating: UInt8(ascii: "0"), count: e)
        } else if e < 0, pointPosition > 0 {
            out += d[0..<pointPosition]
            out.append(UInt8(ascii: "."))
            out += d[pointPosition...]
        } else if e < 0, pointPosition > -6 {
            out += [UInt8(ascii: "0"), UInt8(ascii: ".")]
            out += [UInt8](repeating: UInt8(ascii: "0"), count: -pointPosition)
            out += d
        } else {
            out.append(d[0])
            if d.count > 1 {
                out.append(UInt8(ascii: "."))
                out += d[1...]
            }
            let sciExponent = pointPosition - 1
            out.append(UInt8(ascii: "e"))
            out.append(sciExponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            out += Array(String(abs(sciExponent)).utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension JSONNumber: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
    public init(floatLiteral value: Double) { self = JSONNumber(value) ?? JSONNumber(0) }
}
