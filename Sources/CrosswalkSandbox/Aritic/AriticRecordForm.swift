import CrosswalkCore
import Foundation

/// A form validation failure: Mautic answers 400 with `"<field>: <message>"` and `details` per field.
struct AriticFormError: Error {
    var field: String
    var message: String

    var text: String { "\(field): \(message)" }
    var details: AriticObject { AriticObject([(field, [message])]) }
}

/// Binds API parameters to a contact or company the way Mautic's forms do: field aliases, `owner`, `points`,
/// `ipAddress`, `lastActive`, `tags`, `overwriteWithBlank`; unknown keys are ignored (`allow_extra_fields`).
struct AriticRecordForm {
    let kind: AriticKind
    let userIds: Set<Int>

    /// Applies `params`. `replace` (PUT) clears every field first; otherwise blank values are skipped unless
    /// `overwriteWithBlank` is set.
    func apply(_ params: [String: Any], to record: inout AriticRecord, replace: Bool) throws(AriticFormError) {
        let overwrite = replace || AriticWire.truthy(params["overwriteWithBlank"])
        if replace { record.values = [:] }
        for field in AriticFields.fields(kind) where params.keys.contains(field.alias) && field.alias != "points" {
            let text = AriticWire.text(params[field.alias])?.trimmingCharacters(in: .whitespaces) ?? ""
            if text.isEmpty {
                if overwrite { record.values[field.alias] = nil }
                continue
            }
            try validate(text, for: field)
            record.values[field.alias] = text
        }
        let pointsKey = kind == .companies ? "score" : "points"
        if let raw = AriticWire.text(params[pointsKey]), !raw.isEmpty {
            guard let points = Int(raw) else { throw AriticFormError(field: pointsKey, message: "This value is not valid.") }
            record.points = points
        }
        if params.keys.contains("owner") {
            let raw = AriticWire.text(params["owner"]) ?? ""
            if raw.isEmpty {
                if overwrite { record.ownerId = nil }
            } else {
                guard let owner = Int(raw), userIds.contains(owner) else {
                    throw AriticFormError(field: "owner", message: "This value is not valid.")
                }
                record.ownerId = owner
            }
        }
        guard kind == .contacts else { return }
        if let ip = AriticWire.text(params["ipAddress"]), !ip.isEmpty, !record.ipAddresses.contains(ip) {
            record.ipAddresses.append(ip)
        }
        if let raw = AriticWire.text(params["lastActive"]), !raw.isEmpty {
            guard let date = AriticWire.parseDate(raw) else { throw AriticFormError(field: "lastActive", message: "This value is not valid.") }
            record.lastActive = date
        }
        if params.keys.contains("tags") {
            for tag in AriticWire.list(params["tags"]).compactMap({ AriticWire.text($0) }).filter({ !$0.isEmpty }) {
                if tag.hasPrefix("-") {
                    record.tags.removeAll { $0 == String(tag.dropFirst()) }
                } else if !record.tags.contains(tag) {
                    record.tags.append(tag)
                }
            }
        }
    }

    /// Checks a finished record: companies need a name.
    func validateComplete(_ record: AriticRecord) throws(AriticFormError) {
        if kind == .companies, (record.values["companyname"] ?? "").isEmpty {
            throw AriticFormError(field: "companyname", message: "A value is required.")
        }
    }

    private func validate(_ text: String, for field: AriticField) throws(AriticFormError) {
        switch field.type {
        case "email":
            let parts = text.split(separator: "@")
            guard parts.count == 2, parts[1].contains("."), !text.contains(" ") else {
                throw AriticFormError(field: field.alias, message: "A valid email is required.")
            }
        case "number":
            guard Double(text) != nil else { throw AriticFormError(field: field.alias, message: "This value is not valid.") }
        case "datetime", "date":
            guard AriticWire.parseDate(text) != nil else { throw AriticFormError(field: field.alias, message: "This value is not valid.") }
        default:
            break
        }
    }
}
