import CrosswalkCore
import Foundation

/// A JSON object whose keys keep their order, as PHP arrays do (Mautic keys lists by id in query order).
struct AriticObject {
    var pairs: [(key: String, value: Any)]

    init(_ pairs: [(String, Any)] = []) { self.pairs = pairs.map { (key: $0.0, value: $0.1) } }

    subscript(key: String) -> Any? {
        get { pairs.first { $0.key == key }?.value }
        set {
            if let index = pairs.firstIndex(where: { $0.key == key }) {
                if let newValue { pairs[index].value = newValue } else { pairs.remove(at: index) }
            } else if let newValue {
                pairs.append((key: key, value: newValue))
            }
        }
    }
}

/// Already-encoded JSON to embed as is (segment filters as the client sent them).
struct AriticRawJSON {
    var data: Data
}

/// A field entry of a contact's or company's `fields` groups: the definition's keys, encoded once per field,
/// then `value`.
struct AriticFieldEntry {
    /// `{"id":"1","label":…,"default_value":null,"value":` for the field.
    var prefix: [UInt8]
    var value: Any
}

/// JSON as PHP's `json_encode` writes it by default: keys in order, `/` escaped as `\/`, non-ASCII as `\uXXXX`,
/// and an empty PHP array as `[]` (pass an empty `AriticObject` or `[Any]()` for that). Written straight into bytes.
enum AriticJSON {
    static func encode(_ value: Any) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(value, into: &out)
        return Data(out)
    }

    static func response(_ status: Int, _ value: Any, headers: [(String, String)] = []) -> SandboxResponse {
        var response = SandboxResponse(status: status, body: encode(value))
        response.headers["Content-Type"] = "application/json"
        for (name, headerValue) in headers { response.headers[name] = headerValue }
        return response
    }

    private static func ascii(_ text: String, into out: inout [UInt8]) { out.append(contentsOf: text.utf8) }

    static func write(_ value: Any, into out: inout [UInt8]) {
        switch value {
        case is NSNull:
            ascii("null", into: &out)
        case let string as String:
            writeString(string, into: &out)
        case let object as AriticObject:
            guard !object.pairs.isEmpty else { ascii("[]", into: &out); return }
            out.append(UInt8(ascii: "{"))
            for (index, pair) in object.pairs.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(pair.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(pair.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case let entry as AriticFieldEntry:
            out.append(contentsOf: entry.prefix)
            write(entry.value, into: &out)
            out.append(UInt8(ascii: "}"))
        case let raw as AriticRawJSON:
            out.append(contentsOf: raw.data)
        case let bool as Bool where type(of: value) == Bool.self:
            ascii(bool ? "true" : "false", into: &out)
        case let int as Int:
            ascii(String(int), into: &out)
        case let double as Double:
            ascii(double.isFinite ? (double == double.rounded() && abs(double) < 1e15 ? String(Int(double)) : String(double)) : "null", into: &out)
        case let array as [Any]:
            out.append(UInt8(ascii: "["))
            for (index, item) in array.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let dictionary as [String: Any]:
            write(AriticObject(dictionary.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }), into: &out)
        default:
            writeString(String(describing: value), into: &out)
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func writeString(_ string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var plain = true
        for byte in string.utf8 where byte < 0x20 || byte > 0x7E || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/") {
            plain = false
            break
        }
        if plain {
            out.append(contentsOf: string.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": ascii("\\\"", into: &out)
            case "\\": ascii("\\\\", into: &out)
            case "/": ascii("\\/", into: &out)
            case "\n": ascii("\\n", into: &out)
            case "\r": ascii("\\r", into: &out)
            case "\t": ascii("\\t", into: &out)
            case "\u{08}": ascii("\\b", into: &out)
            case "\u{0C}": ascii("\\f", into: &out)
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    for unit in String(scalar).utf16 {
                        ascii("\\u", into: &out)
                        for shift in [12, 8, 4, 0] { out.append(hex[Int((unit >> UInt16(shift)) & 0xF)]) }
                    }
                } else {
                    out.append(UInt8(scalar.value))
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
