import CrosswalkCore
import Foundation

/// `/api/users…` and `POST /api/Users`.
extension SpotioStore {
    static let roles = ["Admin", "Manager", "Sales Rep"]
    static let userStatuses = ["Active", "Invited", "Blocked"]

    private var usersInOrder: [SpotioUser] {
        state.users.values.sorted { (Int($0.id) ?? 0, $0.id) < (Int($1.id) ?? 0, $1.id) }
    }

    /// `GET /api/users` → `[User]`.
    func allUsers(_ call: SpotioCall) -> SandboxResponse {
        .json(200, usersInOrder.map { render.user($0) })
    }

    /// `GET /api/users/list` and `GET /api/v2/users/list?q&statuses&roles&userIds&visible&pageSize&scrollId`
    /// → `{scrollId, items: [User]}`, 20 a page by default.
    func userList(_ call: SpotioCall) -> SandboxResponse {
        let size: Int
        switch pageSize(call.query("pageSize"), field: "pageSize", default: 20, maximum: 1000) {
        case let .success(value): size = value
        case let .failure(denied): return denied.response
        }
        let text = call.query("q")?.lowercased()
        let statuses = Set(call.list("statuses").map { $0.lowercased() })
        let roles = Set(call.list("roles").map { $0.lowercased() })
        let ids = Set(call.list("userIds"))
        let visible = call.flag("visible") ?? call.flag("showOnlyVisible").flatMap { $0 ? true : nil }
        let matching = {
            self.usersInOrder.filter { u in
                if let text, !"\(u.firstName) \(u.lastName) \(u.email)".lowercased().contains(text) { return false }
                if !statuses.isEmpty, !statuses.contains(u.status.lowercased()) { return false }
                if !roles.isEmpty, !roles.contains(u.role.lowercased()) { return false }
                if !ids.isEmpty, !ids.contains(u.id) { return false }
                if let visible, u.visible != visible { return false }
                return true
            }.map(\.id)
        }
        switch page(scrollId: call.query("scrollId"), ids: matching(), pageSize: size, now: call.now) {
        case let .failure(denied): return denied.response
        case let .success(page):
            let items = page.ids.compactMap { state.users[$0] }.map { render.user($0) }
            return .json(200, ["scrollId": page.nextScrollId as Any? ?? NSNull(), "items": items])
        }
    }

    /// `POST /api/Users` (`UserDetails`) → the created `UserDetails`. E-mail is required and unique.
    func createUser(_ call: SpotioCall) -> SandboxResponse {
        let body: [String: Any]
        switch SpotioWire.jsonObject(call.request) {
        case let .success(object): body = object
        case let .failure(error): return error.response
        }
        guard let email = body.spotioString("email"), email.contains("@") else {
            return SpotioWire.error(400, field: "email", "A valid email is required.")
        }
        guard !state.users.values.contains(where: { $0.email.caseInsensitiveCompare(email) == .orderedSame }) else {
            return SpotioWire.error(400, field: "email", "A user with email '\(email)' already exists.")
        }
        var user = SpotioUser(id: String(state.nextUserNumber), firstName: "", lastName: "", email: email, role: "Sales Rep",
                              status: "Invited", territoryIds: [], teamsIds: [], visible: true, createdAt: call.now, updatedAt: call.now)
        if let invalid = apply(body, to: &user) { return invalid.response }
        state.nextUserNumber += 1
        state.users[user.id] = user
        return .json(200, render.userDetails(user))
    }

    /// `PUT /api/users/{id}` (`UserDetails`) → `true`.
    func updateUser(_ call: SpotioCall) -> SandboxResponse {
        let id = call.params["id"] ?? ""
        guard var user = state.users[id] else { return SpotioWire.notFound("User", id) }
        let body: [String: Any]
        switch SpotioWire.jsonObject(call.request) {
        case let .success(object): body = object
        case let .failure(error): return error.response
        }
        if let email = body.spotioString("email"), email.caseInsensitiveCompare(user.email) != .orderedSame {
            guard email.contains("@") else { return SpotioWire.error(400, field: "email", "A valid email is required.") }
            guard !state.users.values.contains(where: { $0.email.caseInsensitiveCompare(email) == .orderedSame }) else {
                return SpotioWire.error(400, field: "email", "A user with email '\(email)' already exists.")
            }
            user.email = email
        }
        if let invalid = apply(body, to: &user) { return invalid.response }
        user.updatedAt = call.now
        state.users[id] = user
        return .json(200, true)
    }

    /// Copies the editable `UserDetails` properties present in `body`.
    private func apply(_ body: [String: Any], to user: inout SpotioUser) -> SpotioInput.Invalid? {
        if let first = body.spotioString("firstName") { user.firstName = first }
        if let last = body.spotioString("lastName") { user.lastName = last }
        if let role = body.spotioString("role") {
            guard let known = SpotioStore.roles.first(where: { $0.caseInsensitiveCompare(role) == .orderedSame }) else {
                return .init("role", "role can be \(SpotioStore.roles.joined(separator: ", ")).")
            }
            user.role = known
        }
        if let status = body.spotioString("status") {
            guard let known = SpotioStore.userStatuses.first(where: { $0.caseInsensitiveCompare(status) == .orderedSame }) else {
                return .init("status", "status can be \(SpotioStore.userStatuses.joined(separator: ", ")).")
            }
            user.status = known
        }
        if body["phone"] != nil { user.phone = body.spotioString("phone") }
        if body["externalSystemUserId"] != nil { user.externalSystemUserId = body.spotioString("externalSystemUserId") }
        if body["timezone"] != nil { user.timezone = body.spotioString("timezone") }
        if let visible = body.spotioBool("visible") { user.visible = visible }
        if let territories = body["territoryIds"] as? [Any] { user.territoryIds = territories.compactMap { ["v": $0].spotioString("v") } }
        if let teams = body["teamsIds"] as? [Any] { user.teamsIds = teams.compactMap { ["v": $0].spotioString("v") } }
        return nil
    }
}
