import CrosswalkPluginKit

/// What one read selects and filters: the fields (describe's, minus compound fields, or the
/// request's plus those the cursor and merges need) and the part of the filter SOQL can apply.
struct SalesforceReadPlan {
    let describe: SalesforceObjectDescribe
    let fields: [String]
    /// The pushed-down filter, if any of it could be.
    let condition: SOQL.Condition?
    let filterApplied: FilterApplied
    /// A short fingerprint of fields and filter: an open query locator serves only the same selection.
    let signature: String

    /// Fields every read needs: the cursor's order keys, deletes, merges, echo suppression.
    static let required = ["Id", "SystemModstamp", "IsDeleted", "MasterRecordId", "LastModifiedById"]

    init(_ request: ReadRequest, describe: SalesforceObjectDescribe) throws {
        self.describe = describe
        var names: [String]
        if let wanted = request.fields, !wanted.isEmpty {
            var unknown: [String] = []
            var compound: [String] = []
            names = []
            for name in wanted {
                guard let field = describe.field(name) else { unknown.append(name); continue }
                if field.isCompound { compound.append(field.name); continue }
                names.append(field.name)
            }
            if !unknown.isEmpty {
                throw ConnectorError(.invalidArgument, "\(describe.name) has no field \(unknown.joined(separator: ", ")) (see discover)", fields: unknown)
            }
            if !compound.isEmpty {
                throw ConnectorError(.invalidArgument,
                                     "\(compound.joined(separator: ", ")) \(compound.count == 1 ? "is a compound field" : "are compound fields"): ask for \(compound.count == 1 ? "its" : "their") parts (e.g. MailingCity, MailingStreet)",
                                     fields: compound)
            }
        } else {
            names = describe.readableFields.map(\.name)
        }
        for name in Self.required.reversed() where describe.field(name) != nil && !names.contains(where: { $0.lowercased() == name.lowercased() }) {
            names.insert(name, at: 0)
        }
        fields = names
        if let filter = request.filter, let translated = SOQL.translate(filter, describe) {
            condition = translated.condition
            filterApplied = translated.complete && translated.condition.exact ? .full : .partial
        } else {
            condition = nil
            filterApplied = .none
        }
        signature = Self.fingerprint(names.joined(separator: ",") + "|" + (condition?.soql ?? ""))
    }

    /// `SELECT … FROM Object WHERE (a) AND (b) [ORDER BY SystemModstamp, Id]`
    func soql(where conditions: [String?], ordered: Bool) -> String {
        var text = "SELECT \(fields.joined(separator: ", ")) FROM \(describe.name)"
        let all = (conditions + [condition?.soql]).compactMap { $0 }
        if !all.isEmpty { text += " WHERE " + all.map { "(\($0))" }.joined(separator: " AND ") }
        if ordered { text += " ORDER BY SystemModstamp ASC, Id ASC" }
        return text
    }

    /// FNV-1a, 64 bits, hex: stable across processes (Swift's `hashValue` is not).
    static func fingerprint(_ text: String) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100000001b3
        }
        return String(h, radix: 16)
    }

    /// The SOQL as a `q=` query value: everything but unreserved characters percent-encoded.
    static func queryValue(_ soql: String) -> String {
        var out = ""
        out.reserveCapacity(soql.utf8.count * 2)
        for b in soql.utf8 {
            switch b {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: out.unicodeScalars.append(Unicode.Scalar(b))
            case 0x20: out += "+"
            default:
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
