import CrosswalkCore
import Foundation

/// Writes `JSONSerialization`-style values (dictionaries, arrays, strings, numbers, `Bool`, `NSNull`) as JSON
/// bytes, keys sorted, slashes unescaped — what `JSONSerialization.data(withJSONObject:options:[.sortedKeys,
/// .withoutEscapingSlashes, .fragmentsAllowed])` gives, at a small fraction of its cost (its key sort compares with
/// a locale per pair). Keys sort as Foundation's do for the keys the emulators use: ignoring case, digit runs by
/// value, then by bytes.
public enum SandboxJSON {
    public static func encode(_ value: Any) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(value, into: &out)
        return Data(out)
    }

    static func write(_ value: Any, into out: inout [UInt8]) {
        // Exact types first: on Linux a failing `as?` cast tries Foundation bridging (a dictionary tested
        // `as? String` is bridged to NSDictionary), which cost more than all the writing.
        let kind = type(of: value)
        if kind == String.self { writeString(value as! String, into: &out); return }
        if kind == [String: Any].self { writeObject(value as! [String: Any], into: &out); return }
        if kind == [Any].self { writeArray(value as! [Any], into: &out); return }
        if kind == [[String: Any]].self { writeArray(value as! [[String: Any]], into: &out); return }
        if kind == [String: String].self { writeObject(value as! [String: String], into: &out); return }
        if kind == [[String: String]].self { writeArray(value as! [[String: String]], into: &out); return }
        if kind == [String].self { writeArray(value as! [String], into: &out); return }
        if kind == Int.self || kind == Double.self || kind == Bool.self || kind == NSNull.self { writeScalar(value, into: &out); return }
        switch value {
        case let string as String:
            writeString(string, into: &out)
        case is NSNull:
            out.append(contentsOf: "null".utf8)
        case let dictionary as [String: Any]:
            guard !dictionary.isEmpty else { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for (index, key) in dictionary.keys.sorted(by: collates).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(dictionary[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case let array as [Any]:
            out.append(UInt8(ascii: "["))
            for (index, item) in array.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        default:
            writeScalar(value, into: &out)
        }
    }

    private static func writeObject<V>(_ dictionary: [String: V], into out: inout [UInt8]) {
        guard !dictionary.isEmpty else { out.append(contentsOf: "{}".utf8); return }
        out.append(UInt8(ascii: "{"))
        for (index, key) in dictionary.keys.sorted(by: collates).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            writeString(key, into: &out)
            out.append(UInt8(ascii: ":"))
            write(dictionary[key]!, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private static func writeArray<V>(_ array: [V], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, item) in array.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            write(item, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private static func writeScalar(_ value: Any, into out: inout [UInt8]) {
        if value is NSNull { out.append(contentsOf: "null".utf8); return }
        switch value {
        case let bool as Bool where type(of: value) == Bool.self:
            out.append(contentsOf: (bool ? "true" : "false").utf8)
        case let int as Int where type(of: value) == Int.self:
            out.append(contentsOf: String(int).utf8)
        case let double as Double where type(of: value) == Double.self:
            writeDouble(double, into: &out)
        case let number as NSNumber:
            switch String(cString: number.objCType) {
            case "c", "B": out.append(contentsOf: (number.boolValue ? "true" : "false").utf8)
            case "d", "f": writeDouble(number.doubleValue, into: &out)
            case "Q": out.append(contentsOf: String(number.uint64Value).utf8)
            default: out.append(contentsOf: String(number.int64Value).utf8)
            }
        case let int as any BinaryInteger:
            out.append(contentsOf: String(describing: int).utf8)
        case let float as Float:
            writeDouble(Double(float), into: &out)
        case let dictionary as [AnyHashable: Any]:
            write(Dictionary(uniqueKeysWithValues: dictionary.map { ("\($0.key)", $0.value) }), into: &out)
        default:
            if case Optional<Any>.none = value as Any? { out.append(contentsOf: "null".utf8); return }
            writeString(String(describing: value), into: &out)
        }
    }

    private static func writeDouble(_ double: Double, into out: inout [UInt8]) {
        guard double.isFinite else { out.append(contentsOf: "null".utf8); return }
        if double == double.rounded(), abs(double) < 1e15 {
            out.append(contentsOf: String(Int(double)).utf8)
        } else {
            out.append(contentsOf: "\(double)".utf8)
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func writeString(_ string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether key `a` sorts before `b`: case-insensitive with digit runs compared by value, then by bytes.
    static func collates(_ a: String, _ b: String) -> Bool {
        if a == b { return false }
        let x = Array(a.utf8), y = Array(b.utf8)
        var i = 0, j = 0
        while i < x.count, j < y.count {
            if isDigit(x[i]), isDigit(y[j]) {
                var (ni, nj) = (i, j)
                while ni < x.count, isDigit(x[ni]) { ni += 1 }
                while nj < y.count, isDigit(y[nj]) { nj += 1 }
                let (ra, rb) = (x[i..<ni].drop { $0 == 0x30 }, y[j..<nj].drop { $0 == 0x30 })
                if ra.count != rb.count { return ra.count < rb.count }
                if !ra.elementsEqual(rb) { return ra.lexicographicallyPrecedes(rb) }
                (i, j) = (ni, nj)
                continue
            }
            let (ca, cb) = (lower(x[i]), lower(y[j]))
            if ca != cb { return ca < cb }
            i += 1
            j += 1
        }
        if x.count - i != y.count - j { return x.count - i < y.count - j }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c + 32 : c }
}
