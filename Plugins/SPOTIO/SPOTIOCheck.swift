import CrosswalkPluginKit

/// `check`: one cheap authenticated call (the workflow configuration the connector needs anyway), with a message a
/// person can act on when the key or its user cannot be used.
struct SPOTIOChecker {
    let schema: SPOTIOSchemaCache

    func check() throws -> CheckResult {
        do {
            let lead = try schema.leadType()
            let types = try schema.types()
            return CheckResult(
                ok: true,
                message: "Connected to SPOTIO: Lead object = DataObject type \"\(lead.name)\" (\(lead.id)) with \(lead.stages.count) stages and \(lead.fields.count) custom fields; types: \(types.map { "\($0.name) (\($0.id))" }.joined(separator: ", "))",
                details: ["lead_type_id": .string(lead.id), "types": .array(types.map { .string($0.id) })])
        } catch let error as ConnectorError where error.code == .auth {
            return CheckResult(ok: false, message: Self.explain(error))
        } catch let error as ConnectorError where error.code == .notFound {
            return CheckResult(ok: false, message: error.message)
        }
    }

    /// What to do about a refused key or token.
    static func explain(_ error: ConnectorError) -> String {
        let text = error.message
        // The host's token exchange (POST /api/users/apitoken) failed, before any call of the connector's own.
        if text.contains("token endpoint") || text.contains("apitoken") || text.contains("token exchange") {
            return "SPOTIO refused the API key (\(text)). An Admin creates a client id and secret under Settings → Integrations → API Access; store them with `crosswalk connections add` (token_exchange to /api/users/apitoken)."
        }
        if text.contains("HTTP 403") {
            return "SPOTIO answered 403 Forbidden (\(text)): the API key inherits the role of the user who created it; create the key as an Admin."
        }
        return "SPOTIO refused the bearer token (\(text)): the API key's user may have been removed or blocked, or the key revoked; create a new key under Settings → Integrations → API Access."
    }
}
