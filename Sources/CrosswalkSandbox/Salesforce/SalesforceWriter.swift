import Foundation

/// Who writes and when: the API user behind the session and the org's clock.
struct SalesforceWriteContext: Sendable {
    var now: Date
    var userID: String
}

/// What an upsert by external id did.
enum SalesforceUpsertOutcome {
    case created(SalesforceRecord)
    case updated(SalesforceRecord)
    /// More than one record holds the external id value (HTTP 300).
    case ambiguous([SalesforceRecord])
}

/// Create, update, delete and upsert with Salesforce's validation rules and error codes.
extension SalesforceStore {
    mutating func create(_ object: SalesforceObject, _ body: [String: Any], _ context: SalesforceWriteContext) throws(SalesforceError) -> SalesforceRecord {
        guard object.createable else {
            throw SalesforceError(status: 400, code: "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", message: "\(object.name): insert is not allowed through the sandbox API")
        }
        var values = try Self.values(object, body, creating: true)
        for field in object.fields where values[field.name] == nil {
            if let value = field.defaultValue {
                switch (value, field.type) {
                case (SalesforceField.currentUserDefault, _): values[field.name] = .text(context.userID)
                case (_, .boolean): values[field.name] = .bool(value == "true")
                default: values[field.name] = .text(value)
                }
            }
        }
        try Self.checkRequired(object, values, creating: true)
        try checkReferences(object, values)
        let id = nextID(object)
        try checkUnique(object, values, except: id)
        let stamp = SalesforceValue.text(SalesforceDates.dateTime(context.now))
        var fields = values.filter { $0.value != .null }
        fields["Id"] = .text(id)
        fields["IsDeleted"] = .bool(false)
        for name in ["CreatedDate", "LastModifiedDate", "SystemModstamp"] where object.field(name) != nil { fields[name] = stamp }
        for name in ["CreatedById", "LastModifiedById"] where object.field(name) != nil { fields[name] = .text(context.userID) }
        if object.field("PhotoUrl") != nil { fields["PhotoUrl"] = .text("/services/images/photo/\(id)") }
        if object.name == "Opportunity", fields["Probability"] == nil, let stage = fields["StageName"]?.text,
           let defaults = SalesforceCatalog.stageDefaults[stage] {
            fields["Probability"] = .number(defaults.probability)
        }
        var record = SalesforceRecord(id: id, type: object.name, fields: fields, modstamp: context.now)
        derive(&record, context, wasClosed: false)
        put(record)
        return record
    }

    /// The fields the org sets from others: names, stage flags, a task's account and completion time.
    func derive(_ record: inout SalesforceRecord, _ context: SalesforceWriteContext, wasClosed: Bool) {
        record.recalculate()
        guard record.type == "Task" else { return }
        var account: String?
        if let what = record["WhatId"].text, let parent = self.record(what) {
            account = parent.type == "Account" ? parent.id : parent["AccountId"].text
        }
        if account == nil, let who = record["WhoId"].text, let person = self.record(who), person.type == "Contact" {
            account = person["AccountId"].text
        }
        record.fields["AccountId"] = account.map(SalesforceValue.text)
        let closed = record["IsClosed"] == .bool(true)
        if closed && !wasClosed { record.fields["CompletedDateTime"] = .text(SalesforceDates.dateTime(context.now)) }
        if !closed { record.fields["CompletedDateTime"] = nil }
    }

    mutating func update(_ object: SalesforceObject, id: String, _ body: [String: Any], _ context: SalesforceWriteContext) throws(SalesforceError) -> SalesforceRecord {
        var record = try live(object, id: id)
        let values = try Self.values(object, body, creating: false)
        try Self.checkRequired(object, values, creating: false)
        try checkReferences(object, values)
        try checkUnique(object, values, except: record.id)
        let wasClosed = record["IsClosed"] == .bool(true)
        for (name, value) in values { record.fields[name] = value == .null ? nil : value }
        if object.name == "Opportunity", values["StageName"] != nil, values["Probability"] == nil,
           let stage = record["StageName"].text, let defaults = SalesforceCatalog.stageDefaults[stage] {
            record.fields["Probability"] = .number(defaults.probability)
        }
        touch(&record, context)
        derive(&record, context, wasClosed: wasClosed)
        put(record)
        return record
    }

    mutating func delete(_ object: SalesforceObject?, id: String, _ context: SalesforceWriteContext) throws(SalesforceError) -> SalesforceRecord {
        guard let found = record(id), object == nil || found.type == object!.name else { throw SalesforceError.notFound }
        guard !found.isDeleted else { throw SalesforceError.entityDeleted }
        var record = found
        record.isDeleted = true
        record.deletedAt = context.now
        record.fields["IsDeleted"] = .bool(true)
        touch(&record, context)
        put(record)
        return record
    }

    /// Inserts or updates the record whose `field` holds `value`; the body must not carry `Id` or `field`.
    mutating func upsert(_ object: SalesforceObject, field: SalesforceField, value: String, _ body: [String: Any],
                         updateOnly: Bool, _ context: SalesforceWriteContext) throws(SalesforceError) -> SalesforceUpsertOutcome {
        if let key = body.keys.first(where: { $0.lowercased() == "id" || $0.lowercased() == field.name.lowercased() }) {
            throw SalesforceError(status: 400, code: "INVALID_FIELD",
                                  message: "\(key) is taken from the URL in an upsert by \(field.name) and must not appear in the body",
                                  fields: [object.field(key)?.name ?? key])
        }
        let matches = field.type == .id ? [record(value)].compactMap { $0 }.filter { !$0.isDeleted && $0.type == object.name }
                                        : records(object.name, where: field.name, equals: value)
        switch matches.count {
        case 0:
            if updateOnly { throw SalesforceError.notFound }
            var withKey = body
            if field.type != .id { withKey[field.name] = value }
            return .created(try create(object, withKey, context))
        case 1:
            return .updated(try update(object, id: matches[0].id, body, context))
        default:
            return .ambiguous(matches)
        }
    }

    /// The live record `id` of `object`, or NOT_FOUND / ENTITY_IS_DELETED.
    func live(_ object: SalesforceObject, id: String) throws(SalesforceError) -> SalesforceRecord {
        guard let found = record(id), found.type == object.name else { throw SalesforceError.notFound }
        guard !found.isDeleted else { throw SalesforceError.entityDeleted }
        return found
    }

    private func touch(_ record: inout SalesforceRecord, _ context: SalesforceWriteContext) {
        let stamp = SalesforceValue.text(SalesforceDates.dateTime(context.now))
        record.fields["LastModifiedDate"] = stamp
        record.fields["SystemModstamp"] = stamp
        record.fields["LastModifiedById"] = .text(context.userID)
        record.modstamp = context.now
    }

    // MARK: validation

    /// The body's fields converted to stored values, in Salesforce's error order: unknown fields, read-only
    /// fields, then each value's type.
    static func values(_ object: SalesforceObject, _ body: [String: Any], creating: Bool) throws(SalesforceError) -> [String: SalesforceValue] {
        var values: [String: SalesforceValue] = [:]
        var readOnly: [String] = []
        let keys = body.keys.filter { $0 != "attributes" }.sorted()
        for key in keys {
            guard let field = object.field(key) else { throw SalesforceError.noSuchColumn(key, on: object.name) }
            if creating ? !field.createable : !field.updateable { readOnly.append(field.name) }
        }
        if !readOnly.isEmpty {
            throw SalesforceError(status: 400, code: "INVALID_FIELD_FOR_INSERT_UPDATE",
                                  message: "Unable to create/update fields: \(readOnly.joined(separator: ", ")). Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                                  fields: readOnly)
        }
        for key in keys {
            let field = object.field(key)!
            values[field.name] = try convert(body[key]!, for: field)
        }
        return values
    }

    /// One JSON value as `field` stores it.
    static func convert(_ raw: Any, for field: SalesforceField) throws(SalesforceError) -> SalesforceValue {
        if raw is NSNull { return .null }
        func wrongType(_ kind: String) -> SalesforceError {
            .jsonParser("Cannot deserialize instance of \(kind) from \(describe(raw)) or request may be missing a required field")
        }
        switch field.type {
        case .boolean:
            if SalesforceJSON.isBool(raw), let b = raw as? Bool { return .bool(b) }
            if let s = raw as? String, ["true", "false"].contains(s.lowercased()) { return .bool(s.lowercased() == "true") }
            throw wrongType("boolean")
        case .double, .currency, .percent, .int:
            let number = SalesforceJSON.number(raw) ?? (raw as? String).flatMap(Double.init)
            guard let number, number.isFinite else { throw wrongType(field.type == .int ? "int" : "double") }
            if field.type == .int, number != number.rounded() { throw wrongType("int") }
            // Digits before the point are limited by precision - scale (int fields: digits); the value is kept
            // rounded to the field's scale, as Salesforce stores it.
            let integerDigits = field.type == .int ? max(1, field.digits) : max(1, field.precision - field.scale)
            if abs(number) >= pow(10, Double(integerDigits)) {
                throw SalesforceError(status: 400, code: "NUMBER_OUTSIDE_VALID_RANGE",
                                      message: "\(field.label): value outside of valid range on numeric field: \(SalesforceValue.number(number).xmlText ?? "")",
                                      fields: [field.name])
            }
            if field.type != .int {
                let factor = pow(10, Double(field.scale))
                return .number((number * factor).rounded(.toNearestOrAwayFromZero) / factor)
            }
            return .number(number)
        case .date:
            guard let s = raw as? String else { throw wrongType("date") }
            if s.isEmpty { return .null }
            guard let date = SalesforceDates.parseDate(String(s.prefix(10))), s.count == 10 || SalesforceDates.parseDateTime(s) != nil else {
                throw wrongType("date")
            }
            return .text(SalesforceDates.date(date))
        case .datetime:
            guard let s = raw as? String else { throw wrongType("datetime") }
            if s.isEmpty { return .null }
            guard let date = SalesforceDates.parseDateTime(s) ?? SalesforceDates.parseDate(s) else { throw wrongType("datetime") }
            return .text(SalesforceDates.dateTime(date))
        case .id, .reference:
            guard let s = raw as? String else { throw SalesforceError.malformedID(field.label, value: "\(raw)", field: field.name) }
            if s.isEmpty { return .null }
            guard let id = SalesforceID.normalize(s) else { throw SalesforceError.malformedID(field.label, value: s, field: field.name) }
            return .text(id)
        case .address:
            throw SalesforceError(status: 400, code: "INVALID_FIELD_FOR_INSERT_UPDATE",
                                  message: "Unable to create/update fields: \(field.name). Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                                  fields: [field.name])
        case .string, .email, .phone, .picklist, .multipicklist, .combobox, .textarea, .url:
            let text: String
            if let s = raw as? String {
                text = s
            } else if let n = SalesforceJSON.number(raw) {
                text = n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
            } else if SalesforceJSON.isBool(raw), let b = raw as? Bool {
                text = b ? "true" : "false"
            } else {
                throw wrongType("String")
            }
            if text.isEmpty { return .null }
            if text.count > field.length {
                throw SalesforceError(status: 400, code: "STRING_TOO_LONG",
                                      message: "\(field.label): data value too large: \(text.prefix(40)) (max length=\(field.length))", fields: [field.name])
            }
            if field.type == .picklist, field.restrictedPicklist, !field.picklist.contains(text) {
                throw SalesforceError(status: 400, code: "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                                      message: "\(field.label): bad value for restricted picklist field: \(text)", fields: [field.name])
            }
            if field.type == .email, !isEmail(text) {
                throw SalesforceError(status: 400, code: "INVALID_EMAIL_ADDRESS", message: "\(field.label): invalid email address: \(text)", fields: [field.name])
            }
            return .text(text)
        }
    }

    private static func describe(_ raw: Any) -> String {
        if let s = raw as? String { return "VALUE_STRING value \(s)" }
        if SalesforceJSON.isBool(raw) { return "VALUE_\((raw as? Bool) == true ? "TRUE" : "FALSE")" }
        if raw is NSNumber { return "VALUE_NUMBER value \(raw)" }
        if raw is [Any] { return "START_ARRAY" }
        return "START_OBJECT"
    }

    /// Roughly Salesforce's check: one `@`, a local part, a dotted domain, no spaces.
    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !text.contains(" ") else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domain.count >= 2 && domain.allSatisfy { !$0.isEmpty }
    }

    static func checkRequired(_ object: SalesforceObject, _ values: [String: SalesforceValue], creating: Bool) throws(SalesforceError) {
        let missing = object.fields.filter { field in
            guard field.required || (!field.nillable && field.defaultValue != nil && !field.isSystem && !field.calculated) else { return false }
            if let value = values[field.name] { return value.isNullOrEmpty }
            return creating && field.required
        }.map(\.name)
        if !missing.isEmpty {
            throw SalesforceError(status: 400, code: "REQUIRED_FIELD_MISSING",
                                  message: "Required fields are missing: [\(missing.joined(separator: ", "))]", fields: missing)
        }
    }

    private func checkReferences(_ object: SalesforceObject, _ values: [String: SalesforceValue]) throws(SalesforceError) {
        for field in object.fields where field.type == .reference {
            guard let id = values[field.name]?.text else { continue }
            guard let target = record(id), field.referenceTo.contains(target.type) else {
                if let prefixObject = SalesforceCatalog.object(keyPrefix: id.prefix(3)), field.referenceTo.contains(prefixObject.name) {
                    throw SalesforceError(status: 400, code: "INVALID_CROSS_REFERENCE_KEY", message: "invalid cross reference id", fields: [])
                }
                throw SalesforceError(status: 400, code: "FIELD_INTEGRITY_EXCEPTION",
                                      message: "\(field.label): id value of incorrect type: \(id)", fields: [field.name])
            }
            if target.isDeleted {
                throw SalesforceError(status: 400, code: "ENTITY_IS_DELETED", message: "entity is deleted", fields: [])
            }
        }
    }

    private mutating func checkUnique(_ object: SalesforceObject, _ values: [String: SalesforceValue], except id: String) throws(SalesforceError) {
        for field in object.fields where field.unique {
            guard let value = values[field.name]?.text else { continue }
            if let other = records(object.name, where: field.name, equals: value).first(where: { $0.id != id }) {
                throw SalesforceError(status: 400, code: "DUPLICATE_VALUE",
                                      message: "duplicate value found: \(field.name) duplicates value on record with id: \(other.id)", fields: [])
            }
        }
    }
}
