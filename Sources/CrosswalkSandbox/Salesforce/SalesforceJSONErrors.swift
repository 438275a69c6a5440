import Foundation

/// The message Salesforce's JSON parser (Jackson) gives for a body that is not JSON, with the place it
/// stopped: `Unexpected character ('}' (code 125)): was expecting double-quote to start field name at
/// [line:1, column:14]`.
enum SalesforceJSONErrors {
    /// Why `data` is not JSON, or `nil` when it parses.
    static func message(_ data: Data) -> String? {
        var scanner = Scanner(bytes: Array(data))
        return scanner.document()
    }

    private struct Scanner {
        let bytes: [UInt8]
        var i = 0
        var line = 1
        var lineStart = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        var location: String { "at [line:\(line), column:\(i - lineStart + 1)]" }

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) {
                if bytes[i] == 0x0A {
                    line += 1
                    lineStart = i + 1
                }
                i += 1
            }
        }

        func describe(_ b: UInt8) -> String {
            let scalar = UnicodeScalar(b)
            let shown = b >= 0x20 && b < 0x7F ? String(Character(scalar)) : "CTRL-CHAR"
            return "('\(shown)' (code \(b)))"
        }

        mutating func unexpected(_ expecting: String) -> String {
            guard i < bytes.count else { return "Unexpected end-of-input: \(expecting) \(location)" }
            return "Unexpected character \(describe(bytes[i])): \(expecting) \(location)"
        }

        mutating func document() -> String? {
            skipSpace()
            guard i < bytes.count else { return "No content to map to Object due to end of input" }
            if let error = value(depth: 0) { return error }
            skipSpace()
            if i < bytes.count { return unexpected("expected end of input") }
            return nil
        }

        /// Parses one value; answers the error message, or `nil`.
        mutating func value(depth: Int) -> String? {
            guard depth < 512 else { return "Maximum nesting depth exceeded \(location)" }
            skipSpace()
            guard i < bytes.count else {
                return "Unexpected end-of-input: expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false') \(location)"
            }
            switch bytes[i] {
            case 0x7B: return object(depth: depth)
            case 0x5B: return array(depth: depth)
            case 0x22: return string()
            case 0x2D, 0x30...0x39: return number()
            case 0x74, 0x66, 0x6E: return literal()
            default:
                return unexpected("expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
            }
        }

        mutating func object(depth: Int) -> String? {
            let start = location
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == 0x7D { i += 1; return nil }
            while true {
                skipSpace()
                guard i < bytes.count else { return "Unexpected end-of-input: expected close marker for OBJECT (start marker \(start))" }
                guard bytes[i] == 0x22 else { return unexpected("was expecting double-quote to start field name") }
                if let error = string() { return error }
                skipSpace()
                guard i < bytes.count, bytes[i] == 0x3A else { return unexpected("was expecting a colon to separate field name and value") }
                i += 1
                if let error = value(depth: depth + 1) { return error }
                skipSpace()
                guard i < bytes.count else { return "Unexpected end-of-input: expected close marker for OBJECT (start marker \(start))" }
                if bytes[i] == 0x7D { i += 1; return nil }
                guard bytes[i] == 0x2C else { return unexpected("was expecting comma to separate Object entries") }
                i += 1
            }
        }

        mutating func array(depth: Int) -> String? {
            let start = location
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == 0x5D { i += 1; return nil }
            while true {
                if let error = value(depth: depth + 1) { return error }
                skipSpace()
                guard i < bytes.count else { return "Unexpected end-of-input: expected close marker for ARRAY (start marker \(start))" }
                if bytes[i] == 0x5D { i += 1; return nil }
                guard bytes[i] == 0x2C else { return unexpected("was expecting comma to separate Array entries") }
                i += 1
            }
        }

        mutating func string() -> String? {
            i += 1
            while i < bytes.count {
                switch bytes[i] {
                case 0x22: i += 1; return nil
                case 0x5C: i += 2
                case 0x00..<0x20:
                    return "Illegal unquoted character (\(describe(bytes[i]))): has to be escaped using backslash to be included in string value \(location)"
                default: i += 1
                }
            }
            return "Unexpected end-of-input: was expecting closing quote for a string value \(location)"
        }

        mutating func number() -> String? {
            let start = i
            while i < bytes.count, (0x30...0x39).contains(bytes[i]) || [0x2D, 0x2B, 0x2E, 0x65, 0x45].contains(bytes[i]) { i += 1 }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            guard Double(text) != nil else { i = start; return unexpected("expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')") }
            return nil
        }

        mutating func literal() -> String? {
            let start = i
            while i < bytes.count, (0x61...0x7A).contains(bytes[i]) || (0x41...0x5A).contains(bytes[i]) { i += 1 }
            let word = String(decoding: bytes[start..<i], as: UTF8.self)
            guard ["true", "false", "null"].contains(word) else {
                let at = location
                i = start
                return "Unrecognized token '\(word)': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') \(at)"
            }
            return nil
        }
    }
}
