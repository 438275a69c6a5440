import CrosswalkCore
import Foundation

/// `/api/ActivitiesV2…` (alias `/api/v2/activities…`): notes, visits, calls and meetings on DataObjects.
extension SpotioStore {
    /// Creates an activity from an `ActivityRequest`, updates its record's counters and raises
    /// `activity.created` (and `activity.done` when created done).
    func addActivity(_ body: [String: Any], call: SpotioCall) throws(SpotioInput.Invalid) -> SpotioActivity {
        var activity = SpotioActivity(id: String(state.nextActivityNumber), type: "Event", done: false, allDay: false,
                                      ownerId: call.userId, createdAt: call.now, updatedAt: call.now)
        try input.applyActivity(body, to: &activity, merge: false)
        if activity.date == nil { activity.date = call.now }
        state.nextActivityNumber += 1
        state.activities[activity.id] = activity
        recordActivity(activity, call: call)
        raise(SpotioWebhookEvents.activityCreated, render.activity(activity))
        if activity.done { raise(SpotioWebhookEvents.activityDone, render.activity(activity)) }
        return activity
    }

    /// Keeps the DataObject's visit/call counters and activity times in step, and applies stage transitions.
    private func recordActivity(_ activity: SpotioActivity, call: SpotioCall) {
        guard let id = activity.dataObjectId, var record = state.dataObjects[id], let date = activity.date else { return }
        let role = activity.activityTemplateId.flatMap { tid in state.activityTemplates.first { $0.id == tid }?.systemRole }
        if activity.done {
            if role == "Visit" {
                record.visitsCount += 1
                record.lastVisitDate = date
                record.lastVisitResultId = activity.resultId
                record.lastVisitNote = activity.notes
            } else if role == "Call" {
                record.callsCount += 1
                record.lastCallDate = date
                record.lastCallResultId = activity.resultId
            }
            record.lastActivityTime = max(record.lastActivityTime ?? .distantPast, date)
        } else if date > call.now {
            record.nextActivityTime = min(record.nextActivityTime ?? .distantFuture, date)
        }
        if activity.type == "Transition", let to = activity.transition?.toStageId, to != record.stageId {
            record.stageId = to
            record.stageUpdatedAt = call.now
            record.stageUpdatedById = call.userId
            record.updatedAt = call.now
            record.updatedById = call.userId
            state.dataObjects[id] = record
            raise(SpotioWebhookEvents.leadUpdated, render.dataObject(record))
            return
        }
        state.dataObjects[id] = record
    }

    /// `POST /api/ActivitiesV2` → `ActivityResponse`.
    func createActivity(_ call: SpotioCall) -> SandboxResponse {
        switch SpotioWire.jsonObject(call.request) {
        case let .failure(error): return error.response
        case let .success(body):
            do throws(SpotioInput.Invalid) {
                return .json(200, render.activity(try addActivity(body, call: call)))
            } catch {
                return error.response
            }
        }
    }

    /// `POST /api/ActivitiesV2/many [ActivityRequest]` → the new ids as integers. All or nothing.
    func createActivities(_ call: SpotioCall) -> SandboxResponse {
        let body: Any
        switch SpotioWire.jsonBody(call.request) {
        case let .success(value): body = value
        case let .failure(error): return error.response
        }
        guard let items = body as? [Any], items.allSatisfy({ $0 is [String: Any] }) else {
            return SpotioWire.error(400, field: "body", "The body must be an array of activities.")
        }
        // Validate every item first so that a bad one creates nothing.
        for (index, item) in items.enumerated() {
            var probe = SpotioActivity(id: "", type: "Event", done: false, allDay: false, createdAt: call.now, updatedAt: call.now)
            do throws(SpotioInput.Invalid) {
                try input.applyActivity(item as! [String: Any], to: &probe, merge: false)
            } catch {
                return SpotioWire.error(400, field: "[\(index)].\(error.field)", error.message)
            }
        }
        var ids: [Int] = []
        for item in items {
            if let created = try? addActivity(item as! [String: Any], call: call) { ids.append(Int(created.id) ?? 0) }
        }
        return .json(200, ids)
    }

    /// `GET /api/ActivitiesV2/{activityId}` → `ActivityResponse`.
    func getActivity(_ call: SpotioCall) -> SandboxResponse {
        let id = call.params["activityId"] ?? ""
        guard let activity = state.activities[id] else { return SpotioWire.notFound("Activity", id) }
        return .json(200, render.activity(activity))
    }

    /// `PUT` (replace) or `PATCH` (merge-patch) `/api/ActivitiesV2/{activityId}` → `ActivityResponse`.
    /// Raises `activity.updated`, and `activity.done` when it became done.
    func updateActivity(_ call: SpotioCall, merge: Bool) -> SandboxResponse {
        let id = call.params["activityId"] ?? ""
        guard var activity = state.activities[id] else { return SpotioWire.notFound("Activity", id) }
        let body: [String: Any]
        switch SpotioWire.jsonObject(call.request) {
        case let .success(object): body = object
        case let .failure(error): return error.response
        }
        let wasDone = activity.done
        do throws(SpotioInput.Invalid) {
            try input.applyActivity(body, to: &activity, merge: merge)
        } catch {
            return error.response
        }
        if activity.date == nil { activity.date = state.activities[id]?.date ?? call.now }
        activity.updatedAt = call.now
        state.activities[id] = activity
        if activity.done && !wasDone { recordActivity(activity, call: call) }
        raise(SpotioWebhookEvents.activityUpdated, render.activity(activity))
        if activity.done && !wasDone { raise(SpotioWebhookEvents.activityDone, render.activity(activity)) }
        return .json(200, render.activity(activity))
    }

    /// `GET /api/ActivitiesV2/feed?StartDate&EndDate&ScrollId&SortBy&SingleType&IncludeCustomFieldIds`
    /// → `{scrollId, items: [ActivityFeedDto]}`, 50 a page, newest first unless `SortBy=time`.
    func activityFeed(_ call: SpotioCall) -> SandboxResponse {
        var bounds: [Date?] = [nil, nil]
        for (index, name) in ["StartDate", "EndDate"].enumerated() {
            guard let raw = call.query(name) else { continue }
            guard let date = SpotioWire.parseDate(raw) else { return SpotioWire.error(400, field: name, "'\(raw)' is not a date-time.") }
            bounds[index] = date
        }
        let sort = call.query("SortBy") ?? "-time"
        guard ["time", "-time"].contains(sort.lowercased()) || SpotioStore.otherFeedSorts.contains(sort.lowercased()) else {
            return SpotioWire.error(400, field: "SortBy", "'\(sort)' is not a feed sort order.")
        }
        let ascending = sort.lowercased() == "time"
        let singleType = call.query("SingleType")
        let matching = {
            self.state.activities.values.filter { a in
                let date = a.date ?? a.createdAt
                if let start = bounds[0], date < start { return false }
                if let end = bounds[1], date > end { return false }
                if let singleType, a.dataObjectId.flatMap({ self.state.dataObjects[$0]?.typeId }) != singleType { return false }
                return true
            }.sorted { a, b in
                let (da, db) = (a.date ?? a.createdAt, b.date ?? b.createdAt)
                if da == db { return (Int(a.id) ?? 0) < (Int(b.id) ?? 0) }
                return ascending ? da < db : da > db
            }.map(\.id)
        }
        switch page(scrollId: call.query("ScrollId"), ids: matching(), pageSize: 50, now: call.now) {
        case let .failure(denied): return denied.response
        case let .success(page):
            let include = call.query("IncludeCustomFieldIds").map { Set($0.split(separator: ",").map(String.init)) }
            let items = page.ids.compactMap { state.activities[$0] }.map { render.feedItem($0, includeFieldIds: include) }
            return .json(200, ["scrollId": page.nextScrollId as Any? ?? NSNull(), "items": items])
        }
    }

    /// Feed sort orders the spec lists; the emulator orders them all by time.
    static let otherFeedSorts: Set<String> = ["schedule", "-schedule", "activity", "-activity", "status", "-status", "territory",
                                              "-territory", "address", "-address", "visitcount", "-visitcount", "callcount", "-callcount"]
}
