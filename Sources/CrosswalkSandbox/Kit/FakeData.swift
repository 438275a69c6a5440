import Foundation

/// A small deterministic RNG (SplitMix64): the same seed gives the same sandbox data on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A uniformly chosen element.
    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    /// `true` with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }
}

/// Realistic names, companies, addresses for generated sandbox records.
public enum FakeData {
    public static let firstNames = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger",
                                    "Katherine", "John", "Radia", "Tim", "Hedy", "Claude", "Sophie", "Lucas", "Chloé", "Mateo",
                                    "Aiko", "Ravi", "Fatima", "Noah", "Ines", "Omar", "Yuki", "Elena", "Kwame", "Priya"]
    public static let lastNames = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen",
                                   "Dijkstra", "Johnson", "Backus", "Perlman", "Berners-Lee", "Lamarr", "Shannon", "Martin", "Bernard",
                                   "Dubois", "García", "Tanaka", "Patel", "Haddad", "Smith", "Rossi", "Khan", "Sato", "Novak", "Mensah", "Iyer"]
    public static let companyStems = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Soylent",
                                      "Hooli", "Vandelay", "Pied Piper", "Aperture", "Black Mesa", "Monarch", "Oscorp", "Gringotts",
                                      "Nakatomi", "Duff", "Bluth", "Dunder", "Prestige", "Sterling", "Pendant"]
    public static let companySuffixes = ["Inc.", "LLC", "Ltd", "GmbH", "SA", "Group", "Holdings", "Partners", "Labs", "Co."]
    public static let industries = ["Technology", "Manufacturing", "Retail", "Healthcare", "Finance", "Energy", "Education", "Media"]
    public static let cities = [("Austin", "TX", "US"), ("Denver", "CO", "US"), ("Boston", "MA", "US"), ("Seattle", "WA", "US"),
                                ("Toronto", "ON", "CA"), ("London", "", "GB"), ("Paris", "", "FR"), ("Berlin", "", "DE"),
                                ("Lyon", "", "FR"), ("Madrid", "", "ES")]
    public static let streets = ["Main St", "Oak Ave", "Market St", "Elm St", "Pine Rd", "Cedar Ln", "Maple Dr", "Lake Blvd"]

    /// A company name such as "Globex Holdings 12"; `index` keeps names unique.
    public static func company(_ rng: inout SeededRandom, index: Int) -> String {
        "\(rng.pick(companyStems)) \(rng.pick(companySuffixes)) \(index)"
    }

    /// A person: first, last, and an e-mail at the company's domain.
    public static func person(_ rng: inout SeededRandom, index: Int, domain: String) -> (first: String, last: String, email: String) {
        let first = rng.pick(firstNames), last = rng.pick(lastNames)
        let local = asciiSlug("\(first).\(last).\(index)".lowercased()) { $0 == " " || $0 == "'" ? nil : $0 }
        return (first, last, "\(local)@\(domain)")
    }

    /// A web domain for a company name: "globex-holdings-12.example.com".
    public static func domain(for company: String) -> String {
        let slug = asciiSlug(company.lowercased()) { $0.isLetter || $0.isNumber ? $0 : "-" }
            .split(separator: "-").joined(separator: "-")
        return "\(slug).example.com"
    }

    /// `text` with diacritics removed (Foundation's folding, skipped for plain ASCII: seeding calls this for every
    /// record) and each character mapped by `keep` (nil drops it).
    static func asciiSlug(_ text: String, _ keep: (Character) -> Character?) -> String {
        let folded = text.utf8.allSatisfy { $0 < 128 } ? text : text.folding(options: .diacriticInsensitive, locale: nil)
        var out = ""
        out.reserveCapacity(folded.utf8.count)
        for character in folded { if let kept = keep(character) { out.append(kept) } }
        return out
    }

    /// A phone number in E.164-ish form.
    public static func phone(_ rng: inout SeededRandom) -> String {
        "+1 555 \(100 + rng.next() % 900) \(1000 + rng.next() % 9000)"
    }
}
