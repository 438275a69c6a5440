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

/// JSON as PHP's `json_encode` writes it by default: keys in order, `/` escaped as `\/`, non-ASCII as `\uXXXX`,
/// and an empty PHP array as `[]` (pass an empty `AriticObject` or `[Any]()` for that).
enum AriticJSON {
    static func encode(_ value: Any) -> Data {
        var out = ""
        write(value, into: &out)
        return Data(out.utf8)
    }

    static func response(_ status: Int, _ value: Any, headers: [(String, String)] = []) -> SandboxResponse {
        var response = SandboxResponse(status: status, body: encode(value))
        response.headers["Content-Type"] = "application/json"
        for (name, headerValue) in headers { response.headers[name] = headerValue }
        return response
    }

    private static func write(_ value: Any, into out: inout String) {
        switch value {
        case is NSNull:
            out += "null"
        case let raw as AriticRawJSON:
            out += String(decoding: raw.data, as: UTF8.self)
        case let object as AriticObject:
            guard !object.pairs.isEmpty else { out += "[]"; return }
            out += "{"
            for (index, pair) in object.pairs.enumerated() {
                if index > 0 { out += "," }
                writeString(pair.key, into: &out)
                out += ":"
                write(pair.value, into: &out)
            }
            out += "}"
        case let string as String:
            writeString(string, into: &out)
        case let bool as Bool where type(of: value) == Bool.self:
            out += bool ? "true" : "false"
        case let int as Int:
            out += String(int)
        case let double as Double:
            out += double.isFinite ? (double == double.rounded() && abs(double) < 1e15 ? String(Int(double)) : String(double)) : "null"
        case let array as [Any]:
            out += "["
            for (index, item) in array.enumerated() {
                if index > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case let dictionary as [String: Any]:
            write(AriticObject(dictionary.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }), into: &out)
        default:
            writeString(String(describing: value), into: &out)
        }
    }

    private static func writeString(_ string: String, into out: inout String) {
        out += "\""
        // Most strings need no escape: printable ASCII without quote, backslash or slash.
        if string.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E && $0 != 0x22 && $0 != 0x5C && $0 != 0x2F }) {
            out += string
            out += "\""
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    for unit in String(scalar).utf16 { out += String(format: "\\u%04x", unit) }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
