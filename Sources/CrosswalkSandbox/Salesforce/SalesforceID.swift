/// Salesforce record ids: 15-character case-sensitive base-62 ids with a 3-character key prefix, and their
/// 18-character case-insensitive form (a checksum suffix that encodes where the upper-case letters are).
enum SalesforceID {
    private static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    private static let suffixAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")

    /// The 3-character checksum that turns a 15-character id into its 18-character form.
    static func checksum(_ id15: String) -> String {
        let chars = Array(id15)
        var suffix = ""
        for chunk in 0..<3 {
            var bits = 0
            for i in 0..<5 where chars[chunk * 5 + i].isASCII && chars[chunk * 5 + i].isUppercase {
                bits |= 1 << i
            }
            suffix.append(suffixAlphabet[bits])
        }
        return suffix
    }

    /// `id15` plus its checksum.
    static func to18(_ id15: String) -> String { id15 + checksum(id15) }

    /// A new 18-character id: key prefix, a fixed pod marker and a base-62 sequence number.
    static func make(prefix: String, sequence: Int) -> String {
        var digits: [Character] = []
        var n = sequence
        for _ in 0..<9 {
            digits.append(base62[n % 62])
            n /= 62
        }
        return to18(prefix + "Hs0" + String(digits.reversed()))
    }

    /// The canonical 18-character id for a 15- or 18-character input, or `nil` when `text` is not an id.
    ///
    /// An 18-character id may arrive in any letter case: its suffix says which letters are upper case,
    /// so the original case is restored before comparing.
    static func normalize(_ text: String) -> String? {
        let chars = Array(text)
        guard chars.count == 15 || chars.count == 18, chars.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return nil
        }
        if chars.count == 15 { return to18(text) }
        var restored: [Character] = []
        for chunk in 0..<3 {
            guard let bits = suffixAlphabet.firstIndex(of: Character(chars[15 + chunk].uppercased())) else { return nil }
            for i in 0..<5 {
                let c = chars[chunk * 5 + i]
                restored.append(Character(bits & (1 << i) != 0 ? c.uppercased() : c.lowercased()))
            }
        }
        let id15 = String(restored)
        return checksum(id15) == String(chars[15...]).uppercased() ? to18(id15) : nil
    }
}
