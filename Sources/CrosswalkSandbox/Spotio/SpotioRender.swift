import CrosswalkCore
import Foundation

/// Turns stored SPOTIO records into the JSON objects of the spec's response schemas
/// (`DataObject`, `DataObjectWithParent`, `SearchDataObjectDto`, `ActivityResponse`, `User`…).
/// Only properties the schemas declare appear (they are `additionalProperties: false`); nullable
/// properties are sent as `null` the way ASP.NET serialises them.
struct SpotioRender {
    let state: SpotioState

    private func null<T>(_ value: T?) -> Any { value.map { $0 as Any } ?? NSNull() }

    // MARK: DataObjects

    /// The record's display name: its `Name`-role field, else first + last name, else its address.
    func name(of record: SpotioDataObject) -> String? {
        guard let type = state.type(record.typeId) else { return nil }
        if let nameField = type.fields.first(where: { $0.role == "Name" }),
           let value = record.fieldValue(nameField.id)?.value, !value.isEmpty { return value }
        let parts = ["FirstName", "LastName"].compactMap { role in
            type.field(role: role).flatMap { record.fieldValue($0.id)?.value }
        }.filter { !$0.isEmpty }
        if !parts.isEmpty { return parts.joined(separator: " ") }
        return record.pin.address
    }

    func values(of record: SpotioDataObject, role: String) -> [String] {
        guard let type = state.type(record.typeId) else { return [] }
        return type.fields.filter { $0.systemRole == role }.compactMap { record.fieldValue($0.id)?.value }.filter { !$0.isEmpty }
    }

    func value(of record: SpotioDataObject) -> Double? {
        values(of: record, role: "Value").first.flatMap(Double.init)
    }

    func pin(_ pin: SpotioPin) -> [String: Any] {
        ["id": pin.id, "lat": pin.lat, "lng": pin.lng, "placeId": null(pin.placeId), "address": null(pin.address),
         "street": null(pin.street), "houseNumber": null(pin.houseNumber), "zip": null(pin.zip), "city": null(pin.city),
         "state": null(pin.state), "country": null(pin.country), "shortAddress": null(pin.shortAddress)]
    }

    /// `FieldValue`: `{fieldId, label, value, formattedValue, values}`.
    func fieldValue(_ field: SpotioFieldValue, typeId: String) -> [String: Any] {
        let definition = state.type(typeId)?.field(field.fieldId)
        let formatted: Any = field.values.map { $0.joined(separator: ", ") } ?? null(field.value)
        return ["fieldId": field.fieldId, "label": null(definition?.name), "value": null(field.value),
                "formattedValue": formatted, "values": null(field.values)]
    }

    /// `DataObject` (and, with `withParent`, `DataObjectWithParent`).
    func dataObject(_ record: SpotioDataObject, withParent: Bool = false) -> [String: Any] {
        let phones = values(of: record, role: "Phone")
        var out: [String: Any] = [
            "id": record.id, "name": null(name(of: record)), "stageId": record.stageId, "ownerId": record.ownerId,
            "pin": pin(record.pin), "source": null(record.source),
            "createdAt": SpotioWire.date(record.createdAt), "updatedAt": SpotioWire.date(record.updatedAt),
            "lastVisitResultId": null(record.lastVisitResultId), "lastVisitDate": SpotioWire.date(record.lastVisitDate),
            "lastVisitNote": null(record.lastVisitNote), "externalDataObjectId": null(record.externalDataObjectId),
            "territoryId": null(record.territoryId), "territories": [Any](),
            "stageUpdatedAt": SpotioWire.date(record.stageUpdatedAt), "stageUpdatedById": null(record.stageUpdatedById),
            "createdById": record.createdById, "updatedById": record.updatedById,
            "lastLocationStatus": "Unknown", "visitsCount": record.visitsCount,
            "lastActivityTime": SpotioWire.date(record.lastActivityTime), "nextActivityTime": SpotioWire.date(record.nextActivityTime),
            "dateOfAssignment": SpotioWire.date(record.dateOfAssignment), "callsCount": record.callsCount,
            "lastCallDate": SpotioWire.date(record.lastCallDate), "lastCallResultId": null(record.lastCallResultId),
            "fields": record.fields.map { fieldValue($0, typeId: record.typeId) }, "typeId": record.typeId,
            "access": "Full", "phones": phones, "emails": values(of: record, role: "Email"),
            "value": null(value(of: record)), "addressUnit": NSNull(), "textOptedIn": record.textOptedIn,
            "phonesFullInfo": phones.map { ["phone": $0, "textOptedIn": record.textOptedIn] },
            "collaboratorIds": record.collaboratorIds,
        ]
        if withParent { out["parentsInfo"] = [Any]() }
        return out
    }

    /// `SearchDataObjectDto`, the item shape of `GET|POST /api/DataObjectsSearch`.
    func searchItem(_ record: SpotioDataObject, includeOwnerExternalUserId: Bool) -> [String: Any] {
        let owner = state.users[record.ownerId]
        return [
            "id": record.id, "typeId": record.typeId, "addressUnit": NSNull(),
            "pin": ["id": record.pin.id, "lat": record.pin.lat, "lng": record.pin.lng, "placeId": null(record.pin.placeId),
                    "address": null(record.pin.address), "zip": null(record.pin.zip)],
            "value": null(value(of: record)), "stageId": record.stageId, "externalDataObjectId": null(record.externalDataObjectId),
            "fields": record.fields.map { ["fieldId": $0.fieldId, "value": null($0.value), "values": null($0.values)] },
            "ownerId": record.ownerId, "updatedAt": SpotioWire.date(record.updatedAt), "createdAt": SpotioWire.date(record.createdAt),
            "stageUpdatedById": null(record.stageUpdatedById), "stageUpdatedAt": SpotioWire.date(record.stageUpdatedAt),
            "createdById": record.createdById, "updatedById": record.updatedById, "source": null(record.source),
            "territoryId": null(record.territoryId), "lastLocationStatus": "Unknown", "visitsCount": record.visitsCount,
            "lastVisitDate": SpotioWire.date(record.lastVisitDate), "lastActivityTime": SpotioWire.date(record.lastActivityTime),
            "lastActivityOwnerId": NSNull(), "nextActivityTime": SpotioWire.date(record.nextActivityTime),
            "lastContractSignedDate": NSNull(), "lastVisitResultId": null(record.lastVisitResultId),
            "callCount": record.callsCount, "lastCallDate": SpotioWire.date(record.lastCallDate),
            "lastCallResultId": null(record.lastCallResultId), "name": null(name(of: record)),
            "phones": values(of: record, role: "Phone"), "emails": values(of: record, role: "Email"),
            "childName": NSNull(), "filterOptionValues": [Any](),
            "ownerExternalUserId": includeOwnerExternalUserId ? null(owner?.externalSystemUserId) : NSNull(),
            "scoreLabel": NSNull(), "nba": NSNull(),
        ]
    }

    private func searchPin(_ pin: SpotioPin) -> [String: Any] {
        ["id": pin.id, "lat": pin.lat, "lng": pin.lng, "placeId": null(pin.placeId), "address": null(pin.address), "zip": null(pin.zip)]
    }

    /// `SearchDataObjectListItemDto`, the item shape of `GET /api/DataObjectsSearch/list`.
    func listItem(_ record: SpotioDataObject) -> [String: Any] {
        ["id": record.id, "typeId": record.typeId, "addressUnit": NSNull(), "pin": searchPin(record.pin), "value": null(value(of: record)),
         "stageId": record.stageId, "externalDataObjectId": null(record.externalDataObjectId),
         "fields": record.fields.map { ["fieldId": $0.fieldId, "value": null($0.value), "values": null($0.values)] },
         "name": null(name(of: record)), "phones": values(of: record, role: "Phone"), "emails": values(of: record, role: "Email"),
         "activity": NSNull(), "distance": NSNull(), "visitsCount": record.visitsCount, "lastVisitDate": SpotioWire.date(record.lastVisitDate),
         "lastVisitResultId": null(record.lastVisitResultId), "childName": NSNull(), "filterOptionValues": [Any](),
         "scoreLabel": NSNull(), "nba": NSNull()]
    }

    /// `SearchSimpleDataObjectWithParentDto`, the item shape of `GET|POST /api/DataObjectsSearch/simple`.
    func simpleItem(_ record: SpotioDataObject) -> [String: Any] {
        let phones = values(of: record, role: "Phone")
        return ["navigationId": record.id, "id": record.id, "typeId": record.typeId, "name": null(name(of: record)), "stageId": record.stageId,
                "externalDataObjectId": null(record.externalDataObjectId), "pin": searchPin(record.pin), "phones": phones,
                "emails": values(of: record, role: "Email"), "visitsCount": record.visitsCount, "parent": NSNull(), "ownerId": record.ownerId,
                "textOptedIn": record.textOptedIn, "phonesFullInfo": phones.map { ["phone": $0, "textOptedIn": record.textOptedIn] },
                "scoreLabel": NSNull(), "nba": NSNull()]
    }

    /// `DeletedDataObjectMetadata`.
    func tombstone(_ tombstone: SpotioTombstone) -> [String: Any] {
        let r = tombstone.record
        return ["id": tombstone.id, "deletedAt": SpotioWire.date(tombstone.deletedAt), "deletedById": tombstone.deletedById,
                "dataObject": ["stageId": r.stageId, "ownerId": r.ownerId, "updatedAt": SpotioWire.date(r.updatedAt),
                               "createdAt": SpotioWire.date(r.createdAt), "source": null(r.source), "territoryId": null(r.territoryId),
                               "pin": ["id": r.pin.id, "address": null(r.pin.address)], "typeId": r.typeId,
                               "value": null(value(of: r)), "externalDataObjectId": null(r.externalDataObjectId)] as [String: Any]]
    }

    // MARK: Activities

    private func transition(_ t: SpotioTransition?) -> Any {
        guard let t else { return NSNull() }
        return ["fromStageId": null(t.fromStageId), "toStageId": null(t.toStageId), "lossReasons": null(t.lossReasons)]
    }

    /// `ActivityResponse`.
    func activity(_ a: SpotioActivity) -> [String: Any] {
        let record = a.dataObjectId.flatMap { state.dataObjects[$0] }
        var out: [String: Any] = [
            "verified": NSNull(), "mobileId": null(a.mobileId), "dataObjectId": null(a.dataObjectId), "type": a.type,
            "done": a.done, "activityLat": null(a.activityLat), "activityLng": null(a.activityLng),
            "dataObjectLat": null(record?.pin.lat), "dataObjectLng": null(record?.pin.lng),
            "isNote": a.type == "Note", "resultId": null(a.resultId),
            "email": null(a.email), "phoneNumber": null(a.phoneNumber), "reference": null(a.reference), "isRead": null(a.isRead),
            "communicationTemplateId": NSNull(), "autoplayDataObjectId": NSNull(), "autoplayDataObjectStepId": NSNull(),
            "autoExecution": false, "reminder": NSNull(), "appointmentId": NSNull(), "nbaId": NSNull(), "id": a.id,
            "activityTemplateId": null(a.activityTemplateId), "ownerId": null(a.ownerId), "title": null(a.title),
            "notes": null(a.notes), "date": SpotioWire.date(a.date), "duration": null(a.duration),
            "durationSeconds": null(a.duration.map { $0 * 60 }), "allDay": a.allDay, "allDayDate": null(a.allDayDate),
        ]
        // `transition`, `ownerChanged` and `direction` are non-nullable references in the schema: omit when unset.
        if let t = a.transition { out["transition"] = transition(t) }
        if let d = a.direction { out["direction"] = d }
        return out
    }

    /// `ActivityFeedDto`, the item shape of `GET /api/ActivitiesV2/feed`.
    func feedItem(_ a: SpotioActivity, includeFieldIds: Set<String>?) -> [String: Any] {
        var out: [String: Any] = [
            "id": a.id, "activityTemplateId": null(a.activityTemplateId), "type": a.type, "done": a.done,
            "ownerId": null(a.ownerId), "date": SpotioWire.date(a.date), "allDay": a.allDay, "resultId": null(a.resultId),
            "distance": NSNull(), "verified": NSNull(), "duration": null(a.duration),
            "durationSeconds": null(a.duration.map { $0 * 60 }), "text": null(a.notes), "title": null(a.title),
            "notes": null(a.notes), "isNote": a.type == "Note", "email": null(a.email), "phoneNumber": null(a.phoneNumber),
            "reference": null(a.reference), "isRead": null(a.isRead), "autoplayDataObjectId": NSNull(),
            "autoplayDataObjectStepId": NSNull(), "autoExecution": NSNull(), "reminder": NSNull(), "access": "Full",
            "updatedAt": SpotioWire.date(a.updatedAt), "createdAt": SpotioWire.date(a.createdAt),
            "snippet": null(a.notes.map { String($0.prefix(140)) }), "nbaId": NSNull(),
        ]
        if let t = a.transition { out["transition"] = transition(t) }
        if let d = a.direction { out["direction"] = d }
        if let record = a.dataObjectId.flatMap({ state.dataObjects[$0] }) {
            let fields = includeFieldIds.map { ids in
                record.fields.filter { ids.contains("*") || ids.contains($0.fieldId) }.map { fieldValue($0, typeId: record.typeId) }
            }
            out["dataObject"] = [
                "navigationId": record.id, "id": record.id, "typeId": record.typeId, "name": null(name(of: record)),
                "territoryId": null(record.territoryId), "stageId": record.stageId, "ownerId": record.ownerId,
                "value": null(value(of: record)), "visitCount": record.visitsCount, "callCount": record.callsCount,
                "address": null(record.pin.address), "lat": record.pin.lat, "lng": record.pin.lng,
                "externalDataObjectId": null(record.externalDataObjectId), "fields": null(fields),
            ] as [String: Any]
        }
        return out
    }

    // MARK: Users

    /// `User`.
    func user(_ u: SpotioUser) -> [String: Any] {
        ["suspended": u.status == "Blocked", "chatUserId": NSNull(), "email": u.email, "status": u.status, "isReadonly": false,
         "isInSalesforce": false, "territoryGlobalAccess": u.role == "Admin", "visible": u.visible, "visibleInReports": u.visible,
         "externalSystemUserId": null(u.externalSystemUserId), "id": u.id, "role": u.role, "firstName": u.firstName,
         "lastName": u.lastName, "userPicUrl": NSNull(), "authorizationProvider": "Spotio"]
    }

    /// `UserDetails`.
    func userDetails(_ u: SpotioUser) -> [String: Any] {
        var out = user(u)
        let extra: [String: Any] = [
            "companyId": "1", "phone": null(u.phone), "territoryIds": u.territoryIds, "isGoogleAccount": false,
            "updatedAt": SpotioWire.date(u.updatedAt), "createdAt": SpotioWire.date(u.createdAt), "os": NSNull(),
            "lastLoginAt": NSNull(), "timezone": null(u.timezone), "chatLogin": NSNull(), "chatPassword": NSNull(),
            "weeklyUpdates": false, "dailyUpdates": false, "companyName": "SPOTIO Sandbox", "teamsIds": u.teamsIds,
            "invitedAt": NSNull(), "deletable": u.role != "Admin",
        ]
        out.merge(extra) { _, new in new }
        return out
    }

    // MARK: Workflow

    func stage(_ s: SpotioStage) -> [String: Any] {
        ["id": s.id, "name": s.name, "color": s.color, "lossReasons": s.lossReasons, "scoringType": "Lead"]
    }

    /// `StagesResponse`: `{active, won, lost}` groups.
    func stages(_ type: SpotioObjectType) -> [String: Any] {
        var out: [String: Any] = [:]
        for group in ["active", "won", "lost"] {
            let stages = type.stages.filter { $0.group == group }
            out[group] = ["active": !stages.isEmpty, "stages": stages.map(stage)] as [String: Any]
        }
        return out
    }

    /// `Workflow.Fields.Field`.
    func field(_ f: SpotioFieldDefinition) -> [String: Any] {
        var out: [String: Any] = [
            "id": f.id, "name": f.name, "type": f.type, "stageConstraints": [Any](), "createdAt": SpotioWire.date(f.createdAt),
            "updatedAt": SpotioWire.date(f.createdAt), "readonly": false, "useAsFilter": f.type.hasSuffix("Choice"),
            "activeOptions": f.activeOptions, "removedOptions": [Any](), "showInActivityFeed": false,
            "stageVisibility": [Any](), "requiredWithoutStage": false, "inherited": false, "inheritable": false,
        ]
        if let role = f.role { out["role"] = role }
        if let systemRole = f.systemRole { out["systemRole"] = systemRole }
        return out
    }

    /// `Workflow.DataObjects.DataObject`, the type definition without fields and stages.
    func typeSummary(_ t: SpotioObjectType) -> [String: Any] {
        ["id": t.id, "name": t.name, "parentId": NSNull(), "inheritOwnerFromParent": false, "scoringType": "Lead",
         "parentRequired": false, "extraSettings": ["allowAutoplays": false, "enableLeadMachine": false, "allowEcontracts": false]]
    }

    /// `Settings.DataObjectDefinition`: the type with its fields and stages.
    func typeDefinition(_ t: SpotioObjectType) -> [String: Any] {
        var out = typeSummary(t)
        out["hasAddress"] = t.hasAddress
        out["hasPhone"] = t.hasPhone
        out["hasEmail"] = t.hasEmail
        out["fields"] = t.fields.map(field)
        out["stages"] = stages(t)
        return out
    }

    /// `ActivityTemplate`.
    func activityTemplate(_ t: SpotioActivityTemplate) -> [String: Any] {
        ["id": t.id, "name": t.name, "defaultDuration": t.defaultDuration, "active": true, "primaryColor": t.color,
         "secondaryColor": t.color, "creatable": true, "systemRole": t.systemRole,
         "activityResults": t.results.map { ["id": $0.id, "name": $0.name, "color": $0.color, "active": true, "isSystem": false] },
         "type": t.systemRole == "Appointment" ? "Task" : "Event", "category": "InPerson", "requiredFields": [Any]()]
    }

    // MARK: Webhooks

    /// `WebhookEndpointDto`.
    func webhook(_ w: SpotioWebhookEndpoint) -> [String: Any] {
        ["id": w.id, "callback": w.callback, "scopes": w.scopes, "active": w.active,
         "customHeaders": w.customHeaders.map { ["name": $0.name, "value": $0.value] }]
    }
}
