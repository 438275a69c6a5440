import CrosswalkCore
import Foundation

/// Validation of request bodies against the tenant's configuration. Every failure is the 400 answer to send.
struct SpotioInput {
    let state: SpotioState

    struct Invalid: Error {
        var field: String
        var message: String
        init(_ field: String, _ message: String) {
            self.field = field
            self.message = message
        }
        var response: SandboxResponse { SpotioWire.error(400, field: field, message) }
    }

    /// A stage id of `type` (numbers and strings accepted).
    func stageId(_ raw: Any?, type: SpotioObjectType) throws(Invalid) -> String? {
        guard let raw, !(raw is NSNull) else { return nil }
        let id = ["v": raw].spotioString("v") ?? ""
        guard type.stage(id) != nil else { throw Invalid("stageId", "Stage '\(id)' does not exist on type '\(type.name)'.") }
        return id
    }

    /// An existing user id (numbers and strings accepted).
    func userId(_ raw: Any?, field: String) throws(Invalid) -> String? {
        guard let raw, !(raw is NSNull) else { return nil }
        let id = ["v": raw].spotioString("v") ?? ""
        guard state.users[id] != nil else { throw Invalid(field, "User '\(id)' does not exist.") }
        return id
    }

    /// `[{fieldId, value | values}]` checked against the type's field definitions. Empty values clear a field.
    func fields(_ raw: Any?, type: SpotioObjectType) throws(Invalid) -> [SpotioFieldValue] {
        guard let raw, !(raw is NSNull) else { return [] }
        guard let items = raw as? [Any] else { throw Invalid("fields", "fields must be an array.") }
        var out: [SpotioFieldValue] = []
        for item in items {
            guard let object = item as? [String: Any], let fieldId = object.spotioString("fieldId") else {
                throw Invalid("fields", "Each field needs a fieldId.")
            }
            let value = try fieldValue(fieldId: fieldId, value: object["value"], values: object["values"], type: type)
            out.removeAll { $0.fieldId == fieldId }
            if let value { out.append(value) }
        }
        return out
    }

    /// One field value, validated for its definition's type; `nil` when it clears the field.
    func fieldValue(fieldId: String, value: Any?, values: Any?, type: SpotioObjectType) throws(Invalid) -> SpotioFieldValue? {
        guard let definition = type.field(fieldId) else {
            throw Invalid("fields", "Field '\(fieldId)' does not exist on type '\(type.name)'.")
        }
        if definition.isMultiValue {
            var list: [String] = []
            if let array = values as? [Any] {
                list = array.compactMap { ["v": $0].spotioString("v") }
            } else if let single = value.flatMap({ ["v": $0].spotioString("v") }) {
                list = single.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
            list = list.filter { !$0.isEmpty }
            for option in list where !definition.activeOptions.contains(option) {
                throw Invalid("fields", "'\(option)' is not an option of field '\(definition.name)'.")
            }
            return list.isEmpty ? nil : SpotioFieldValue(fieldId: fieldId, value: nil, values: list)
        }
        var text = value.flatMap { ["v": $0].spotioString("v") }
        if text == nil, let array = values as? [Any] { text = array.first.flatMap { ["v": $0].spotioString("v") } }
        guard let text, !text.isEmpty else { return nil }
        switch definition.type {
        case "SingleChoice":
            guard definition.activeOptions.contains(text) else {
                throw Invalid("fields", "'\(text)' is not an option of field '\(definition.name)'.")
            }
        case "Number", "Currency":
            guard Double(text) != nil else { throw Invalid("fields", "Field '\(definition.name)' needs a number, got '\(text)'.") }
        case "Email":
            guard text.contains("@"), !text.contains(" ") else {
                throw Invalid("fields", "Field '\(definition.name)' needs an e-mail address, got '\(text)'.")
            }
        case "Date", "DateTime":
            guard SpotioWire.parseDate(text) != nil else {
                throw Invalid("fields", "Field '\(definition.name)' needs a date, got '\(text)'.")
            }
        default:
            break
        }
        return SpotioFieldValue(fieldId: fieldId, value: text, values: nil)
    }

    /// A `PinRequest` applied over `base` (only the properties present change).
    func pin(_ raw: Any?, over base: SpotioPin) throws(Invalid) -> SpotioPin {
        guard let raw, !(raw is NSNull) else { return base }
        guard let object = raw as? [String: Any] else { throw Invalid("pin", "pin must be an object.") }
        var pin = base
        for (key, _) in object {
            try setPinProperty(&pin, key, object[key])
        }
        if object["address"] == nil, object.keys.contains(where: { ["street", "houseNumber", "city", "state", "zip"].contains($0) }) {
            pin.address = SpotioInput.composeAddress(pin)
        }
        return pin
    }

    func setPinProperty(_ pin: inout SpotioPin, _ key: String, _ raw: Any?) throws(Invalid) {
        let text = raw.flatMap { ["v": $0].spotioString("v") }
        switch key {
        case "lat", "lng":
            guard let number = raw.flatMap({ ["v": $0].spotioDouble("v") }), abs(number) <= (key == "lat" ? 90 : 180) else {
                throw Invalid("pin", "pin.\(key) must be a valid coordinate.")
            }
            if key == "lat" { pin.lat = number } else { pin.lng = number }
        case "placeId": pin.placeId = text
        case "address": pin.address = text
        case "street": pin.street = text
        case "houseNumber": pin.houseNumber = text
        case "zip": pin.zip = text
        case "city": pin.city = text
        case "state": pin.state = text
        case "country": pin.country = text
        case "shortAddress": pin.shortAddress = text
        case "id", "skipGeocoding": break
        default: throw Invalid("pin", "Unknown pin property '\(key)'.")
        }
    }

    static func composeAddress(_ pin: SpotioPin) -> String? {
        let street = [pin.houseNumber, pin.street].compactMap { $0 }.joined(separator: " ")
        let region = [pin.state, pin.zip].compactMap { $0 }.joined(separator: " ")
        let parts = [street, pin.city ?? "", region, pin.country ?? ""].filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    // MARK: Activities

    static let activityTypes = ["Note", "Event", "Transition", "Create", "OwnerChanged", "Update"]

    /// Applies an `ActivityRequest` to `activity`. With `merge`, only keys present change (merge-patch);
    /// otherwise absent keys reset to their defaults (PUT).
    func applyActivity(_ body: [String: Any], to activity: inout SpotioActivity, merge: Bool) throws(Invalid) {
        func has(_ key: String) -> Bool { !merge || body[key] != nil }
        if has("dataObjectId") || has("leadId") {
            let id = body.spotioString("dataObjectId") ?? body.spotioString("leadId")
            if let id, state.dataObjects[id] == nil { throw Invalid("dataObjectId", "DataObject '\(id)' does not exist.") }
            activity.dataObjectId = id
        }
        if has("type") || has("isNote") {
            if let raw = body.spotioString("type") {
                guard let type = SpotioInput.activityTypes.first(where: { $0.caseInsensitiveCompare(raw) == .orderedSame }) else {
                    throw Invalid("type", "'\(raw)' is not an activity type (\(SpotioInput.activityTypes.joined(separator: ", "))).")
                }
                activity.type = type
            } else {
                activity.type = body.spotioBool("isNote") == true ? "Note" : "Event"
            }
        }
        if has("done") { activity.done = body.spotioBool("done") ?? false }
        if has("title") { activity.title = body.spotioString("title") }
        if has("notes") { activity.notes = body.spotioString("notes") }
        if has("date") {
            if let raw = body.spotioString("date") {
                guard let date = SpotioWire.parseDate(raw) else { throw Invalid("date", "'\(raw)' is not a date-time.") }
                activity.date = date
            } else {
                activity.date = nil
            }
        }
        if has("duration") || has("durationSeconds") {
            activity.duration = body.spotioInt("duration") ?? body.spotioInt("durationSeconds").map { $0 / 60 }
        }
        if has("allDay") { activity.allDay = body.spotioBool("allDay") ?? false }
        if has("allDayDate") { activity.allDayDate = body.spotioString("allDayDate") }
        if has("ownerId") { activity.ownerId = try userId(body["ownerId"], field: "ownerId") ?? activity.ownerId }
        if has("activityTemplateId") {
            let id = body.spotioString("activityTemplateId")
            if let id, !state.activityTemplates.contains(where: { $0.id == id }) {
                throw Invalid("activityTemplateId", "Activity template '\(id)' does not exist.")
            }
            activity.activityTemplateId = id
        }
        if has("resultId") { activity.resultId = body.spotioString("resultId") }
        if has("mobileId") { activity.mobileId = body.spotioString("mobileId") }
        if has("activityLat") { activity.activityLat = body.spotioDouble("activityLat") }
        if has("activityLng") { activity.activityLng = body.spotioDouble("activityLng") }
        if has("direction") {
            let raw = body.spotioString("direction")
            if let raw, !["in", "out"].contains(raw.lowercased()) { throw Invalid("direction", "direction must be In or Out.") }
            activity.direction = raw.map { $0.lowercased() == "in" ? "In" : "Out" }
        }
        if has("email") { activity.email = body.spotioString("email") }
        if has("phoneNumber") { activity.phoneNumber = body.spotioString("phoneNumber") }
        if has("reference") { activity.reference = body.spotioString("reference") }
        if has("isRead") { activity.isRead = body.spotioBool("isRead") }
        if has("transition") {
            if let t = body["transition"] as? [String: Any] {
                activity.transition = SpotioTransition(fromStageId: t.spotioString("fromStageId"), toStageId: t.spotioString("toStageId"),
                                                       lossReasons: (t["lossReasons"] as? [Any])?.compactMap { $0 as? String })
            } else {
                activity.transition = nil
            }
        }
        if activity.type == "Transition" {
            guard let to = activity.transition?.toStageId else {
                throw Invalid("transition", "A Transition activity needs transition.toStageId.")
            }
            guard let record = activity.dataObjectId.flatMap({ state.dataObjects[$0] }),
                  state.type(record.typeId)?.stage(to) != nil else {
                throw Invalid("transition", "Stage '\(to)' is not a stage of the activity's DataObject.")
            }
        }
    }
}
