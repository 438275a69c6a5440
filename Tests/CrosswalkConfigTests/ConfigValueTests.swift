import CrosswalkConfig
import Testing

@Suite("ConfigValue as JSON for the plugin ABI")
struct ConfigValueTests {
    @Test("scalars, lists and objects encode as compact JSON with sorted keys")
    func encodes() {
        let value: ConfigValue = ["b": [1, -2.5, true, false, nil], "a": ["nested": "x"], "c": 1e-05]
        #expect(value.jsonString == #"{"a":{"nested":"x"},"b":[1,-2.5,true,false,null],"c":1e-05}"#)
        #expect(value.jsonData() == Array(value.jsonString.utf8))
    }

    @Test("strings escape quotes, backslashes and control characters, and keep other UTF-8 as is")
    func escapes() {
        let value = ConfigValue.string("a\"b\\c\nd\te\r\u{01}\u{1F}é✓")
        #expect(value.jsonString == #""a\"b\\c\nd\te\r\u0001\u001fé✓""#)
    }
}
