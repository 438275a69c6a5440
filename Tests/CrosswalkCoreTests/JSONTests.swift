import CrosswalkCore
import Foundation
import Testing

@Suite("JSON numbers stay exact")
struct JSONNumberTests {
    @Test("big integers and money survive a round trip byte for byte")
    func exactRoundTrip() throws {
        let text = #"{"a":12345678901234567890123,"b":1234567890123.45,"c":-0.000001,"d":9007199254740993}"#
        let value = try JSONValue(parsing: text)
        #expect(value["a"]?.numberValue?.text == "12345678901234567890123")
        #expect(value["b"]?.numberValue?.text == "1234567890123.45")
        #expect(value["c"]?.numberValue?.text == "-0.000001")
        // 2^53 + 1: a Double would make it ...992.
        #expect(value["d"]?.int64Value == 9_007_199_254_740_993)
        #expect(value.text == text)
    }

    @Test("one number, one canonical spelling", arguments: [
        ("1.50", "1.5"), ("1.0", "1"), ("15e-1", "1.5"), ("1E2", "100"), ("-0", "0"), ("-0.0", "0"),
        ("0.00012", "0.00012"), ("1e21", "1000000000000000000000"), ("1e41", "1e+41"),
        ("12345678901234567890123.0", "12345678901234567890123"), ("12e-9", "1.2e-8"),
        ("123456789.000", "123456789"), ("-42", "-42"), ("0", "0"),
    ])
    func canonical(_ input: String, _ expected: String) throws {
        #expect(try JSONNumber(text: input).text == expected)
        #expect(try JSONNumber(text: input) == JSONNumber(text: expected))
    }

    @Test("what is not a JSON number is refused", arguments: ["01", "1.", ".5", "+1", "1e", "--1", "0x10", "1.2.3", "NaN", ""])
    func refused(_ input: String) {
        #expect(throws: JSONParseError.self) { try JSONNumber(text: input) }
    }

    @Test("doubles take their shortest spelling; NaN has none")
    func doubles() {
        let tenth: Double = 0.1, tiny: Double = 1e-7, three: Double = 3
        #expect(JSONNumber(tenth)?.text == "0.1")
        #expect(JSONNumber(tiny)?.text == "1e-7")
        #expect(JSONNumber(three)?.text == "3")
        #expect(JSONNumber(Double.nan) == nil)
        #expect(JSONNumber(Decimal(string: "19.990")!).text == "19.99")
    }

    @Test("numbers order by value")
    func order() throws {
        #expect(try JSONNumber(text: "9") < JSONNumber(text: "10"))
        #expect(try JSONNumber(text: "-1.5") < JSONNumber(text: "-1.25"))
        #expect(try JSONNumber(text: "99999999999999999999") < JSONNumber(text: "100000000000000000000"))
    }
}

@Suite("JSON parser")
struct JSONParserTests {
    @Test("escapes, surrogate pairs and non-ASCII text")
    func strings() throws {
        let v = try JSONValue(parsing: #"["a\"b\\c\/d\n\t", "\u00e9\u20AC", "\ud83d\ude00", "\ud800x", "héllo"]"#)
        #expect(v[0]?.stringValue == "a\"b\\c/d\n\t")
        #expect(v[1]?.stringValue == "é€")
        #expect(v[2]?.stringValue == "😀")
        #expect(v[3]?.stringValue == "\u{FFFD}x")
        #expect(v[4]?.stringValue == "héllo")
    }

    @Test("bad input is an error naming the byte", arguments: [
        (#"{"a":1,}"#, "expected a string key"), (#"[1 2]"#, "expected ',' or ']'"), (#"{"a":1} x"#, "unexpected data after"),
        (#""abc"#, "unterminated string"), (#"tru"#, "unexpected end"), (#"{"a":"\x"}"#, "invalid escape"),
        ("[\"\u{01}\"]", "control character"), (#"[01]"#, "invalid number"), ("", "unexpected end of input"),
    ])
    func errors(_ input: String, _ fragment: String) {
        do {
            _ = try JSONValue(parsing: input)
            Issue.record("\(input) parsed")
        } catch let e as JSONParseError {
            #expect(e.description.contains(fragment), "\(e)")
            #expect(e.description.contains("at byte"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("invalid UTF-8 is refused, not repaired")
    func invalidUTF8() {
        let bytes: [UInt8] = Array(#"{"name":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
    }

    @Test("nesting is bounded: a hostile document is refused, not recursed into")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect((try? JSONValue(parsing: fine)) != nil)
    }

    @Test("agrees with Foundation on random documents")
    func agreesWithFoundation() throws {
        var rng = SplitMix(seed: 7)
        for _ in 0..<300 {
            let value = randomValue(&rng, depth: 0)
            let data = value.data()
            let back = try JSONParser.parse(data)
            #expect(back == value)
            let foundation = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            let again = try JSONParser.parse(try JSONSerialization.data(withJSONObject: foundation, options: [.fragmentsAllowed]))
            #expect(again.text.count > 0)
        }
    }
}

@Suite("JSON writer and fingerprints")
struct JSONWriterTests {
    @Test("sorted keys give canonical bytes; control characters escaped, slashes and UTF-8 kept")
    func canonicalBytes() throws {
        let v: JSONValue = ["b": 1, "a": ["y": true, "x": nil], "é": "a/b\u{01}\n"]
        #expect(v.text == #"{"a":{"x":null,"y":true},"b":1,"é":"a/b\u0001\n"}"#)
    }

    @Test("equal values, equal fingerprints; a changed value, another one")
    func fingerprints() throws {
        let a = try JSONValue(parsing: #"{"Email":"a@b.c","Amount":1.50,"Tags":["x","y"]}"#)
        let b = try JSONValue(parsing: #"{ "Tags":["x","y"], "Amount":15e-1, "Email":"a@b.c" }"#)
        let c = try JSONValue(parsing: #"{"Email":"a@b.c","Amount":1.51,"Tags":["x","y"]}"#)
        #expect(Fingerprint.of(a) == Fingerprint.of(b))
        #expect(Fingerprint.of(a) != Fingerprint.of(c))
        #expect(Fingerprint.of(a).count == 64)
        // Array order matters.
        #expect(Fingerprint.of(["x", "y"]) != Fingerprint.of(["y", "x"]))
    }
}

@Suite("Codable over JSONValue")
struct JSONValueCodingTests {
    struct Message: Codable, Equatable {
        struct Item: Codable, Equatable {
            var ref: String
            var amount: JSONValue
            var note: String?
        }
        var version: Int
        var items: [Item]
        var hasMore: Bool
        var cursor: JSONValue?
        var ratio: Double
        enum CodingKeys: String, CodingKey {
            case version, items, cursor, ratio
            case hasMore = "has_more"
        }
    }

    @Test("decodes and encodes messages keeping JSONValue members exact")
    func roundTrip() throws {
        let text = #"{"version":1,"items":[{"ref":"r1","amount":12345678901234567890.12}],"has_more":false,"cursor":{"t":"2026-01-01T00:00:00Z","id":"003"},"ratio":0.25}"#
        let m = try JSONValueDecoder().decode(Message.self, from: Data(text.utf8))
        #expect(m.items[0].amount.numberValue?.text == "12345678901234567890.12")
        #expect(m.items[0].note == nil)
        let back = try JSONValueEncoder().encode(m, sortedKeys: true)
        #expect(try JSONValue(parsing: back) == JSONValue(parsing: text))
    }

    @Test("a bad shape names the path")
    func pathInErrors() {
        let text = #"{"version":1,"items":[{"ref":7,"amount":1}],"has_more":false,"ratio":1}"#
        do {
            _ = try JSONValueDecoder().decode(Message.self, from: Data(text.utf8))
            Issue.record("decoded")
        } catch let e as DecodingError {
            #expect(e.crosswalkDescription.contains("items[0].ref") || e.crosswalkDescription.contains("items.0.ref"), "\(e.crosswalkDescription)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("a number too big for Int is an error, not a rounded value")
    func overflow() {
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Int.self, from: .number(try JSONNumber(text: "99999999999999999999"))) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Int.self, from: .number(try JSONNumber(text: "1.5"))) }
    }
}

// MARK: - random documents

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

func randomValue(_ rng: inout SplitMix, depth: Int) -> JSONValue {
    switch rng.below(depth > 3 ? 5 : 7) {
    case 0: return .null
    case 1: return .bool(rng.below(2) == 0)
    case 2: return .number(JSONNumber(Int64(bitPattern: rng.next()) >> rng.below(60)))
    case 3: return .number(JSONNumber(Double(rng.below(1_000_000)) / 100)!)
    case 4:
        let alphabet = Array("abc\"\\/\n\té€😀 ")
        return .string(String((0..<rng.below(12)).map { _ in alphabet[rng.below(alphabet.count)] }))
    case 5: return .array((0..<rng.below(5)).map { _ in randomValue(&rng, depth: depth + 1) })
    default:
        var o: [String: JSONValue] = [:]
        for i in 0..<rng.below(5) { o["k\(i)\(rng.below(3))"] = randomValue(&rng, depth: depth + 1) }
        return .object(o)
    }
}
