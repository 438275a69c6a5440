import CrosswalkCore
import Foundation

/// Every Aritic (Mautic REST) operation the emulator serves.
enum AriticRoute: Equatable, Sendable {
    case token, authorize
    case list(AriticKind), get(AriticKind, Int), create(AriticKind), edit(AriticKind, Int), delete(AriticKind, Int)
    case batchNew(AriticKind), batchEdit(AriticKind), batchDelete(AriticKind)
    case companyContact(company: Int, contact: Int, add: Bool)
    case segmentContact(segment: Int, contact: Int, add: Bool)
    case segmentContacts(segment: Int)
    case contactSegments(Int), contactCompanies(Int), userSegments
    case fields(AriticKind)
    case hookTriggers

    var needsAuth: Bool { self != .token && self != .authorize }
}

/// Maps `METHOD /path` to a route. The instance answers both at the root and under Aritic's `/ma` prefix
/// (`https://<tenant>.ariticapp.com/ma/api/...`).
enum AriticRouter {
    enum Match: Equatable {
        case found(AriticRoute)
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    /// The path without the optional `/ma` prefix.
    static func strip(_ path: String) -> String {
        if path == "/ma" { return "/" }
        return path.hasPrefix("/ma/") ? String(path.dropFirst(3)) : path
    }

    static func match(method: String, path: String) -> Match {
        let s = strip(path).split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var candidates: [(methods: [String], route: AriticRoute)] = []
        func add(_ methods: [String], _ route: AriticRoute) { candidates.append((methods, route)) }

        switch s.count {
        case 3 where s[0] == "oauth" && s[1] == "v2":
            if s[2] == "token" { add(["GET", "POST"], .token) }
            if s[2] == "authorize" { add(["GET", "POST"], .authorize) }
        case 2...6 where s[0] == "api":
            matchAPI(Array(s.dropFirst()), add: add)
        default:
            break
        }
        guard !candidates.isEmpty else { return .notFound }
        if let hit = candidates.first(where: { $0.methods.contains(method) }) { return .found(hit.route) }
        return .methodNotAllowed(allowed: candidates.flatMap(\.methods))
    }

    private static func matchAPI(_ s: [String], add: ([String], AriticRoute) -> Void) {
        let kinds: [String: AriticKind] = ["contacts": .contacts, "companies": .companies, "segments": .segments, "hooks": .hooks]
        if s == ["hooks", "triggers"] { add(["GET"], .hookTriggers); return }
        if s.count == 2, s[0] == "fields", ["contact", "company"].contains(s[1]) {
            add(["GET"], .fields(s[1] == "company" ? .companies : .contacts))
            return
        }
        guard let kind = kinds[s[0]] else { return }
        let id = s.count > 1 ? Int(s[1]) : nil
        let batchable = kind == .contacts || kind == .companies
        switch s.count {
        case 1:
            add(["GET"], .list(kind))
        case 2 where s[1] == "new":
            add(["POST"], .create(kind))
        case 2 where kind == .contacts && s[1] == "list":
            break
        case 2:
            if let id { add(["GET"], .get(kind, id)) }
        case 3 where s[1] == "batch" && batchable:
            switch s[2] {
            case "new": add(["POST"], .batchNew(kind))
            case "edit": add(["PATCH", "PUT"], .batchEdit(kind))
            case "delete": add(["DELETE"], .batchDelete(kind))
            default: break
            }
        case 3 where kind == .contacts && s[1] == "list" && s[2] == "segments":
            add(["GET"], .userSegments)
        case 3:
            guard let id else { return }
            switch (s[2], kind) {
            case ("edit", .contacts), ("edit", .companies), ("edit", .segments): add(["PATCH", "PUT"], .edit(kind, id))
            case ("delete", _): add(["DELETE"], .delete(kind, id))
            case ("segments", .contacts): add(["GET"], .contactSegments(id))
            case ("companies", .contacts): add(["GET"], .contactCompanies(id))
            default: break
            }
        case 4 where kind == .segments && s[2] == "contacts" && s[3] == "add":
            if let id { add(["POST"], .segmentContacts(segment: id)) }
        case 5 where s[2] == "contact" && (kind == .companies || kind == .segments):
            // Current form `{id}/contact/{contactId}/add|remove` and the older `{id}/contact/add|remove/{contactId}`.
            guard let id else { return }
            let (action, contact) = Int(s[3]) != nil ? (s[4], Int(s[3])) : (s[3], Int(s[4]))
            guard let contact, action == "add" || action == "remove" else { return }
            add(["POST"], kind == .companies ? .companyContact(company: id, contact: contact, add: action == "add")
                                             : .segmentContact(segment: id, contact: contact, add: action == "add"))
        default:
            break
        }
    }
}
