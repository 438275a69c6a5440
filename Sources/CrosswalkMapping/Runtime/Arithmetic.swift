import CrosswalkCore

/// Exact arithmetic on ``JSONNumber``s: `Int64` when both operands are whole and the result fits,
/// ``ExactDecimal`` otherwise. Never `Double`, never a trap.
enum Arithmetic {
    static func add(_ a: JSONNumber, _ b: JSONNumber, _ limits: MappingLimits) throws(Fault) -> JSONNumber {
        if let x = a.int64Value, let y = b.int64Value {
            let (r, o) = x.addingReportingOverflow(y)
            if !o { return JSONNumber(r) }
        }
        return try ExactDecimal.add(ExactDecimal(a), ExactDecimal(b), limits).number()
    }

    static func subtract(_ a: JSONNumber, _ b: JSONNumber, _ limits: MappingLimits) throws(Fault) -> JSONNumber {
        if let x = a.int64Value, let y = b.int64Value {
            let (r, o) = x.subtractingReportingOverflow(y)
            if !o { return JSONNumber(r) }
        }
        return try ExactDecimal.subtract(ExactDecimal(a), ExactDecimal(b), limits).number()
    }

    static func multiply(_ a: JSONNumber, _ b: JSONNumber, _ limits: MappingLimits) throws(Fault) -> JSONNumber {
        if let x = a.int64Value, let y = b.int64Value {
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if !o { return JSONNumber(r) }
        }
        return try ExactDecimal.multiply(ExactDecimal(a), ExactDecimal(b), limits).number()
    }

    static func divide(_ a: JSONNumber, _ b: JSONNumber, _ limits: MappingLimits) throws(Fault) -> JSONNumber {
        if let x = a.int64Value, let y = b.int64Value {
            if y == 0 { throw Fault(.divisionByZero, "division by zero") }
            let (q, o) = x.dividedReportingOverflow(by: y)
            if !o, x.remainderReportingOverflow(dividingBy: y).partialValue == 0 { return JSONNumber(q) }
        }
        return try ExactDecimal.divide(ExactDecimal(a), ExactDecimal(b), limits).number()
    }

    /// Remainder with the sign of the dividend (`-7 % 3 == -1`), for whole numbers and decimals.
    static func remainder(_ a: JSONNumber, _ b: JSONNumber, _ limits: MappingLimits) throws(Fault) -> JSONNumber {
        if let x = a.int64Value, let y = b.int64Value {
            if y == 0 { throw Fault(.divisionByZero, "remainder of a division by zero") }
            let (r, o) = x.remainderReportingOverflow(dividingBy: y)
            return JSONNumber(o ? 0 : r)
        }
        return try ExactDecimal.remainder(ExactDecimal(a), ExactDecimal(b), limits).number()
    }

    static func negate(_ a: JSONNumber) -> JSONNumber {
        if a.text == "0" { return a }
        if a.text.hasPrefix("-") { return (try? JSONNumber(text: String(a.text.dropFirst()))) ?? a }
        return (try? JSONNumber(text: "-" + a.text)) ?? a
    }

    static func compare(_ a: JSONNumber, _ b: JSONNumber) -> Int {
        if a == b { return 0 }
        if let x = a.int64Value, let y = b.int64Value { return x < y ? -1 : 1 }
        return ExactDecimal.compare(ExactDecimal(a), ExactDecimal(b))
    }

    static func round(_ a: JSONNumber, places: Int, mode: ExactDecimal.RoundingMode) throws(Fault) -> JSONNumber {
        if a.isInteger, places >= 0 { return a }
        return try ExactDecimal(a).rounded(places: places, mode: mode).number()
    }
}
