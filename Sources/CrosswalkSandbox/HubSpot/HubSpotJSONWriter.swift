import CrosswalkCore
import Foundation

/// Writes the emulator's answers (`[String: Any]` trees of String, Int, Int64, Double, Bool, NSNull, arrays and
/// objects) as JSON bytes, keys sorted as `SandboxResponse.json` sorts them. `JSONSerialization` bridges every value
/// through Foundation objects, which cost more than the rest of a list or search page; this writer does not.
struct HubSpotJSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    /// A JSON response with HubSpot's content type.
    static func response(_ status: Int, _ value: Any, headers: HTTPFields = [:]) -> SandboxResponse {
        var writer = HubSpotJSONWriter()
        writer.write(value)
        var h = headers
        if h["Content-Type"] == nil { h["Content-Type"] = "application/json;charset=UTF-8" }
        return SandboxResponse(status: status, headers: h, body: Data(writer.bytes))
    }

    mutating func write(_ value: Any) {
        switch value {
        case let s as String: write(string: s)
        case let record as HubSpotRecordJSON: write(record)
        case let object as [String: Any]:
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for key in object.keys.sorted() {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                write(string: key)
                bytes.append(UInt8(ascii: ":"))
                write(object[key]!)
            }
            bytes.append(UInt8(ascii: "}"))
        case let list as [Any]:
            bytes.append(UInt8(ascii: "["))
            for (index, item) in list.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case _ where type(of: value) == Bool.self: bytes += (value as! Bool) ? "true".utf8 : "false".utf8
        case _ where type(of: value) == Int.self: bytes += String(value as! Int).utf8
        case _ where type(of: value) == Int64.self: bytes += String(value as! Int64).utf8
        case _ where type(of: value) == Double.self:
            let d = value as! Double
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 { bytes += Array(String(Int64(d)).utf8) } else if d.isFinite {
                bytes += "\(d)".utf8
            } else { bytes += "null".utf8 }
        case is NSNull: bytes += "null".utf8
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" { bytes += Array((n.boolValue ? "true" : "false").utf8) } else { bytes += Array(n.stringValue.utf8) }
        case let optional as String?:
            if let s = optional { write(string: s) } else { bytes += "null".utf8 }
        default: bytes += "null".utf8
        }
    }

    /// A `SimplePublicObject` without history or associations, written straight from the record.
    mutating func write(_ item: HubSpotRecordJSON) {
        let record = item.record
        bytes += Array(#"{"archived":"#.utf8)
        bytes.append(contentsOf: record.archived ? "true".utf8 : "false".utf8)
        if let archivedAt = record.archivedAt {
            bytes += Array(#","archivedAt":"#.utf8)
            write(string: HubSpotTime.iso(archivedAt))
        }
        bytes += Array(#","createdAt":"#.utf8)
        write(string: HubSpotTime.iso(record.createdAt))
        bytes += Array(#","id":"#.utf8)
        write(string: record.idText)
        bytes += Array(#","properties":{"#.utf8)
        for (index, name) in item.names.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(string: name)
            bytes.append(UInt8(ascii: ":"))
            if let value = record.properties[name] { write(string: value) } else { bytes += "null".utf8 }
        }
        bytes += Array(#"},"updatedAt":"#.utf8)
        write(string: HubSpotTime.iso(record.updatedAt))
        bytes.append(UInt8(ascii: "}"))
    }

    /// A JSON string: quotes, backslashes and control characters escaped; `/` and non-ASCII kept as they are.
    mutating func write(string: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            if byte < 32 || byte == 34 || byte == 92 { escape(byte) } else { bytes.append(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes += [92, 34]
        case UInt8(ascii: "\\"): bytes += [92, 92]
        case 10: bytes += [92, 110]
        case 13: bytes += [92, 114]
        case 9: bytes += [92, 116]
        case 0..<32:
            let hex = Array("0123456789abcdef".utf8)
            bytes += [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
        default: bytes.append(byte)
        }
    }
}

/// A record to be written as `SimplePublicObject` with the given property names (sorted, each once).
struct HubSpotRecordJSON {
    var record: HubSpotRecord
    var names: [String]

    /// The names a response carries for `requested` (nil: the type's defaults), sorted.
    static func names(_ type: HubSpotObjectType, requested: [String]?) -> [String] {
        guard let requested else { return type.defaultProperties.sorted() }
        return Set(requested + type.alwaysReturned).sorted()
    }
}
