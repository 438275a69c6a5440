import Crypto
import Foundation

/// A record's content fingerprint: SHA-256 of its canonical JSON (keys sorted by UTF-8 bytes,
/// numbers canonical, no whitespace), as 64 lower-case hex digits.
///
/// Two values that are equal as JSON have the same fingerprint, whatever their key order or
/// number spelling: the engine compares it with the one stored in the ID map to skip records
/// "unchanged since the last sync" and to recognise its own writes coming back (echoes).
public enum Fingerprint {
    /// The fingerprint of `value`.
    public static func of(_ value: JSONValue) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        JSONWriter.write(value, into: &bytes, sortedKeys: true)
        return hex(SHA256.hash(data: bytes))
    }

    /// The fingerprint of an object's members (a record's `fields`).
    public static func of(fields: [String: JSONValue]) -> String { of(.object(fields)) }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    static func hex(_ digest: SHA256.Digest) -> String {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
