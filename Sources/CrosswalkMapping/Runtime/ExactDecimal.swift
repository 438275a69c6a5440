import CrosswalkCore

/// An exact decimal: `digits × 10^exponent`, for arithmetic on ``JSONNumber``s that do not fit
/// `Int64` or are not whole. Addition, subtraction and multiplication are exact (up to
/// ``MappingLimits/maxDigits`` significant digits); division rounds to ``divisionDigits``.
struct ExactDecimal: Sendable, Equatable {
    var negative: Bool
    /// Most significant first, no leading or trailing zeros; empty for zero.
    var digits: [UInt8]
    var exponent: Int

    /// Significant digits a quotient keeps (half-even), as IEEE decimal128.
    static let divisionDigits = 34
    /// Exponents stay within ±this, far beyond any real value, so index arithmetic never overflows.
    static let maxExponent = 1_000_000_000

    static let zero = ExactDecimal(negative: false, digits: [], exponent: 0)
    var isZero: Bool { digits.isEmpty }

    init(negative: Bool, digits: [UInt8], exponent: Int) {
        self.negative = negative
        self.digits = digits
        self.exponent = exponent
        normalize()
    }

    /// Reads a JSON number's canonical text.
    init(_ n: JSONNumber) {
        var negative = false
        var digits: [UInt8] = []
        var exponent = 0
        var afterPoint = 0
        var seenPoint = false
        var expValue = 0
        var expNegative = false
        var inExponent = false
        for b in n.text.utf8 {
            if inExponent {
                if b == UInt8(ascii: "-") { expNegative = true } else if b >= 48, b <= 57, expValue < 100_000_000_0 { expValue = expValue * 10 + Int(b - 48) }
                continue
            }
            switch b {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "."): seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case 48...57:
                digits.append(b - 48)
                if seenPoint { afterPoint += 1 }
            default: break
            }
        }
        exponent = (expNegative ? -expValue : expValue) - afterPoint
        self.init(negative: negative, digits: digits, exponent: exponent)
    }

    private mutating func normalize() {
        var lead = 0
        while lead < digits.count, digits[lead] == 0 { lead += 1 }
        if lead > 0 { digits.removeFirst(lead) }
        var trail = digits.count
        while trail > 0, digits[trail - 1] == 0 { trail -= 1 }
        if trail < digits.count {
            exponent += digits.count - trail
            digits.removeLast(digits.count - trail)
        }
        if digits.isEmpty {
            negative = false
            exponent = 0
        }
    }

    /// Position of the most significant digit (`d.ddd × 10^adjusted`).
    var adjustedExponent: Int { digits.count + exponent - 1 }

    func number() throws(Fault) -> JSONNumber {
        if isZero { return JSONNumber(0) }
        guard abs(exponent) < 90_000_000 else { throw Fault(.numberRange, "the number is out of range") }
        var text = negative ? "-" : ""
        text.reserveCapacity(digits.count + 14)
        for d in digits { text.unicodeScalars.append(Unicode.Scalar(d + 48)) }
        if exponent != 0 { text += "e\(exponent)" }
        guard let n = try? JSONNumber(text: text) else { throw Fault(.numberRange, "the number is out of range") }
        return n
    }

    // MARK: Comparison

    /// -1, 0 or 1 comparing magnitudes.
    static func compareMagnitude(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.isZero || b.isZero { return a.isZero ? (b.isZero ? 0 : -1) : 1 }
        if a.adjustedExponent != b.adjustedExponent { return a.adjustedExponent < b.adjustedExponent ? -1 : 1 }
        let n = max(a.digits.count, b.digits.count)
        for k in 0..<n {
            let x = k < a.digits.count ? a.digits[k] : 0
            let y = k < b.digits.count ? b.digits[k] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    static func compare(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.negative != b.negative { return a.negative ? -1 : 1 }
        let m = compareMagnitude(a, b)
        return a.negative ? -m : m
    }

    // MARK: Arithmetic

    private static func check(_ r: ExactDecimal, _ limits: MappingLimits) throws(Fault) -> ExactDecimal {
        if r.digits.count > limits.maxDigits {
            throw Fault(.numberRange, "the result needs more than \(limits.maxDigits) significant digits")
        }
        if abs(r.exponent) > maxExponent { throw Fault(.numberRange, "the number is out of range") }
        return r
    }

    /// Digits of `a` scaled to exponent `e` (≤ a.exponent).
    private static func scaled(_ a: ExactDecimal, to e: Int) -> [UInt8] {
        a.digits + [UInt8](repeating: 0, count: a.exponent - e)
    }

    static func add(_ a: ExactDecimal, _ b: ExactDecimal, _ limits: MappingLimits) throws(Fault) -> ExactDecimal {
        if a.isZero { return b }
        if b.isZero { return a }
        let e = min(a.exponent, b.exponent)
        // Width of the aligned operands; refuse before allocating something huge.
        let top = max(a.digits.count + a.exponent, b.digits.count + b.exponent)
        if top - e > limits.maxDigits + 2 {
            throw Fault(.numberRange, "the result needs more than \(limits.maxDigits) significant digits")
        }
        let x = scaled(a, to: e), y = scaled(b, to: e)
        if a.negative == b.negative {
            return try check(ExactDecimal(negative: a.negative, digits: addMagnitudes(x, y), exponent: e), limits)
        }
        let m = compareMagnitude(a, b)
        if m == 0 { return .zero }
        let (big, small, sign) = m > 0 ? (x, y, a.negative) : (y, x, b.negative)
        return try check(ExactDecimal(negative: sign, digits: subtractMagnitudes(big, small), exponent: e), limits)
    }

    static func subtract(_ a: ExactDecimal, _ b: ExactDecimal, _ limits: MappingLimits) throws(Fault) -> ExactDecimal {
        var nb = b
        if !nb.isZero { nb.negative.toggle() }
        return try add(a, nb, limits)
    }

    static func multiply(_ a: ExactDecimal, _ b: ExactDecimal, _ limits: MappingLimits) throws(Fault) -> ExactDecimal {
        if a.isZero || b.isZero { return .zero }
        if a.digits.count + b.digits.count > limits.maxDigits + 1 {
            throw Fault(.numberRange, "the result needs more than \(limits.maxDigits) significant digits")
        }
        var acc = [Int](repeating: 0, count: a.digits.count + b.digits.count)
        for i in stride(from: a.digits.count - 1, through: 0, by: -1) {
            for j in stride(from: b.digits.count - 1, through: 0, by: -1) {
                acc[i + j + 1] += Int(a.digits[i]) * Int(b.digits[j])
            }
        }
        var carry = 0
        for k in stride(from: acc.count - 1, through: 0, by: -1) {
            let v = acc[k] + carry
            acc[k] = v % 10
            carry = v / 10
        }
        return try check(ExactDecimal(negative: a.negative != b.negative, digits: acc.map { UInt8($0) }, exponent: a.exponent + b.exponent), limits)
    }

    /// `a / b` rounded half-even to ``divisionDigits`` significant digits (exact when shorter).
    static func divide(_ a: ExactDecimal, _ b: ExactDecimal, _ limits: MappingLimits) throws(Fault) -> ExactDecimal {
        if b.isZero { throw Fault(.divisionByZero, "division by zero") }
        if a.isZero { return .zero }
        if a.digits.count > limits.maxDigits || b.digits.count > limits.maxDigits {
            throw Fault(.numberRange, "an operand has more than \(limits.maxDigits) significant digits")
        }
        let p = divisionDigits
        // Enough digits in the dividend for p + 1 quotient digits.
        let k = max(0, p + 1 + b.digits.count - a.digits.count)
        let dividend = a.digits + [UInt8](repeating: 0, count: k)
        var (quotient, sticky) = longDivide(dividend, b.digits)
        var exponent = a.exponent - b.exponent - k
        var lead = 0
        while lead < quotient.count, quotient[lead] == 0 { lead += 1 }
        quotient.removeFirst(lead)
        if quotient.count > p {
            let cut = quotient.count - p
            let dropped = Array(quotient[p...])
            quotient.removeLast(cut)
            exponent += cut
            let first = dropped[0]
            let restNonZero = sticky || dropped.dropFirst().contains { $0 != 0 }
            let roundUp = first > 5 || (first == 5 && (restNonZero || (quotient.last ?? 0) % 2 == 1))
            if roundUp { quotient = addMagnitudes(quotient, [1]) }
        }
        return try check(ExactDecimal(negative: a.negative != b.negative, digits: quotient, exponent: exponent), limits)
    }

    /// Whole-number division of digit strings: the quotient's digits and whether a remainder is left.
    static func longDivide(_ dividend: [UInt8], _ divisor: [UInt8]) -> ([UInt8], Bool) {
        var quotient: [UInt8] = []
        quotient.reserveCapacity(dividend.count)
        var remainder: [UInt8] = []
        for d in dividend {
            remainder.append(d)
            if remainder.first == 0 { remainder.removeFirst() }
            var q: UInt8 = 0
            while compareDigits(remainder, divisor) >= 0 {
                remainder = subtractMagnitudes(remainder, divisor)
                var lead = 0
                while lead < remainder.count, remainder[lead] == 0 { lead += 1 }
                remainder.removeFirst(lead)
                q += 1
            }
            quotient.append(q)
        }
        return (quotient, !remainder.isEmpty)
    }

    /// `a - trunc(a / b) * b`, exact.
    static func remainder(_ a: ExactDecimal, _ b: ExactDecimal, _ limits: MappingLimits) throws(Fault) -> ExactDecimal {
        if b.isZero { throw Fault(.divisionByZero, "remainder of a division by zero") }
        if a.isZero { return .zero }
        let e = min(a.exponent, b.exponent)
        let top = max(a.digits.count + a.exponent, b.digits.count + b.exponent)
        if top - e > limits.maxDigits + 2 { throw Fault(.numberRange, "the remainder needs more than \(limits.maxDigits) digits") }
        let (q, _) = longDivide(scaled(a, to: e), scaled(b, to: e))
        let quotient = ExactDecimal(negative: a.negative != b.negative, digits: q, exponent: 0)
        return try subtract(a, try multiply(quotient, b, limits), limits)
    }

    /// The value rounded to `places` decimals, half away from zero (`places` may be negative).
    func rounded(places: Int, mode: RoundingMode) -> ExactDecimal {
        let target = -places
        if isZero || exponent >= target { return self }
        let keep = digits.count - (target - exponent) // digits before the cut
        var kept: [UInt8] = keep > 0 ? Array(digits[0..<keep]) : []
        let droppedFirst: UInt8 = keep >= 0 && keep < digits.count ? digits[keep] : 0
        let anyDropped = true // digits past the cut are non-zero (no trailing zeros are stored)
        let up: Bool
        switch mode {
        case .halfAwayFromZero: up = keep >= 0 && droppedFirst >= 5
        case .towardZero: up = false
        case .floor: up = negative && anyDropped
        case .ceiling: up = !negative && anyDropped
        }
        if up { kept = Self.addMagnitudes(kept, [1]) }
        return ExactDecimal(negative: negative, digits: kept, exponent: target)
    }

    enum RoundingMode { case halfAwayFromZero, towardZero, floor, ceiling }

    // MARK: Digit helpers (most significant first)

    static func compareDigits(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for k in 0..<a.count where a[k] != b[k] { return a[k] < b[k] ? -1 : 1 }
        return 0
    }

    static func addMagnitudes(_ x: [UInt8], _ y: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(x.count, y.count) + 1)
        var i = x.count - 1, j = y.count - 1, k = out.count - 1
        var carry: UInt8 = 0
        while k >= 0 {
            let s = (i >= 0 ? x[i] : 0) + (j >= 0 ? y[j] : 0) + carry
            out[k] = s % 10
            carry = s / 10
            i -= 1; j -= 1; k -= 1
        }
        return out
    }

    /// `x - y` for `x ≥ y`.
    static func subtractMagnitudes(_ x: [UInt8], _ y: [UInt8]) -> [UInt8] {
        var out = x
        var borrow: Int = 0
        var j = y.count - 1
        var i = x.count - 1
        while i >= 0 {
            var d = Int(out[i]) - borrow - (j >= 0 ? Int(y[j]) : 0)
            if d < 0 { d += 10; borrow = 1 } else { borrow = 0 }
            out[i] = UInt8(d)
            i -= 1; j -= 1
        }
        return out
    }
}
