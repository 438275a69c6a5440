import CrosswalkCore
import Foundation

/// What an authenticated request meets next: the REST Web Services feature, the role's REST permission and its
/// permission on the record type, as `NetSuiteAccountSettings` sets them.
enum NetSuiteAccess {
    /// Record types as the role's permission list names them.
    static let permissionNames = ["customer": "Lists > Customers", "contact": "Lists > Contacts", "invoice": "Transactions > Invoice",
                                  "opportunity": "Transactions > Opportunity"]

    static func check(_ request: SandboxRequest, settings: NetSuiteAccountSettings) throws(NetSuiteError) {
        guard settings.restWebServices else {
            throw NetSuiteError(status: 400, code: "FEATURE_DISABLED",
                                detail: "The feature 'REST Web Services' required to access this page is not enabled in this account.")
        }
        guard settings.roleCanUseREST else {
            throw NetSuiteError(status: 400, code: "USER_ERROR", detail: "Your current role does not have permission to perform this action.")
        }
        guard request.path.hasPrefix(NetSuiteRecordRoutes.recordPrefix) else { return }
        let type = request.path.dropFirst(NetSuiteRecordRoutes.recordPrefix.count).split(separator: "/").first.map(String.init) ?? ""
        guard let level = settings.recordPermissions[type], !level.allows(request.method) else { return }
        let name = permissionNames[type] ?? type
        let detail = level == .none
            ? "Permission Violation: You need the '\(name)' permission to access this page. Please contact your account administrator."
            : "Permission Violation: You need a higher level of the '\(name)' permission to access this page. Please contact your account administrator."
        throw NetSuiteError(status: 403, code: "INSUFFICIENT_PERMISSION", detail: detail)
    }

    /// Whether SuiteQL may read the table of `recordType` (a table the role cannot view does not exist for it).
    static func canQuery(_ recordType: String, settings: NetSuiteAccountSettings) -> Bool {
        settings.recordPermissions[recordType].map { $0 != .none } ?? true
    }
}
