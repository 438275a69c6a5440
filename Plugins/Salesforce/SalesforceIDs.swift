import CrosswalkPluginKit

/// Salesforce record ids: 15 case-sensitive base-62 characters, or 18 with a case-insensitive checksum
/// (*SOAP API Developer Guide › Field Types › ID*). The API answers 18-character ids and accepts both.
enum SalesforceIDs {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")

    /// Whether `text` has the shape of an id (15 or 18 letters and digits).
    static func isWellFormed(_ text: String) -> Bool {
        (text.utf8.count == 15 || text.utf8.count == 18) && text.utf8.allSatisfy { isAlphanumeric($0) }
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// The checksum of 15 case-sensitive characters: per chunk of 5, a bit per upper-case letter.
    private static func suffix(_ base: [UInt8]) -> String {
        var suffix = ""
        for chunk in 0..<3 {
            var bits = 0
            for i in 0..<5 where base[chunk * 5 + i] >= 0x41 && base[chunk * 5 + i] <= 0x5A { bits |= 1 << i }
            suffix.append(alphabet[bits])
        }
        return suffix
    }

    /// The 18-character form of a 15- or 18-character id. An 18-character id is case-insensitive:
    /// its last three characters say which of the first 15 are upper case, so any casing of it
    /// names the same record (`001m000000qfpysIAU` is `001M000000qfPySIAU`).
    static func eighteen(_ id: String) throws -> String {
        guard isWellFormed(id) else {
            throw ConnectorError(.invalidArgument, "\"\(id.prefix(40))\" is not a Salesforce id (15 or 18 letters and digits)")
        }
        var base = Array(id.utf8.prefix(15))
        if id.utf8.count == 18 {
            let tail = Array(id.uppercased().utf8.suffix(3))
            for (chunk, c) in tail.enumerated() {
                guard let bits = alphabet.firstIndex(of: Character(Unicode.Scalar(c))) else {
                    throw ConnectorError(.invalidArgument, "\"\(id)\" is not a valid 18-character Salesforce id: \"\(Character(Unicode.Scalar(c)))\" is not a checksum character")
                }
                for i in 0..<5 {
                    let k = chunk * 5 + i
                    let b = base[k]
                    let isLetter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                    if bits & (1 << i) != 0 {
                        guard isLetter else {
                            throw ConnectorError(.invalidArgument, "\"\(id)\" is not a valid 18-character Salesforce id: its checksum does not match its first 15 characters")
                        }
                        base[k] = b & ~0x20
                    } else if isLetter {
                        base[k] = b | 0x20
                    }
                }
            }
        }
        return String(decoding: base, as: UTF8.self) + suffix(base)
    }

    /// The 15-character (case-sensitive) form of an id (the case an 18-character id's checksum gives).
    static func fifteen(_ id: String) throws -> String { String(try eighteen(id).prefix(15)) }

    /// The 18-character form, or `nil` when `text` is not an id.
    static func normalized(_ text: String) -> String? { try? eighteen(text) }

    /// Objects known by the key prefix of their ids, for links before a global describe is at hand.
    static let knownPrefixes: [String: String] = [
        "001": "Account", "003": "Contact", "00Q": "Lead", "006": "Opportunity", "00T": "Task", "00U": "Event",
        "005": "User", "00D": "Organization", "500": "Case", "701": "Campaign", "00G": "Group", "01t": "Product2",
        "800": "Contract", "801": "Order", "02i": "Asset",
    ]
}

// MARK: Mapping functions (crosswalk.h, "Mapping functions")

/// `sf_id18(string) -> string`: the 18-character form of a Salesforce id (null stays null).
@_cdecl("crosswalk_fn_sf_id18")
public func crosswalkFunctionSalesforceID18(_ id: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    MappingFunctions.string {
        guard let id = MappingFunctions.argument(id) else { return nil }
        return try SalesforceIDs.eighteen(id)
    }
}

/// `sf_id15(string) -> string`: the 15-character, case-sensitive form of a Salesforce id (null stays null).
@_cdecl("crosswalk_fn_sf_id15")
public func crosswalkFunctionSalesforceID15(_ id: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    MappingFunctions.string {
        guard let id = MappingFunctions.argument(id) else { return nil }
        return try SalesforceIDs.fifteen(id)
    }
}
