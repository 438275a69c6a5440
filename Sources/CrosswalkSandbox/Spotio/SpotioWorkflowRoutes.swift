import CrosswalkCore
import Foundation

/// `/api/workflow…`: the tenant's DataObject types, pipeline stages, custom fields and activity templates (read-only).
extension SpotioStore {
    private func typeParam(_ call: SpotioCall, _ name: String) -> Result<SpotioObjectType, SpotioRejection> {
        let id = call.params[name] ?? ""
        guard Int(id) != nil else {
            return .failure(SpotioRejection(response: SpotioWire.error(400, field: name, "The value '\(id)' is not valid.")))
        }
        guard let type = state.type(id) else { return .failure(SpotioRejection(response: SpotioWire.notFound("DataObject type", id))) }
        return .success(type)
    }

    /// `GET /api/workflow` → `WorkflowSettings` (activity templates and full type definitions).
    func workflowSettings(_ call: SpotioCall) -> SandboxResponse {
        .json(200, ["activities": state.activityTemplates.map { render.activityTemplate($0) },
                    "dataObjects": state.types.map { render.typeDefinition($0) }])
    }

    /// `GET /api/workflow/dataObjects` (summaries) and `…/dataObjects/full` (with fields and stages).
    func objectTypes(_ call: SpotioCall, full: Bool) -> SandboxResponse {
        .json(200, state.types.map { full ? render.typeDefinition($0) : render.typeSummary($0) })
    }

    /// `GET /api/workflow/dataObjects/{id}`.
    func objectType(_ call: SpotioCall) -> SandboxResponse {
        switch typeParam(call, "id") {
        case let .success(type): return .json(200, render.typeSummary(type))
        case let .failure(denied): return denied.response
        }
    }

    /// `GET /api/workflow/dataObjects/{dataObjectId}/stages` → `{active, won, lost}`.
    func objectTypeStages(_ call: SpotioCall) -> SandboxResponse {
        switch typeParam(call, "dataObjectId") {
        case let .success(type): return .json(200, render.stages(type))
        case let .failure(denied): return denied.response
        }
    }

    /// `GET /api/workflow/dataobjects/{dataObjectId}/fields` → `[Field]`.
    func objectTypeFields(_ call: SpotioCall) -> SandboxResponse {
        switch typeParam(call, "dataObjectId") {
        case let .success(type): return .json(200, type.fields.map { render.field($0) })
        case let .failure(denied): return denied.response
        }
    }

    /// `GET /api/workflow/activityTemplates` → `[ActivityTemplate]`.
    func activityTemplates(_ call: SpotioCall) -> SandboxResponse {
        .json(200, state.activityTemplates.map { render.activityTemplate($0) })
    }
}
