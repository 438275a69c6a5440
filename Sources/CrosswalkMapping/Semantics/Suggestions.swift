/// "Did you mean" for unknown names: a case-insensitive match first, then the closest name by
/// edit distance within a third of the name's length.
enum Suggestions {
    static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
        let lower = name.lowercased()
        var best: (String, Int)? = nil
        let a = Array(lower.unicodeScalars)
        guard a.count <= 64 else { return nil }
        let limit = max(1, a.count / 3)
        for c in candidates {
            let cl = c.lowercased()
            if cl == lower { return c }
            let b = Array(cl.unicodeScalars)
            guard b.count <= 64, abs(b.count - a.count) <= limit else { continue }
            let d = distance(a, b)
            if d <= limit, best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
        }
        return best?.0
    }

    /// ` (did you mean "x"?)` or the empty string.
    static func hint(for name: String, in candidates: some Sequence<String>) -> String {
        closest(to: name, in: candidates).map { " (did you mean \"\($0)\"?)" } ?? ""
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { cur[j] = min(cur[j], prev2[j - 2] + 1) }
            }
            prev2 = prev
            prev = cur
        }
        return prev[b.count]
    }
}
